/**
 * Socket delivery latency: 500 subscribed clients on loopback, a task emitting 50 events/s.
 *
 * Gateway: the compiled API (dist, `npm run build:server` first) on embedded Postgres (or
 * DATABASE_URL's server); this process stores each event with TaskEventsService.append (the
 * producer's code path: row + NOTIFY on commit) and measures commit -> arrival at every client.
 * Two phases: task.progress (delivered at most ~4/s per task by design, so most are superseded;
 * a held snapshot goes out up to 250 ms later, which shows in its tail) and task.leads (never
 * coalesced: every event reaches every client, the figure to hold against the baseline).
 * Baseline: a bare socket.io server in its own process broadcasting the same payloads to the same
 * number of clients, measured from the moment this process hands the event over (IPC).
 *
 *   npm run bench:socket
 *   CLIENTS=200 RATE=50 SECONDS=5 PER_KEY=10 npm run bench:socket
 *
 * Clients authenticate with API keys of one organization, PER_KEY sockets each (the per-user limit).
 */
import 'reflect-metadata';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { io, type Socket } from 'socket.io-client';
import { DataSource } from 'typeorm';
import { TenantDatabase } from '../../apps/api/src/database/tenant-database';
import { TaskEventsService } from '../../apps/api/src/scraper/tasks/task-events.service';
import { API_ENTRY, freePort, ROOT, startProcess, waitForStatus } from '../support/processes';
import { createTestDatabase, runtimeUrl, startTestPostgres } from '../support/test-postgres';

const CLIENTS = Math.min(2_000, Number(process.env.CLIENTS ?? 500));
const RATE = Math.min(500, Number(process.env.RATE ?? 50));
const SECONDS = Math.min(60, Number(process.env.SECONDS ?? 8));
const SOCKETS_PER_KEY = Number(process.env.PER_KEY ?? 10);
/** test/support/test-app.ts imports vitest, which cannot load here. */
const BENCH_SECRETS = { JWT_SECRET: 'bench-jwt-secret-0123456789abcdef0123456789abcdef', ENCRYPTION_KEY: 'bench-encryption-key-0123456789abcdef012345678' };

interface Phase {
  name: string;
  latencies: number[];
  sent: number;
  delivered: number;
}

