import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import pino from 'pino';
import { AppModule } from '../../api/src/app.module';
import { ConfigValidationError, loadAppConfig, type AppConfig } from '../../api/src/common/config/app-config';
import { startMetricsServer, type MetricsServer } from '../../api/src/common/metrics/metrics-server';
import { onShutdownSignal } from '../../api/src/common/process/graceful-shutdown';
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

  // Closing the app stops fetching jobs, releases running shards at their next checkpoint (another
  // worker resumes them) and waits for their handlers, all within SHUTDOWN_TIMEOUT_MS.
  onShutdownSignal(log, config.shutdownTimeoutMs + 2_000, async (signal) => {
    log.info({ signal, timeoutMs: config.shutdownTimeoutMs }, 'worker shutting down: no new jobs, releasing running shards');
    await app.close();
    await metrics?.close();
    log.info('worker stopped');
  });
  log.info('worker started');
}

main().catch((error: unknown) => {
  process.stderr.write(`Leadforge worker failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
