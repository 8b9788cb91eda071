import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, problemOf, type Session } from '../support/api-client';
import { expectLedgerInvariant, ownerClient } from '../support/ledger';
import { startTestApp, type TestApp } from '../support/test-app';

let testApp: TestApp;
let api: ApiClient;
let admin: Session;
let customer: Session;

beforeAll(async () => {
  testApp = await startTestApp({ WORKERS_IN_PROCESS: 'false', DEFAULT_CREDITS: '100' });
  api = new ApiClient(testApp.baseUrl);
  await api.register('root@admin.test', 'Ada Admin', 'Platform');
  await api.register('buyer@customer.test', 'Carl Customer', 'Customer Co');
  const client = await ownerClient(testApp.databaseUrl);
  await client.query(`UPDATE user_account SET is_platform_admin = true WHERE email = 'root@admin.test'`);
  await client.end();
  admin = await api.login('root@admin.test');
  customer = await api.login('buyer@customer.test');
});

afterEach(async () => {
  await expectLedgerInvariant(testApp.databaseUrl);
});

afterAll(async () => {
  await testApp?.close();
});

describe('POST admin/orgs/:id/credits', () => {
  it('adds and takes credits with a reason, in the ledger and the audit log', async () => {
    const orgId = customer.user.organization.id;
    const added = await api.json<{ balance: number }>('POST', `admin/orgs/${orgId}/credits`, 200, { token: admin.accessToken, body: { delta: 500, reason: 'Goodwill credit' } });
    expect(added.balance).toBe(600);
    const taken = await api.json<{ balance: number }>('POST', `admin/orgs/${orgId}/credits`, 200, { token: admin.accessToken, body: { delta: -50, reason: 'Correction' } });
    expect(taken.balance).toBe(550);

    const ledger = await api.json<{ balance: number; items: Array<{ delta: number; reason: string }> }>('GET', 'payments/credits', 200, { token: customer.accessToken });
    expect(ledger.balance).toBe(550);
    expect(ledger.items.filter((item) => item.reason === 'admin_adjustment').map((item) => item.delta).sort((a, b) => a - b)).toEqual([-50, 500]);

    const client = await ownerClient(testApp.databaseUrl);
    try {
      const audit = await client.query(`SELECT actor_user_id, metadata FROM audit_log WHERE org_id = $1 AND action = 'admin.credits_adjusted' ORDER BY id`, [orgId]);
      expect(audit.rows.map((row) => row.metadata.delta)).toEqual([500, -50]);
      expect(audit.rows[0].actor_user_id).toBe(admin.user.id);
    } finally {
      await client.end();
    }
  });

  it('refuses a debit larger than the balance with 402 and changes nothing', async () => {
    const response = await api.request('POST', `admin/orgs/${customer.user.organization.id}/credits`, { token: admin.accessToken, body: { delta: -1_000_000, reason: 'Too much' } });
    expect(response.status).toBe(402);
    expect((await problemOf(response)).code).toBe('insufficient_credits');
  });

  it('is for platform administrators only, validates the body, and 404s an unknown organization', async () => {
    const orgId = customer.user.organization.id;
    expect((await api.request('POST', `admin/orgs/${orgId}/credits`, { token: customer.accessToken, body: { delta: 10, reason: 'Self-service' } })).status).toBe(403);
    for (const body of [{ delta: 0, reason: 'Nothing' }, { delta: 1.5, reason: 'Half' }, { delta: 10 }, { delta: 10, reason: 'x' }, { delta: 10, reason: 'ok reason', extra: true }]) {
      const response = await api.request('POST', `admin/orgs/${orgId}/credits`, { token: admin.accessToken, body });
      expect(response.status, JSON.stringify(body)).toBe(400);
    }
    const missing = await api.request('POST', 'admin/orgs/01a20000-0000-7000-8000-000000000000/credits', { token: admin.accessToken, body: { delta: 10, reason: 'No such org' } });
    expect(missing.status).toBe(404);
  });
});
