import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditService } from '../audit/audit.service';
import type { AuthContext } from '../common/auth/auth-context';
import { sha256 } from '../common/crypto/tokens';
import { newId } from '../common/ids';
import { toPage } from '../common/pagination/page';
import type { TenantDatabase } from '../database/tenant-database';
import { inOneRoundTrip, openTenantTestDatabases, type TenantTestDatabases } from '../../../../test/support/tenant-test-databases';
import { ApiKey } from './api-key.entity';
import { ApiKeysRepository } from './api-keys.repository';
import { ApiKeysService } from './api-keys.service';

let databases: TenantTestDatabases;
let owner: DataSource;
let tenant: TenantDatabase;
let service: ApiKeysService;
const [orgA, orgB, userId] = [newId(), newId(), newId()];
const keysOfA: string[] = [];
let keyOfB: string;
const auth = (orgId: string): AuthContext => ({ via: 'jwt', userId, orgId, role: 'owner', sessionId: newId(), apiKeyId: null, isPlatformAdmin: false });

async function insertKey(orgId: string, index: number): Promise<string> {
  const id = newId();
  await owner.query(
    `INSERT INTO api_key (id, org_id, name, prefix, key_hash, created_by_user_id, last_used_at, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7::timestamptz, $8::timestamptz)`,
    [
      id,
      orgId,
      `key ${index} "ü"`,
      `lf_${String(index).padStart(8, 'x')}`,
      sha256(`secret-${orgId}-${index}`),
      index % 2 === 0 ? userId : null,
      index % 3 === 0 ? null : `2030-01-03 10:00:${String(index).padStart(2, '0')}.987654+00`,
      `2030-01-01 09:00:${String(index).padStart(2, '0')}.123456+00`,
    ],
  );
  return id;
}

beforeAll(async () => {
  databases = await openTenantTestDatabases();
  ({ owner, tenant } = databases);
  service = new ApiKeysService(tenant, new ApiKeysRepository(tenant), new AuditService(tenant));
  await owner.query(`INSERT INTO organization (id, name) VALUES ($1, 'A'), ($2, 'B')`, [orgA, orgB]);
  await owner.query(`INSERT INTO user_account (id, email, name, password_hash, current_org_id) VALUES ($1, 'owner@a.test', 'Owner', 'x', $2)`, [userId, orgA]);
  for (let index = 0; index < 11; index++) keysOfA.push(await insertKey(orgA, index));
  keyOfB = await insertKey(orgB, 0);
});

afterAll(async () => {
  await databases?.close();
});

/** The entity read GET api-keys made before, inside a transaction, with the service's view of a key. */
async function entityPage(orgId: string, limit: number, cursor?: string): Promise<string> {
  const rows = await tenant.inOrg(orgId, (db) => {
    const query = db.createQueryBuilder(ApiKey, 'key').where('key.orgId = :orgId', { orgId }).orderBy('key.id', 'DESC').take(limit + 1);
    if (cursor) query.andWhere('key.id < :cursor', { cursor });
    return query.getMany();
  });
  const view = (key: ApiKey) => ({ id: key.id, name: key.name, prefix: key.prefix, createdAt: key.createdAt, lastUsedAt: key.lastUsedAt, createdByUserId: key.createdByUserId });
  return JSON.stringify(toPage(rows, limit, (row) => row.id, view));
}

describe('ApiKeysService.list (GET api-keys)', () => {
  it('answers what the entity read answered, page by page with the same cursor, in one round trip each', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let pages = 0; pages < 10; pages++) {
      const expected = await entityPage(orgA, 4, cursor);
      const page = await inOneRoundTrip(tenant, () => service.list(auth(orgA), 4, cursor));
      expect(JSON.stringify(page)).toBe(expected);
      seen.push(...page.items.map((key) => key.id));
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    expect(seen).toEqual([...keysOfA].reverse());
    const [newest] = (await service.list(auth(orgA), 1)).items;
    expect(JSON.parse(JSON.stringify(newest))).toEqual({
      id: keysOfA[10],
      name: 'key 10 "ü"',
      prefix: 'lf_xxxxxx10',
      createdAt: '2030-01-01T09:00:10.123Z',
      lastUsedAt: '2030-01-03T10:00:10.987Z',
      createdByUserId: userId,
    });
  });

  it('never shows a key hash, nor the keys of another org', async () => {
    const page = await service.list(auth(orgA), 200);
    expect(page.items).toHaveLength(keysOfA.length);
    expect(JSON.stringify(page)).not.toMatch(/keyHash|key_hash|orgId/);
    expect(JSON.stringify(page)).not.toContain(sha256(`secret-${orgA}-0`));
    expect(page.items.map((key) => key.id)).not.toContain(keyOfB);
    expect((await service.list(auth(orgB), 200)).items.map((key) => key.id)).toEqual([keyOfB]);
  });
});
