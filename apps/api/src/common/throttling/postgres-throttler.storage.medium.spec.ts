import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DataSource } from 'typeorm';
import { createTestDatabase } from '../../../../../test/support/test-postgres';
import { buildDataSourceOptions } from '../../database/data-source-options';
import { PostgresThrottlerStorage } from './postgres-throttler.storage';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let dataSource: DataSource;
let storage: PostgresThrottlerStorage;

beforeAll(async () => {
  database = await createTestDatabase(inject('databaseAdminUrl'), inject('templateDatabase'));
  dataSource = new DataSource(buildDataSourceOptions({ url: database.url, poolSize: 8 }));
  await dataSource.initialize();
  storage = new PostgresThrottlerStorage(dataSource);
});

afterAll(async () => {
  await dataSource?.destroy();
  await database?.drop();
});

describe('PostgresThrottlerStorage', () => {
  it('counts concurrent hits exactly and blocks past the limit', async () => {
    const results = await Promise.all(Array.from({ length: 40 }, () => storage.increment('concurrent', 60_000, 30, 10_000, 'default')));
    const hits = results.map((result) => result.totalHits).sort((a, b) => a - b);
    expect(hits.slice(0, 31)).toEqual(Array.from({ length: 31 }, (_, index) => index + 1));
    expect(results.filter((result) => result.isBlocked)).toHaveLength(10);
    const blocked = results.find((result) => result.isBlocked)!;
    expect(blocked.timeToBlockExpire).toBeGreaterThan(0);
    expect(blocked.timeToBlockExpire).toBeLessThanOrEqual(10);
  });

  it('sends the hits of one event-loop turn as one statement and answers each as its own', async () => {
    const statements: string[] = [];
    const counting = { query: (sql: string, parameters?: unknown[]) => (statements.push(sql), dataSource.query(sql, parameters)) } as unknown as DataSource;
    const batched = new PostgresThrottlerStorage(counting);
    const [first, second, other, login] = await Promise.all([
      batched.increment('turn-z', 60_000, 1, 5_000, 'default'),
      batched.increment('turn-z', 60_000, 1, 5_000, 'default'),
      batched.increment('turn-a', 60_000, 10, 5_000, 'default'),
      batched.increment('turn-z', 60_000, 10, 5_000, 'login'),
    ]);
    expect(statements).toHaveLength(1);
    expect(first).toMatchObject({ totalHits: 1, isBlocked: false });
    expect(second).toMatchObject({ totalHits: 2, isBlocked: true });
    expect(second.timeToBlockExpire).toBeGreaterThan(0);
    expect(other).toMatchObject({ totalHits: 1, isBlocked: false });
    expect(login).toMatchObject({ totalHits: 1, isBlocked: false });
    // Hits of the next turn go in a statement of their own.
    await batched.increment('turn-a', 60_000, 10, 5_000, 'default');
    await new Promise((resolve) => setImmediate(resolve));
    expect((await batched.increment('turn-a', 60_000, 10, 5_000, 'default')).totalHits).toBe(3);
    expect(statements).toHaveLength(3);
  });

  it('fails open for every hit of a batch while the database is unreachable', async () => {
    const unreachable = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    const down = new PostgresThrottlerStorage({ query: () => Promise.reject(unreachable) } as unknown as DataSource);
    const results = await Promise.all([down.increment('down-a', 60_000, 1, 1_000, 'default'), down.increment('down-b', 60_000, 1, 1_000, 'default')]);
    expect(results).toEqual([
      { totalHits: 0, timeToExpire: 60, isBlocked: false, timeToBlockExpire: 0 },
      { totalHits: 0, timeToExpire: 60, isBlocked: false, timeToBlockExpire: 0 },
    ]);
  });

  it('commits a hit without waiting for the WAL flush, and leaves the pooled connection as it was', async () => {
    const single = new DataSource(buildDataSourceOptions({ url: database.url, poolSize: 1 }));
    await single.initialize();
    try {
      const own = new PostgresThrottlerStorage(single);
      await single.query(`CREATE TEMP TABLE commit_mode (mode text); CREATE FUNCTION pg_temp.note_commit_mode() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN INSERT INTO commit_mode VALUES (current_setting('synchronous_commit')); RETURN NULL; END $$;
        CREATE CONSTRAINT TRIGGER note_commit_mode AFTER INSERT OR UPDATE ON rate_limit_counter DEFERRABLE INITIALLY DEFERRED
          FOR EACH ROW EXECUTE FUNCTION pg_temp.note_commit_mode()`);
      try {
        expect((await own.increment('async-commit', 60_000, 5, 1_000, 'default')).totalHits).toBe(1);
        // The deferred trigger ran at commit time, where the setting decides whether the commit waits.
        expect(((await single.query('SELECT DISTINCT mode FROM commit_mode')) as Array<{ mode: string }>).map((row) => row.mode)).toEqual(['off']);
        expect(((await single.query('SHOW synchronous_commit')) as Array<{ synchronous_commit: string }>)[0]!.synchronous_commit).toBe('on');
      } finally {
        await single.query('DROP TRIGGER note_commit_mode ON rate_limit_counter');
      }
    } finally {
      await single.destroy();
    }
  });

  it('keeps keys of different throttlers apart', async () => {
    await storage.increment('shared-key', 60_000, 5, 1_000, 'login');
    const other = await storage.increment('shared-key', 60_000, 5, 1_000, 'default');
    expect(other.totalHits).toBe(1);
  });

  it('starts a fresh window once the old one is over', async () => {
    await storage.increment('short', 200, 1, 200, 'default');
    const blocked = await storage.increment('short', 200, 1, 200, 'default');
    expect(blocked.isBlocked).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 450));
    const fresh = await storage.increment('short', 200, 1, 200, 'default');
    expect(fresh).toMatchObject({ totalHits: 1, isBlocked: false });
  });

  it('purges counters whose window and block are long over', async () => {
    await dataSource.query(
      `INSERT INTO rate_limit_counter (key, hits, window_ends_at, blocked_until) VALUES ('old', 3, now() - interval '2 hours', NULL), ('live', 1, now() + interval '1 minute', NULL)`,
    );
    await storage.purgeExpired();
    const keys = (await dataSource.query(`SELECT key FROM rate_limit_counter WHERE key IN ('old', 'live')`)) as Array<{ key: string }>;
    expect(keys.map((row) => row.key)).toEqual(['live']);
  });
});
