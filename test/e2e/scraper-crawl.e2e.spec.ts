import { resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, type Session } from '../support/api-client';
import { startFixtureServer, type FixtureServer } from '../support/fixture-server';
import { expectLedgerInvariant, ownerClient } from '../support/ledger';
import { startTestApp, type TestApp } from '../support/test-app';

interface TaskView {
  id: string;
  status: string;
  creditsReserved: number;
  creditsCharged: number;
  progress: { pagesFetched: number; pagesFailed: number; pagesQueued: number; leadsFound: number; leadsStored: number; duplicates: number; percent: number };
}

let testApp: TestApp;
let api: ApiClient;
let owner: Session;
const servers: FixtureServer[] = [];

async function waitForTask(taskId: string, until: (task: TaskView) => boolean, timeoutMs = 30_000): Promise<TaskView> {
  const deadline = Date.now() + timeoutMs;
  let task: TaskView | undefined;
  while (Date.now() < deadline) {
    task = await api.json<TaskView>('GET', `tasks/${taskId}`, 200, { token: owner.accessToken });
    if (until(task)) return task;
    await new Promise((resolveWait) => setTimeout(resolveWait, 100));
  }
  throw new Error(`task did not reach the expected state in ${timeoutMs} ms: ${JSON.stringify(task)}`);
}

const finished = (task: TaskView): boolean => ['completed', 'failed', 'cancelled', 'timed_out'].includes(task.status);

async function start(body: Record<string, unknown>): Promise<TaskView> {
  return (await api.json<{ task: TaskView }>('POST', 'scraper/start', 202, { token: owner.accessToken, body })).task;
}

async function balance(): Promise<number> {
  const client = await ownerClient(testApp.databaseUrl);
  try {
    return Number((await client.query(`SELECT balance FROM credit_account WHERE org_id = $1`, [owner.user.organization.id])).rows[0].balance);
  } finally {
    await client.end();
  }
}

/** A chain of generated pages: / -> /d1 -> /d2 -> ..., each ~2 KB with a contact. */
function chainSite(length: number, delayMs = 0): Promise<FixtureServer> {
  return startFixtureServer({
    delayMs,
    robotsTxt: 'User-agent: *\nAllow: /\n',
    generate: (path) => {
      const match = /^\/(?:d(\d+))?$/.exec(path);
      if (!match) return null;
      const depth = Number(match[1] ?? 0);
      const next = depth + 1 < length ? `<a href="/d${depth + 1}">next</a>` : '';
      return `<!doctype html><html lang="en"><head><title>Page ${depth}</title></head><body><h1>Page ${depth}</h1>${next}<p>Write to person${depth}@chain-corp.com.</p></body></html>`;
    },
  });
}

beforeAll(async () => {
  testApp = await startTestApp({ DEFAULT_CREDITS: '5000' });
  api = new ApiClient(testApp.baseUrl);
  await api.register('owner@crawl.test', 'Olivia Owner', 'Crawl Co');
  owner = await api.login('owner@crawl.test');
  const client = await ownerClient(testApp.databaseUrl);
  await api.json('POST', 'scraper/estimate', 200, { token: owner.accessToken, body: { platform: 'website', seeds: ['https://x.example/'] } });
  await client.query(`UPDATE credit_account SET plan = 'business' WHERE org_id = $1`, [owner.user.organization.id]);
  await client.end();
});

afterEach(async () => {
  await expectLedgerInvariant(testApp.databaseUrl);
});

afterAll(async () => {
  await Promise.all(servers.map((server) => server.close()));
  await testApp?.close();
});

