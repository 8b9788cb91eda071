import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, problemOf, type Session, STRONG_PASSWORD } from '../support/api-client';
import { linkToken, type Mailbox, startMailbox } from '../support/mailbox';
import { startTestApp, type TestApp } from '../support/test-app';

let testApp: TestApp;
let mailbox: Mailbox;
let api: ApiClient;
let alice: Session;

beforeAll(async () => {
  mailbox = await startMailbox();
  testApp = await startTestApp({ MAIL_URL: mailbox.url });
  api = new ApiClient(testApp.baseUrl);
  // Every test of this file shares one app: mind the login budget per client IP (10 a minute).
  await api.register('alice@acme.test', 'Alice Anders', 'Acme');
  alice = await api.login('alice@acme.test');
});

afterAll(async () => {
  await testApp?.close();
  await mailbox?.close();
});

async function ownerQuery<T extends Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: testApp.databaseOwnerUrl });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

/** Invites `email` to Alice's org and returns the token of the mailed link. */
async function invite(email: string, role: 'admin' | 'member'): Promise<string> {
  const invitation = await api.json<{ id: string; email: string; role: string; expiresAt: string }>('POST', 'orgs/current/invitations', 201, {
    token: alice.accessToken,
    body: { email, role },
  });
  expect(invitation).toMatchObject({ email, role });
  expect(Date.parse(invitation.expiresAt) - Date.now()).toBeGreaterThan(6 * 24 * 3600 * 1000);
  const mail = await mailbox.waitFor((message) => message.to.includes(email) && /invited you to Acme/.test(message.subject));
  expect(mail.body).toContain('Alice Anders invited you to join Acme');
  return linkToken(mail, 'accept-invitation');
}

/** Registers, accepts the invitation and refreshes into Alice's org. */
async function join(email: string, name: string, token: string): Promise<Session> {
  await api.register(email, name);
  const session = await api.login(email);
  const accepted = await api.json<{ id: string; role: string }>('POST', 'orgs/invitations/accept', 200, { token: session.accessToken, body: { token } });
  expect(accepted.id).toBe(alice.user.organization.id);
  const refreshed = await api.refresh(session);
  expect(refreshed.user.organization.id).toBe(alice.user.organization.id);
  return refreshed;
}

