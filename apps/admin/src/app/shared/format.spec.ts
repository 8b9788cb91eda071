import { describe, expect, it } from 'vitest';
import { clampPercent, formatEta, formatRate } from './format';

describe('progress formatting', () => {
  it('formats ETAs from seconds to hours, and unknown as a dash', () => {
    expect(formatEta(null)).toBe('—');
    expect(formatEta(undefined)).toBe('—');
    expect(formatEta(-1)).toBe('—');
    expect(formatEta(Number.NaN)).toBe('—');
    expect(formatEta(0)).toBe('0 s');
    expect(formatEta(42.4)).toBe('42 s');
    expect(formatEta(65)).toBe('1 min 05 s');
    expect(formatEta(3599)).toBe('59 min 59 s');
    expect(formatEta(3600 + 4 * 60 + 30)).toBe('1 h 04 min');
  });

  it('formats pages per second with one decimal below ten', () => {
    expect(formatRate(0)).toBe('0 pages/s');
    expect(formatRate(null)).toBe('0 pages/s');
    expect(formatRate(0.44)).toBe('0.4 pages/s');
    expect(formatRate(9.96)).toBe('10.0 pages/s');
    expect(formatRate(12.6)).toBe('13 pages/s');
  });

  it('clamps percentages and only shows 100 when done', () => {
    expect(clampPercent(99.9)).toBe(99);
    expect(clampPercent(100)).toBe(100);
    expect(clampPercent(140)).toBe(100);
    expect(clampPercent(-3)).toBe(0);
    expect(clampPercent(null)).toBe(0);
  });
});
