import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DataSource } from 'typeorm';
import { createTestDatabase, runtimeUrl } from '../../../../test/support/test-postgres';
import { newId } from '../common/ids';
import { buildDataSourceOptions } from '../database/data-source-options';
import { TenantDatabase } from '../database/tenant-database';
import { SessionsRepository } from './sessions.repository';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let dataSource: DataSource;
let tenant: TenantDatabase;
const sessions = new SessionsRepository();
const userId = newId();
const client = { ip: '192.0.2.7', userAgent: 'curl/8.5.0' };
const day = 24 * 60 * 60_000;

beforeAll(async () => {
  database = await createTestDatabase(inject('databaseAdminUrl'), inject('templateDatabase'));
  dataSource = new DataSource(buildDataSourceOptions({ url: runtimeUrl(database.url, inject('runtimeRolePassword')), poolSize: 2 }));
  await dataSource.initialize();
  tenant = new TenantDatabase(dataSource);
  await dataSource.query(`INSERT INTO user_account (id, email, name, password_hash) VALUES ($1, 'sessions@example.com', 'S', 'x')`, [userId]);
});

afterAll(async () => {
  await dataSource?.destroy();
  await database?.drop();
});

describe('SessionsRepository', () => {
  it('keeps one refresh-token family per session and finds a token only by its exact value', async () => {
    const session = await tenant.run({}, (db) => sessions.createSession(db, userId, client, new Date(Date.now() + day)));
    await tenant.run({}, (db) => sessions.addRefreshToken(db, session.id, 'first-token-value'));
    const found = await tenant.run({}, (db) => sessions.lockRefreshToken(db, 'first-token-value'));
    expect(found).toMatchObject({ sessionId: session.id, userId, rotatedAt: null, revokedAt: null });
    expect(await tenant.run({}, (db) => sessions.lockRefreshToken(db, 'first-token-valuE'))).toBeUndefined();
    const stored = (await dataSource.query(`SELECT token_hash FROM refresh_token`)) as Array<{ token_hash: string }>;
    expect(stored[0]!.token_hash).not.toContain('first-token-value');
  });

  it('issues single-use tokens that replace earlier unused ones of the same purpose', async () => {
    await tenant.run({}, (db) => sessions.issueUserToken(db, userId, 'reset_password', 'reset-one-0123456789', 60_000));
    await tenant.run({}, (db) => sessions.issueUserToken(db, userId, 'reset_password', 'reset-two-0123456789', 60_000));
    expect(await tenant.run({}, (db) => sessions.findUsableUserToken(db, 'reset_password', 'reset-one-0123456789'))).toBeUndefined();
    const usable = await tenant.run({}, (db) => sessions.findUsableUserToken(db, 'reset_password', 'reset-two-0123456789'));
    expect(usable?.userId).toBe(userId);
    expect(await tenant.run({}, (db) => sessions.findUsableUserToken(db, 'verify_email', 'reset-two-0123456789'))).toBeUndefined();
    await tenant.run({}, (db) => sessions.consumeUserToken(db, usable!.id));
    expect(await tenant.run({}, (db) => sessions.findUsableUserToken(db, 'reset_password', 'reset-two-0123456789'))).toBeUndefined();
    await tenant.run({}, (db) => sessions.issueUserToken(db, userId, 'verify_email', 'expired-0123456789', -1_000));
    expect(await tenant.run({}, (db) => sessions.findUsableUserToken(db, 'verify_email', 'expired-0123456789'))).toBeUndefined();
  });

  it('purges sessions ended more than a week ago, with their tokens, and keeps the rest', async () => {
    const live = await tenant.run({}, (db) => sessions.createSession(db, userId, client, new Date(Date.now() + day)));
    const expiredLongAgo = await tenant.run({}, (db) => sessions.createSession(db, userId, client, new Date(Date.now() - 8 * day)));
    const revokedLongAgo = await tenant.run({}, (db) => sessions.createSession(db, userId, client, new Date(Date.now() + day)));
    const revokedRecently = await tenant.run({}, (db) => sessions.createSession(db, userId, client, new Date(Date.now() + day)));
    await dataSource.query(`UPDATE auth_session SET revoked_at = now() - interval '8 days' WHERE id = $1`, [revokedLongAgo.id]);
    await tenant.run({}, (db) => sessions.revokeSession(db, userId, revokedRecently.id, 'test'));
    await tenant.run({}, (db) => sessions.addRefreshToken(db, expiredLongAgo.id, 'old-token-value'));
    await dataSource.query(`UPDATE auth_token SET expires_at = now() - interval '8 days' WHERE used_at IS NOT NULL`);

    await tenant.run({}, (db) => sessions.purgeExpired(db));

    const remaining = ((await dataSource.query(`SELECT id FROM auth_session`)) as Array<{ id: string }>).map((row) => row.id);
    expect(remaining).toContain(live.id);
    expect(remaining).toContain(revokedRecently.id);
    expect(remaining).not.toContain(expiredLongAgo.id);
    expect(remaining).not.toContain(revokedLongAgo.id);
    expect(await tenant.run({}, (db) => sessions.lockRefreshToken(db, 'old-token-value'))).toBeUndefined();
    expect(((await dataSource.query(`SELECT count(*)::int AS count FROM auth_token WHERE used_at IS NOT NULL`)) as Array<{ count: number }>)[0]!.count).toBe(0);
  });

  it('lists live sessions newest first, page by page', async () => {
    const all = await tenant.run({}, (db) => sessions.listActiveSessions(db, userId, 50));
    expect(all.length).toBe(2);
    expect(all.map((session) => session.id)).toEqual([...all.map((session) => session.id)].sort().reverse());
    const first = await tenant.run({}, (db) => sessions.listActiveSessions(db, userId, 1));
    expect(first).toHaveLength(2);
    const next = await tenant.run({}, (db) => sessions.listActiveSessions(db, userId, 1, first[0]!.id));
    expect(next[0]!.id).toBe(all[1]!.id);
  });
});
