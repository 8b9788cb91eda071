/** "—" until an ETA is known; then "12 s", "3 min 05 s", "1 h 04 min". */
export function formatEta(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return '—';
  const total = Math.round(seconds);
  if (total < 60) return `${total} s`;
  if (total < 3600) {
    const minutes = Math.floor(total / 60);
    return `${minutes} min ${String(total % 60).padStart(2, '0')} s`;
  }
  const hours = Math.floor(total / 3600);
  return `${hours} h ${String(Math.floor((total % 3600) / 60)).padStart(2, '0')} min`;
}

/** "0 pages/s", "0.4 pages/s", "12 pages/s". */
export function formatRate(pagesPerSecond: number | null | undefined): string {
  const rate = pagesPerSecond && Number.isFinite(pagesPerSecond) && pagesPerSecond > 0 ? pagesPerSecond : 0;
  const shown = rate === 0 ? '0' : rate < 10 ? rate.toFixed(1) : String(Math.round(rate));
  return `${shown} pages/s`;
}

/** A percentage clamped to 0..100 and rounded down, so 100 % only shows when it is done. */
export function clampPercent(percent: number | null | undefined): number {
  if (percent === null || percent === undefined || !Number.isFinite(percent)) return 0;
  return Math.min(100, Math.max(0, Math.floor(percent)));
}

const numberFormat = new Intl.NumberFormat('en-US');
export function formatCount(value: number | null | undefined): string {
  return value === null || value === undefined ? '—' : numberFormat.format(value);
}

const dateTime = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short' });
export function formatDateTime(value: string | null | undefined | Record<string, unknown>): string {
  if (typeof value !== 'string') return '—';
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? '—' : dateTime.format(date);
}

export function labelOf(slug: string | null | undefined): string {
  if (!slug) return '—';
  const text = slug.replace(/_/g, ' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}
