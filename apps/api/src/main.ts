import 'reflect-metadata';
import { EVENTS_NAMESPACE, type ServerShutdownEvent } from '@leadforge/contracts';
import { join } from 'node:path';
import { Client } from 'pg';
import pino from 'pino';
import { createApp } from './app.factory';
import { ConfigValidationError, loadAppConfig, type AppConfig } from './common/config/app-config';
import { onShutdownSignal } from './common/process/graceful-shutdown';
import { loadDevelopmentSecrets } from './common/config/development-secrets';
import { type EmbeddedPostgresHandle, startEmbeddedPostgres } from './database/embedded-postgres';
import { runMigrations } from './database/migrator';
import { ensureRuntimeRole, inspectRole } from './database/runtime-role';
import { ShutdownState } from './health/shutdown-state';
import { QUEUE_SCHEMA } from './queue/queue.service';
import { EventsIoAdapter } from './realtime/events-io.adapter';
import { REALTIME_LIMITS, type RealtimeLimits } from './realtime/realtime-limits';

/** Time for the shutdown notice to reach clients before their connections close. */
const SOCKET_NOTICE_MS = 250;

const sleep = (ms: number): Promise<void> => new Promise((resolveSleep) => setTimeout(resolveSleep, ms));

/** The app's Socket.IO adapter, keeping hold of the servers it creates so that shutdown can reach their sockets. */
class ShutdownAwareIoAdapter extends EventsIoAdapter {
  // Typed through the adapter: @nestjs/platform-socket.io pins its own copy of socket.io.
  private readonly servers: Array<ReturnType<EventsIoAdapter['createIOServer']>> = [];

  override createIOServer(...args: Parameters<EventsIoAdapter['createIOServer']>): ReturnType<EventsIoAdapter['createIOServer']> {
    const server = super.createIOServer(...args);
    this.servers.push(server);
    return server;
  }

  /**
   * Tells every client to reconnect (through the load balancer, to another node) and closes its
   * connection. The client's reconnection and its `subscribe` with `sinceSeq` replay what it missed.
   */
  async sendAway(): Promise<number> {
    const sockets = this.servers.flatMap((server) => [...server.of(EVENTS_NAMESPACE).sockets.values()]);
    if (sockets.length === 0) return 0;
    const notice: ServerShutdownEvent = { at: new Date().toISOString(), reason: 'shutdown', reconnect: true };
    for (const socket of sockets) socket.emit('server.shutdown', notice);
    await sleep(SOCKET_NOTICE_MS);
    // Closing the transport (not a server-side disconnect) lets Socket.IO clients reconnect by themselves.
    for (const socket of sockets) socket.conn.close();
    return sockets.length;
  }
}

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
  const sockets = new ShutdownAwareIoAdapter(app, config, app.get<RealtimeLimits>(REALTIME_LIMITS));
  app.useWebSocketAdapter(sockets);

  /**
   * SIGTERM: readiness turns false (the load balancer stops sending traffic) while requests are
   * still served for SHUTDOWN_DRAIN_MS; sockets are told to reconnect elsewhere; then the listener
   * closes and in-flight requests finish (cut after SHUTDOWN_TIMEOUT_MS), in-process workers release
   * their shards, and the database pools close.
   */
  onShutdownSignal(log, config.shutdownDrainMs + config.shutdownTimeoutMs + 5_000, async (signal) => {
    log.info({ signal, drainMs: config.shutdownDrainMs, timeoutMs: config.shutdownTimeoutMs }, 'shutting down');
    app.get(ShutdownState).beginDrain();
    if (config.shutdownDrainMs > 0) await sleep(config.shutdownDrainMs);
    const notified = await sockets.sendAway();
    const server = app.getHttpServer();
    const cut = setTimeout(() => {
      log.warn('in-flight requests outlived SHUTDOWN_TIMEOUT_MS; closing their connections');
      server.closeAllConnections();
    }, config.shutdownTimeoutMs);
    cut.unref();
    await app.close();
    clearTimeout(cut);
    await embedded?.stop();
    log.info({ socketsNotified: notified }, 'stopped');
  });

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
