import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, type Session } from '../support/api-client';
import { startFixtureServer, type FixtureServer } from '../support/fixture-server';
import { expectLedgerInvariant, ownerClient } from '../support/ledger';
import { startProcess, WORKER_ENTRY, type RunningProcess } from '../support/processes';
import { waitForPagesFetched } from '../support/task-progress';
import { startTestApp, TEST_SECRETS, type TestApp } from '../support/test-app';

const NAMES = ['Ava Thompson', 'Liam Carter', 'Mia Patel', 'Noah Fischer', 'Emma Rossi', 'Lucas Meyer', 'Olivia Brooks', 'Ethan Nakamura', 'Sofia Alvarez', 'Mason Clarke',
  'Isla Murphy', 'Leo Schneider', 'Chloe Dubois', 'Jack Wilson', 'Grace Kim', 'Henry Walsh', 'Zoe Laurent', 'Oscar Novak', 'Ruby Jensen', 'Felix Wagner',
  'Lily Evans', 'Samuel Ortiz', 'Hannah Berg', 'Daniel Costa', 'Nora Lindqvist'];

let testApp: TestApp;
let api: ApiClient;
let owner: Session;
let site: FixtureServer;
let dataDir: string;
const workers: RunningProcess[] = [];

function startWorker(): RunningProcess {
  const worker = startProcess(WORKER_ENTRY, {
    NODE_ENV: 'test',
    DATABASE_URL: testApp.config.databaseUrl!,
    DATA_DIR: dataDir,
    ALLOW_PRIVATE_TARGETS: 'true',
    LOG_LEVEL: 'warn',
    ...TEST_SECRETS,
  });
  workers.push(worker);
  return worker;
}

beforeAll(async () => {
  // The API takes no jobs; separate worker processes do.
  testApp = await startTestApp({ WORKERS_IN_PROCESS: 'false', DEFAULT_CREDITS: '1000' });
  api = new ApiClient(testApp.baseUrl);
  dataDir = await mkdtemp(join(tmpdir(), 'leadforge-crash-'));
  await api.register('crash@crawl.test', 'Casey', 'Crash Co');
  owner = await api.login('crash@crawl.test');
  site = await startFixtureServer({
    delayMs: 120,
    robotsTxt: 'User-agent: *\nAllow: /\n',
    generate: (path) => {
      const match = /^\/(?:p(\d+))?$/.exec(path);
      if (!match) return null;
      const index = Number(match[1] ?? 0);
      // The home page links every team page (depth 1), so the whole site is within reach.
      const next = index === 0 ? Array.from({ length: 24 }, (_, page) => `<a href="/p${page + 1}">team ${page + 1}</a>`).join(' ') : '';
      return `<!doctype html><html lang="en"><head><title>Team ${index}</title></head><body><h1>Team page ${index}</h1>${next}
        <section class="team"><div class="member"><h3>${NAMES[index]}</h3><p class="role">Head of Sales</p><a href="mailto:${NAMES[index]!.split(' ')[0]!.toLowerCase()}@crash-corp.com">Email ${NAMES[index]!.split(' ')[0]}</a></div></section>
        <footer>Crash Corp, contact hello@crash-corp.com</footer></body></html>`;
    },
  });
});

afterAll(async () => {
  await Promise.all(workers.map((worker) => worker.stop('SIGKILL')));
  await site?.close();
  await testApp?.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('a worker killed mid-task', () => {
  it('leaves the task to another worker: it completes, with no duplicate leads and credits settled once', async () => {
    const first = startWorker();
    const { task } = await api.json<{ task: { id: string } }>('POST', 'scraper/start', 202, {
      token: owner.accessToken,
      body: { platform: 'website', seeds: [site.url('/')], options: { maxPages: 40, maxDepth: 1, concurrency: 1, delayMs: 0 } },
    });

    const fetched = await waitForPagesFetched(api, owner.accessToken, task.id, 5);
    const deadline = Date.now() + 60_000;
    expect(fetched, first.output().slice(-3000)).toBeGreaterThanOrEqual(5);
    first.child.kill('SIGKILL');
    await first.exited(5_000);

    startWorker();
    let status = '';
    let view: { status: string; creditsCharged: number; progress: { pagesFetched: number } } | undefined;
    while (!['completed', 'failed', 'cancelled', 'timed_out'].includes(status) && Date.now() < deadline + 60_000) {
      view = await api.json('GET', `tasks/${task.id}`, 200, { token: owner.accessToken });
      status = view!.status;
      await new Promise((resolveWait) => setTimeout(resolveWait, 250));
    }
    expect(status, workers.map((worker) => worker.output()).join('\n---\n').slice(-4000)).toBe('completed');
    expect(view!.progress.pagesFetched).toBe(25);
    expect(view!.creditsCharged).toBe(25);

    const client = await ownerClient(testApp.databaseUrl);
    try {
      const duplicates = await client.query(`SELECT dedup_key FROM lead WHERE org_id = $1 GROUP BY dedup_key HAVING count(*) > 1`, [owner.user.organization.id]);
      expect(duplicates.rowCount).toBe(0);
      const people = await client.query(`SELECT count(*)::int AS n FROM lead WHERE org_id = $1 AND kind = 'person'`, [owner.user.organization.id]);
      expect(people.rows[0].n).toBe(25);
      const settlements = await client.query(`SELECT delta FROM credit_ledger WHERE task_id = $1 AND reason IN ('task_settlement', 'task_refund')`, [task.id]);
      expect(settlements.rows.map((row) => row.delta)).toEqual([40 - 25]);
      const pages = await client.query(`SELECT count(*)::int AS n FROM task_page WHERE task_id = $1 AND state = 'fetched'`, [task.id]);
      expect(pages.rows[0].n).toBe(25);
    } finally {
      await client.end();
    }
    await expectLedgerInvariant(testApp.databaseUrl);
  }, 150_000);

  it('recovers at start-up a task that a dead process left running with no job to resume it', async () => {
    const { task } = await api.json<{ task: { id: string } }>('POST', 'scraper/start', 202, {
      token: owner.accessToken,
      body: { platform: 'website', seeds: [site.url('/')], options: { maxPages: 3, maxDepth: 1, concurrency: 1, delayMs: 0 } },
    });
    const client = await ownerClient(testApp.databaseUrl);
    try {
      // What a process killed right after claiming the shard leaves behind, with its job gone.
      await client.query(`UPDATE scrape_task SET status = 'running', started_at = now() - interval '5 minutes', deadline_at = now() + interval '1 hour' WHERE id = $1`, [task.id]);
      await client.query(`UPDATE task_shard SET status = 'running', heartbeat_at = now() - interval '5 minutes' WHERE task_id = $1`, [task.id]);
      await client.query(`DELETE FROM pgboss.job WHERE name = 'scrape.shard' AND data->>'taskId' = $1`, [task.id]);
    } finally {
      await client.end();
    }
    startWorker();
    const deadline = Date.now() + 60_000;
    let view: { status: string; creditsCharged: number; progress: { pagesFetched: number } } | undefined;
    do {
      await new Promise((resolveWait) => setTimeout(resolveWait, 250));
      view = await api.json('GET', `tasks/${task.id}`, 200, { token: owner.accessToken });
    } while (view!.status === 'running' && Date.now() < deadline);
    expect(view!.status).toBe('completed');
    expect(view!.creditsCharged).toBe(view!.progress.pagesFetched);
    expect(view!.progress.pagesFetched).toBe(3);
    await expectLedgerInvariant(testApp.databaseUrl);
  }, 90_000);
});
