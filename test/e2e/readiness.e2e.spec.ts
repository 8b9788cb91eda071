import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { databaseUrl } from '../support/test-postgres';
import { startTestApp, type TestApp } from '../support/test-app';

let testApp: TestApp;

beforeAll(async () => {
  testApp = await startTestApp();
});

afterAll(async () => {
  await testApp?.close();
});

describe('readiness when the database goes away', () => {
  it('turns to 503 problem+json naming the failed check, quickly and without internals', async () => {
    expect((await fetch(`${testApp.baseUrl}/api/v1/health/ready`)).status).toBe(200);

    const name = new URL(testApp.databaseUrl).pathname.slice(1);
    const admin = new Client({ connectionString: databaseUrl(inject('databaseAdminUrl'), 'postgres') });
    await admin.connect();
    await admin.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS false`);
    await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [name]);
    try {
      const started = Date.now();
      const response = await fetch(`${testApp.baseUrl}/api/v1/health/ready`);
      const elapsed = Date.now() - started;
      expect(response.status).toBe(503);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
      const body = (await response.json()) as { code: string; checks: Record<string, string>; requestId: string };
      expect(body.code).toBe('not_ready');
      expect(body.checks.database).toBe('down');
      expect(JSON.stringify(body)).not.toMatch(/terminat|ECONN|postgres|does not allow/i);
      expect(elapsed).toBeLessThan(10_000);

      expect((await fetch(`${testApp.baseUrl}/api/v1/health/live`)).status).toBe(200);
    } finally {
      await admin.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`);
      await admin.end();
    }

    let recovered = false;
    for (let attempt = 0; attempt < 50 && !recovered; attempt += 1) {
      recovered = (await fetch(`${testApp.baseUrl}/api/v1/health/ready`)).status === 200;
      if (!recovered) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(recovered, 'readiness did not recover after the database came back').toBe(true);
  });
});
