import { describe, expect, it } from 'vitest';
import { checkMetricsAccess } from './metrics-token';

describe('checkMetricsAccess', () => {
  const token = 'metrics-token-0123456789abcdef';

  it('is disabled without a configured token, whatever is sent', () => {
    expect(checkMetricsAccess(undefined, `Bearer ${token}`)).toBe('disabled');
    expect(checkMetricsAccess(undefined, undefined)).toBe('disabled');
  });

  it('grants the configured bearer token only', () => {
    expect(checkMetricsAccess(token, `Bearer ${token}`)).toBe('granted');
    expect(checkMetricsAccess(token, `bearer ${token}`)).toBe('granted');
    expect(checkMetricsAccess(token, `Bearer ${token}x`)).toBe('invalid');
    expect(checkMetricsAccess(token, `Bearer ${token.slice(0, -1)}`)).toBe('invalid');
    expect(checkMetricsAccess(token, 'Bearer other')).toBe('invalid');
  });

  it('tells a missing or malformed header apart', () => {
    expect(checkMetricsAccess(token, undefined)).toBe('missing');
    expect(checkMetricsAccess(token, token)).toBe('missing');
    expect(checkMetricsAccess(token, `Basic ${token}`)).toBe('missing');
  });
});
