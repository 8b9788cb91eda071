import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../apps/api/src/common/ids';
import { webhookSecretBox } from '../../apps/api/src/webhooks/webhook-signing';
import { ApiClient, problemOf, type Session } from '../support/api-client';
import { startTestApp, type TestApp } from '../support/test-app';

/** The SSRF guard on (ALLOW_PRIVATE_TARGETS=false): at registration, and again at every delivery. */
let testApp: TestApp;
let api: ApiClient;
let owner: Session;

beforeAll(async () => {
  testApp = await startTestApp({ ALLOW_PRIVATE_TARGETS: 'false', WEBHOOK_RETRY_BASE_MS: '100' });
  api = new ApiClient(testApp.baseUrl);
  await api.register('owner@ssrf-hooks.test', 'Sam Owner', 'SSRF Co');
  owner = await api.login('owner@ssrf-hooks.test');
});

afterAll(async () => {
  await testApp?.close();
});

describe('webhook SSRF guard', () => {
  it.each([
    'http://127.0.0.1:8080/hook',
    'http://localhost/hook',
    'http://10.1.2.3/hook',
    'http://192.168.0.10/hook',
    'http://169.254.169.254/latest/meta-data',
    'http://[::1]/hook',
    'http://[::ffff:127.0.0.1]/hook',
    'http://0.0.0.0/hook',
  ])('refuses to register %s with a 422 problem', async (url) => {
    const response = await api.request('POST', 'webhooks', { token: owner.accessToken, body: { url, events: ['task.completed'] } });
    expect(response.status).toBe(422);
    const problem = await problemOf(response);
    expect(problem.code).toBe('webhook_url_not_allowed');
    expect(problem.errors).toEqual([expect.objectContaining({ field: 'url' })]);
  });

  it('refuses to move an endpoint to a private address', async () => {
    const database = new Client({ connectionString: testApp.databaseOwnerUrl });
    await database.connect();
    try {
      const id = newId();
      await database.query(`INSERT INTO webhook_endpoint (id, org_id, url, events, secret_sealed) VALUES ($1, $2, 'https://hooks.example.com/x', '{task.completed}', $3)`, [
        id,
        owner.user.organization.id,
        webhookSecretBox(testApp.config).seal('whsec_dGVzdHRlc3R0ZXN0dGVzdHRlc3R0ZXN0'),
      ]);
      const response = await api.request('PATCH', `webhooks/${id}`, { token: owner.accessToken, body: { url: 'http://127.0.0.1:9/x' } });
      expect(response.status).toBe(422);
      expect((await problemOf(response)).code).toBe('webhook_url_not_allowed');
    } finally {
      await database.end();
    }
  });

  it('checks again at delivery time: an endpoint that points at a private address (stored before the guard, or re-resolved) gets no request', async () => {
    const database = new Client({ connectionString: testApp.databaseOwnerUrl });
    await database.connect();
    try {
      const id = newId();
      await database.query(`INSERT INTO webhook_endpoint (id, org_id, url, events, secret_sealed) VALUES ($1, $2, 'http://127.0.0.1:9/private', '{task.completed}', $3)`, [
        id,
        owner.user.organization.id,
        webhookSecretBox(testApp.config).seal('whsec_dGVzdHRlc3R0ZXN0dGVzdHRlc3R0ZXN0'),
      ]);
      await api.json('POST', `webhooks/${id}/ping`, 202, { token: owner.accessToken });
      const deadline = Date.now() + 20_000;
      let delivery: { status: string; lastError: string | null; responseStatus: number | null } | undefined;
      while (Date.now() < deadline) {
        delivery = (await api.json<{ items: Array<{ status: string; lastError: string | null; responseStatus: number | null }> }>('GET', `webhooks/${id}/deliveries`, 200, { token: owner.accessToken })).items[0];
        if (delivery?.status !== 'pending') break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(delivery).toMatchObject({ status: 'failed', responseStatus: null });
      expect(delivery!.lastError).toMatch(/target not allowed \(loopback\)/);
    } finally {
      await database.end();
    }
  });
});
