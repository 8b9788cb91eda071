import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { API_ENTRY, freePort, startProcess, waitForStatus, WORKER_ENTRY, type RunningProcess } from './processes';

/** One compiled API process of a cluster. */
export interface ApiNode {
  url: string;
  port: number;
  process: RunningProcess;
}

export interface ClusterOptions {
  /** The runtime role's URL (what every process connects as). */
  databaseUrl: string;
  /** The owner's URL of the same database (migrations). */
  databaseOwnerUrl: string;
  apis: number;
  workers: number;
  /** JWT_SECRET, ENCRYPTION_KEY and anything else every process gets. */
  env: Record<string, string>;
  /** Extra environment of the API processes only. */
  apiEnv?: Record<string, string>;
  /** Extra environment of the worker processes only. */
  workerEnv?: Record<string, string>;
}

/** N API and M worker processes (compiled dist: `npm run build:server` first) on one database. */
export interface Cluster {
  readonly apis: ApiNode[];
  readonly workers: RunningProcess[];
  startApi(): Promise<ApiNode>;
  startWorker(): Promise<RunningProcess>;
  /** The tail of every process's output, for failure messages. */
  outputs(chars?: number): string;
  /** SIGTERM to every process still running (SIGKILL after the timeout), then removes the data directory. */
  close(): Promise<void>;
}

export async function waitForOutput(read: () => string, pattern: RegExp, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!pattern.test(read())) {
    if (Date.now() > deadline) throw new Error(`no ${pattern} within ${timeoutMs} ms:\n${read().slice(-3000)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Structured log lines (pino JSON) of a process with this message. */
export function logLines(output: string, message: string): Array<Record<string, unknown>> {
  const lines: Array<Record<string, unknown>> = [];
  for (const line of output.split('\n')) {
    if (!line.includes(`"msg":"${message}"`)) continue;
    try {
      lines.push(JSON.parse(line) as Record<string, unknown>);
    } catch {
      // A line cut by a kill -9 is not a log record.
    }
  }
  return lines;
}

/** The shards a worker process claimed, in order (from its `shard claimed` log lines). */
export function claimedShards(worker: RunningProcess): string[] {
  return logLines(worker.output(), 'shard claimed').map((line) => String(line.shardId));
}

export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  const dataDir = await mkdtemp(join(tmpdir(), 'leadforge-cluster-'));
  const common = {
    NODE_ENV: 'test',
    DATABASE_URL: options.databaseUrl,
    DATABASE_MIGRATION_URL: options.databaseOwnerUrl,
    DATA_DIR: dataDir,
    ALLOW_PRIVATE_TARGETS: 'true',
    ...options.env,
  };
  const apis: ApiNode[] = [];
  const workers: RunningProcess[] = [];
  const all: RunningProcess[] = [];

  const startApi = async (): Promise<ApiNode> => {
    const port = await freePort();
    const running = startProcess(API_ENTRY, {
      LOG_LEVEL: 'warn',
      ...common,
      PORT: String(port),
      HOST: '127.0.0.1',
      WORKERS_IN_PROCESS: 'false',
      ADMIN_DIST_DIR: join(dataDir, 'no-admin'),
      ...options.apiEnv,
    });
    all.push(running);
    const node = { url: `http://127.0.0.1:${port}`, port, process: running };
    await waitForStatus(`${node.url}/api/v1/health/ready`, 200, 60_000).catch((error: Error) => {
      throw new Error(`${error.message}\n${running.output().slice(-3000)}`);
    });
    apis.push(node);
    return node;
  };

  // Workers log at info: their `shard claimed` lines tell which process ran which shard.
  const startWorker = async (): Promise<RunningProcess> => {
    const running = startProcess(WORKER_ENTRY, { LOG_LEVEL: 'info', ...common, ...options.workerEnv });
    all.push(running);
    await waitForOutput(running.output, /"msg":"worker started"/, 60_000);
    workers.push(running);
    return running;
  };

  const cluster: Cluster = {
    apis,
    workers,
    startApi,
    startWorker,
    outputs: (chars = 2_000) => all.map((running, index) => `--- process ${index} (pid ${running.child.pid}) ---\n${running.output().slice(-chars)}`).join('\n'),
    close: async () => {
      await Promise.all(all.map((running) => running.stop('SIGTERM', 15_000)));
      await rm(dataDir, { recursive: true, force: true });
    },
  };
  try {
    // The first API process migrates (a no-op on a migrated database) before the rest start together.
    await startApi();
    await Promise.all([
      ...Array.from({ length: options.apis - 1 }, () => startApi()),
      ...Array.from({ length: options.workers }, () => startWorker()),
    ]);
  } catch (error) {
    await cluster.close();
    throw error;
  }
  return cluster;
}
