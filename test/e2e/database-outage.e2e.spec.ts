import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// @ts-expect-error autocannon ships no type declarations
import autocannon from 'autocannon';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from '../../apps/api/src/database/embedded-postgres';
import { runMigrations } from '../../apps/api/src/database/migrator';
import { ensureRuntimeRole } from '../../apps/api/src/database/runtime-role';
import { QUEUE_SCHEMA } from '../../apps/api/src/queue/queue.service';
import { ApiClient, type Session } from '../support/api-client';
import { startFixtureServer, type FixtureServer } from '../support/fixture-server';
import { API_ENTRY, freePort, startProcess, waitForStatus, WORKER_ENTRY, type RunningProcess } from '../support/processes';
import { TEST_SECRETS } from '../support/test-app';

// This test stops and starts PostgreSQL, so it runs its own cluster, not the suite's shared one.
const LOAD_SECONDS = 25;
const OUTAGE_AFTER_MS = 7_000;
const OUTAGE_MS = 10_000;
const NAMES = ['Ava Thompson', 'Liam Carter', 'Mia Patel', 'Noah Fischer', 'Emma Rossi', 'Lucas Meyer', 'Olivia Brooks', 'Ethan Nakamura', 'Sofia Alvarez', 'Mason Clarke',
  'Isla Murphy', 'Leo Schneider', 'Chloe Dubois', 'Jack Wilson', 'Grace Kim', 'Henry Walsh', 'Zoe Laurent', 'Oscar Novak', 'Ruby Jensen', 'Felix Wagner',
  'Lily Evans', 'Samuel Ortiz', 'Hannah Berg', 'Daniel Costa', 'Nora Lindqvist'];
const PAGES = NAMES.length;
const METRICS_TOKEN = 'outage-metrics-token-0123456789';

interface Sample {
  at: number;
  status: number;
  contentType: string;
  code: string | undefined;
  retryAfter: string | undefined;
}

let directory: string;
let dataDir: string;
let password: string;
let port: number;
let postgres: EmbeddedPostgresHandle;
let ownerUrl: string;
let runtimeUrl: string;
let api: RunningProcess;
let worker: RunningProcess;
let client: ApiClient;
let owner: Session;
let site: FixtureServer;

const emailOf = (index: number): string => `${NAMES[index]!.split(' ')[0]!.toLowerCase()}@outage-corp.com`;

const startPostgres = (): Promise<EmbeddedPostgresHandle> => startEmbeddedPostgres({ directory, password, database: 'leadforge', port });

async function withOwner<T>(work: (db: Client) => Promise<T>): Promise<T> {
  const db = new Client({ connectionString: ownerUrl });
  await db.connect();
  try {
    return await work(db);
  } finally {
    await db.end();
  }
}

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'leadforge-outage-pg-'));
  dataDir = await mkdtemp(join(tmpdir(), 'leadforge-outage-data-'));
  password = randomBytes(16).toString('hex');
  port = await freePort();
  postgres = await startPostgres();
  ownerUrl = postgres.url;
  await runMigrations(ownerUrl);
  runtimeUrl = await ensureRuntimeRole({ adminUrl: ownerUrl, password: randomBytes(16).toString('hex'), adoptSchemas: [QUEUE_SCHEMA] });

  const env = {
    NODE_ENV: 'test',
    DATABASE_URL: runtimeUrl,
    DATABASE_MIGRATION_URL: ownerUrl,
    DATA_DIR: dataDir,
    ALLOW_PRIVATE_TARGETS: 'true',
    LOG_LEVEL: 'warn',
    TRUST_PROXY: 'true',
    METRICS_TOKEN: METRICS_TOKEN,
    ...TEST_SECRETS,
  };
  const apiPort = await freePort();
  api = startProcess(API_ENTRY, { ...env, PORT: String(apiPort), HOST: '127.0.0.1', WORKERS_IN_PROCESS: 'false', ADMIN_DIST_DIR: join(dataDir, 'no-admin') });
  worker = startProcess(WORKER_ENTRY, env);
  client = new ApiClient(`http://127.0.0.1:${apiPort}`);
  await waitForStatus(`${client.baseUrl}/api/v1/health/ready`, 200, 60_000).catch((error: Error) => {
    throw new Error(`${error.message}\n${api.output().slice(-3000)}`);
  });
  await client.register('outage@ops.test', 'Olive', 'Outage Co');
  owner = await client.login('outage@ops.test');
  site = await startFixtureServer({
    delayMs: 500,
    robotsTxt: 'User-agent: *\nAllow: /\n',
    generate: (path) => {
      const match = /^\/(?:o(\d+))?$/.exec(path);
      if (!match) return null;
      const index = Number(match[1] ?? 0);
      const next = index === 0 ? Array.from({ length: PAGES - 1 }, (_, page) => `<a href="/o${page + 1}">team ${page + 1}</a>`).join(' ') : '';
      return `<!doctype html><html lang="en"><head><title>Team ${index}</title></head><body><h1>Team page ${index}</h1>${next}
        <section class="team"><div class="member"><h3>${NAMES[index]}</h3><p class="role">Head of Sales</p><a href="mailto:${emailOf(index)}">Email ${NAMES[index]!.split(' ')[0]}</a></div></section>
        <footer>Outage Corp</footer></body></html>`;
    },
  });
}, 180_000);