describe('organizations', () => {
  let bob: Session;
  let carol: Session;

  it('shows and renames the current organization (owners and admins only)', async () => {
    expect(await api.json('GET', 'orgs/current', 200, { token: alice.accessToken })).toMatchObject({ id: alice.user.organization.id, name: 'Acme', role: 'owner' });
    expect(await api.json('PATCH', 'orgs/current', 200, { token: alice.accessToken, body: { name: 'Acme' } })).toMatchObject({ name: 'Acme' });
  });

  it('invites by email; only the invited address can accept, once', async () => {
    const bobToken = await invite('bob@acme.test', 'admin');
    const carolToken = await invite('carol@acme.test', 'member');
    const pending = await api.json<{ items: Array<{ email: string }> }>('GET', 'orgs/current/invitations', 200, { token: alice.accessToken });
    expect(pending.items.map((item) => item.email).sort()).toEqual(['bob@acme.test', 'carol@acme.test']);

    await api.register('mallory@elsewhere.test', 'Mallory');
    const mallory = await api.login('mallory@elsewhere.test');
    expect((await problemOf(await api.request('POST', 'orgs/invitations/accept', { token: mallory.accessToken, body: { token: bobToken } }))).code).toBe(
      'invitation_email_mismatch',
    );

    bob = await join('bob@acme.test', 'Bob Brown', bobToken);
    expect(bob.user.organization).toMatchObject({ name: 'Acme', role: 'admin' });
    expect((await problemOf(await api.request('POST', 'orgs/invitations/accept', { token: bob.accessToken, body: { token: bobToken } }))).code).toBe('invalid_or_expired_token');
    carol = await join('carol@acme.test', 'Carol Clark', carolToken);
    expect(carol.user.organization.role).toBe('member');

    const members = await api.json<{ items: Array<{ email: string; role: string }> }>('GET', 'orgs/current/members', 200, { token: carol.accessToken });
    expect(members.items.map((member) => `${member.email}:${member.role}`).sort()).toEqual(['alice@acme.test:owner', 'bob@acme.test:admin', 'carol@acme.test:member']);
    expect((await api.json<{ items: unknown[] }>('GET', 'orgs/current/invitations', 200, { token: alice.accessToken })).items).toEqual([]);
    expect((await problemOf(await api.request('POST', 'orgs/current/invitations', { token: alice.accessToken, body: { email: 'bob@acme.test', role: 'member' } }))).code).toBe(
      'already_member',
    );
    expect((await problemOf(await api.request('POST', 'orgs/current/invitations', { token: carol.accessToken, body: { email: 'x@acme.test', role: 'member' } }))).code).toBe(
      'role_required',
    );
  });

  it("holds members and pending invitations to the plan's seats", async () => {
    const orgId = alice.user.organization.id;
    const setPlan = (plan: string) => ownerQuery(`UPDATE credit_account SET plan = $2 WHERE org_id = $1 RETURNING plan`, [orgId, plan]);
    await api.json('GET', 'payments/credits', 200, { token: alice.accessToken });
    const full = await problemOf(await api.request('POST', 'orgs/current/invitations', { token: alice.accessToken, body: { email: 'dan@acme.test', role: 'member' } }));
    expect(full).toMatchObject({ status: 409, code: 'seat_limit_reached', seats: 3, plan: 'free' });

    await setPlan('pro');
    const ginaToken = await invite('gina@acme.test', 'member');
    await setPlan('free');
    await api.register('gina@acme.test', 'Gina Gray');
    const gina = await api.login('gina@acme.test');
    const downgraded = await problemOf(await api.request('POST', 'orgs/invitations/accept', { token: gina.accessToken, body: { token: ginaToken } }));
    expect(downgraded).toMatchObject({ status: 409, code: 'seat_limit_reached' });
    const members = await api.json<{ items: unknown[] }>('GET', 'orgs/current/members', 200, { token: alice.accessToken });
    expect(members.items).toHaveLength(3);

    await setPlan('pro');
    const pending = await api.json<{ items: Array<{ id: string; email: string }> }>('GET', 'orgs/current/invitations', 200, { token: alice.accessToken });
    const ginaInvitation = pending.items.find((item) => item.email === 'gina@acme.test')!;
    await api.json('DELETE', `orgs/current/invitations/${ginaInvitation.id}`, 204, { token: alice.accessToken });
  });

  it('withdraws a pending invitation', async () => {
    const token = await invite('dan@acme.test', 'member');
    const pending = await api.json<{ items: Array<{ id: string }> }>('GET', 'orgs/current/invitations', 200, { token: alice.accessToken });
    await api.json('DELETE', `orgs/current/invitations/${pending.items[0]!.id}`, 204, { token: alice.accessToken });
    await api.register('dan@acme.test', 'Dan Dunn');
    const dan = await api.login('dan@acme.test');
    expect((await api.request('POST', 'orgs/invitations/accept', { token: dan.accessToken, body: { token } })).status).toBe(400);
  });

  it('changes roles: admins manage members, only owners touch ownership, the last owner stays', async () => {
    expect((await problemOf(await api.request('PATCH', `orgs/current/members/${alice.user.id}`, { token: alice.accessToken, body: { role: 'admin' } }))).code).toBe('last_owner');
    expect((await problemOf(await api.request('PATCH', `orgs/current/members/${bob.user.id}`, { token: bob.accessToken, body: { role: 'owner' } }))).code).toBe('role_required');
    expect((await problemOf(await api.request('PATCH', `orgs/current/members/${alice.user.id}`, { token: bob.accessToken, body: { role: 'member' } }))).code).toBe('role_required');
    expect((await problemOf(await api.request('PATCH', `orgs/current/members/${bob.user.id}`, { token: carol.accessToken, body: { role: 'member' } }))).code).toBe('role_required');
    expect((await problemOf(await api.request('PATCH', `orgs/current/members/${carol.user.id}`, { token: bob.accessToken, body: { role: 'superuser' } }))).code).toBe('validation_failed');

    expect(await api.json('PATCH', `orgs/current/members/${carol.user.id}`, 200, { token: bob.accessToken, body: { role: 'admin' } })).toMatchObject({ role: 'admin' });
    // The new role applies to the next request, without a new token.
    await api.json('PATCH', 'orgs/current', 200, { token: carol.accessToken, body: { name: 'Acme' } });
    expect(await api.json('PATCH', `orgs/current/members/${carol.user.id}`, 200, { token: bob.accessToken, body: { role: 'member' } })).toMatchObject({ role: 'member' });
    expect((await api.request('PATCH', 'orgs/current', { token: carol.accessToken, body: { name: 'Acme' } })).status).toBe(403);

    const changes = await ownerQuery<{ target_id: string; metadata: { from: string; to: string } }>(
      `SELECT target_id, metadata FROM audit_log WHERE action = 'org.member.role_changed' ORDER BY id`,
    );
    expect(changes).toEqual([
      { target_id: carol.user.id, metadata: { from: 'member', to: 'admin' } },
      { target_id: carol.user.id, metadata: { from: 'admin', to: 'member' } },
    ]);
  });

  it('removes members; a member may leave; a removed member falls back to an org of their own', async () => {
    const erin = await join('erin@acme.test', 'Erin Ek', await invite('erin@acme.test', 'member'));
    expect((await problemOf(await api.request('DELETE', `orgs/current/members/${carol.user.id}`, { token: erin.accessToken }))).code).toBe('role_required');
    expect((await problemOf(await api.request('DELETE', `orgs/current/members/${alice.user.id}`, { token: bob.accessToken }))).code).toBe('role_required');

    await api.json('DELETE', `orgs/current/members/${erin.user.id}`, 204, { token: erin.accessToken });
    await api.json('DELETE', `orgs/current/members/${carol.user.id}`, 204, { token: bob.accessToken });
    expect((await problemOf(await api.request('GET', 'orgs/current', { token: carol.accessToken }))).code).toBe('invalid_token');
    const fallback = await api.refresh(carol);
    expect(fallback.user.organization.id).not.toBe(alice.user.organization.id);
    expect(fallback.user.organization.role).toBe('owner');
    expect((await api.request('DELETE', `orgs/current/members/${carol.user.id}`, { token: bob.accessToken })).status).toBe(404);
  });
});