const percentile = (values: number[], p: number): number => {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function http<T>(baseUrl: string, method: string, path: string, body?: unknown, token?: string): Promise<T> {
  for (;;) {
    const response = await fetch(`${baseUrl}/api/v1/${path}`, {
      method,
      headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    if (response.status === 429) {
      await sleep(Number(response.headers.get('retry-after') ?? 1) * 1000);
      continue;
    }
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
    return JSON.parse(text) as T;
  }
}

/** Connects `count` clients and resolves once all are connected (and subscribed, via `ready`). */
async function connectClients(count: number, url: string, auth: (index: number) => Record<string, string> | undefined, ready: (socket: Socket) => Promise<void>): Promise<Socket[]> {
  const sockets: Socket[] = [];
  for (let start = 0; start < count; start += 50) {
    const batch = Array.from({ length: Math.min(50, count - start) }, (_, offset) => {
      const socket = io(url, { transports: ['websocket'], reconnection: false, forceNew: true, auth: auth(start + offset) });
      sockets.push(socket);
      return new Promise<void>((resolve, reject) => {
        socket.once('connect', () => ready(socket).then(resolve, reject));
        socket.once('connect_error', reject);
      });
    });
    await Promise.all(batch);
  }
  return sockets;
}

/** Which emitted event a payload is: its index rides in the payload (pagesFetched, or the lead's name). */
function indexOf(payload: { pagesFetched?: number; leads?: Array<{ fullName: string }> }): number {
  return payload.pagesFetched ?? Number(payload.leads![0]!.fullName.slice('Person '.length));
}

function listen(sockets: Socket[], event: string, sentAt: Map<number, number>, phase: Phase): void {
  for (const socket of sockets) {
    socket.on(event, (payload: { pagesFetched?: number; leads?: Array<{ fullName: string }> }) => {
      const at = sentAt.get(indexOf(payload));
      if (at === undefined) return;
      phase.latencies.push(performance.now() - at);
      phase.delivered += 1;
    });
  }
}

async function paced(count: number, send: (index: number) => Promise<void>): Promise<void> {
  const started = performance.now();
  for (let index = 0; index < count; index += 1) {
    const due = started + (index * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    await send(index);
  }
  await sleep(1_000);
}

function progressPayload(index: number): Record<string, unknown> {
  return { pagesQueued: 10_000, pagesFetched: index, pagesFailed: 0, leadsFound: index * 2, leadsStored: index * 2, duplicates: 0, suppressed: 0, percent: Math.floor(index / 100), pagesPerSecond: RATE, etaSeconds: 100 };
}

function leadsPayload(index: number): Record<string, unknown> {
  return { leads: [{ id: `00000000-0000-7000-8000-${String(index).padStart(12, '0')}`, kind: 'person', fullName: `Person ${index}`, jobTitle: 'Head of Sales', companyName: 'Bench Corp', email: `p${index}@bench.example`, confidence: 0.8, change: 'new' }] };
}

const BARE_SERVER = `
const { Server } = require(${JSON.stringify(join(ROOT, 'node_modules/socket.io'))});
const io = new Server(Number(process.env.PORT), { serveClient: false });
process.on('message', (message) => io.emit(message.type, message.payload));
process.send('ready');
`;

async function gatewayRun(): Promise<Phase[]> {
  const postgres = await startTestPostgres();
  const database = await createTestDatabase(postgres.adminUrl, postgres.templateDatabase);
  const dataDir = await mkdtemp(join(tmpdir(), 'leadforge-socket-bench-'));
  const port = await freePort();
  const appUrl = runtimeUrl(database.url, postgres.runtimeRolePassword);
  const api = startProcess(API_ENTRY, {
    NODE_ENV: 'test',
    PORT: String(port),
    HOST: '127.0.0.1',
    DATABASE_URL: appUrl,
    DATABASE_MIGRATION_URL: database.url,
    DATA_DIR: dataDir,
    WORKERS_IN_PROCESS: 'false',
    LOG_LEVEL: 'warn',
    ADMIN_DIST_DIR: join(dataDir, 'no-admin'),
    ...BENCH_SECRETS,
  });
  const dataSource = new DataSource({ type: 'postgres', url: appUrl, entities: [], poolSize: 4 });
  const sockets: Socket[] = [];
  try {
    const baseUrl = `http://127.0.0.1:${port}`;
    await waitForStatus(`${baseUrl}/api/v1/health/ready`, 200, 60_000).catch((error: Error) => {
      throw new Error(`${error.message}\n${api.output().slice(-2000)}`);
    });
    await http(baseUrl, 'POST', 'auth/register', { email: 'bench@socket.test', password: 'amber-Lantern-92-quietly', name: 'Bench', orgName: 'Bench Co' });
    const login = await http<{ accessToken: string; user: { organization: { id: string } } }>(baseUrl, 'POST', 'auth/login', { email: 'bench@socket.test', password: 'amber-Lantern-92-quietly' });
    const orgId = login.user.organization.id;
    // No worker runs: the task stays queued and this process plays the producer.
    const { task } = await http<{ task: { id: string } }>(baseUrl, 'POST', 'scraper/start', { platform: 'website', seeds: ['https://bench.example/'], options: { maxPages: 5 } }, login.accessToken);
    const keys: string[] = [];
    for (let index = 0; index < Math.ceil(CLIENTS / SOCKETS_PER_KEY); index += 1) {
      keys.push((await http<{ secret: string }>(baseUrl, 'POST', 'api-keys', { name: `bench ${index}` }, login.accessToken)).secret);
    }
    sockets.push(
      ...(await connectClients(
        CLIENTS,
        `${baseUrl}/events`,
        (index) => ({ token: keys[Math.floor(index / SOCKETS_PER_KEY)]! }),
        async (socket) => {
          const ack = (await socket.timeout(20_000).emitWithAck('subscribe', { taskId: task.id })) as { ok: boolean };
          if (!ack.ok) throw new Error(`subscribe failed: ${JSON.stringify(ack)}`);
        },
      )),
    );

    process.stdout.write(`  ${sockets.length} clients subscribed to the gateway\n`);
    await dataSource.initialize();
    const tenant = new TenantDatabase(dataSource);
    const events = new TaskEventsService();
    const phases: Phase[] = [];
    for (const [name, type, payload] of [
      ['gateway task.progress (coalesced to ~4/s)', 'task.progress', progressPayload],
      ['gateway task.leads (every event)', 'task.leads', leadsPayload],
    ] as const) {
      const phase: Phase = { name, latencies: [], sent: 0, delivered: 0 };
      const sentAt = new Map<number, number>();
      listen(sockets, type, sentAt, phase);
      await paced(RATE * SECONDS, async (index) => {
        sentAt.set(index, performance.now());
        await tenant.inOrg(orgId, (db) => events.append(db, task.id, type, payload(index)));
        phase.sent += 1;
      });
      for (const socket of sockets) socket.off(type);
      phases.push(phase);
    }
    return phases;
  } catch (error) {
    throw new Error(`${(error as Error).message}\n--- API output ---\n${api.output().slice(-3000)}`);
  } finally {
    for (const socket of sockets) socket.disconnect();
    if (dataSource.isInitialized) await dataSource.destroy();
    await api.stop();
    await database.drop();
    await postgres.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

async function bareRun(): Promise<Phase> {
  const port = await freePort();
  const server: ChildProcess = spawn(process.execPath, ['-e', BARE_SERVER], { env: { PORT: String(port) }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const sockets: Socket[] = [];
  try {
    await new Promise((resolve) => server.once('message', resolve));
    sockets.push(...(await connectClients(CLIENTS, `http://127.0.0.1:${port}`, () => undefined, async () => undefined)));
    const phase: Phase = { name: 'bare socket.io broadcast', latencies: [], sent: 0, delivered: 0 };
    const sentAt = new Map<number, number>();
    listen(sockets, 'task.progress', sentAt, phase);
    await paced(RATE * SECONDS, async (index) => {
      sentAt.set(index, performance.now());
      server.send({ type: 'task.progress', payload: { ...progressPayload(index), taskId: '00000000-0000-7000-8000-000000000000', seq: index + 1, at: new Date().toISOString() } });
      phase.sent += 1;
    });
    return phase;
  } finally {
    for (const socket of sockets) socket.disconnect();
    server.kill();
  }
}

async function main(): Promise<void> {
  process.stdout.write(`socket delivery: ${CLIENTS} clients, ${RATE} events/s for ${SECONDS} s per phase, loopback\n`);
  const gateway = await gatewayRun();
  const bare = await bareRun();
  const phases = [...gateway, bare];
  for (const phase of phases) {
    const perClient = phase.delivered / CLIENTS;
    process.stdout.write(
      `${phase.name.padEnd(44)} sent ${String(phase.sent).padStart(4)}  delivered/client ${perClient.toFixed(1).padStart(6)}  ` +
        `latency p50 ${percentile(phase.latencies, 50).toFixed(1).padStart(6)} ms  p99 ${percentile(phase.latencies, 99).toFixed(1).padStart(6)} ms  max ${percentile(phase.latencies, 100).toFixed(1).padStart(6)} ms\n`,
    );
  }
  const leads = phases[1]!;
  process.stdout.write(`p99 gateway (every event) / bare: ${(percentile(leads.latencies, 99) / percentile(bare.latencies, 99)).toFixed(2)}x; target p99 <= 100 ms: ${percentile(leads.latencies, 99) <= 100 ? 'met' : 'NOT met'}\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
