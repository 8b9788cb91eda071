import { Injectable, Logger } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import DataLoader from 'dataloader';
import { DataSource } from 'typeorm';
import { isDatabaseUnavailable } from '../errors/database-errors';

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

interface Hit {
  key: string;
  ttlMs: number;
  limit: number;
  blockMs: number;
}

interface HitRow {
  ord: string;
  total_hits: number;
  expires_in_ms: string;
  blocked_for_ms: string;
}

const UNAVAILABLE_WARNING_INTERVAL_MS = 10_000;
/** Hits per statement at most; more in one event-loop turn make several statements. */
const MAX_HITS_PER_STATEMENT = 500;

/**
 * The hit commits without waiting for its WAL flush (`synchronous_commit` off for this one
 * statement's transaction; set_config(..., true) ends with it). Every request pays this write, and
 * waiting for a disk flush per request would make a read-only GET as costly as a durable write.
 * The count is visible to every node at once as before; only a crash of PostgreSQL itself can lose
 * the last fraction of a second of hits, which at worst grants a few extra requests.
 */
const HITS_SQL = `SELECT h.ord, r.total_hits, r.expires_in_ms, r.blocked_for_ms, set_config('synchronous_commit', 'off', true) AS async_commit
                    FROM unnest($1::text[], $2::int[], $3::int[], $4::int[]) WITH ORDINALITY AS h(key, ttl_ms, hit_limit, block_ms, ord)
                    CROSS JOIN LATERAL rate_limit_hit(h.key, h.ttl_ms, h.hit_limit, h.block_ms) AS r`;

/**
 * Throttler storage in PostgreSQL, so limits hold across every API node, through the
 * `rate_limit_hit` function (see the foundation migration), which takes a row lock and so counts
 * concurrent hits exactly. The hits of the requests that arrive in the same event-loop turn go to
 * the database together, as one statement (DataLoader, dispatched on setImmediate, after the turn's
 * I/O): under load that is one round trip for several requests instead of one each. The statement
 * calls the function once per hit in key order, so concurrent statements of several nodes lock
 * the same rows in the same order (no deadlock), and two hits on one key in one statement count
 * one after the other.
 */
@Injectable()
export class PostgresThrottlerStorage implements ThrottlerStorage {
  private readonly logger = new Logger('RateLimits');
  private lastWarningAt = 0;
  private unlimitedSinceWarning = 0;
  private readonly hits = new DataLoader<Hit, ThrottlerStorageRecord>((batch) => this.hitAll(batch), {
    cache: false,
    maxBatchSize: MAX_HITS_PER_STATEMENT,
    batchScheduleFn: (dispatch) => setImmediate(dispatch),
  });

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

  private hit(key: string, ttl: number, limit: number, blockDuration: number, throttlerName: string): Promise<ThrottlerStorageRecord> {
    return this.hits.load({ key: `${throttlerName}:${key}`, ttlMs: Math.max(1, Math.round(ttl)), limit, blockMs: Math.max(1, Math.round(blockDuration || ttl)) });
  }

  /** One statement for a batch of hits; the answers in the batch's order. */
  private async hitAll(batch: readonly Hit[]): Promise<ThrottlerStorageRecord[]> {
    const order = batch.map((_, index) => index).sort((a, b) => (batch[a]!.key < batch[b]!.key ? -1 : batch[a]!.key > batch[b]!.key ? 1 : a - b));
    const sorted = order.map((index) => batch[index]!);
    const rows = (await this.dataSource.query(HITS_SQL, [
      sorted.map((hit) => hit.key),
      sorted.map((hit) => hit.ttlMs),
      sorted.map((hit) => hit.limit),
      sorted.map((hit) => hit.blockMs),
    ])) as HitRow[];
    const answers: ThrottlerStorageRecord[] = new Array(batch.length);
    for (const row of rows) {
      const blockedForMs = Number(row.blocked_for_ms);
      answers[order[Number(row.ord) - 1]!] = {
        totalHits: row.total_hits,
        timeToExpire: Math.max(0, Math.ceil(Number(row.expires_in_ms) / 1000)),
        isBlocked: blockedForMs > 0,
        timeToBlockExpire: Math.max(0, Math.ceil(blockedForMs / 1000)),
      };
    }
    if (rows.length !== batch.length) throw new Error(`rate_limit_hit answered ${rows.length} of ${batch.length} hits`);
    return answers;
  }

  /** Drops counters whose window and block are both long over. */
  async purgeExpired(): Promise<number> {
    const result = (await this.dataSource.query(
      `DELETE FROM rate_limit_counter WHERE window_ends_at < now() - interval '1 minute' AND (blocked_until IS NULL OR blocked_until < now())`,
    )) as [unknown, number];
    return result[1] ?? 0;
  }
}