describe('a website task on a fixture site', () => {
  it('completes, stores classified and scored leads with sources, never fetches robots-disallowed pages, and charges pages fetched', async () => {
    const site = await startFixtureServer({ root: resolve(__dirname, '../fixtures/sites/northwind-analytics'), robotsTxt: 'User-agent: *\nDisallow: /careers.html\n' });
    servers.push(site);
    const before = await balance();
    const task = await start({ platform: 'website', seeds: [site.url('/')], options: { maxPages: 20, maxDepth: 1, delayMs: 0 }, leadObjective: 'recruiting' });
    const done = await waitForTask(task.id, finished);

    expect(done.status).toBe('completed');
    expect(site.hits('/careers.html')).toBe(0);
    expect(done.progress.pagesFetched).toBeGreaterThanOrEqual(4);
    expect(done.progress.percent).toBe(100);
    expect(done.creditsCharged).toBe(done.progress.pagesFetched);
    expect(await balance()).toBe(before - done.creditsCharged);
    expect(done.progress.leadsStored).toBeGreaterThan(0);

    const client = await ownerClient(testApp.databaseUrl);
    try {
      const people = await client.query(
        `SELECT full_name, job_title, job_level, education_level, degree_type, confidence, confidence_reasons, sources, lead_objective, platform, task_id
           FROM lead WHERE org_id = $1 AND kind = 'person' ORDER BY full_name`,
        [owner.user.organization.id],
      );
      const maya = people.rows.find((row) => row.full_name === 'Maya Chen');
      expect(maya, 'Maya Chen (team page) is stored').toBeDefined();
      expect(maya).toMatchObject({ job_title: 'Co-Founder & CEO', job_level: 'c_suite', education_level: 'master', degree_type: 'MBA', lead_objective: 'recruiting', platform: 'website', task_id: task.id });
      expect(maya.confidence).toBeGreaterThan(0);
      expect(maya.confidence_reasons.length).toBeGreaterThan(0);
      expect(maya.sources).toEqual([expect.objectContaining({ url: site.url('/team.html'), taskId: task.id })]);

      const duplicates = await client.query(`SELECT dedup_key, count(*) FROM lead WHERE org_id = $1 GROUP BY dedup_key HAVING count(*) > 1`, [owner.user.organization.id]);
      expect(duplicates.rowCount).toBe(0);
      const company = await client.query(`SELECT sources FROM lead WHERE org_id = $1 AND kind = 'company'`, [owner.user.organization.id]);
      expect(company.rows.some((row) => row.sources.length > 1), 'the company seen on several pages is one merged lead').toBe(true);
    } finally {
      await client.end();
    }

    const events = await api.json<{ items: Array<{ seq: number; type: string; payload: Record<string, unknown> }> }>('GET', `tasks/${task.id}/events?sinceSeq=0&limit=1000`, 200, {
      token: owner.accessToken,
    });
    expect(events.items.map((event) => event.seq)).toEqual(events.items.map((_, index) => index + 1));
    const statuses = events.items.filter((event) => event.type === 'task.status').map((event) => event.payload.status);
    expect(statuses).toEqual(['queued', 'running', 'completed']);
    const progress = events.items.filter((event) => event.type === 'task.progress');
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.at(-1)!.payload).toMatchObject({ percent: 100, pagesFetched: done.progress.pagesFetched });
    expect(events.items.some((event) => event.type === 'task.leads')).toBe(true);
  });

  it('never fetches a page beyond maxDepth', async () => {
    const site = await chainSite(5);
    servers.push(site);
    const task = await start({ platform: 'website', seeds: [site.url('/')], options: { maxPages: 10, maxDepth: 1, delayMs: 0 } });
    const done = await waitForTask(task.id, finished);
    expect(done.status).toBe('completed');
    expect(site.hits('/d1')).toBe(1);
    expect(site.hits('/d2')).toBe(0);
    expect(done.creditsCharged).toBe(2);
  });

  it('pauses within a second or two, resumes without fetching done pages again, and completes', async () => {
    // Six pages of 700 ms each: long enough that the pause lands mid-crawl even on a loaded machine.
    const site = await chainSite(12, 700);
    servers.push(site);
    const task = await start({ platform: 'website', seeds: [site.url('/')], options: { maxPages: 20, maxDepth: 5, concurrency: 1, delayMs: 0 } });
    await waitForTask(task.id, (view) => view.progress.pagesFetched >= 2);
    await api.json('POST', `scraper/pause/${task.id}`, 200, { token: owner.accessToken });
    const pausedAt = Date.now();
    await waitForTask(task.id, (view) => view.status === 'paused');
    await new Promise((resolveWait) => setTimeout(resolveWait, 1_500));
    const requestsWhilePaused = site.requests.filter((request) => request.at > pausedAt + 1_000 && request.path !== '/robots.txt');
    expect(requestsWhilePaused, 'no fetching a second after pause').toEqual([]);

    await api.json('POST', `scraper/resume/${task.id}`, 200, { token: owner.accessToken });
    const done = await waitForTask(task.id, finished);
    expect(done.status).toBe('completed');
    for (const path of ['/', '/d1', '/d2', '/d3', '/d4', '/d5']) expect(site.hits(path), path).toBe(1);
    expect(done.creditsCharged).toBe(6);
  });

  it('stops mid-crawl: fetching ends, the task is cancelled and only fetched pages are charged', async () => {
    const site = await chainSite(30, 300);
    servers.push(site);
    const before = await balance();
    const task = await start({ platform: 'website', seeds: [site.url('/')], options: { maxPages: 30, maxDepth: 5, concurrency: 1, delayMs: 0 } });
    await waitForTask(task.id, (view) => view.progress.pagesFetched >= 2);
    const stopped = await api.json<TaskView>('POST', `scraper/stop/${task.id}`, 200, { token: owner.accessToken });
    expect(stopped.status).toBe('cancelled');
    const stoppedAt = Date.now();
    await new Promise((resolveWait) => setTimeout(resolveWait, 1_500));
    expect(site.requests.filter((request) => request.at > stoppedAt + 700), 'no fetching after stop').toEqual([]);
    // Settled once the running shard has ended: exactly the fetched pages are charged.
    let after = await api.json<TaskView>('GET', `tasks/${task.id}`, 200, { token: owner.accessToken });
    for (let attempt = 0; attempt < 50 && (await balance()) !== before - after.creditsCharged; attempt += 1) {
      await new Promise((resolveWait) => setTimeout(resolveWait, 100));
      after = await api.json<TaskView>('GET', `tasks/${task.id}`, 200, { token: owner.accessToken });
    }
    expect(after.status).toBe('cancelled');
    expect(after.creditsCharged).toBe(after.progress.pagesFetched);
    expect(after.progress.pagesFetched).toBeLessThan(10);
    expect(await balance()).toBe(before - after.creditsCharged);
  });
});
