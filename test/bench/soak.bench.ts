/**
 * Soak: a steady, bounded load on compiled api + worker processes for SOAK_MINUTES (default 10),
 * sampling every SOAK_SAMPLE_SECONDS (default 30) what would show a leak or a slow build-up:
 * RSS, heap used, event-loop lag (p99 of the sample window), database pool waiters and open sockets
 * of each process, read from their /metrics (prom-client), plus the load's own latency and errors.
 * At the end: the table, and per series the first third against the last third with a slope.
 *
 *   npm run bench:soak
 *   SOAK_MINUTES=2 SOAK_RATE=10 SOAK_SOCKETS=10 npm run bench:soak
 *
 * Load: SOAK_RATE authenticated GETs per second (leads, leads full-text, analytics, tasks) at a
 * fixed pace, spread over synthetic client addresses (X-Forwarded-For, TRUST_PROXY=true) as behind a
 * load balancer so the per-address rate limit does not turn the soak into a 429 test; a scrape task
 * on a fixture site every SOAK_TASK_SECONDS (default 30), each finding new people; SOAK_SOCKETS
 * Socket.IO clients subscribed to the latest task, one of them disconnecting and reconnecting every
 * few seconds. Postgres: embedded (a temporary cluster) or DATABASE_URL's server.
 * When a process has no /metrics (METRICS_TOKEN unsupported), RSS comes from /proc/<pid>/status.
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { io, type Socket } from 'socket.io-client';
import { startCluster, type Cluster } from '../support/cluster';
import { startFixtureServer, type FixtureServer } from '../support/fixture-server';
import { freePort, type RunningProcess } from '../support/processes';
import { createTestDatabase, runtimeUrl, startTestPostgres } from '../support/test-postgres';

const MINUTES = Math.min(24 * 60, Number(process.env.SOAK_MINUTES ?? 10));
const SAMPLE_SECONDS = Math.max(5, Number(process.env.SOAK_SAMPLE_SECONDS ?? 30));
const RATE = Math.min(500, Math.max(1, Number(process.env.SOAK_RATE ?? 20)));
const SOCKETS = Math.min(200, Math.max(0, Number(process.env.SOAK_SOCKETS ?? 20)));
const TASK_SECONDS = Math.max(5, Number(process.env.SOAK_TASK_SECONDS ?? 30));
const MAX_IN_FLIGHT = 64;
/** Sockets per API key: below the per-key limit of 10 per node. */
const SOCKETS_PER_KEY = 8;
const CHURN_EVERY_MS = 5_000;
/** test/support/test-app.ts imports vitest, which cannot load here. */
const BENCH_SECRETS = { JWT_SECRET: 'bench-jwt-secret-0123456789abcdef0123456789abcdef', ENCRYPTION_KEY: 'bench-encryption-key-0123456789abcdef012345678' };
const QUERIES = ['leads?limit=50', 'leads?limit=20&q=person', 'analytics/summary', 'analytics/timeline', 'tasks?limit=20'];

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const percentile = (values: number[], p: number): number => {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};
const clientAddress = (index: number): string => `10.77.${Math.floor(index / 250) % 250}.${(index % 250) + 1}`;

interface Watched {
  name: string;
  process: RunningProcess;
  metricsUrl: string;
}

interface Sample {
  seconds: number;
  values: Record<string, number>;
}

/** Sums each metric over its label sets (`name{...} value` lines of the Prometheus text format). */
function parseMetrics(text: string): Map<string, number> {
  const values = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line.startsWith('#') || line.trim() === '') continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{[^}]*\})?\s+(\S+)/.exec(line);
    if (!match) continue;
    const value = Number(match[2]);
    if (Number.isFinite(value)) values.set(match[1]!, (values.get(match[1]!) ?? 0) + value);
  }
  return values;
}

async function rssFromProc(pid: number | undefined): Promise<number> {
  if (!pid) return Number.NaN;
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  const match = /VmRSS:\s+(\d+)\s+kB/.exec(status);
  return match ? Number(match[1]) * 1024 : Number.NaN;
}

