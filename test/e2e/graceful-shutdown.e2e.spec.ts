import { request as httpRequest } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, STRONG_PASSWORD, type Session } from '../support/api-client';
import { startFixtureServer, type FixtureServer } from '../support/fixture-server';
import { expectLedgerInvariant, ownerClient } from '../support/ledger';
import { API_ENTRY, freePort, startProcess, waitForStatus, WORKER_ENTRY, type RunningProcess } from '../support/processes';
import { waitForPagesFetched } from '../support/task-progress';
import { startTestApp, TEST_SECRETS, type TestApp } from '../support/test-app';

const NAMES = ['Ava Thompson', 'Liam Carter', 'Mia Patel', 'Noah Fischer', 'Emma Rossi', 'Lucas Meyer', 'Olivia Brooks', 'Ethan Nakamura', 'Sofia Alvarez', 'Mason Clarke',
  'Isla Murphy', 'Leo Schneider', 'Chloe Dubois', 'Jack Wilson', 'Grace Kim', 'Henry Walsh', 'Zoe Laurent', 'Oscar Novak', 'Ruby Jensen', 'Felix Wagner'];
const PAGES = NAMES.length;

let testApp: TestApp;
let api: ApiClient;
let owner: Session;
let site: FixtureServer;
let dataDir: string;
const processes: RunningProcess[] = [];
const sockets: Socket[] = [];

function common(): Record<string, string> {
  return { NODE_ENV: 'test', DATABASE_URL: testApp.databaseUrl, DATA_DIR: dataDir, ALLOW_PRIVATE_TARGETS: 'true', LOG_LEVEL: 'warn', ...TEST_SECRETS };
}

function startWorker(): RunningProcess {
  const worker = startProcess(WORKER_ENTRY, common());
  processes.push(worker);
  return worker;
}

beforeAll(async () => {
  // The API in this process takes no jobs; the workers are compiled processes.
  testApp = await startTestApp({ WORKERS_IN_PROCESS: 'false' });
  api = new ApiClient(testApp.baseUrl);
  dataDir = await mkdtemp(join(tmpdir(), 'leadforge-shutdown-'));
  await api.register('shutdown@ops.test', 'Sam', 'Shutdown Co');
  owner = await api.login('shutdown@ops.test');
  site = await startFixtureServer({
    delayMs: 150,
    robotsTxt: 'User-agent: *\nAllow: /\n',
    generate: (path) => {
      const match = /^\/(?:s(\d+))?$/.exec(path);
      if (!match) return null;
      const index = Number(match[1] ?? 0);
      const links = index === 0 ? Array.from({ length: PAGES - 1 }, (_, page) => `<a href="/s${page + 1}">team ${page + 1}</a>`).join(' ') : '';
      const [first] = NAMES[index]!.split(' ');
      return `<!doctype html><html lang="en"><head><title>Team ${index}</title></head><body><h1>Team page ${index}</h1>${links}
        <section class="team"><div class="member"><h3>${NAMES[index]}</h3><p class="role">Head of Sales</p><a href="mailto:${first!.toLowerCase()}@shutdown-corp.com">Email ${first}</a></div></section>
        <footer>Shutdown Corp</footer></body></html>`;
    },
  });
});

