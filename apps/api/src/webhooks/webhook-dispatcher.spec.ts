import { describe, expect, it } from 'vitest';
import { MAX_DELIVERY_ATTEMPTS } from './retry-schedule';
import { judgeAttempt } from './webhook-dispatcher.service';

const outcome = (status: number | null, headers: Record<string, string> = {}) => ({ status, headers });

describe('judging a delivery attempt', () => {
  it('succeeds on 2xx only; a redirect is a failure (never followed)', () => {
    expect(judgeAttempt(outcome(204), 1, false, 1000)).toEqual({ kind: 'succeeded' });
    expect(judgeAttempt(outcome(302), 1, false, 1000).kind).toBe('retry');
    expect(judgeAttempt(outcome(null), 1, false, 1000).kind).toBe('retry');
  });

  it('treats 410 as gone, even for a manual attempt', () => {
    expect(judgeAttempt(outcome(410), 1, false, 1000)).toEqual({ kind: 'gone' });
    expect(judgeAttempt(outcome(410), 3, true, 1000)).toEqual({ kind: 'gone' });
  });

  it('honours Retry-After on 429 and 503 but not on other statuses', () => {
    expect(judgeAttempt(outcome(429, { 'retry-after': '42' }), 1, false, 1000)).toEqual({ kind: 'retry', delayMs: 42_000 });
    expect(judgeAttempt(outcome(503, { 'retry-after': '5' }), 2, false, 1000)).toEqual({ kind: 'retry', delayMs: 5_000 });
    const other = judgeAttempt(outcome(500, { 'retry-after': '42' }), 1, false, 1000);
    expect(other.kind === 'retry' && other.delayMs).toBeLessThanOrEqual(1200);
  });

  it('gives up after the last attempt, and never retries pings and redeliveries', () => {
    expect(judgeAttempt(outcome(500), MAX_DELIVERY_ATTEMPTS, false, 1000)).toEqual({ kind: 'failed' });
    expect(judgeAttempt(outcome(429, { 'retry-after': '1' }), MAX_DELIVERY_ATTEMPTS, false, 1000)).toEqual({ kind: 'failed' });
    expect(judgeAttempt(outcome(500), 1, true, 1000)).toEqual({ kind: 'failed' });
  });
});
