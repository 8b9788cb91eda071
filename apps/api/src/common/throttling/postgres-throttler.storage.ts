import { Injectable, Logger } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import { DataSource } from 'typeorm';
import { isDatabaseUnavailable } from '../errors/database-errors';

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

interface HitRow {
  total_hits: number;
  expires_in_ms: string;
  blocked_for_ms: string;
}

/**
 * Throttler storage in PostgreSQL, so limits hold across every API node. One round trip per
 * request through the `rate_limit_hit` function (see the foundation migration), which takes a row
 * lock and so counts concurrent hits exactly.
 */
const UNAVAILABLE_WARNING_INTERVAL_MS = 10_000;

/**
 * The hit commits without waiting for its WAL flush (`synchronous_commit` off for this one
 * statement's transaction; set_config(..., true) ends with it). Every request pays this write, and
 * waiting for a disk flush per request would make a read-only GET as costly as a durable write.
 * The count is visible to every node at once as before; only a crash of PostgreSQL itself can lose
 * the last fraction of a second of hits, which at worst grants a few extra requests.
 */
const HIT_SQL = `SELECT h.total_hits, h.expires_in_ms, h.blocked_for_ms, set_config('synchronous_commit', 'off', true) AS async_commit
                   FROM rate_limit_hit($1, $2, $3, $4) AS h`;

@Injectable()
export class PostgresThrottlerStorage implements ThrottlerStorage {
  private readonly logger = new Logger('RateLimits');
  private lastWarningAt = 0;
  private unlimitedSinceWarning = 0;

  constructor(private readonly dataSource: DataSource) {}

  /**
   * Fails open while the database is unreachable: liveness and requests that need no database keep
   * working, and everything that does need it answers 503 on its own.
   */
  async increment(key: string, ttl: number, limit: number, blockDuration: number, throttlerName: string): Promise<ThrottlerStorageRecord> {
    try {
      return await this.hit(key, ttl, limit, blockDuration, throttlerName);
    } catch (error) {
      if (!isDatabaseUnavailable(error)) throw error;
      this.warnUnavailable();
      return { totalHits: 0, timeToExpire: Math.ceil(ttl / 1000), isBlocked: false, timeToBlockExpire: 0 };
    }
  }

  /** One line per interval during an outage, not one per request. */
  private warnUnavailable(): void {
    this.unlimitedSinceWarning += 1;
    if (Date.now() - this.lastWarningAt < UNAVAILABLE_WARNING_INTERVAL_MS) return;
    this.logger.warn({ requests: this.unlimitedSinceWarning }, 'rate-limit counters unavailable (database unreachable); not limiting meanwhile');
    this.lastWarningAt = Date.now();
    this.unlimitedSinceWarning = 0;
  }

  private async hit(key: string, ttl: number, limit: number, blockDuration: number, throttlerName: string): Promise<ThrottlerStorageRecord> {
    const rows = (await this.dataSource.query(HIT_SQL, [
      `${throttlerName}:${key}`,
      Math.max(1, Math.round(ttl)),
      limit,
      Math.max(1, Math.round(blockDuration || ttl)),
    ])) as HitRow[];
    const row = rows[0]!;
    const blockedForMs = Number(row.blocked_for_ms);
    return {
      totalHits: row.total_hits,
      timeToExpire: Math.max(0, Math.ceil(Number(row.expires_in_ms) / 1000)),
      isBlocked: blockedForMs > 0,
      timeToBlockExpire: Math.max(0, Math.ceil(blockedForMs / 1000)),
    };
  }

  /** Drops counters whose window and block are both long over. */
  async purgeExpired(): Promise<number> {
    const result = (await this.dataSource.query(
      `DELETE FROM rate_limit_counter WHERE window_ends_at < now() - interval '1 minute' AND (blocked_until IS NULL OR blocked_until < now())`,
    )) as [unknown, number];
    return result[1] ?? 0;
  }
}
