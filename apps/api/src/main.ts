import 'reflect-metadata';
import { join } from 'node:path';
import pino from 'pino';
import { createApp } from './app.factory';
import { ConfigValidationError, loadAppConfig, type AppConfig } from './common/config/app-config';
import { loadDevelopmentSecrets } from './common/config/development-secrets';
import { type EmbeddedPostgresHandle, startEmbeddedPostgres } from './database/embedded-postgres';
import { runMigrations } from './database/migrator';

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
    embedded = await startEmbeddedPostgres({
      directory: join(config.dataDir, 'pg'),
      password: loadDevelopmentSecrets(config.dataDir).databasePassword,
      database: 'leadforge',
      log: (message) => log.debug({ postgres: message }),
    });
    config = { ...config, databaseUrl: embedded.url, embeddedDatabase: true };
  }

  const { applied } = await runMigrations(config.databaseUrl!);
  if (applied.length > 0) log.info({ applied }, 'migrations applied');

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

main().catch((error: unknown) => {
  process.stderr.write(`Leadforge failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
