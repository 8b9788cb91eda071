import 'reflect-metadata';
import { join } from 'node:path';
import { Client } from 'pg';
import pino from 'pino';
import { createApp } from './app.factory';
import { ConfigValidationError, loadAppConfig, type AppConfig } from './common/config/app-config';
import { loadDevelopmentSecrets } from './common/config/development-secrets';
import { type EmbeddedPostgresHandle, startEmbeddedPostgres } from './database/embedded-postgres';
import { runMigrations } from './database/migrator';
import { ensureRuntimeRole, inspectRole } from './database/runtime-role';
import { QUEUE_SCHEMA } from './queue/queue.service';

const SHUTDOWN_DEADLINE_MS = 25_000;

async function main(): Promise<void> {
  let config: AppConfig;
  try {
    config = loadAppConfig();
  } catch (error) {
    if (error instanceof ConfigValidationError) {
      process.stderr.write(`Leadforge cannot start.\n${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const log = pino({ level: config.logLevel, base: { context: 'Bootstrap' } });
  const startedAt = performance.now();

  let embedded: EmbeddedPostgresHandle | undefined;
  if (!config.databaseUrl) {
    log.info({ directory: join(config.dataDir, 'pg') }, 'DATABASE_URL is not set: starting embedded PostgreSQL');
    const secrets = loadDevelopmentSecrets(config.dataDir);
    embedded = await startEmbeddedPostgres({
      directory: join(config.dataDir, 'pg'),
      password: secrets.databasePassword,
      database: 'leadforge',
      log: (message) => log.debug({ postgres: message }),
    });
    // Migrations run as the cluster's superuser (the owner of every table); the app runs as a
    // role that is neither, so row-level security applies to it.
    const { applied } = await runMigrations(embedded.url);
    if (applied.length > 0) log.info({ applied }, 'migrations applied');
    const runtimeUrl = await ensureRuntimeRole({ adminUrl: embedded.url, password: secrets.appDatabasePassword, adoptSchemas: [QUEUE_SCHEMA] });
    config = { ...config, databaseUrl: runtimeUrl, databaseMigrationUrl: embedded.url, embeddedDatabase: true };
  } else {
    const { applied } = await runMigrations(config.databaseMigrationUrl ?? config.databaseUrl);
    if (applied.length > 0) log.info({ applied }, 'migrations applied');
  }

  await checkRuntimeRole(config, log);

  const app = await createApp(config);
  let shuttingDown = false;
  const shutdown = async (signal: string): Promise<void> => {
    if (shuttingDown) return;
    shuttingDown = true;
    log.info({ signal }, 'shutting down');
    const deadline = setTimeout(() => {
      log.error('shutdown deadline passed; exiting');
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS);
    deadline.unref();
    try {
      await app.close();
      await embedded?.stop();
      process.exit(0);
    } catch (error) {
      log.error({ err: error }, 'error during shutdown');
      process.exit(1);
    }
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));

  await app.listen({ port: config.port, host: config.host });
  log.info(
    { url: `http://localhost:${config.port}`, docs: `http://localhost:${config.port}/api/docs`, readyInMs: Math.round(performance.now() - startedAt) },
    'Leadforge is listening',
  );
}

/** Row-level security is void for superusers, BYPASSRLS roles and table owners (docs/auth.md). */
async function checkRuntimeRole(config: AppConfig, log: pino.Logger): Promise<void> {
  const client = new Client({ connectionString: config.databaseUrl });
  await client.connect();
  let safety: Awaited<ReturnType<typeof inspectRole>>;
  try {
    safety = await inspectRole(async (sql) => (await client.query(sql)).rows as Array<Record<string, unknown>>);
  } finally {
    await client.end();
  }
  if (!safety.superuser && !safety.bypassRls && !safety.ownsTenantTables) return;
  const message = `the runtime database role "${safety.role}" is a superuser, has BYPASSRLS or owns the tables, so row-level security does not apply to it; set DATABASE_URL to a plain role and DATABASE_MIGRATION_URL to the owner (docs/auth.md)`;
  if (config.isProduction) throw new Error(message);
  log.warn(message);
}

main().catch((error: unknown) => {
  process.stderr.write(`Leadforge failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