describe('account deletion', () => {
  it('needs the password, and the last owner of an org with other members must hand over first', async () => {
    expect((await problemOf(await api.request('DELETE', 'auth/me', { token: alice.accessToken, body: { password: 'not-my-Password-1' } }))).code).toBe('wrong_password');
    const blocked = await api.request('DELETE', 'auth/me', { token: alice.accessToken, body: { password: STRONG_PASSWORD } });
    expect(blocked.status).toBe(409);
    const problem = await problemOf(blocked);
    expect(problem.code).toBe('last_owner');
    expect(problem.organizations).toEqual([alice.user.organization.id]);
    await api.json('GET', 'auth/me', 200, { token: alice.accessToken });
  });

  it('removes the personal data and the orgs the user was alone in; the audit log keeps the events without the PII', async () => {
    const frank = await join('frank@acme.test', 'Frank Fischer-Unique', await invite('frank@acme.test', 'member'));
    const ownOrg = (await ownerQuery<{ org_id: string }>(`SELECT org_id FROM membership m JOIN user_account u ON u.id = m.user_id WHERE u.email = 'frank@acme.test' AND org_id <> $1`, [alice.user.organization.id]))[0]!.org_id;
    await api.request('POST', 'auth/login', { body: { email: 'frank@acme.test', password: 'wrong-Password-55' } });
    expect((await ownerQuery(`SELECT 1 FROM audit_log WHERE actor_user_id = $1 AND ip IS NOT NULL`, [frank.user.id])).length).toBeGreaterThan(0);

    await api.json('DELETE', 'auth/me', 204, { token: frank.accessToken, body: { password: STRONG_PASSWORD } });

    expect((await api.request('GET', 'auth/me', { token: frank.accessToken })).status).toBe(401);
    expect((await api.request('POST', 'auth/login', { body: { email: 'frank@acme.test', password: STRONG_PASSWORD } })).status).toBe(401);
    expect(await ownerQuery(`SELECT 1 FROM user_account WHERE id = $1 OR email = 'frank@acme.test'`, [frank.user.id])).toEqual([]);
    expect(await ownerQuery(`SELECT 1 FROM membership WHERE user_id = $1`, [frank.user.id])).toEqual([]);
    expect(await ownerQuery(`SELECT 1 FROM auth_session WHERE user_id = $1`, [frank.user.id])).toEqual([]);
    expect(await ownerQuery(`SELECT 1 FROM auth_token WHERE user_id = $1`, [frank.user.id])).toEqual([]);
    expect(await ownerQuery(`SELECT 1 FROM organization WHERE id = $1`, [ownOrg])).toEqual([]);
    const members = await api.json<{ items: Array<{ email: string }> }>('GET', 'orgs/current/members', 200, { token: alice.accessToken });
    expect(members.items.map((member) => member.email)).not.toContain('frank@acme.test');

    const events = await ownerQuery<{ action: string; org_id: string | null; ip: string | null; user_agent: string | null }>(
      `SELECT action, org_id, ip, user_agent FROM audit_log WHERE actor_user_id = $1 OR target_id = $1::text ORDER BY id`,
      [frank.user.id],
    );
    const actions = events.map((event) => event.action);
    expect(actions).toEqual(expect.arrayContaining(['user.registered', 'auth.login.succeeded', 'auth.login.failed', 'org.invitation.accepted', 'org.deleted', 'user.deleted']));
    expect(events.filter((event) => event.action === 'user.deleted').map((event) => event.org_id).sort()).toEqual([alice.user.organization.id, null].sort());
    for (const event of events) {
      expect(event.ip).toBeNull();
      expect(event.user_agent).toBeNull();
    }
    const everything = JSON.stringify(await ownerQuery(`SELECT * FROM audit_log`));
    expect(everything).not.toContain('frank@acme.test');
    expect(everything).not.toContain('Fischer-Unique');
  });
});