async function sampleProcess(watched: Watched, token: string): Promise<Record<string, number>> {
  let metrics: Map<string, number> | undefined;
  try {
    const response = await fetch(watched.metricsUrl, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(5_000) });
    if (response.ok) metrics = parseMetrics(await response.text());
    else await response.arrayBuffer();
  } catch {
    metrics = undefined;
  }
  const mb = (bytes: number | undefined): number => (bytes === undefined ? Number.NaN : bytes / 1024 / 1024);
  const ms = (seconds: number | undefined): number => (seconds === undefined ? Number.NaN : seconds * 1000);
  const prefix = watched.name;
  return {
    [`${prefix} rss MB`]: mb(metrics?.get('process_resident_memory_bytes') ?? (await rssFromProc(watched.process.child.pid))),
    [`${prefix} heap MB`]: mb(metrics?.get('nodejs_heap_size_used_bytes')),
    [`${prefix} lag p99 ms`]: ms(metrics?.get('nodejs_eventloop_lag_p99_seconds')),
    [`${prefix} pool waiting`]: metrics?.get('leadforge_db_pool_waiting') ?? Number.NaN,
    [`${prefix} pool conns`]: metrics?.get('leadforge_db_pool_connections') ?? Number.NaN,
    ...(prefix.startsWith('api') ? { [`${prefix} sockets`]: metrics?.get('leadforge_socket_connections') ?? Number.NaN } : {}),
  };
}

