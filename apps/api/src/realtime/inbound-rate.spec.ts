import { describe, expect, it } from 'vitest';
import { TokenBucket } from './inbound-rate';

describe('TokenBucket', () => {
  it('allows the burst, then the rate', () => {
    const bucket = new TokenBucket(10, 5, 0);
    expect(Array.from({ length: 6 }, () => bucket.take(0))).toEqual([true, true, true, true, true, false]);
    expect(bucket.take(50)).toBe(false);
    expect(bucket.take(100)).toBe(true);
    expect(bucket.take(100)).toBe(false);
  });

  it('never saves up more than the burst', () => {
    const bucket = new TokenBucket(10, 3, 0);
    expect(Array.from({ length: 4 }, () => bucket.take(60_000))).toEqual([true, true, true, false]);
  });
});
