import { DataSource } from 'typeorm';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { createTestDatabase, runtimeUrl } from '../../../../test/support/test-postgres';
import { AuditService } from '../audit/audit.service';
import { SessionsRepository } from '../auth/sessions.repository';
import type { AuthContext } from '../common/auth/auth-context';
import { AppError } from '../common/errors/app-error';
import { newId } from '../common/ids';
import { buildDataSourceOptions } from '../database/data-source-options';
import { TenantDatabase } from '../database/tenant-database';
import { AdminRepository } from './admin.repository';
import { AdminUsersService } from './admin-users.service';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let runtime: DataSource;
let owner: DataSource;
let service: AdminUsersService;
const client = { ip: '203.0.113.9', userAgent: 'spec' };
const [rootId, otherId, orgId] = [newId(), newId(), newId()];

const asAdmin = (userId: string): AuthContext => ({ via: 'jwt', userId, orgId, role: 'owner', sessionId: newId(), apiKeyId: null, isPlatformAdmin: true });

async function codeOf(work: Promise<unknown>): Promise<string> {
  const error = await work.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(AppError);
  return (error as AppError).code;
}

beforeAll(async () => {
  database = await createTestDatabase(inject('databaseAdminUrl'), inject('templateDatabase'));
  runtime = new DataSource(buildDataSourceOptions({ url: runtimeUrl(database.url, inject('runtimeRolePassword')), poolSize: 2 }));
  owner = new DataSource(buildDataSourceOptions({ url: database.url, poolSize: 1 }));
  await runtime.initialize();
  await owner.initialize();
  const tenant = new TenantDatabase(runtime);
  service = new AdminUsersService(tenant, new AdminRepository(), new SessionsRepository(), new AuditService(tenant));
  await owner.query(`INSERT INTO organization (id, name) VALUES ($1, 'HQ')`, [orgId]);
  for (const [id, email] of [
    [rootId, 'root@hq.test'],
    [otherId, 'other@hq.test'],
  ]) {
    await owner.query(`INSERT INTO user_account (id, email, name, password_hash, current_org_id) VALUES ($1, $2, 'x', 'x', $3)`, [id, email, orgId]);
  }
});

beforeEach(async () => {
  await owner.query(`UPDATE user_account SET is_platform_admin = (id = $1), suspended_at = NULL`, [rootId]);
});

afterAll(async () => {
  await runtime?.destroy();
  await owner?.destroy();
  await database?.drop();
});

describe('AdminUsersService.update', () => {
  it('never removes the last active platform administrator, even for a caller whose own rights ended meanwhile', async () => {
    // The caller passed the guard as an administrator and was demoted before this change ran.
    expect(await codeOf(service.update(asAdmin(otherId), rootId, { isPlatformAdmin: false }, client))).toBe('last_platform_admin');
    expect(await codeOf(service.update(asAdmin(otherId), rootId, { suspended: true }, client))).toBe('last_platform_admin');
    expect(await owner.query(`SELECT is_platform_admin, suspended_at FROM user_account WHERE id = $1`, [rootId])).toEqual([{ is_platform_admin: true, suspended_at: null }]);
  });

  it('counts a suspended administrator as gone', async () => {
    await service.update(asAdmin(rootId), otherId, { isPlatformAdmin: true }, client);
    await service.update(asAdmin(rootId), otherId, { suspended: true }, client);
    expect(await codeOf(service.update(asAdmin(otherId), rootId, { isPlatformAdmin: false }, client))).toBe('last_platform_admin');
    await service.update(asAdmin(rootId), otherId, { suspended: false }, client);
    const demoted = await service.update(asAdmin(otherId), rootId, { isPlatformAdmin: false }, client);
    expect(demoted).toMatchObject({ id: rootId, isPlatformAdmin: false, suspended: false });
  });

  it('revokes every live session of a suspended user in the same transaction', async () => {
    for (let index = 0; index < 3; index++) {
      await owner.query(`INSERT INTO auth_session (id, user_id, expires_at) VALUES ($1, $2, now() + interval '1 day')`, [newId(), otherId]);
    }
    const suspended = await service.update(asAdmin(rootId), otherId, { suspended: true }, client);
    expect(suspended.suspended).toBe(true);
    const sessions = (await owner.query(`SELECT revoked_reason FROM auth_session WHERE user_id = $1 AND revoked_at IS NOT NULL`, [otherId])) as Array<{ revoked_reason: string }>;
    expect(sessions.filter((session) => session.revoked_reason === 'suspended')).toHaveLength(3);
    const [audit] = (await owner.query(`SELECT org_id, actor_user_id, ip, metadata FROM audit_log WHERE target_id = $1 AND action = 'admin.user.updated' ORDER BY id DESC LIMIT 1`, [
      otherId,
    ])) as Array<Record<string, unknown>>;
    expect(audit).toEqual({ org_id: orgId, actor_user_id: rootId, ip: '203.0.113.9', metadata: { suspended: true, sessionsRevoked: 3 } });
  });
});
