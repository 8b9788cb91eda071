import type { ClientToServerEvents, ServerToClientEvents } from '@leadforge/contracts';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ApiClient, problemOf, type Session } from '../support/api-client';
import { claimedShards, startCluster, type ApiNode, type Cluster } from '../support/cluster';
import { startFixtureServer, type FixtureServer } from '../support/fixture-server';
import { expectLedgerInvariant, ownerClient } from '../support/ledger';
import { TEST_SECRETS } from '../support/test-app';
import { createTestDatabase, runtimeUrl } from '../support/test-postgres';

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
interface Received {
  type: string;
  seq: number;
  taskId: string;
  status?: string;
}
interface TaskView {
  id: string;
  status: string;
  creditsReserved: number;
  creditsCharged: number;
  progress: { pagesFetched: number };
}
interface StoredEvent {
  seq: number;
  type: string;
}

const TERMINAL = ['completed', 'failed', 'cancelled', 'timed_out'];
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let cluster: Cluster;
let owner: Session;
const sites: FixtureServer[] = [];
const sockets: ClientSocket[] = [];

/** A site of `pages` pages: the home page links every other page (depth 1), each page names one person. */
async function site(name: string, pages: number, delayMs: number): Promise<FixtureServer> {
  const server = await startFixtureServer({
    delayMs,
    robotsTxt: 'User-agent: *\nAllow: /\n',
    generate: (path) => {
      const match = /^\/(?:p(\d+))?$/.exec(path);
      if (!match) return null;
      const index = Number(match[1] ?? 0);
      if (index >= pages) return null;
      const links = index === 0 ? Array.from({ length: pages - 1 }, (_, page) => `<a href="/p${page + 1}">page ${page + 1}</a>`).join(' ') : '';
      return `<!doctype html><html lang="en"><head><title>${name} ${index}</title></head><body><h1>${name} page ${index}</h1>${links}
        <p>Write to person${index}@${name}.com for anything about ${name}.</p></body></html>`;
    },
  });
  sites.push(server);
  return server;
}

/** Every HTML page of the site, by path, with its number of hits (robots.txt aside). */
function pageHits(server: FixtureServer): Record<string, number> {
  const hits: Record<string, number> = {};
  for (const path of server.paths()) if (path !== '/robots.txt') hits[path] = (hits[path] ?? 0) + 1;
  return hits;
}

function api(node: ApiNode): ApiClient {
  return new ApiClient(node.url);
}

async function startTask(node: ApiNode, server: FixtureServer, maxPages: number): Promise<string> {
  const { task } = await api(node).json<{ task: { id: string } }>('POST', 'scraper/start', 202, {
    token: owner.accessToken,
    body: { platform: 'website', seeds: [server.url('/')], options: { maxPages, maxDepth: 1, concurrency: 1, delayMs: 0 } },
  });
  return task.id;
}

async function connect(node: ApiNode): Promise<ClientSocket> {
  const socket: ClientSocket = io(`${node.url}/events`, { transports: ['websocket'], reconnection: false, forceNew: true, auth: { token: owner.accessToken } });
  sockets.push(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
  return socket;
}

/** Collects every task.* event the socket receives, by task. */
function collect(socket: ClientSocket, into: Map<string, Received[]>): void {
  socket.onAny((type: string, payload: Omit<Received, 'type'>) => {
    if (!type.startsWith('task.')) return;
    const list = into.get(payload.taskId) ?? [];
    list.push({ ...payload, type });
    into.set(payload.taskId, list);
  });
}

async function storedEvents(node: ApiNode, taskId: string): Promise<StoredEvent[]> {
  return (await api(node).json<{ items: StoredEvent[] }>('GET', `tasks/${taskId}/events?sinceSeq=0&limit=1000`, 200, { token: owner.accessToken })).items;
}

/**
 * What a live subscriber must have seen (docs/realtime.md): every stored event in seq order, each
 * once, except progress snapshots superseded by a later one. Returns a description of what is wrong.
 */
function deliveryProblems(received: Received[], stored: StoredEvent[]): string[] {
  const problems: string[] = [];
  const seqs = received.map((event) => event.seq);
  for (let index = 1; index < seqs.length; index += 1) {
    if (seqs[index]! <= seqs[index - 1]!) problems.push(`seq ${seqs[index]} after ${seqs[index - 1]}`);
  }
  const seen = new Set(seqs);
  const lastProgress = Math.max(0, ...stored.filter((event) => event.type === 'task.progress').map((event) => event.seq));
  for (const event of stored) {
    if (seen.has(event.seq)) continue;
    if (event.type !== 'task.progress' || event.seq === lastProgress) problems.push(`missing ${event.type} seq ${event.seq}`);
  }
  if (seqs.at(-1) !== stored.at(-1)?.seq) problems.push(`last seq ${seqs.at(-1)}, stored ${stored.at(-1)?.seq}`);
  return problems;
}

async function waitForTask(node: ApiNode, taskId: string, done: (task: TaskView) => boolean, timeoutMs: number): Promise<TaskView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const task = await api(node).json<TaskView>('GET', `tasks/${taskId}`, 200, { token: owner.accessToken });
    if (done(task)) return task;
    if (Date.now() > deadline) throw new Error(`task ${taskId} is ${task.status} after ${timeoutMs} ms:\n${cluster.outputs()}`);
    await sleep(400);
  }
}