async function http<T>(baseUrl: string, method: string, path: string, options: { body?: unknown; token?: string; apiKey?: string; address?: string } = {}): Promise<T> {
  const response = await fetch(`${baseUrl}/api/v1/${path}`, {
    method,
    headers: {
      ...(options.body ? { 'content-type': 'application/json' } : {}),
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...(options.apiKey ? { 'x-api-key': options.apiKey } : {}),
      'x-forwarded-for': options.address ?? clientAddress(0),
    },
    body: options.body ? JSON.stringify(options.body) : undefined,
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return JSON.parse(text) as T;
}

/** A site whose pages under /r<run>/ name new people on every run, so the lead table grows as in real use. */
function soakSite(): Promise<FixtureServer> {
  return startFixtureServer({
    delayMs: 20,
    robotsTxt: 'User-agent: *\nAllow: /\n',
    generate: (path) => {
      const match = /^\/r(\d+)\/(?:p(\d+))?$/.exec(path);
      if (!match) return null;
      const run = Number(match[1]);
      const index = Number(match[2] ?? 0);
      if (index > 14) return null;
      const links = index === 0 ? Array.from({ length: 14 }, (_, page) => `<a href="/r${run}/p${page + 1}">team ${page + 1}</a>`).join(' ') : '';
      return `<!doctype html><html lang="en"><head><title>Soak Corp ${run}/${index}</title></head><body><h1>Team page ${index}</h1>${links}
        <section class="team"><div class="member"><h3>Person ${run} ${index}</h3><p class="role">Head of Sales</p>
        <a href="mailto:person${index}.r${run}@soak-corp.com">Email</a></div></section>
        <footer>Soak Corp, +1 415 555 0${String(100 + index).slice(-3)}, hello@soak-corp.com</footer></body></html>`;
    },
  });
}

class HttpLoad {
  latencies: number[] = [];
  ok = 0;
  errors = 0;
  statuses = new Map<number, number>();
  skipped = 0;
  private inFlight = 0;
  private sent = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly urls: string[],
    private readonly apiKey: string,
  ) {}

  start(): void {
    const startedAt = performance.now();
    // Paced by the clock, not by completions: a slow answer does not slow the arrivals down.
    this.timer = setInterval(() => {
      const due = Math.floor(((performance.now() - startedAt) / 1000) * RATE);
      while (this.sent < due) this.fire();
    }, 10);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** This window's figures, then starts a new window. */
  take(): { requests: number; errors: number; skipped: number; p50: number; p99: number } {
    const window = { requests: this.ok + this.errors, errors: this.errors, skipped: this.skipped, p50: percentile(this.latencies, 50), p99: percentile(this.latencies, 99) };
    this.latencies = [];
    this.ok = 0;
    this.errors = 0;
    this.skipped = 0;
    return window;
  }

  private fire(): void {
    const index = this.sent;
    this.sent += 1;
    if (this.inFlight >= MAX_IN_FLIGHT) {
      this.skipped += 1;
      return;
    }
    this.inFlight += 1;
    const url = `${this.urls[index % this.urls.length]}/api/v1/${QUERIES[index % QUERIES.length]}`;
    const started = performance.now();
    fetch(url, { headers: { 'x-api-key': this.apiKey, 'x-forwarded-for': clientAddress(1 + (index % 64)) }, signal: AbortSignal.timeout(10_000) })
      .then(async (response) => {
        await response.arrayBuffer();
        this.statuses.set(response.status, (this.statuses.get(response.status) ?? 0) + 1);
        if (response.ok) {
          this.ok += 1;
          this.latencies.push(performance.now() - started);
        } else this.errors += 1;
      })
      .catch(() => {
        this.errors += 1;
        this.statuses.set(0, (this.statuses.get(0) ?? 0) + 1);
      })
      .finally(() => {
        this.inFlight -= 1;
      });
  }
}

class SocketFleet {
  private readonly sockets: Array<Socket | undefined> = [];
  private taskId: string | undefined;
  private next = 0;
  private timer: NodeJS.Timeout | undefined;
  connects = 0;
  connectErrors = 0;
  events = 0;

  constructor(
    private readonly urls: string[],
    private readonly keys: string[],
  ) {}

  async start(count: number): Promise<void> {
    for (let index = 0; index < count; index += 1) await this.open(index);
    this.timer = setInterval(() => void this.churn(), CHURN_EVERY_MS);
  }

  follow(taskId: string): void {
    const previous = this.taskId;
    this.taskId = taskId;
    for (const socket of this.sockets) {
      if (!socket?.connected) continue;
      if (previous) socket.emit('unsubscribe', { taskId: previous });
      socket.emit('subscribe', { taskId, sinceSeq: 0 });
    }
  }

  stop(): void {
    clearInterval(this.timer);
    for (const socket of this.sockets) socket?.disconnect();
  }

  private async churn(): Promise<void> {
    if (this.sockets.length === 0) return;
    const index = this.next % this.sockets.length;
    this.next += 1;
    this.sockets[index]?.disconnect();
    this.sockets[index] = undefined;
    await this.open(index).catch(() => undefined);
  }

  private open(index: number): Promise<void> {
    const socket = io(`${this.urls[index % this.urls.length]}/events`, {
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
      auth: { token: this.keys[Math.floor(index / SOCKETS_PER_KEY)] },
    });
    this.sockets[index] = socket;
    socket.onAny((type: string) => {
      if (type.startsWith('task.')) this.events += 1;
    });
    return new Promise<void>((resolve) => {
      socket.once('connect', () => {
        this.connects += 1;
        if (this.taskId) socket.emit('subscribe', { taskId: this.taskId, sinceSeq: 0 });
        resolve();
      });
      socket.once('connect_error', () => {
        this.connectErrors += 1;
        resolve();
      });
    });
  }
}

function fmt(value: number | undefined, digits = 1): string {
  return value === undefined || !Number.isFinite(value) ? 'n/a' : value.toFixed(digits);
}

function slopePerTenMinutes(samples: Sample[], key: string): number {
  const points = samples.map((sample) => [sample.seconds / 600, sample.values[key]!] as const).filter(([, value]) => Number.isFinite(value));
  if (points.length < 2) return Number.NaN;
  const meanX = points.reduce((sum, [x]) => sum + x, 0) / points.length;
  const meanY = points.reduce((sum, [, y]) => sum + y, 0) / points.length;
  const numerator = points.reduce((sum, [x, y]) => sum + (x - meanX) * (y - meanY), 0);
  const denominator = points.reduce((sum, [x]) => sum + (x - meanX) ** 2, 0);
  return denominator === 0 ? Number.NaN : numerator / denominator;
}

function mean(values: number[]): number {
  const finite = values.filter((value) => Number.isFinite(value));
  return finite.length === 0 ? Number.NaN : finite.reduce((sum, value) => sum + value, 0) / finite.length;
}

function report(samples: Sample[]): void {
  const keys = Object.keys(samples[0]?.values ?? {});
  const header = ['t (s)', ...keys];
  const rows = samples.map((sample) => [String(sample.seconds), ...keys.map((key) => fmt(sample.values[key]))]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: string[]): string => `| ${cells.map((cell, column) => cell.padStart(widths[column]!)).join(' | ')} |`;
  process.stdout.write(`\n${line(header)}\n|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|\n${rows.map(line).join('\n')}\n`);

  const third = Math.max(1, Math.floor(samples.length / 3));
  const first = samples.slice(0, third);
  const last = samples.slice(-third);
  process.stdout.write(`\nfirst third (${first.length} samples) vs last third (${last.length} samples), and the least-squares slope over the run:\n`);
  const nameWidth = Math.max(...keys.map((key) => key.length));
  for (const key of keys) {
    const a = mean(first.map((sample) => sample.values[key]!));
    const b = mean(last.map((sample) => sample.values[key]!));
    const change = Number.isFinite(a) && a !== 0 ? `${(((b - a) / Math.abs(a)) * 100).toFixed(1)}%` : 'n/a';
    process.stdout.write(
      `  ${key.padEnd(nameWidth)}  first ${fmt(a).padStart(8)}  last ${fmt(b).padStart(8)}  change ${change.padStart(7)}  slope ${fmt(slopePerTenMinutes(samples, key), 2).padStart(8)} per 10 min\n`,
    );
  }
}

async function main(): Promise<void> {
  const postgres = await startTestPostgres();
  const database = await createTestDatabase(postgres.adminUrl, postgres.templateDatabase);
  const metricsToken = randomBytes(24).toString('hex');
  const workerMetricsPort = await freePort();
  const site = await soakSite();
  let cluster: Cluster | undefined;
  let load: HttpLoad | undefined;
  let fleet: SocketFleet | undefined;
  try {
    cluster = await startCluster({
      databaseUrl: runtimeUrl(database.url, postgres.runtimeRolePassword),
      databaseOwnerUrl: database.url,
      apis: 1,
      workers: 1,
      env: { ...BENCH_SECRETS, METRICS_TOKEN: metricsToken, DEFAULT_CREDITS: '1000000', TRUST_PROXY: 'true' },
      workerEnv: { METRICS_PORT: String(workerMetricsPort), HOST: '127.0.0.1' },
    });
    const [api] = cluster.apis;
    const [worker] = cluster.workers;
    const watched: Watched[] = [
      { name: 'api', process: api!.process, metricsUrl: `${api!.url}/metrics` },
      { name: 'worker', process: worker!, metricsUrl: `http://127.0.0.1:${workerMetricsPort}/metrics` },
    ];

    const password = 'soak-Lantern-92-steadily';
    await http(api!.url, 'POST', 'auth/register', { body: { email: 'soak@bench.test', password, name: 'Sol Soak', orgName: 'Soak Co' } });
    const { accessToken } = await http<{ accessToken: string }>(api!.url, 'POST', 'auth/login', { body: { email: 'soak@bench.test', password } });
    const keys: string[] = [];
    for (let index = 0; index < Math.max(1, Math.ceil(SOCKETS / SOCKETS_PER_KEY)) + 1; index += 1) {
      keys.push((await http<{ secret: string }>(api!.url, 'POST', 'api-keys', { token: accessToken, body: { name: `soak ${index}` } })).secret);
    }
    const [httpKey, ...socketKeys] = keys;

    process.stdout.write(
      `soak: ${MINUTES} min, ${RATE} req/s (${QUERIES.join(', ')}), a task every ${TASK_SECONDS} s, ${SOCKETS} sockets (one reconnects every ${CHURN_EVERY_MS / 1000} s), sample every ${SAMPLE_SECONDS} s\n`,
    );
    const urls = cluster.apis.map((node) => node.url);
    load = new HttpLoad(urls, httpKey!);
    fleet = new SocketFleet(urls, socketKeys);
    await fleet.start(SOCKETS);

    let run = 0;
    let tasksStarted = 0;
    let taskErrors = 0;
    const startTask = async (): Promise<void> => {
      run += 1;
      try {
        const { task } = await http<{ task: { id: string } }>(api!.url, 'POST', 'scraper/start', {
          apiKey: httpKey,
          body: { platform: 'website', seeds: [site.url(`/r${run}/`)], options: { maxPages: 20, maxDepth: 1, concurrency: 2, delayMs: 0 } },
        });
        tasksStarted += 1;
        fleet!.follow(task.id);
      } catch (error) {
        taskErrors += 1;
        process.stdout.write(`task start failed: ${(error as Error).message}\n`);
      }
    };
    await startTask();
    load.start();
    const taskTimer = setInterval(() => void startTask(), TASK_SECONDS * 1000);

    const samples: Sample[] = [];
    const startedAt = Date.now();
    const endAt = startedAt + MINUTES * 60_000;
    // One scrape before the load starts discards the start-up window's event-loop histogram.
    await Promise.all(watched.map((entry) => sampleProcess(entry, metricsToken)));
    while (Date.now() < endAt) {
      await sleep(Math.min(SAMPLE_SECONDS * 1000, endAt - Date.now()));
      const seconds = Math.round((Date.now() - startedAt) / 1000);
      const perProcess = await Promise.all(watched.map((entry) => sampleProcess(entry, metricsToken)));
      const window = load.take();
      const values: Record<string, number> = Object.assign({}, ...perProcess, {
        'http req': window.requests,
        'http err': window.errors + window.skipped,
        'http p50 ms': window.p50,
        'http p99 ms': window.p99,
      });
      samples.push({ seconds, values });
      process.stdout.write(
        `t=${String(seconds).padStart(5)}s  api rss ${fmt(values['api rss MB'])} MB heap ${fmt(values['api heap MB'])} MB lag p99 ${fmt(values['api lag p99 ms'])} ms pool waiting ${fmt(values['api pool waiting'], 0)} sockets ${fmt(values['api sockets'], 0)}` +
          ` | worker rss ${fmt(values['worker rss MB'])} MB heap ${fmt(values['worker heap MB'])} MB lag p99 ${fmt(values['worker lag p99 ms'])} ms pool waiting ${fmt(values['worker pool waiting'], 0)}` +
          ` | http ${window.requests} req, ${window.errors} err, ${window.skipped} skipped, p50 ${fmt(window.p50)} ms p99 ${fmt(window.p99)} ms | tasks ${tasksStarted} started\n`,
      );
    }
    clearInterval(taskTimer);
    load.stop();
    fleet.stop();

    report(samples);
    const statuses = [...load.statuses.entries()].sort(([a], [b]) => a - b).map(([status, count]) => `${status === 0 ? 'network error' : status}: ${count}`);
    const tasks = await http<{ items: Array<{ status: string }> }>(api!.url, 'GET', 'tasks?limit=200', { apiKey: httpKey, address: clientAddress(999) });
    const byStatus = new Map<string, number>();
    for (const task of tasks.items) byStatus.set(task.status, (byStatus.get(task.status) ?? 0) + 1);
    process.stdout.write(
      `\nHTTP answers: ${statuses.join(', ')}\ntasks: ${tasksStarted} started (${taskErrors} refused), ${[...byStatus.entries()].map(([status, count]) => `${count} ${status}`).join(', ')}\n` +
        `sockets: ${fleet.connects} connects, ${fleet.connectErrors} refused, ${fleet.events} task events received\n`,
    );
  } finally {
    load?.stop();
    fleet?.stop();
    await cluster?.close();
    await site.close();
    await database.drop().catch(() => undefined);
    await postgres.stop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
