import { Injectable } from '@nestjs/common';
import type { PoolClient } from 'pg';
import { DataSource, type EntityManager, type QueryRunner } from 'typeorm';
import { ScopedRead } from './scoped-read';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * What row-level security lets a transaction see. `orgId` is the tenant (the common case);
 * `userId` additionally shows the user's own memberships; `apiKeyHash` / `invitationTokenHash`
 * show the one row matching a secret the caller presented; `system` lifts tenant isolation for
 * cross-org maintenance and platform-admin work, and must never follow from request input.
 */
export interface DbScope {
  orgId?: string | null;
  userId?: string | null;
  apiKeyHash?: string | null;
  invitationTokenHash?: string | null;
  system?: boolean;
}

export type ScopedWork<T> = (db: EntityManager) => Promise<T>;

/** What a read-only repository method needs: statements with parameters. An EntityManager is one, so is `TenantDatabase.reader`. */
export interface SqlReader {
  query<T = unknown>(sql: string, parameters?: unknown[]): Promise<T>;
}

function checkedUuid(value: string | null | undefined, name: string): string {
  if (value === undefined || value === null) return '';
  if (!UUID.test(value)) throw new Error(`${name} must be a UUID`);
  return value;
}

/** Secret hashes are hex or base64(url); nothing else may reach the settings. */
const SECRET_HASH = /^[A-Za-z0-9+/=_-]{1,256}$/;

function checkedHash(value: string | null | undefined, name: string): string {
  if (value === undefined || value === null) return '';
  if (!SECRET_HASH.test(value)) throw new Error(`${name} must be a hex or base64 hash`);
  return value;
}

const SCOPE_SQL = `SELECT set_config('app.org_id', $1, true), set_config('app.user_id', $2, true), set_config('app.system', $3, true),
        set_config('app.api_key_hash', $4, true), set_config('app.invitation_token_hash', $5, true)`;

/** The scope of `readOnce`, which also makes its transaction read-only. */
const READ_SCOPE_SQL = `${SCOPE_SQL}, set_config('transaction_read_only', 'on', true)`;

function scopeValues(scope: DbScope): [string, string, string, string, string] {
  return [
    checkedUuid(scope.orgId, 'orgId'),
    checkedUuid(scope.userId, 'userId'),
    scope.system ? 'on' : '',
    checkedHash(scope.apiKeyHash, 'apiKeyHash'),
    checkedHash(scope.invitationTokenHash, 'invitationTokenHash'),
  ];
}

/**
 * The scope with its values inline, for simple-query messages (they take no parameters). Every
 * value is checked above to be a UUID, 'on', a hash or empty: none can contain a quote.
 */
function scopeStatement(scope: DbScope): string {
  const values = scopeValues(scope);
  return SCOPE_SQL.replace(/\$([1-5])/g, (_, n: string) => `'${values[Number(n) - 1]}'`);
}

/**
 * The tenant-scoping primitive: every org-scoped query runs inside `inOrg` (or `run`), in one
 * transaction whose RLS context is set with `set_config(..., true)`, so it ends with the
 * transaction and never leaks to the next user of the pooled connection. Repositories still
 * filter by orgId themselves; RLS is the second wall.
 */
@Injectable()
export class TenantDatabase {
  constructor(private readonly dataSource: DataSource) {}

  inOrg<T>(orgId: string, work: ScopedWork<T>): Promise<T> {
    return this.run({ orgId }, work);
  }

  forUser<T>(userId: string, work: ScopedWork<T>): Promise<T> {
    return this.run({ userId }, work);
  }

  /** Cross-org work (maintenance jobs, platform admin). Never for a request-controlled org. */
  asSystem<T>(work: ScopedWork<T>): Promise<T> {
    return this.run({ system: true }, work);
  }

  async run<T>(scope: DbScope, work: ScopedWork<T>): Promise<T> {
    const statement = scopeStatement(scope);
    const runner = this.dataSource.createQueryRunner();
    // TypeORM opens the transaction with a round trip of its own; the scope rides in the same
    // simple-query message (`START TRANSACTION; SELECT set_config(...)`), which saves one per transaction.
    let scoped = false;
    const query = runner.query.bind(runner);
    runner.query = ((sql: string, ...rest: unknown[]) => {
      if (scoped || sql !== 'START TRANSACTION') return (query as (sql: string, ...rest: unknown[]) => Promise<unknown>)(sql, ...rest);
      scoped = true;
      return query(`START TRANSACTION; ${statement}`);
    }) as QueryRunner['query'];
    try {
      try {
        await runner.startTransaction();
        runner.query = query;
        // Should TypeORM ever open transactions differently, the scope still comes first, on its own.
        if (!scoped) await TenantDatabase.setScope(runner.manager, scope);
        const result = await work(runner.manager);
        await runner.commitTransaction();
        return result;
      } catch (error) {
        runner.query = query;
        await runner.rollbackTransaction().catch(() => undefined);
        throw error;
      }
    } finally {
      await runner.release();
    }
  }

  /**
   * One read under `scope` in ONE round trip, for per-request lookups and single-statement pages:
   * the scope and `sql` travel as one message sequence that PostgreSQL runs as a single implicit,
   * read-only transaction (ScopedRead), so the transaction-local settings end with it. The same
   * rows as `run(scope, (db) => db.query(sql, parameters))` under READ COMMITTED, for a third of
   * its round trips. One statement only; values go in `parameters`.
   */
  async readOnce<R>(scope: DbScope, sql: string, parameters: unknown[] = []): Promise<R[]> {
    // The server answers an empty statement with no rows; a caller that built none has a bug to hear about.
    if (sql.trim().length === 0) throw new Error('readOnce needs a statement');
    const values = scopeValues(scope);
    const runner = this.dataSource.createQueryRunner();
    try {
      const client = (await runner.connect()) as PoolClient;
      // Inside an open transaction the settings would outlive the read: pooled connections are idle ('I') here.
      if (client.getTransactionStatus() !== 'I') throw new Error('readOnce needs an idle connection');
      return await new Promise<R[]>((resolve, reject) => {
        client.query(new ScopedRead<R>(READ_SCOPE_SQL, values, sql, parameters, (error, rows) => (error ? reject(error) : resolve(rows!))));
      });
    } finally {
      await runner.release();
    }
  }

  /** A reader whose every statement is its own `readOnce` under `scope`: for read-only repository methods. */
  reader(scope: DbScope): SqlReader {
    return { query: <T>(sql: string, parameters?: unknown[]) => this.readOnce(scope, sql, parameters) as Promise<T> };
  }

  /** Replaces the whole scope inside a running transaction (e.g. after resolving an API key's org). */
  static async setScope(db: EntityManager, scope: DbScope): Promise<void> {
    if (!db.queryRunner?.isTransactionActive) throw new Error('setScope needs a transaction: the settings are transaction-local');
    await db.query(SCOPE_SQL, scopeValues(scope));
  }
}
