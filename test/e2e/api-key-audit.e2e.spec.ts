import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../support/api-client';
import { ownerClient } from '../support/ledger';
import { startTestApp, type TestApp } from '../support/test-app';

let testApp: TestApp;

beforeAll(async () => {
  testApp = await startTestApp({ WORKERS_IN_PROCESS: 'false' });
});

afterAll(async () => {
  await testApp?.close();
});

describe('API key use in the audit log', () => {
  it("records a key's use once per hour of activity, not per request", async () => {
    const api = new ApiClient(testApp.baseUrl);
    await api.register('keys@audit.test', 'Kim Keys', 'Keys Co');
    const owner = await api.login('keys@audit.test');
    const key = await api.json<{ id: string; secret: string }>('POST', 'api-keys', 201, { token: owner.accessToken, body: { name: 'Partner' } });
    for (let request = 0; request < 3; request += 1) await api.json('GET', 'tasks', 200, { apiKey: key.secret });

    const client = await ownerClient(testApp.databaseUrl);
    try {
      const rows = await client.query(`SELECT actor_api_key_id, target_id FROM audit_log WHERE action = 'api_key.used' AND org_id = $1`, [owner.user.organization.id]);
      expect(rows.rows).toEqual([{ actor_api_key_id: key.id, target_id: key.id }]);
    } finally {
      await client.end();
    }
  });
});
