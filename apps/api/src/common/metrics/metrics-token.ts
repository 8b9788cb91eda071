import { createHash, timingSafeEqual } from 'node:crypto';

export type MetricsAccess = 'granted' | 'disabled' | 'missing' | 'invalid';

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

/**
 * Who may read /metrics: only a caller presenting METRICS_TOKEN as a bearer token. Without a
 * configured token the endpoint is disabled (404) in every environment. Both sides are hashed
 * first so that the comparison takes the same time whatever the length of the guess.
 */
export function checkMetricsAccess(configured: string | undefined, authorization: string | undefined): MetricsAccess {
  if (!configured) return 'disabled';
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  if (!match) return 'missing';
  return timingSafeEqual(digest(match[1]!), digest(configured)) ? 'granted' : 'invalid';
}
