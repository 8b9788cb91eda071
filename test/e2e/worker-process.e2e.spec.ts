import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { startProcess, WORKER_ENTRY } from '../support/processes';
import { TEST_SECRETS } from '../support/test-app';
import { createTestDatabase } from '../support/test-postgres';

async function waitForOutput(read: () => string, pattern: RegExp, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!pattern.test(read())) {
    if (Date.now() > deadline) throw new Error(`no ${pattern} within ${timeoutMs} ms:\n${read()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('worker process', () => {
  it('starts against the shared database, subscribes the job handlers, and stops cleanly on SIGTERM', async () => {
    const database = await createTestDatabase(inject('databaseAdminUrl'), inject('templateDatabase'));
    const dataDir = await mkdtemp(join(tmpdir(), 'leadforge-worker-'));
    const worker = startProcess(WORKER_ENTRY, { NODE_ENV: 'test', DATABASE_URL: database.url, DATA_DIR: dataDir, LOG_LEVEL: 'info', ...TEST_SECRETS });
    try {
      await waitForOutput(worker.output, /"msg":"worker started"/, 30_000);
      expect(worker.output()).toContain('working maintenance.rate-limits');
      expect(await worker.stop('SIGTERM')).toBe(0);
    } finally {
      await worker.stop('SIGKILL');
      await database.drop();
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('refuses to start without DATABASE_URL and says why', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'leadforge-worker-'));
    const worker = startProcess(WORKER_ENTRY, { NODE_ENV: 'development', DATA_DIR: dataDir });
    try {
      expect(await worker.exited(20_000)).toBe(1);
      expect(worker.output()).toContain('DATABASE_URL is required');
    } finally {
      await worker.stop('SIGKILL');
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
