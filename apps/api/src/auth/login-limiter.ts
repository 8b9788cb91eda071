import { HttpStatus, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { sha256 } from '../common/crypto/tokens';
import { AppError } from '../common/errors/app-error';
import { PostgresThrottlerStorage } from '../common/throttling/postgres-throttler.storage';

const WINDOW_MS = 15 * 60_000;
/** Failed logins allowed per account in the window before it is locked for the window. */
export const ACCOUNT_FAILURE_LIMIT = 10;
/** Failed logins allowed per client IP (across accounts) in the window. */
export const IP_FAILURE_LIMIT = 30;
const THROTTLER_NAME = 'login-failure';

/**
 * Slows down password guessing per account and per client IP with counters shared by every API
 * node (the throttler's Postgres table). Successful logins clear the account's counter.
 */
@Injectable()
export class LoginLimiter {
  constructor(
    private readonly storage: PostgresThrottlerStorage,
    private readonly dataSource: DataSource,
  ) {}

  private keys(email: string, ip: string | null): string[] {
    const keys = [`${THROTTLER_NAME}:account:${sha256(email)}`];
    if (ip) keys.push(`${THROTTLER_NAME}:ip:${ip}`);
    return keys;
  }

  async assertAllowed(email: string, ip: string | null): Promise<void> {
    const rows = (await this.dataSource.query(
      `SELECT ceil(extract(epoch FROM max(blocked_until) - now()))::int AS retry_after
         FROM rate_limit_counter WHERE key = ANY($1) AND blocked_until > now()`,
      [this.keys(email, ip)],
    )) as Array<{ retry_after: number | null }>;
    const retryAfter = rows[0]?.retry_after;
    if (retryAfter && retryAfter > 0) {
      throw new AppError('too_many_login_failures', HttpStatus.TOO_MANY_REQUESTS, 'Too many failed sign-in attempts; wait before trying again.', {
        headers: { 'Retry-After': String(retryAfter) },
      });
    }
  }

  async recordFailure(email: string, ip: string | null): Promise<void> {
    const [accountKey, ipKey] = this.keys(email, ip);
    await this.storage.increment(accountKey!.slice(THROTTLER_NAME.length + 1), WINDOW_MS, ACCOUNT_FAILURE_LIMIT - 1, WINDOW_MS, THROTTLER_NAME);
    if (ipKey) await this.storage.increment(ipKey.slice(THROTTLER_NAME.length + 1), WINDOW_MS, IP_FAILURE_LIMIT - 1, WINDOW_MS, THROTTLER_NAME);
  }

  async clearAccount(email: string): Promise<void> {
    await this.dataSource.query('DELETE FROM rate_limit_counter WHERE key = $1', [this.keys(email, null)[0]]);
  }
}
