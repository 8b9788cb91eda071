import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

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

function checkedUuid(value: string | null | undefined, name: string): string {
  if (value === undefined || value === null) return '';
  if (!UUID.test(value)) throw new Error(`${name} must be a UUID`);
  return value;
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

  run<T>(scope: DbScope, work: ScopedWork<T>): Promise<T> {
    return this.dataSource.transaction(async (db) => {
      await TenantDatabase.setScope(db, scope);
      return work(db);
    });
  }

  /** Replaces the whole scope inside a running transaction (e.g. after resolving an API key's org). */
  static async setScope(db: EntityManager, scope: DbScope): Promise<void> {
    if (!db.queryRunner?.isTransactionActive) throw new Error('setScope needs a transaction: the settings are transaction-local');
    await db.query(
      `SELECT set_config('app.org_id', $1, true), set_config('app.user_id', $2, true), set_config('app.system', $3, true),
              set_config('app.api_key_hash', $4, true), set_config('app.invitation_token_hash', $5, true)`,
      [
        checkedUuid(scope.orgId, 'orgId'),
        checkedUuid(scope.userId, 'userId'),
        scope.system ? 'on' : '',
        scope.apiKeyHash ?? '',
        scope.invitationTokenHash ?? '',
      ],
    );
  }
}
