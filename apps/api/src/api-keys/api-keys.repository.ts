import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { sha256 } from '../common/crypto/tokens';
import { TenantDatabase } from '../database/tenant-database';
import { AuditLog } from '../audit/audit-log.entity';
import { newId } from '../common/ids';
import { ApiKey } from './api-key.entity';

/** API keys of an org; lookups by secret use the api_key_secret_read policy. */
@Injectable()
export class ApiKeysRepository {
  constructor(private readonly tenant: TenantDatabase) {}

  async insert(db: EntityManager, key: Pick<ApiKey, 'id' | 'orgId' | 'name' | 'prefix' | 'createdByUserId'>, secret: string): Promise<ApiKey> {
    await db.insert(ApiKey, { ...key, keyHash: sha256(secret) });
    return (await db.findOneBy(ApiKey, { id: key.id, orgId: key.orgId }))!;
  }

  async list(db: EntityManager, orgId: string, limit: number, cursor?: string): Promise<ApiKey[]> {
    const query = db.createQueryBuilder(ApiKey, 'key').where('key.orgId = :orgId', { orgId }).orderBy('key.id', 'DESC').take(limit + 1);
    if (cursor) query.andWhere('key.id < :cursor', { cursor });
    return query.getMany();
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
