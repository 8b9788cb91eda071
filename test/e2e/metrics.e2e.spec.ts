import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, problemOf, type Session } from '../support/api-client';
import { startFixtureServer, type FixtureServer } from '../support/fixture-server';
import { freePort, startProcess, WORKER_ENTRY, type RunningProcess } from '../support/processes';
import { startTestApp, TEST_SECRETS, type TestApp } from '../support/test-app';

const TOKEN = 'metrics-e2e-token-0123456789abcdef';
const NAMES = ['Ava Thompson', 'Liam Carter', 'Mia Patel', 'Noah Fischer'];

let testApp: TestApp;
let api: ApiClient;
let owner: Session;
let site: FixtureServer;

beforeAll(async () => {
  testApp = await startTestApp({ METRICS_TOKEN: TOKEN, WORKERS_IN_PROCESS: 'true' });
  api = new ApiClient(testApp.baseUrl);
  await api.register('metrics@ops.test', 'Morgan', 'Metrics Co');
  owner = await api.login('metrics@ops.test');
  site = await startFixtureServer({
    robotsTxt: 'User-agent: *\nAllow: /\n',
    generate: (path) => {
      const match = /^\/(?:m(\d+))?$/.exec(path);
      if (!match) return null;
      const index = Number(match[1] ?? 0);
      const next = index === 0 ? [1, 2, 3].map((page) => `<a href="/m${page}">team ${page}</a>`).join(' ') : '';
      const [first, last] = NAMES[index]!.split(' ');
      return `<!doctype html><html lang="en"><head><title>Team ${index}</title></head><body><h1>Team page ${index}</h1>${next}
        <section class="team"><div class="member"><h3>${first} ${last}</h3><p class="role">Head of Sales</p><a href="mailto:${first!.toLowerCase()}@metrics-corp.com">Email ${first}</a></div></section>
        <footer>Metrics Corp</footer></body></html>`;
    },
  });
});

afterAll(async () => {
  await site?.close();
  await testApp?.close();
});

async function scrape(authorization = `Bearer ${TOKEN}`, base = testApp.baseUrl): Promise<Response> {
  return fetch(`${base}/metrics`, { headers: { authorization } });
}

