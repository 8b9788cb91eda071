import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DataSource } from 'typeorm';
import { createTestDatabase, runtimeUrl } from '../../../../test/support/test-postgres';
import { AppError } from '../common/errors/app-error';
import { buildDataSourceOptions } from '../database/data-source-options';
import { createOrPromoteAdmin } from './platform-admins';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let runtime: DataSource;
let owner: DataSource;

beforeAll(async () => {
  database = await createTestDatabase(inject('databaseAdminUrl'), inject('templateDatabase'));
  runtime = new DataSource(buildDataSourceOptions({ url: runtimeUrl(database.url, inject('runtimeRolePassword')), poolSize: 2 }));
  owner = new DataSource(buildDataSourceOptions({ url: database.url, poolSize: 1 }));
  await runtime.initialize();
  await owner.initialize();
});

afterAll(async () => {
  await runtime?.destroy();
  await owner?.destroy();
  await database?.drop();
});

describe('createOrPromoteAdmin', () => {
  it('creates a verified admin with an org of its own, after checking the password', async () => {
    await expect(createOrPromoteAdmin(runtime, { email: 'root@example.com', password: async () => 'password123' })).rejects.toBeInstanceOf(AppError);
    const outcome = await createOrPromoteAdmin(runtime, { email: ' Root@Example.com ', name: 'Root', password: async () => 'amber-Lantern-92-quietly' });
    expect(outcome.kind).toBe('created');
    const [user] = (await owner.query(`SELECT email, is_platform_admin, email_verified_at IS NOT NULL AS verified, password_hash FROM user_account`)) as Array<Record<string, unknown>>;
    expect(user).toMatchObject({ email: 'root@example.com', is_platform_admin: true, verified: true });
    expect(String(user!.password_hash)).toMatch(/^\$argon2id\$/);
    const [membership] = (await owner.query(`SELECT role FROM membership`)) as Array<{ role: string }>;
    expect(membership!.role).toBe('owner');
  });

  it('promotes an existing account without touching its password, and says when nothing changes', async () => {
    await owner.query(`UPDATE user_account SET is_platform_admin = false`);
    const before = (await owner.query(`SELECT password_hash FROM user_account`)) as Array<{ password_hash: string }>;
    const asked: string[] = [];
    const outcome = await createOrPromoteAdmin(runtime, { email: 'root@example.com', password: async () => (asked.push('asked'), 'unused') });
    expect(outcome.kind).toBe('promoted');
    expect(asked).toEqual([]);
    expect(await owner.query(`SELECT password_hash, is_platform_admin FROM user_account`)).toEqual([{ password_hash: before[0]!.password_hash, is_platform_admin: true }]);
    expect((await createOrPromoteAdmin(runtime, { email: 'root@example.com' })).kind).toBe('already_admin');
    const audit = (await owner.query(`SELECT action FROM audit_log`)) as Array<{ action: string }>;
    expect(audit.map((row) => row.action)).toEqual(['admin.platform_admin_granted', 'admin.platform_admin_granted']);
  });

  it('needs a password for a new address', async () => {
    await expect(createOrPromoteAdmin(runtime, { email: 'new@example.com' })).rejects.toThrow(/password is needed/);
  });
});
