import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { API_ENTRY, freePort, startProcess, waitForStatus } from '../support/processes';
import { BENCH_CONCURRENCY, BENCH_PAGES, median, runBareCheerio, startBenchSite } from './scrape-baseline';

/**
 * A full scrape task through the real product (HTTP start, queue, shard worker, crawl, extraction,
 * lead ingest, frontier, counters, persisted events) against a bare CheerioCrawler doing fetch +
 * parse only, at the same concurrency, on the same generated 2,000-page loopback site.
 * The API runs compiled (`npm run build:server` first) with its own embedded PostgreSQL.
 */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

interface TaskView {
  status: string;
  startedAt: string | null;
  finishedAt: string | null;
  progress: { pagesFetched: number; leadsStored: number; leadsFound: number };
}

async function json<T>(baseUrl: string, method: string, path: string, token?: string, body?: unknown): Promise<T> {
  const response = await fetch(`${baseUrl}/api/v1/${path}`, {
    method,
    headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return JSON.parse(text) as T;
}

/** The embedded cluster's superuser URL, from the data directory the API created. */
async function ownerUrl(dataDir: string): Promise<string> {
  const secrets = JSON.parse(await readFile(join(dataDir, 'secrets.json'), 'utf8')) as { databasePassword: string };
  const port = (await readFile(join(dataDir, 'pg', 'postmaster.pid'), 'utf8')).split('\n')[3]!.trim();
  return `postgres://postgres:${encodeURIComponent(secrets.databasePassword)}@127.0.0.1:${port}/leadforge`;
}

async function newAccount(baseUrl: string, dataDir: string, round: number): Promise<string> {
  const email = `bench${round}-${Date.now()}@bench.test`;
  const password = 'bench-Lantern-92-quietly';
  await json(baseUrl, 'POST', 'auth/register', undefined, { email, password, name: 'Bench', orgName: `Bench ${round}` });
  const login = await json<{ accessToken: string; user: { organization: { id: string } } }>(baseUrl, 'POST', 'auth/login', undefined, { email, password });
  await json(baseUrl, 'POST', 'scraper/estimate', login.accessToken, { platform: 'website', seeds: ['https://bench.example/'] });
  const client = new Client({ connectionString: await ownerUrl(dataDir) });
  await client.connect();
  await client.query(`UPDATE credit_account SET plan = 'business' WHERE org_id = $1`, [login.user.organization.id]);
  await client.end();
  return login.accessToken;
}

async function runTask(baseUrl: string, token: string, seed: string, maxPages = BENCH_PAGES + 50): Promise<{ pagesPerSecond: number; pages: number; seconds: number; leads: number }> {
  const { task } = await json<{ task: { id: string } }>(baseUrl, 'POST', 'scraper/start', token, {
    platform: 'website',
    seeds: [seed],
    options: { maxPages, maxDepth: 5, concurrency: BENCH_CONCURRENCY, delayMs: 0, respectRobots: true },
  });
  let view: TaskView;
  do {
    await new Promise((resolve) => setTimeout(resolve, 100));
    view = await json<TaskView>(baseUrl, 'GET', `tasks/${task.id}`, token);
  } while (!['completed', 'failed', 'cancelled', 'timed_out'].includes(view.status));
  if (view.status !== 'completed') throw new Error(`task ended ${view.status}`);
  if (maxPages <= BENCH_PAGES && view.progress.pagesFetched !== maxPages) throw new Error(`warm-up fetched ${view.progress.pagesFetched} pages`);
  const seconds = (Date.parse(view.finishedAt!) - Date.parse(view.startedAt!)) / 1000;
  return { pagesPerSecond: view.progress.pagesFetched / seconds, pages: view.progress.pagesFetched, seconds, leads: view.progress.leadsStored };
}

async function main(): Promise<void> {
  const site = await startBenchSite(BENCH_PAGES);
  const dataDir = await mkdtemp(join(tmpdir(), 'leadforge-bench-scrape-'));
  const port = await freePort();
  const api = startProcess(API_ENTRY, {
    NODE_ENV: 'development',
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    ALLOW_PRIVATE_TARGETS: 'true',
    LOG_LEVEL: 'warn',
    DEFAULT_CREDITS: '100000',
    ADMIN_DIST_DIR: join(dataDir, 'no-admin'),
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  try {
    await waitForStatus(`${baseUrl}/api/v1/health/ready`, 200, 60_000).catch((error: unknown) => {
      throw new Error(`the API did not become ready: ${(error as Error).message}\n${api.output().slice(-3000)}`);
    });
    process.stdout.write(`site: ${BENCH_PAGES} pages, ${(site.averageBytes / 1024).toFixed(1)} KB average, concurrency ${BENCH_CONCURRENCY}, ${cpus().length} CPUs, ${ROUNDS} rounds\n`);
    // Warm-up of both paths (JIT, sockets, the extraction threads) before anything is measured.
    await runBareCheerio(site.urls.slice(0, 200));
    await runTask(baseUrl, await newAccount(baseUrl, dataDir, -1), site.urls[0]!, 200);
    const bare: number[] = [];
    const full: number[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      const token = await newAccount(baseUrl, dataDir, round);
      const order = round % 2 === 0 ? (['bare', 'task'] as const) : (['task', 'bare'] as const);
      for (const which of order) {
        if (which === 'bare') {
          const result = await runBareCheerio(site.urls);
          bare.push(result.pagesPerSecond);
          process.stdout.write(`  round ${round + 1} bare CheerioCrawler (fetch + parse): ${result.pagesPerSecond.toFixed(1)} pages/s (${result.pages} pages in ${result.seconds.toFixed(2)} s)\n`);
        } else {
          const result = await runTask(baseUrl, token, site.urls[0]!);
          full.push(result.pagesPerSecond);
          process.stdout.write(
            `  round ${round + 1} full task (fetch + extract + store + events): ${result.pagesPerSecond.toFixed(1)} pages/s (${result.pages} pages in ${result.seconds.toFixed(2)} s, ${result.leads} leads stored)\n`,
          );
        }
      }
    }
    const ratio = median(full) / median(bare);
    process.stdout.write(`median bare CheerioCrawler: ${median(bare).toFixed(1)} pages/s\n`);
    process.stdout.write(`median full task:           ${median(full).toFixed(1)} pages/s\n`);
    process.stdout.write(`ratio full task / bare:     ${ratio.toFixed(2)} (target >= 0.70)\n`);
  } finally {
    await api.stop('SIGTERM', 30_000);
    await site.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