/** The value of one sample line, e.g. `name{a="b"} 3`; 0 when absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const labelText = line.startsWith(`${name}{`) ? line.slice(name.length + 1, line.indexOf('}')) : '';
    if (wanted.every((pair) => labelText.split(',').includes(pair))) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return 0;
}

describe('GET /metrics', () => {
  it('requires the metrics token: 401 problem+json without it or with a wrong one', async () => {
    const missing = await fetch(`${testApp.baseUrl}/metrics`);
    expect(missing.status).toBe(401);
    expect((await problemOf(missing)).code).toBe('unauthenticated');
    expect(missing.headers.get('www-authenticate')).toMatch(/^Bearer/);

    const wrong = await scrape(`Bearer ${TOKEN.slice(0, -1)}x`);
    expect(wrong.status).toBe(401);
    expect((await problemOf(wrong)).code).toBe('invalid_token');

    const access = await api.login('metrics@ops.test');
    const withAccessToken = await scrape(`Bearer ${access.accessToken}`);
    expect(withAccessToken.status).toBe(401);
    await withAccessToken.arrayBuffer();
  });

  it('answers in the Prometheus text format with process, pool, queue and socket figures', async () => {
    const response = await scrape();
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const text = await response.text();
    for (const name of [
      'nodejs_eventloop_lag_seconds',
      'process_resident_memory_bytes',
      'leadforge_db_pool_connections',
      'leadforge_db_pool_idle',
      'leadforge_db_pool_waiting',
      'leadforge_queue_jobs',
      'leadforge_queue_oldest_ready_seconds',
      'leadforge_socket_connections',
      'leadforge_http_request_duration_seconds',
    ]) {
      expect(text, name).toContain(`# TYPE ${name} `);
    }
    expect(sample(text, 'leadforge_db_pool_connections')).toBeGreaterThan(0);
    expect(text).toMatch(/leadforge_queue_jobs\{queue="scrape\.shard",state="ready"\} \d+/);
  });

  it('counts an HTTP request under its route template, never its raw URL', async () => {
    const taskId = '0190f0a0-0000-7000-8000-000000000000';
    const before = sample(await (await scrape()).text(), 'leadforge_http_request_duration_seconds_count', {
      method: 'GET',
      route: '/api/v1/tasks/:id',
      status_class: '4xx',
    });
    const response = await api.request('GET', `tasks/${taskId}`, { token: owner.accessToken });
    expect(response.status).toBe(404);
    await response.arrayBuffer();
    const text = await (await scrape()).text();
    expect(sample(text, 'leadforge_http_request_duration_seconds_count', { method: 'GET', route: '/api/v1/tasks/:id', status_class: '4xx' })).toBe(before + 1);
    expect(text).not.toContain(taskId);
    await (await fetch(`${testApp.baseUrl}/api/v1/no-such-${taskId}`)).arrayBuffer();
    expect(await (await scrape()).text()).not.toContain(taskId);
  });

  it('counts pages fetched and leads stored by a crawl of a fixture site', async () => {
    const before = await (await scrape()).text();
    const { task } = await api.json<{ task: { id: string } }>('POST', 'scraper/start', 202, {
      token: owner.accessToken,
      body: { platform: 'website', seeds: [site.url('/')], options: { maxPages: 10, maxDepth: 1, concurrency: 2, delayMs: 0 } },
    });
    const deadline = Date.now() + 45_000;
    let view: { status: string; progress: { pagesFetched: number; leadsStored: number } };
    do {
      await new Promise((resolveWait) => setTimeout(resolveWait, 200));
      view = await api.json('GET', `tasks/${task.id}`, 200, { token: owner.accessToken });
    } while (!['completed', 'failed', 'cancelled', 'timed_out'].includes(view.status) && Date.now() < deadline);
    expect(view.status).toBe('completed');
    expect(view.progress.pagesFetched).toBe(4);

    const after = await (await scrape()).text();
    expect(sample(after, 'leadforge_pages_fetched_total') - sample(before, 'leadforge_pages_fetched_total')).toBe(4);
    const stored = sample(after, 'leadforge_leads_ingested_total', { outcome: 'stored' }) - sample(before, 'leadforge_leads_ingested_total', { outcome: 'stored' });
    expect(stored).toBe(view.progress.leadsStored);
    expect(stored).toBeGreaterThanOrEqual(4);
    expect(sample(after, 'leadforge_job_duration_seconds_count', { queue: 'scrape.shard', outcome: 'completed' })).toBeGreaterThan(
      sample(before, 'leadforge_job_duration_seconds_count', { queue: 'scrape.shard', outcome: 'completed' }),
    );
  }, 60_000);

  it('is off (404) without a configured token', async () => {
    const other = await startTestApp();
    try {
      const response = await fetch(`${other.baseUrl}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(response.status).toBe(404);
      expect((await problemOf(response)).code).toBe('route_not_found');
    } finally {
      await other.close();
    }
  });
});

describe('a worker process', () => {
  let worker: RunningProcess | undefined;

  afterAll(async () => {
    await worker?.stop('SIGKILL');
  });

  it('serves its own /metrics on METRICS_PORT behind the same token', async () => {
    const port = await freePort();
    worker = startProcess(WORKER_ENTRY, {
      NODE_ENV: 'test',
      DATABASE_URL: testApp.databaseUrl,
      DATABASE_MIGRATION_URL: testApp.databaseOwnerUrl,
      DATA_DIR: testApp.config.dataDir,
      LOG_LEVEL: 'warn',
      METRICS_TOKEN: TOKEN,
      METRICS_PORT: String(port),
      ...TEST_SECRETS,
    });
    const base = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 30_000;
    let response: Response | undefined;
    while (Date.now() < deadline) {
      response = await scrape(undefined, base).catch(() => undefined);
      if (response) break;
      await new Promise((resolveWait) => setTimeout(resolveWait, 200));
    }
    expect(response?.status, worker.output()).toBe(200);
    const text = await response!.text();
    expect(text).toContain('# TYPE leadforge_queue_jobs gauge');
    expect(text).toContain('# TYPE nodejs_eventloop_lag_seconds gauge');
    expect(sample(text, 'leadforge_db_pool_connections')).toBeGreaterThan(0);

    const unauthorized = await scrape('', base);
    expect(unauthorized.status).toBe(401);
    await problemOf(unauthorized);
  });
});
