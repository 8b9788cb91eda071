import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import pino from 'pino';
import { AppModule } from '../../api/src/app.module';
import { ConfigValidationError, loadAppConfig, type AppConfig } from '../../api/src/common/config/app-config';
import { runMigrations } from '../../api/src/database/migrator';

const SHUTDOWN_DEADLINE_MS = 60_000;

/**
 * A worker process: the same module graph as the API, started as an application context (no HTTP)
 * that takes queue jobs. Run as many as needed on any machine against the shared database.
 */
async function main(): Promise<void> {
  let config: AppConfig;
  try {
    config = loadAppConfig();
  } catch (error) {
    if (error instanceof ConfigValidationError) {
      process.stderr.write(`Leadforge worker cannot start.\n${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  if (!config.databaseUrl) {
    process.stderr.write('Leadforge worker cannot start: DATABASE_URL is required (`npm start` without it runs the workers inside the API process).\n');
    process.exit(1);
  }
  const log = pino({ level: config.logLevel, base: { context: 'Worker' } });
  await runMigrations(config.databaseMigrationUrl ?? config.databaseUrl);

  const app = await NestFactory.createApplicationContext(AppModule.forRoot({ ...config, workersInProcess: true }), { bufferLogs: true });
  app.useLogger(app.get(Logger));
  await app.init();

  let shuttingDown = false;
  const shutdown = async (signal: string): Promise<void> => {
    if (shuttingDown) return;
    shuttingDown = true;
    log.info({ signal }, 'worker shutting down: no new jobs, finishing running ones');
    setTimeout(() => process.exit(1), SHUTDOWN_DEADLINE_MS).unref();
    await app.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
  log.info('worker started');
}

main().catch((error: unknown) => {
  process.stderr.write(`Leadforge worker failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
