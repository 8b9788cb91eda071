/**
 * When a failed delivery is tried again: exponential backoff with jitter. With the default base
 * of one minute the delays are 1, 2, 4, ... 512 minutes, then capped at 16 hours: 14 attempts
 * spread over about 2.7 days (DESIGN.md §8: "retries over about three days").
 */
export const MAX_DELIVERY_ATTEMPTS = 14;
/** The cap of one delay, as a multiple of the base (16 h for a one-minute base). */
const MAX_DELAY_FACTOR = 960;
/** +-20 % so that the deliveries of one outage do not all come back at the same instant. */
const JITTER = 0.2;
/** A Retry-After longer than this is not waited for; the normal schedule applies instead. */
const MAX_RETRY_AFTER_MS = 24 * 60 * 60 * 1000;

/** Delay before attempt `failedAttempts + 1`, or null when no attempt is left. */
export function nextRetryDelayMs(failedAttempts: number, baseMs: number, random: () => number = Math.random): number | null {
  if (failedAttempts >= MAX_DELIVERY_ATTEMPTS) return null;
  const exponential = Math.min(baseMs * 2 ** (failedAttempts - 1), baseMs * MAX_DELAY_FACTOR);
  return Math.round(exponential * (1 - JITTER + 2 * JITTER * random()));
}

/** The whole schedule without jitter (for docs and tests). */
export function retrySpanMs(baseMs: number): number {
  let total = 0;
  for (let failed = 1; failed < MAX_DELIVERY_ATTEMPTS; failed += 1) total += Math.min(baseMs * 2 ** (failed - 1), baseMs * MAX_DELAY_FACTOR);
  return total;
}

/** Retry-After (delta-seconds or an HTTP date) in milliseconds from `now`; undefined when absent or unusable. */
export function parseRetryAfter(value: string | string[] | undefined, now = Date.now()): number | undefined {
  const raw = Array.isArray(value) ? value[0] : value;
  if (!raw) return undefined;
  const trimmed = raw.trim();
  let ms: number;
  if (/^\d{1,9}$/.test(trimmed)) ms = Number(trimmed) * 1000;
  else {
    const date = Date.parse(trimmed);
    if (Number.isNaN(date)) return undefined;
    ms = Math.max(0, date - now);
  }
  return ms <= MAX_RETRY_AFTER_MS ? ms : undefined;
}
