import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { PgBoss } from 'pg-boss';
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from '../../apps/api/src/database/embedded-postgres';
import { runMigrations } from '../../apps/api/src/database/migrator';
import { ensureRuntimeRole, RUNTIME_LOGIN_ROLE } from '../../apps/api/src/database/runtime-role';
import { QUEUE_SCHEMA } from '../../apps/api/src/queue/queue.service';

export interface TestPostgres {
  /** URL of the server's maintenance database, for CREATE/DROP DATABASE. */
  adminUrl: string;
  /** Migrated database that every test database is cloned from. */
  templateDatabase: string;
  /** Password of the app's runtime login role (not superuser, not owner, no BYPASSRLS). */
  runtimeRolePassword: string;
  stop(): Promise<void>;
}

export function databaseUrl(adminUrl: string, database: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/** The same database reached as the application's runtime role, as the app connects in production. */
export function runtimeUrl(databaseAdminUrl: string, runtimeRolePassword: string): string {
  const url = new URL(databaseAdminUrl);
  url.username = RUNTIME_LOGIN_ROLE;
  url.password = encodeURIComponent(runtimeRolePassword);
  return url.toString();
}

async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * The PostgreSQL server of a test run: DATABASE_URL's server when set, else an embedded cluster in
 * a temporary directory. Builds a migrated template (schema and queue tables) once per run.
 */
export async function startTestPostgres(): Promise<TestPostgres> {
  let embedded: EmbeddedPostgresHandle | undefined;
  let directory: string | undefined;
  let adminUrl: string;
  if (process.env.DATABASE_URL) {
    adminUrl = databaseUrl(process.env.DATABASE_URL, 'postgres');
  } else {
    directory = await mkdtemp(join(tmpdir(), 'leadforge-test-pg-'));
    embedded = await startEmbeddedPostgres({ directory, password: randomBytes(16).toString('hex'), database: 'postgres' });
    adminUrl = embedded.url;
  }

  const templateDatabase = `leadforge_template_${randomBytes(4).toString('hex')}`;
  await withClient(adminUrl, (client) => client.query(`CREATE DATABASE ${templateDatabase}`));
  const templateUrl = databaseUrl(adminUrl, templateDatabase);
  await runMigrations(templateUrl);
  // The queue schema belongs to the runtime role, as when the app creates it at its first start.
  const runtimeRolePassword = randomBytes(16).toString('hex');
  const templateRuntimeUrl = await ensureRuntimeRole({ adminUrl: templateUrl, password: runtimeRolePassword });
  const boss = new PgBoss({ connectionString: templateRuntimeUrl, schema: QUEUE_SCHEMA, supervise: false, schedule: false });
  await boss.start();
  await boss.stop({ graceful: false, close: true });

  return {
    adminUrl,
    templateDatabase,
    runtimeRolePassword,
    stop: async () => {
      await withClient(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${templateDatabase} WITH (FORCE)`)).catch(() => undefined);
      await embedded?.stop();
      if (directory) await rm(directory, { recursive: true, force: true });
    },
  };
}

/** A fresh database cloned from the migrated template; drop it when the test file is done. */
export async function createTestDatabase(adminUrl: string, templateDatabase: string): Promise<{ name: string; url: string; drop(): Promise<void> }> {
  const name = `leadforge_test_${randomBytes(6).toString('hex')}`;
  await withClient(adminUrl, (client) => client.query(`CREATE DATABASE ${name} TEMPLATE ${templateDatabase}`));
  return {
    name,
    url: databaseUrl(adminUrl, name),
    drop: () => withClient(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}

/** An empty database (no migrations), for tests of migrating itself. */
export async function createEmptyDatabase(adminUrl: string): Promise<{ name: string; url: string; drop(): Promise<void> }> {
  const name = `leadforge_empty_${randomBytes(6).toString('hex')}`;
  await withClient(adminUrl, (client) => client.query(`CREATE DATABASE ${name}`));
  return {
    name,
    url: databaseUrl(adminUrl, name),
    drop: () => withClient(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}
