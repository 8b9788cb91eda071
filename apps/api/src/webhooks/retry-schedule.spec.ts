import { describe, expect, it } from 'vitest';
import { MAX_DELIVERY_ATTEMPTS, nextRetryDelayMs, parseRetryAfter, retrySpanMs } from './retry-schedule';

describe('webhook retry schedule', () => {
  it('doubles from the base, caps each delay, and spreads the attempts over about three days', () => {
    const middle = () => 0.5;
    expect(nextRetryDelayMs(1, 60_000, middle)).toBe(60_000);
    expect(nextRetryDelayMs(2, 60_000, middle)).toBe(120_000);
    expect(nextRetryDelayMs(5, 60_000, middle)).toBe(960_000);
    expect(nextRetryDelayMs(MAX_DELIVERY_ATTEMPTS - 1, 60_000, middle)).toBe(16 * 3_600_000);
    const days = retrySpanMs(60_000) / 86_400_000;
    expect(days).toBeGreaterThan(2.5);
    expect(days).toBeLessThan(3.5);
  });

  it('stops after the last attempt', () => {
    expect(nextRetryDelayMs(MAX_DELIVERY_ATTEMPTS, 60_000)).toBeNull();
  });

  it('adds at most 20 % of jitter either way', () => {
    expect(nextRetryDelayMs(3, 1000, () => 0)).toBe(3200);
    expect(nextRetryDelayMs(3, 1000, () => 1)).toBe(4800);
  });

  it('reads Retry-After as seconds or as an HTTP date, and ignores nonsense and waits over a day', () => {
    const now = Date.parse('2030-01-01T00:00:00Z');
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter(['7'], now)).toBe(7_000);
    expect(parseRetryAfter('Tue, 01 Jan 2030 00:01:00 GMT', now)).toBe(60_000);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter(String(2 * 86_400), now)).toBeUndefined();
  });
});