async function shardsOf(taskIds: string[]): Promise<Map<string, string>> {
  const client = await ownerClient(database.url);
  try {
    const rows = await client.query<{ id: string; task_id: string }>(`SELECT id, task_id FROM task_shard WHERE task_id = ANY($1::uuid[])`, [taskIds]);
    return new Map(rows.rows.map((row) => [row.id, row.task_id]));
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  database = await createTestDatabase(inject('databaseAdminUrl'), inject('templateDatabase'));
  cluster = await startCluster({
    databaseUrl: runtimeUrl(database.url, inject('runtimeRolePassword')),
    databaseOwnerUrl: database.url,
    apis: 2,
    workers: 2,
    env: { ...TEST_SECRETS, DEFAULT_CREDITS: '1000' },
  });
  const [nodeA] = cluster.apis;
  await api(nodeA!).register('scale@cluster.test', 'Sam Scale', 'Scale Co');
  owner = await api(nodeA!).login('scale@cluster.test');
  // Ten tasks at once need a plan that allows them (free allows 2); reading the balance opens the account.
  await api(nodeA!).json('GET', 'payments/credits', 200, { token: owner.accessToken });
  const client = await ownerClient(database.url);
  try {
    const updated = await client.query(`UPDATE credit_account SET plan = 'business' WHERE org_id = $1`, [owner.user.organization.id]);
    expect(updated.rowCount).toBe(1);
  } finally {
    await client.end();
  }
}, 150_000);

afterAll(async () => {
  for (const socket of sockets) socket.disconnect();
  await cluster?.close();
  await Promise.all(sites.map((server) => server.close()));
  await database?.drop();
});