afterAll(async () => {
  await Promise.all([api?.stop('SIGKILL'), worker?.stop('SIGKILL')]);
  await site?.close();
  await postgres?.stop();
  await rm(directory, { recursive: true, force: true });
  await rm(dataDir, { recursive: true, force: true });
});

describe('PostgreSQL stopped for 10 s under steady load', () => {
  it('answers 503 problem+json meanwhile, loses no process, and recovers fully within 10 s', async () => {
    const { task } = await client.json<{ task: { id: string } }>('POST', 'scraper/start', 202, {
      token: owner.accessToken,
      body: { platform: 'website', seeds: [site.url('/')], options: { maxPages: 40, maxDepth: 1, concurrency: 1, delayMs: 0 } },
    });

    const samples: Sample[] = [];
    let forwarded = 0;
    const load = autocannon({
      url: `${client.baseUrl}/api/v1/auth/me`,
      connections: 4,
      overallRate: 80,
      duration: LOAD_SECONDS,
      timeout: 5,
      headers: { authorization: `Bearer ${owner.accessToken}` },
      requests: [
        {
          // One client address per request: the point is the outage, not the rate limiter.
          setupRequest: (request: { headers: Record<string, string> }) => {
            forwarded += 1;
            return { ...request, headers: { ...request.headers, 'x-forwarded-for': `10.${(forwarded >> 16) & 255}.${(forwarded >> 8) & 255}.${forwarded & 255}` } };
          },
          onResponse: (status: number, body: string, _context: unknown, headers: Record<string, string>) => {
            let code: string | undefined;
            try {
              code = (JSON.parse(body) as { code?: string }).code;
            } catch {
              code = undefined;
            }
            samples.push({ at: Date.now(), status, contentType: headers['content-type'] ?? '', code, retryAfter: headers['retry-after'] });
          },
        },
      ],
    });
    const loadDone = new Promise<{ errors: number; timeouts: number; non2xx: number; requests: { total: number } }>((resolveLoad) => load.on('done', resolveLoad));

    await new Promise((resolveWait) => setTimeout(resolveWait, OUTAGE_AFTER_MS));
    const stoppedAt = Date.now();
    await postgres.stop();
    const readinessDuring: number[] = [];
    const readinessTimes: number[] = [];
    while (Date.now() - stoppedAt < OUTAGE_MS) {
      const started = Date.now();
      const response = await fetch(`${client.baseUrl}/api/v1/health/ready`);
      await response.arrayBuffer();
      readinessDuring.push(response.status);
      readinessTimes.push(Date.now() - started);
      await new Promise((resolveWait) => setTimeout(resolveWait, 1_000));
    }
    postgres = await startPostgres();
    const restartedAt = Date.now();
    const result = await loadDone;

    const outageResponses = samples.filter((sample) => sample.at > stoppedAt && sample.at < restartedAt);
    const failures = samples.filter((sample) => sample.status < 200 || sample.status > 299);
    const afterRestart = samples.filter((sample) => sample.at >= restartedAt);
    const lastFailure = failures.at(-1);
    const recoveryMs = lastFailure && lastFailure.at > restartedAt ? lastFailure.at - restartedAt : 0;
    const metrics = await (await fetch(`${client.baseUrl}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text();
    const series = (suffix: string, le?: string): number => {
      const wanted = ['method="GET"', 'route="/api/v1/auth/me"', 'status_class="5xx"', ...(le ? [`le="${le}"`] : [])];
      const name = `leadforge_http_request_duration_seconds_${suffix}{`;
      const line = metrics.split('\n').find((text) => text.startsWith(name) && wanted.every((pair) => text.slice(name.length, text.indexOf('}')).split(',').includes(pair)));
      return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
    };
    process.stdout.write(
      `503 answers: ${series('count')}, mean ${Math.round((series('sum') / Math.max(1, series('count'))) * 1000)} ms, ` +
        `${series('bucket', '0.05')} within 50 ms, ${series('bucket', '0.25')} within 250 ms\n`,
    );
    process.stdout.write(
      `outage: ${samples.length} responses (${failures.length} non-2xx, ${outageResponses.length} during the outage), ` +
        `autocannon errors ${result.errors}, timeouts ${result.timeouts}; readiness during ${readinessDuring.join(',')} ` +
        `(max ${Math.max(...readinessTimes)} ms); recovered ${recoveryMs} ms after PostgreSQL was back\n`,
    );

    expect(result.timeouts).toBe(0);
    expect(result.errors).toBe(0);
    expect(outageResponses.length).toBeGreaterThan(20);
    for (const failure of failures) {
      expect(failure.status, `${JSON.stringify(failure)}\n${api.output().slice(-6000)}`).toBe(503);
      expect(failure.contentType).toMatch(/^application\/problem\+json/);
      expect(failure.code).toBe('database_unavailable');
      expect(Number(failure.retryAfter)).toBeGreaterThan(0);
    }
    expect(failures.length).toBeGreaterThan(0);
    expect(readinessDuring.every((status) => status === 503)).toBe(true);
    expect(afterRestart.length).toBeGreaterThan(0);
    expect(afterRestart.at(-1)!.status).toBe(200);
    expect(recoveryMs).toBeLessThan(10_000);

    expect(api.child.exitCode, api.output().slice(-3000)).toBeNull();
    expect(worker.child.exitCode, worker.output().slice(-3000)).toBeNull();
    expect(api.child.signalCode).toBeNull();
    expect(worker.child.signalCode).toBeNull();
    await waitForStatus(`${client.baseUrl}/api/v1/health/ready`, 200, 10_000);

    const deadline = Date.now() + 90_000;
    let view: { status: string; creditsCharged: number; creditsReserved: number; progress: { pagesFetched: number } };
    do {
      await new Promise((resolveWait) => setTimeout(resolveWait, 500));
      view = await client.json('GET', `tasks/${task.id}`, 200, { token: owner.accessToken });
    } while (!['completed', 'failed', 'cancelled', 'timed_out'].includes(view.status) && Date.now() < deadline);
    expect(view.status, worker.output().slice(-4000)).toBe('completed');
    expect(view.progress.pagesFetched).toBe(PAGES);
    expect(view.creditsCharged).toBe(PAGES);
    for (let page = 0; page < PAGES; page += 1) expect(site.hits(page === 0 ? '/' : `/o${page}`), `page ${page}`).toBe(1);

    await withOwner(async (db) => {
      const settlements = await db.query(`SELECT delta FROM credit_ledger WHERE task_id = $1 AND reason IN ('task_settlement', 'task_refund')`, [task.id]);
      expect(settlements.rows.map((row) => Number(row.delta))).toEqual([view.creditsReserved - PAGES]);
      // One lead per page, each stored once: none lost in the outage, none doubled by a retried flush.
      const emails = await db.query(`SELECT email, count(*)::int AS n FROM lead WHERE org_id = $1 AND email = ANY($2::text[]) GROUP BY email`, [
        owner.user.organization.id,
        NAMES.map((_, index) => emailOf(index)),
      ]);
      expect(emails.rowCount).toBe(PAGES);
      expect(emails.rows.every((row) => row.n === 1)).toBe(true);
      // The ledger invariant of test/support/ledger.ts, on this test's own server.
      const accounts = await db.query(
        `SELECT a.balance, (SELECT COALESCE(sum(delta), 0) FROM credit_ledger l WHERE l.org_id = a.org_id) AS ledger_sum,
                (SELECT count(*)::int FROM credit_ledger l WHERE l.org_id = a.org_id AND l.balance_after < 0) AS negative_after
           FROM credit_account a`,
      );
      for (const account of accounts.rows) {
        expect(Number(account.balance)).toBeGreaterThanOrEqual(0);
        expect(Number(account.ledger_sum)).toBe(Number(account.balance));
        expect(account.negative_after).toBe(0);
      }
    });
  }, 240_000);
});
