import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { describe, expect, inject, it } from 'vitest';
import { MIGRATIONS } from '../../migrations';
import { API_ENTRY, freePort, startProcess, waitForStatus } from '../support/processes';
import { TEST_SECRETS } from '../support/test-app';
import { createEmptyDatabase } from '../support/test-postgres';

describe('several API processes starting together', () => {
  it('migrate the database exactly once, all become ready, and all shut down cleanly', async () => {
    const database = await createEmptyDatabase(inject('databaseAdminUrl'));
    const dataDir = await mkdtemp(join(tmpdir(), 'leadforge-concurrent-'));
    const ports = [await freePort(), await freePort()];
    const processes = ports.map((port) =>
      startProcess(API_ENTRY, {
        NODE_ENV: 'test',
        PORT: String(port),
        HOST: '127.0.0.1',
        DATABASE_URL: database.url,
        DATA_DIR: dataDir,
        LOG_LEVEL: 'info',
        ADMIN_DIST_DIR: join(dataDir, 'no-admin'),
        ...TEST_SECRETS,
      }),
    );
    try {
      await Promise.all(ports.map((port) => waitForStatus(`http://127.0.0.1:${port}/api/v1/health/ready`, 200, 45_000)));

      const client = new Client({ connectionString: database.url });
      await client.connect();
      const applied = await client.query('SELECT name FROM schema_migrations');
      await client.end();
      expect(applied.rowCount).toBe(MIGRATIONS.length);

      const migrators = processes.filter((running) => running.output().includes('"msg":"migrations applied"'));
      expect(migrators).toHaveLength(1);
      for (const running of processes) expect(running.output()).not.toMatch(/"level":(50|60)/);

      const codes = await Promise.all(processes.map((running) => running.stop('SIGTERM')));
      expect(codes).toEqual([0, 0]);
    } finally {
      await Promise.all(processes.map((running) => running.stop('SIGKILL')));
      await database.drop();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
