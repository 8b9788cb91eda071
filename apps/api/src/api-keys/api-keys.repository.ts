import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { sha256 } from '../common/crypto/tokens';
import { type SqlReader, TenantDatabase } from '../database/tenant-database';
import { AuditLog } from '../audit/audit-log.entity';
import { newId } from '../common/ids';
import { ApiKey } from './api-key.entity';

/** What a list shows of a key. */
export type ApiKeyListing = Pick<ApiKey, 'id' | 'name' | 'prefix' | 'createdByUserId' | 'lastUsedAt' | 'createdAt'>;

/** API keys of an org; lookups by secret use the api_key_secret_read policy. */
@Injectable()
export class ApiKeysRepository {
  constructor(private readonly tenant: TenantDatabase) {}

  async insert(db: EntityManager, key: Pick<ApiKey, 'id' | 'orgId' | 'name' | 'prefix' | 'createdByUserId'>, secret: string): Promise<ApiKey> {
    await db.insert(ApiKey, { ...key, keyHash: sha256(secret) });
    return (await db.findOneBy(ApiKey, { id: key.id, orgId: key.orgId }))!;
  }

  /** Newest first (UUIDv7 ids), `limit + 1` keys; never the key hash. */
  async list(db: SqlReader, orgId: string, limit: number, cursor?: string): Promise<ApiKeyListing[]> {
    return db.query<ApiKeyListing[]>(
      `SELECT k.id, k.name, k.prefix, k.created_by_user_id AS "createdByUserId", k.last_used_at AS "lastUsedAt", k.created_at AS "createdAt"
         FROM api_key k
        WHERE k.org_id = $1 AND ($2::uuid IS NULL OR k.id < $2::uuid)
        ORDER BY k.id DESC
        LIMIT $3`,
      [orgId, cursor ?? null, limit + 1],
    );
  }

  async delete(db: EntityManager, orgId: string, id: string): Promise<boolean> {
    const result = await db.delete(ApiKey, { id, orgId });
    return (result.affected ?? 0) > 0;
  }

  /** Finds the key's org by the secret's hash and notes its use (at most once a minute). */
  authenticate(secret: string): Promise<{ id: string; orgId: string } | undefined> {
    const keyHash = sha256(secret);
    return this.tenant.run({ apiKeyHash: keyHash }, async (db) => {
      const key = await db.findOne(ApiKey, { where: { keyHash }, select: { id: true, orgId: true, lastUsedAt: true } });
      if (!key) return undefined;
      if (!key.lastUsedAt || key.lastUsedAt.getTime() < Date.now() - 60_000) {
        await TenantDatabase.setScope(db, { orgId: key.orgId });
        await db.update(ApiKey, { id: key.id, orgId: key.orgId }, { lastUsedAt: () => 'now()' });
        // The audit log notes a key's use once per hour of activity, not per request.
        if (!key.lastUsedAt || key.lastUsedAt.getTime() < Date.now() - 3_600_000) {
          await db.insert(AuditLog, { id: newId(), orgId: key.orgId, actorApiKeyId: key.id, action: 'api_key.used', targetType: 'api_key', targetId: key.id, metadata: {} });
        }
      }
      return { id: key.id, orgId: key.orgId };
    });
  }
}
