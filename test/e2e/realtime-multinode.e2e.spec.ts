import type { ClientToServerEvents, ServerToClientEvents } from '@leadforge/contracts';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, type Session } from '../support/api-client';
import { startFixtureServer, type FixtureServer } from '../support/fixture-server';
import { API_ENTRY, freePort, startProcess, waitForStatus, WORKER_ENTRY, type RunningProcess } from '../support/processes';
import { startTestApp, TEST_SECRETS, type TestApp } from '../support/test-app';

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
interface Received {
  type: string;
  seq: number;
  taskId: string;
  status?: string;
}

let nodeA: TestApp;
let nodeB: RunningProcess;
let nodeBUrl: string;
let worker: RunningProcess;
let site: FixtureServer;
let dataDir: string;
let owner: Session;
const sockets: ClientSocket[] = [];

async function subscribed(baseUrl: string, token: string, taskId: string): Promise<Received[]> {
  const socket: ClientSocket = io(`${baseUrl}/events`, { transports: ['websocket'], reconnection: false, forceNew: true, auth: { token } });
  sockets.push(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
  const received: Received[] = [];
  socket.onAny((type: string, payload: Omit<Received, 'type'>) => {
    if (type.startsWith('task.')) received.push({ ...payload, type });
  });
  expect(await socket.emitWithAck('subscribe', { taskId, sinceSeq: 0 })).toMatchObject({ ok: true });
  return received;
}

beforeAll(async () => {
  // Node A is this process; node B and the worker are separate compiled processes on the same database.
  nodeA = await startTestApp({ WORKERS_IN_PROCESS: 'false' });
  dataDir = await mkdtemp(join(tmpdir(), 'leadforge-multinode-'));
  const port = await freePort();
  const common = { NODE_ENV: 'test', DATABASE_URL: nodeA.databaseUrl, DATA_DIR: dataDir, ALLOW_PRIVATE_TARGETS: 'true', LOG_LEVEL: 'warn', ...TEST_SECRETS };
  nodeB = startProcess(API_ENTRY, { ...common, PORT: String(port), HOST: '127.0.0.1', WORKERS_IN_PROCESS: 'false', ADMIN_DIST_DIR: join(dataDir, 'no-admin') });
  worker = startProcess(WORKER_ENTRY, common);
  nodeBUrl = `http://127.0.0.1:${port}`;
  await waitForStatus(`${nodeBUrl}/api/v1/health/ready`, 200, 45_000);

  const api = new ApiClient(nodeA.baseUrl);
  await api.register('multi@realtime.test', 'Mia Multi', 'Multi Co');
  owner = await api.login('multi@realtime.test');
  site = await startFixtureServer({
    delayMs: 50,
    robotsTxt: 'User-agent: *\nAllow: /\n',
    generate: (path) => {
      const match = /^\/(?:p(\d+))?$/.exec(path);
      if (!match) return null;
      const index = Number(match[1] ?? 0);
      const links = index === 0 ? Array.from({ length: 8 }, (_, page) => `<a href="/p${page + 1}">page ${page + 1}</a>`).join(' ') : '';
      return `<!doctype html><html lang="en"><body><h1>Page ${index}</h1>${links}<p>Write to team${index}@multi-node.com.</p></body></html>`;
    },
  });
});

afterAll(async () => {
  for (const socket of sockets) socket.disconnect();
  await Promise.all([worker?.stop(), nodeB?.stop()]);
  await site?.close();
  await nodeA?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('two API nodes and a worker process on one Postgres', () => {
  it('deliver the events of a task run by the worker to a client on node A and a client on node B, in order and complete', async () => {
    const apiB = new ApiClient(nodeBUrl);
    const { task } = await apiB.json<{ task: { id: string } }>('POST', 'scraper/start', 202, {
      token: owner.accessToken,
      body: { platform: 'website', seeds: [site.url('/')], options: { maxPages: 9, maxDepth: 1, concurrency: 1, delayMs: 0 } },
    });
    const [onA, onB] = await Promise.all([subscribed(nodeA.baseUrl, owner.accessToken, task.id), subscribed(nodeBUrl, owner.accessToken, task.id)]);

    const done = (events: Received[]): boolean => events.some((event) => event.type === 'task.status' && event.status === 'completed');
    const deadline = Date.now() + 60_000;
    while (!(done(onA) && done(onB))) {
      if (Date.now() > deadline) throw new Error(`no completion on both nodes:\n${worker.output().slice(-3000)}\n---\n${nodeB.output().slice(-3000)}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }

    const stored = (await apiB.json<{ items: Array<{ seq: number; type: string }> }>('GET', `tasks/${task.id}/events?sinceSeq=0&limit=1000`, 200, { token: owner.accessToken })).items;
    const lastProgress = Math.max(...stored.filter((event) => event.type === 'task.progress').map((event) => event.seq));
    for (const received of [onA, onB]) {
      const seqs = received.filter((event) => event.taskId === task.id).map((event) => event.seq);
      expect(seqs).toEqual([...new Set(seqs)].sort((a, b) => a - b));
      const missing = stored.filter((event) => !seqs.includes(event.seq));
      expect(missing.every((event) => event.type === 'task.progress' && event.seq < lastProgress), JSON.stringify(missing)).toBe(true);
      expect(new Set(received.map((event) => event.type))).toEqual(new Set(['task.status', 'task.progress', 'task.leads', ...(received.some((event) => event.type === 'task.log') ? ['task.log'] : [])]));
    }
    expect(worker.output()).not.toMatch(/"level":(50|60)/);
    expect(nodeB.output()).not.toMatch(/"level":(50|60)/);
  });
});