describe('two API and two worker processes on one Postgres', () => {
  const events = [new Map<string, Received[]>(), new Map<string, Received[]>()];
  let taskIds: string[] = [];

  it('run ten tasks started through both API nodes on both workers, each shard once, each page fetched once, credits charged = pages fetched', async () => {
    const [nodeA, nodeB] = cluster.apis as [ApiNode, ApiNode];
    const tenSites = await Promise.all(Array.from({ length: 10 }, (_, index) => site(`scale-site${index}`, 8, 120)));
    const [socketA, socketB] = await Promise.all([connect(nodeA), connect(nodeB)]);
    collect(socketA, events[0]!);
    collect(socketB, events[1]!);

    taskIds = [];
    for (const [index, server] of tenSites.entries()) taskIds.push(await startTask(index % 2 === 0 ? nodeA : nodeB, server, 20));
    // Subscribed with sinceSeq 0 after the start: replay of what is stored, then live.
    for (const socket of [socketA, socketB]) {
      for (const taskId of taskIds) expect(await socket.emitWithAck('subscribe', { taskId, sinceSeq: 0 })).toMatchObject({ ok: true });
    }

    const deadline = Date.now() + 90_000;
    let tasks: TaskView[] = [];
    for (;;) {
      const list = await api(nodeB).json<{ items: TaskView[] }>('GET', 'tasks?limit=50', 200, { token: owner.accessToken });
      tasks = list.items.filter((task) => taskIds.includes(task.id));
      if (tasks.length === 10 && tasks.every((task) => TERMINAL.includes(task.status))) break;
      if (Date.now() > deadline) throw new Error(`not all tasks finished: ${JSON.stringify(tasks.map((task) => task.status))}\n${cluster.outputs()}`);
      await sleep(500);
    }

    for (const task of tasks) {
      expect(task.status, cluster.outputs()).toBe('completed');
      expect(task.progress.pagesFetched).toBe(8);
      expect(task.creditsCharged).toBe(8);
    }
    for (const server of tenSites) {
      expect(pageHits(server)).toEqual(Object.fromEntries(['/', ...Array.from({ length: 7 }, (_, page) => `/p${page + 1}`)].map((path) => [path, 1])));
    }

    // Each shard claimed exactly once in all, and both workers took some.
    const shards = await shardsOf(taskIds);
    expect(shards.size).toBe(10);
    const [first, second] = cluster.workers.map((worker) => claimedShards(worker));
    expect([...first!, ...second!].sort()).toEqual([...shards.keys()].sort());
    expect(first!.length, cluster.outputs()).toBeGreaterThan(0);
    expect(second!.length, cluster.outputs()).toBeGreaterThan(0);

    const client = await ownerClient(database.url);
    try {
      const settlements = await client.query<{ task_id: string; delta: number }>(
        `SELECT task_id, delta FROM credit_ledger WHERE task_id = ANY($1::uuid[]) AND reason IN ('task_settlement', 'task_refund')`,
        [taskIds],
      );
      expect(settlements.rows.map((row) => row.task_id).sort()).toEqual([...taskIds].sort());
      expect(settlements.rows.every((row) => Number(row.delta) === 20 - 8)).toBe(true);
      const fetched = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM task_page WHERE task_id = ANY($1::uuid[]) AND state = 'fetched'`, [taskIds]);
      expect(fetched.rows[0]!.n).toBe(80);
    } finally {
      await client.end();
    }
    await expectLedgerInvariant(database.url);
  }, 150_000);

  it('deliver every task event to a client on each API node, in seq order, without gaps', async () => {
    expect(taskIds).toHaveLength(10);
    const [nodeA] = cluster.apis as [ApiNode, ApiNode];
    const completed = (list: Received[] | undefined): boolean => Boolean(list?.some((event) => event.type === 'task.status' && event.status === 'completed'));
    const deadline = Date.now() + 20_000;
    while (!events.every((byTask) => taskIds.every((taskId) => completed(byTask.get(taskId))))) {
      if (Date.now() > deadline) throw new Error('a client did not see every task complete');
      await sleep(100);
    }
    for (const taskId of taskIds) {
      const stored = await storedEvents(nodeA, taskId);
      expect(stored.map((event) => event.seq)).toEqual(stored.map((_, index) => index + 1));
      for (const byTask of events) expect(deliveryProblems(byTask.get(taskId) ?? [], stored)).toEqual([]);
    }
    for (const node of cluster.apis) expect(node.process.output()).not.toMatch(/"level":(50|60)/);
  }, 60_000);

  it('count rate limits across nodes: forgot-password alternating between the nodes is refused after 5 in all', async () => {
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 8; attempt += 1) {
      const response = await api(cluster.apis[attempt % 2]!).request('POST', 'auth/forgot-password', { body: { email: 'nobody@cluster.test' } });
      statuses.push(response.status);
      if (response.status === 429) {
        expect((await problemOf(response)).code).toBe('rate_limited');
        expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
      } else await response.arrayBuffer();
    }
    // Per node, each would have seen 4 and let all through (the limit is 5 per 15 minutes).
    expect(statuses).toEqual([202, 202, 202, 202, 202, 429, 429, 429]);
  });

  // scraper-worker-crash.e2e.spec.ts kills the only worker and starts a fresh one (leads, ledger
  // rows); here the other worker is already running and takes the shard over by itself.
  it('finish a task on the other worker when the worker running it is killed (kill -9)', async () => {
    const [nodeA] = cluster.apis as [ApiNode, ApiNode];
    const server = await site('crash-site', 30, 150);
    const taskId = await startTask(nodeA, server, 40);
    await waitForTask(nodeA, taskId, (task) => task.progress.pagesFetched >= 5 || TERMINAL.includes(task.status), 60_000);
    const [shardId] = (await shardsOf([taskId])).keys();
    const holder = cluster.workers.find((worker) => claimedShards(worker).includes(shardId!));
    expect(holder, cluster.outputs()).toBeDefined();
    const survivor = cluster.workers.find((worker) => worker !== holder)!;
    holder!.child.kill('SIGKILL');
    await holder!.exited(5_000);

    const task = await waitForTask(nodeA, taskId, (view) => TERMINAL.includes(view.status), 120_000);
    expect(task.status, survivor.output().slice(-4000)).toBe('completed');
    expect(claimedShards(survivor)).toContain(shardId);
    expect(task.progress.pagesFetched).toBe(30);
    expect(task.creditsCharged).toBe(30);
    // Pages fetched but not yet committed when the worker died are fetched again; none is lost.
    const hits = pageHits(server);
    expect(Object.keys(hits)).toHaveLength(30);
    expect(Object.values(hits).every((count) => count >= 1 && count <= 2)).toBe(true);

    const client = await ownerClient(database.url);
    try {
      const duplicates = await client.query(`SELECT dedup_key FROM lead WHERE org_id = $1 GROUP BY dedup_key HAVING count(*) > 1`, [owner.user.organization.id]);
      expect(duplicates.rowCount).toBe(0);
      const settlements = await client.query(`SELECT delta FROM credit_ledger WHERE task_id = $1 AND reason IN ('task_settlement', 'task_refund')`, [taskId]);
      expect(settlements.rows.map((row) => Number(row.delta))).toEqual([40 - 30]);
    } finally {
      await client.end();
    }
    await expectLedgerInvariant(database.url);
  }, 180_000);

  it('move a client of a killed API node (kill -9) to the other node, which replays from its last seq: no gap, no duplicate', async () => {
    const [nodeA, nodeB] = cluster.apis as [ApiNode, ApiNode];
    const server = await site('failover-site', 30, 150);
    const taskId = await startTask(nodeA, server, 40);

    // A client that, like one behind a load balancer, lands on another node when its node goes away
    // and resubscribes from the last seq it saw (docs/realtime.md, reconnect recipe).
    const received: Received[] = [];
    const acks: Array<{ node: string; replayed: number }> = [];
    const follow = async (node: ApiNode, sinceSeq: number): Promise<ClientSocket> => {
      const socket = await connect(node);
      socket.onAny((type: string, payload: Omit<Received, 'type'>) => {
        if (type.startsWith('task.') && payload.taskId === taskId) received.push({ ...payload, type });
      });
      const ack = await socket.emitWithAck('subscribe', { taskId, sinceSeq });
      expect(ack).toMatchObject({ ok: true });
      acks.push({ node: node.url, replayed: ack.ok ? ack.replayed : -1 });
      return socket;
    };
    const onB = await follow(nodeB, 0);
    const movedToA = new Promise<void>((resolve, reject) => {
      onB.once('disconnect', () => void follow(nodeA, received.at(-1)?.seq ?? 0).then(() => resolve(), reject));
    });

    await waitForTask(nodeA, taskId, (task) => task.progress.pagesFetched >= 5 || TERMINAL.includes(task.status), 60_000);
    const seenBeforeKill = received.length;
    expect(seenBeforeKill).toBeGreaterThan(0);
    nodeB.process.child.kill('SIGKILL');
    await nodeB.process.exited(5_000);
    await movedToA;

    const task = await waitForTask(nodeA, taskId, (view) => TERMINAL.includes(view.status), 90_000);
    expect(task.status).toBe('completed');
    const deadline = Date.now() + 10_000;
    while (!received.some((event) => event.type === 'task.status' && event.status === 'completed')) {
      if (Date.now() > deadline) throw new Error(`no completion after the failover: ${JSON.stringify(received.slice(-5))}`);
      await sleep(100);
    }
    expect(acks.map((ack) => ack.node)).toEqual([nodeB.url, nodeA.url]);
    expect(received.length).toBeGreaterThan(seenBeforeKill);
    expect(deliveryProblems(received, await storedEvents(nodeA, taskId))).toEqual([]);
  }, 150_000);
});
