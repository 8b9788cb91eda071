import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import pino from 'pino';
import { AppModule } from '../../api/src/app.module';
import { ConfigValidationError, loadAppConfig, type AppConfig } from '../../api/src/common/config/app-config';
import { startMetricsServer, type MetricsServer } from '../../api/src/common/metrics/metrics-server';
import { runMigrations } from '../../api/src/database/migrator';

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

  let metrics: MetricsServer | undefined;
  if (config.metricsPort !== undefined) {
    metrics = await startMetricsServer({ port: config.metricsPort, host: config.host, token: config.metricsToken });
    log.info({ port: metrics.port }, 'metrics listening');
  }

  let shuttingDown = false;
  const shutdown = async (signal: string): Promise<void> => {
    if (shuttingDown) return;
    shuttingDown = true;
    // Closing the app stops fetching jobs, releases running shards at their next checkpoint (another
    // worker resumes them) and waits for their handlers, all within SHUTDOWN_TIMEOUT_MS.
    log.info({ signal, timeoutMs: config.shutdownTimeoutMs }, 'worker shutting down: no new jobs, releasing running shards');
    const deadline = setTimeout(() => {
      log.error('shutdown deadline passed; exiting');
      process.exit(1);
    }, config.shutdownTimeoutMs + 2_000);
    deadline.unref();
    try {
      await app.close();
      await metrics?.close();
      log.info('worker stopped');
      process.exit(0);
    } catch (error) {
      log.error({ err: error }, 'error during shutdown');
      process.exit(1);
    }
  };
  // Kept (not `once`) for the whole shutdown: a library's signal-exit hook (Crawlee's lock files)
  // re-raises the signal when it finds no other listener left, which would kill the process mid-drain.
  // A repeated signal is ignored: shutdown already runs under its own deadline.
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
  // A rejection nobody awaited (a database call during an outage, say) is logged, not fatal: the
  // job layer retries the work, and one lost connection must not take the whole worker down.
  process.on('unhandledRejection', (reason) => log.error({ err: reason }, 'unhandled rejection'));
  log.info('worker started');
}

main().catch((error: unknown) => {
  process.stderr.write(`Leadforge worker failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