afterAll(async () => {
  for (const socket of sockets) socket.disconnect();
  await Promise.all(processes.map((process) => process.stop('SIGKILL')));
  await site?.close();
  await testApp?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('SIGTERM to a worker mid-task', () => {
  it('releases the running shard at a checkpoint; another worker completes it, every page fetched exactly once', async () => {
    const first = startWorker();
    const { task } = await api.json<{ task: { id: string } }>('POST', 'scraper/start', 202, {
      token: owner.accessToken,
      body: { platform: 'website', seeds: [site.url('/')], options: { maxPages: 40, maxDepth: 1, concurrency: 1, delayMs: 0 } },
    });
    const fetched = await waitForPagesFetched(api, owner.accessToken, task.id, 4);
    const deadline = Date.now() + 60_000;
    expect(fetched, first.output().slice(-3000)).toBeGreaterThanOrEqual(4);

    const second = startWorker();
    const exitCode = await first.stop('SIGTERM', 30_000);
    expect(exitCode, first.output().slice(-3000)).toBe(0);
    const atRelease = (await api.json<{ status: string; progress: { pagesFetched: number } }>('GET', `tasks/${task.id}`, 200, { token: owner.accessToken }));
    expect(atRelease.status).toBe('running');
    expect(atRelease.progress.pagesFetched).toBeLessThan(PAGES);

    let view: { status: string; creditsCharged: number; creditsReserved: number; progress: { pagesFetched: number } } | undefined;
    do {
      await new Promise((resolveWait) => setTimeout(resolveWait, 250));
      view = await api.json('GET', `tasks/${task.id}`, 200, { token: owner.accessToken });
    } while (!['completed', 'failed', 'cancelled', 'timed_out'].includes(view!.status) && Date.now() < deadline + 60_000);
    expect(view!.status, second.output().slice(-3000)).toBe('completed');
    expect(view!.progress.pagesFetched).toBe(PAGES);
    expect(view!.creditsCharged).toBe(PAGES);
    for (let page = 0; page < PAGES; page += 1) expect(site.hits(page === 0 ? '/' : `/s${page}`), `page ${page}\n${first.output().slice(-3000)}`).toBe(1);

    const client = await ownerClient(testApp.databaseUrl);
    try {
      const shard = await client.query(`SELECT status, generation, attempts FROM task_shard WHERE task_id = $1`, [task.id]);
      expect(shard.rows).toEqual([expect.objectContaining({ status: 'completed', generation: 2, attempts: 2 })]);
      const settlements = await client.query(`SELECT delta FROM credit_ledger WHERE task_id = $1 AND reason IN ('task_settlement', 'task_refund')`, [task.id]);
      expect(settlements.rows.map((row) => row.delta)).toEqual([40 - PAGES]);
      const duplicates = await client.query(`SELECT dedup_key FROM lead WHERE org_id = $1 GROUP BY dedup_key HAVING count(*) > 1`, [owner.user.organization.id]);
      expect(duplicates.rowCount).toBe(0);
    } finally {
      await client.end();
    }
    await expectLedgerInvariant(testApp.databaseUrl);
  }, 150_000);
});

describe('SIGTERM to an API node', () => {
  it('turns readiness false first, lets an in-flight request finish with 200, and tells sockets to reconnect elsewhere', async () => {
    const port = await freePort();
    const node = startProcess(API_ENTRY, {
      ...common(),
      PORT: String(port),
      HOST: '127.0.0.1',
      WORKERS_IN_PROCESS: 'false',
      ADMIN_DIST_DIR: join(dataDir, 'no-admin'),
      SHUTDOWN_DRAIN_MS: '1500',
      SHUTDOWN_TIMEOUT_MS: '10000',
    });
    processes.push(node);
    const base = `http://127.0.0.1:${port}`;
    await waitForStatus(`${base}/api/v1/health/ready`, 200, 45_000);

    const socket = io(`${base}/events`, { transports: ['websocket'], reconnection: false, forceNew: true, auth: { token: owner.accessToken } });
    sockets.push(socket);
    await new Promise<void>((resolveConnect, reject) => {
      socket.once('connect', resolveConnect);
      socket.once('connect_error', reject);
    });
    const notice = new Promise<{ reason: string; reconnect: boolean }>((resolveNotice) => socket.once('server.shutdown', resolveNotice));
    const disconnected = new Promise<string>((resolveDisconnect) => socket.once('disconnect', resolveDisconnect));

    // A login whose body is still arriving when SIGTERM lands: the request is in flight.
    const body = JSON.stringify({ email: 'shutdown@ops.test', password: STRONG_PASSWORD });
    const slow = httpRequest(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } });
    const answered = new Promise<{ status: number; text: string }>((resolveAnswer, reject) => {
      slow.once('response', (response) => {
        let text = '';
        response.on('data', (chunk: Buffer) => (text += chunk.toString()));
        response.once('end', () => resolveAnswer({ status: response.statusCode ?? 0, text }));
      });
      slow.once('error', reject);
    });
    slow.write(body.slice(0, 10));
    slow.flushHeaders();
    await new Promise((resolveWait) => setTimeout(resolveWait, 300));

    node.child.kill('SIGTERM');
    await new Promise((resolveWait) => setTimeout(resolveWait, 300));
    const ready = await fetch(`${base}/api/v1/health/ready`);
    expect(ready.status).toBe(503);
    expect(((await ready.json()) as { checks: Record<string, string> }).checks.accepting).toBe('down');
    const live = await fetch(`${base}/api/v1/health/live`);
    expect(live.status).toBe(200);
    await live.arrayBuffer();

    expect(await notice).toMatchObject({ reason: 'shutdown', reconnect: true });
    expect(await disconnected).toBe('transport close');
    await new Promise((resolveWait) => setTimeout(resolveWait, 500));
    slow.end(body.slice(10));
    const result = await answered;
    expect(result.status, result.text).toBe(200);
    expect(JSON.parse(result.text)).toHaveProperty('accessToken');

    expect(await node.exited(20_000)).toBe(0);
  }, 90_000);
});
