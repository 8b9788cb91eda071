import type { ClientToServerEvents, ServerToClientEvents, SocketErrorData, SubscribeAck } from '@leadforge/contracts';
import { JwtService } from '@nestjs/jwt';
import { register } from 'prom-client';
import { io, type Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { JWT_AUDIENCE, JWT_ISSUER } from '../../apps/api/src/auth/access-token.service';
import { EventsGateway } from '../../apps/api/src/realtime/events.gateway';
import { DEFAULT_REALTIME_LIMITS } from '../../apps/api/src/realtime/realtime-limits';
import { SOCKET_CONNECTIONS_METRIC } from '../../apps/api/src/realtime/socket-metrics';
import { ApiClient, type Session } from '../support/api-client';
import { startFixtureServer, type FixtureServer } from '../support/fixture-server';
import { ownerClient } from '../support/ledger';
import { startTestApp, TEST_SECRETS, type TestApp } from '../support/test-app';

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
interface Received {
  type: string;
  seq?: number;
  [key: string]: unknown;
}
interface StoredEvent {
  taskId: string;
  seq: number;
  type: string;
  at: string;
  payload: Record<string, unknown>;
}

const ALLOWED_ORIGIN = 'https://console.leadforge.test';
const FINAL = ['completed', 'failed', 'cancelled', 'timed_out'];

let testApp: TestApp;
let api: ApiClient;
let owner: Session;
let other: Session;
let site: FixtureServer;
const sockets: ClientSocket[] = [];

function connect(options: { token?: string; query?: Record<string, string>; origin?: string; auth?: Record<string, unknown> } = {}): ClientSocket {
  const socket: ClientSocket = io(`${testApp.baseUrl}/events`, {
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    auth: options.auth ?? (options.token === undefined ? {} : { token: options.token }),
    query: options.query,
    extraHeaders: options.origin ? { origin: options.origin } : undefined,
  });
  sockets.push(socket);
  return socket;
}

function connected(socket: ClientSocket): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', (error) => reject(new Error(`refused: ${error.message} ${JSON.stringify((error as { data?: unknown }).data)}`)));
  });
}

function refused(socket: ClientSocket): Promise<SocketErrorData & { message: string }> {
  return new Promise((resolve, reject) => {
    socket.once('connect', () => reject(new Error('connected, expected a refusal')));
    socket.once('connect_error', (error) => resolve({ ...(error as unknown as { data: SocketErrorData }).data, message: error.message }));
  });
}

function disconnected(socket: ClientSocket): Promise<string> {
  return new Promise((resolve) => {
    if (socket.disconnected) resolve('already');
    socket.once('disconnect', (reason) => resolve(reason));
  });
}

function record(socket: ClientSocket): Received[] {
  const received: Received[] = [];
  socket.onAny((type: string, payload: Record<string, unknown>) => received.push({ ...payload, type }));
  return received;
}

async function waitFor(what: string, condition: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const subscribe = (socket: ClientSocket, request: { taskId: string; sinceSeq?: number }): Promise<SubscribeAck> => socket.emitWithAck('subscribe', request);
const taskEvents = (received: Received[], taskId: string): Received[] => received.filter((event) => event.type.startsWith('task.') && event.taskId === taskId);
const finalStatusOf = (events: Received[]): boolean => events.some((event) => event.type === 'task.status' && FINAL.includes(String(event.status)));

async function startTask(pages = 12): Promise<string> {
  const { task } = await api.json<{ task: { id: string } }>('POST', 'scraper/start', 202, {
    token: owner.accessToken,
    body: { platform: 'website', seeds: [site.url('/')], options: { maxPages: pages, maxDepth: 1, concurrency: 1, delayMs: 0 } },
  });
  return task.id;
}

async function storedEvents(taskId: string): Promise<StoredEvent[]> {
  return (await api.json<{ items: StoredEvent[] }>('GET', `tasks/${taskId}/events?sinceSeq=0&limit=1000`, 200, { token: owner.accessToken })).items;
}

async function waitForFinished(taskId: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const task = await api.json<{ status: string }>('GET', `tasks/${taskId}`, 200, { token: owner.accessToken });
    if (FINAL.includes(task.status)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`task ${taskId} did not finish`);
}

/**
 * What a subscriber must end up with: every stored event exactly once, in seq order, except
 * task.progress snapshots superseded by a later one (the ~4/s delivery limit may skip those).
 */
function expectExactlyOnce(received: Received[], stored: StoredEvent[]): void {
  const seqs = received.map((event) => event.seq!);
  expect(seqs, 'no duplicates, ascending').toEqual([...new Set(seqs)].sort((a, b) => a - b));
  const got = new Map(received.map((event) => [event.seq!, event]));
  const lastProgress = Math.max(...stored.filter((event) => event.type === 'task.progress').map((event) => event.seq));
  for (const event of stored) {
    const delivered = got.get(event.seq);
    if (!delivered) {
      expect(event.type === 'task.progress' && event.seq < lastProgress, `seq ${event.seq} (${event.type}) is missing`).toBe(true);
      continue;
    }
    expect(delivered).toEqual({ ...event.payload, taskId: event.taskId, seq: event.seq, at: event.at, type: event.type });
  }
  expect(seqs.every((seq) => stored.some((event) => event.seq === seq)), 'nothing that was not stored').toBe(true);
}

beforeAll(async () => {
  testApp = await startTestApp({ DEFAULT_CREDITS: '5000', CORS_ORIGINS: ALLOWED_ORIGIN });
  api = new ApiClient(testApp.baseUrl);
  await api.register('owner@realtime.test', 'Rita Realtime', 'Realtime Co');
  owner = await api.login('owner@realtime.test');
  await api.register('other@realtime.test', 'Otto Other', 'Other Co');
  other = await api.login('other@realtime.test');
  await api.json('POST', 'scraper/estimate', 200, { token: owner.accessToken, body: { platform: 'website', seeds: ['https://x.example/'] } });
  const client = await ownerClient(testApp.databaseUrl);
  await client.query(`UPDATE credit_account SET plan = 'business' WHERE org_id = $1`, [owner.user.organization.id]);
  await client.end();
  site = await startFixtureServer({
    delayMs: 60,
    robotsTxt: 'User-agent: *\nAllow: /\n',
    generate: (path) => {
      const match = /^\/(?:p(\d+))?$/.exec(path);
      if (!match) return null;
      const index = Number(match[1] ?? 0);
      const links = index === 0 ? Array.from({ length: 30 }, (_, page) => `<a href="/p${page + 1}">team ${page + 1}</a>`).join(' ') : '';
      return `<!doctype html><html lang="en"><head><title>Team ${index}</title></head><body><h1>Team ${index}</h1>${links}
        <div class="member"><h3>Person Number${index}</h3><p class="role">Head of Sales</p><a href="mailto:person${index}@stream-corp.com">Email</a></div></body></html>`;
    },
  });
});

afterEach(() => {
  for (const socket of sockets.splice(0)) socket.disconnect();
});

afterAll(async () => {
  await site?.close();
  await testApp?.close();
});

describe('the /events handshake', () => {
  it('refuses a connection without a token, with a bad token or a bad API key', async () => {
    expect(await refused(connect())).toMatchObject({ code: 'unauthenticated' });
    expect(await refused(connect({ auth: { token: 42 } }))).toMatchObject({ code: 'unauthenticated' });
    expect(await refused(connect({ token: 'not-a-jwt' }))).toMatchObject({ code: 'invalid_token', message: expect.stringMatching(/invalid or has expired/) });
    expect(await refused(connect({ token: `lf_${'A'.repeat(43)}` }))).toMatchObject({ code: 'invalid_api_key' });
  });

  it('refuses a token in the query string, even a valid one', async () => {
    expect(await refused(connect({ query: { token: owner.accessToken } }))).toMatchObject({ code: 'token_in_query' });
    expect(await refused(connect({ token: owner.accessToken, query: { access_token: owner.accessToken } }))).toMatchObject({ code: 'token_in_query' });
  });

  it('refuses an Origin outside CORS_ORIGINS and accepts the allowlist, the same origin and non-browser clients', async () => {
    expect(await refused(connect({ token: owner.accessToken, origin: 'https://evil.example' }))).toMatchObject({ code: 'origin_not_allowed' });
    await connected(connect({ token: owner.accessToken, origin: ALLOWED_ORIGIN }));
    await connected(connect({ token: owner.accessToken, origin: testApp.baseUrl }));
    await connected(connect({ token: owner.accessToken }));
  });

  it('accepts an API key, which may subscribe to its own organization’s tasks only', async () => {
    const key = await api.json<{ secret: string }>('POST', 'api-keys', 201, { token: owner.accessToken, body: { name: 'socket key' } });
    const socket = connect({ token: key.secret });
    await connected(socket);
    expect(await subscribe(socket, { taskId: '00000000-0000-7000-8000-000000000000' })).toMatchObject({ ok: false, error: 'not_found' });
  });

  it('counts connections in the gauge', async () => {
    const gateway = testApp.app.get(EventsGateway);
    await waitFor('earlier sockets to close', () => gateway.connectionCount === 0);
    const socket = connect({ token: owner.accessToken });
    await connected(socket);
    expect(gateway.connectionCount).toBe(1);
    const metric = await register.getSingleMetric(SOCKET_CONNECTIONS_METRIC)!.get();
    expect(metric.values[0]!.value).toBe(1);
    socket.disconnect();
    await waitFor('the count to drop', () => gateway.connectionCount === 0);
  });
});

describe('task events', () => {
  it('streams status, progress and leads in seq order to subscribers, credits and task list changes to the org, nothing to another org', async () => {
    const watcher = connect({ token: owner.accessToken });
    const stranger = connect({ token: other.accessToken });
    await Promise.all([connected(watcher), connected(stranger)]);
    const watched = record(watcher);
    const strangerSaw = record(stranger);

    // More pages allowed than the site has: settlement refunds the rest (credits.updated).
    const taskId = await startTask(40);
    const full = connect({ token: owner.accessToken });
    const live = connect({ token: owner.accessToken });
    await Promise.all([connected(full), connected(live)]);
    const fromStart = record(full);
    const fromNow = record(live);
    const [fullAck, liveAck, strangerAck] = await Promise.all([subscribe(full, { taskId, sinceSeq: 0 }), subscribe(live, { taskId }), subscribe(stranger, { taskId, sinceSeq: 0 })]);
    expect(fullAck).toMatchObject({ ok: true, taskId });
    expect(liveAck).toMatchObject({ ok: true, taskId, replayed: 0 });
    expect(strangerAck).toEqual({ ok: false, error: 'not_found', message: 'No such task.' });

    await waitFor('the final status', () => finalStatusOf(fromStart) && finalStatusOf(fromNow), 60_000);
    await waitFor('credits.updated', () => watched.some((event) => event.type === 'credits.updated'));
    const stored = await storedEvents(taskId);
    expect(stored.at(-1)).toMatchObject({ type: 'task.status', payload: { status: 'completed' } });

    expectExactlyOnce(taskEvents(fromStart, taskId), stored);
    expect(taskEvents(fromStart, taskId)[0]).toMatchObject({ seq: 1, type: 'task.status', status: 'queued' });
    const types = new Set(fromStart.map((event) => event.type));
    expect([...types]).toEqual(expect.arrayContaining(['task.status', 'task.progress', 'task.leads']));
    const lead = fromStart.find((event) => event.type === 'task.leads') as unknown as { leads: Array<Record<string, unknown>> };
    expect(lead.leads[0]).toMatchObject({ id: expect.any(String), kind: expect.any(String), confidence: expect.any(Number) });

    const liveSeqs = taskEvents(fromNow, taskId).map((event) => event.seq!);
    expect(liveSeqs).toEqual([...new Set(liveSeqs)].sort((a, b) => a - b));
    expect(liveSeqs[0]).toBeGreaterThan(0);
    expect(liveSeqs.at(-1)).toBe(stored.at(-1)!.seq);

    const balance = (await api.json<{ balance: number }>('GET', 'payments/credits', 200, { token: owner.accessToken })).balance;
    expect(watched.filter((event) => event.type === 'credits.updated').at(-1)).toMatchObject({ orgId: owner.user.organization.id, balance });
    expect(watched.filter((event) => event.type === 'tasks.changed').map((event) => event.status)).toEqual(expect.arrayContaining(['running', 'completed']));
    expect(taskEvents(watched, taskId), 'the org room gets no task events without a subscription').toEqual([]);
    expect(strangerSaw).toEqual([]);
  });

  it('a client that disconnects mid-task and resubscribes with sinceSeq ends with every event exactly once', async () => {
    site.setDelay(150);
    const taskId = await startTask(15);
    const first = connect({ token: owner.accessToken });
    await connected(first);
    const before = record(first);
    expect(await subscribe(first, { taskId, sinceSeq: 0 })).toMatchObject({ ok: true });
    await waitFor('a few events', () => taskEvents(before, taskId).length >= 4);
    first.disconnect();
    const lastSeen = taskEvents(before, taskId).at(-1)!.seq!;
    expect(finalStatusOf(before)).toBe(false);

    // Events keep coming while nobody listens.
    const deadline = Date.now() + 30_000;
    while ((await api.json<{ items: unknown[] }>('GET', `tasks/${taskId}/events?sinceSeq=${lastSeen}`, 200, { token: owner.accessToken })).items.length < 2) {
      if (Date.now() > deadline) throw new Error('no events after the disconnect');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }

    const second = connect({ token: owner.accessToken });
    await connected(second);
    const after = record(second);
    const ack = await subscribe(second, { taskId, sinceSeq: lastSeen });
    expect(ack).toMatchObject({ ok: true, taskId });
    expect((ack as { replayed: number }).replayed).toBeGreaterThanOrEqual(2);
    await waitFor('the final status', () => finalStatusOf(after), 60_000);
    site.setDelay(60);

    const stored = await storedEvents(taskId);
    const all = [...taskEvents(before, taskId), ...taskEvents(after, taskId)];
    expectExactlyOnce(all, stored);
    expect(taskEvents(after, taskId)[0]!.seq).toBe(lastSeen + 1);
  });

  it('a resubscription replays from the new sinceSeq; unsubscribe stops the stream', async () => {
    const taskId = await startTask(4);
    await waitForFinished(taskId);
    const stored = await storedEvents(taskId);
    const socket = connect({ token: owner.accessToken });
    await connected(socket);
    const received = record(socket);
    expect(await subscribe(socket, { taskId, sinceSeq: 0 })).toEqual({ ok: true, taskId, replayed: stored.length, lastSeq: stored.at(-1)!.seq });
    expect(await subscribe(socket, { taskId, sinceSeq: stored.length - 2 })).toMatchObject({ ok: true, replayed: 2 });
    expect(taskEvents(received, taskId).map((event) => event.seq)).toEqual([...stored.map((event) => event.seq), ...stored.slice(-2).map((event) => event.seq)]);
    expect(await socket.emitWithAck('unsubscribe', { taskId })).toEqual({ ok: true });
    expect(await socket.emitWithAck('unsubscribe', { taskId })).toMatchObject({ ok: false, error: 'not_found' });
    expect(await subscribe(socket, { taskId: 'nope' })).toMatchObject({ ok: false, error: 'invalid_payload' });
    expect(await subscribe(socket, { taskId, sinceSeq: -1 })).toMatchObject({ ok: false, error: 'invalid_payload' });
  });
});

describe('limits', () => {
  it(`refuses the socket beyond ${DEFAULT_REALTIME_LIMITS.socketsPerUser} per user, and accepts one again after a close`, async () => {
    await api.register('many@realtime.test', 'Max Many', 'Many Co');
    const session = await api.login('many@realtime.test');
    const open = Array.from({ length: DEFAULT_REALTIME_LIMITS.socketsPerUser }, () => connect({ token: session.accessToken }));
    await Promise.all(open.map(connected));
    expect(await refused(connect({ token: session.accessToken }))).toMatchObject({ code: 'too_many_connections' });
    const gateway = testApp.app.get(EventsGateway);
    const before = gateway.connectionCount;
    open[0]!.disconnect();
    await waitFor('the server to see the close', () => gateway.connectionCount === before - 1);
    await connected(connect({ token: session.accessToken }));
  });

  it(`refuses subscriptions beyond ${DEFAULT_REALTIME_LIMITS.subscriptionsPerSocket} per socket`, async () => {
    const source = await startTask(2);
    await waitForFinished(source);
    const client = await ownerClient(testApp.databaseUrl);
    let ids: string[];
    try {
      const copies = await client.query(
        `INSERT INTO scrape_task
         SELECT (jsonb_populate_record(NULL::scrape_task, to_jsonb(t) || jsonb_build_object('id', gen_random_uuid()))).*
           FROM scrape_task t, generate_series(1, $2) WHERE t.id = $1 RETURNING id`,
        [source, DEFAULT_REALTIME_LIMITS.subscriptionsPerSocket],
      );
      ids = [source, ...copies.rows.map((row: { id: string }) => row.id)];
    } finally {
      await client.end();
    }
    const socket = connect({ token: owner.accessToken });
    await connected(socket);
    for (const taskId of ids.slice(0, DEFAULT_REALTIME_LIMITS.subscriptionsPerSocket)) {
      expect(await subscribe(socket, { taskId })).toMatchObject({ ok: true });
      await new Promise((resolve) => setTimeout(resolve, 1000 / DEFAULT_REALTIME_LIMITS.messagesPerSecond));
    }
    expect(await subscribe(socket, { taskId: ids.at(-1)! })).toMatchObject({ ok: false, error: 'too_many_subscriptions' });
    expect(await subscribe(socket, { taskId: source })).toMatchObject({ ok: true });
  });

  it('closes a socket that sends too many messages per second, after an error event', async () => {
    const socket = connect({ token: owner.accessToken });
    await connected(socket);
    const errors: SocketErrorData[] = [];
    socket.on('error', (error) => errors.push(error));
    const closed = disconnected(socket);
    for (let i = 0; i < DEFAULT_REALTIME_LIMITS.messageBurst * 3; i += 1) socket.emit('unsubscribe', { taskId: '00000000-0000-7000-8000-000000000000' }, () => undefined);
    expect(await closed).toBe('io server disconnect');
    expect(errors).toEqual([expect.objectContaining({ code: 'rate_limited' })]);
  });

  it('does not count socket messages against the HTTP rate limit of the client IP', async () => {
    const clients = Array.from({ length: 9 }, () => connect({ token: owner.accessToken }));
    await Promise.all(clients.map(connected));
    const acks = await Promise.all(
      clients.flatMap((socket) => Array.from({ length: DEFAULT_REALTIME_LIMITS.messageBurst - 2 }, () => socket.timeout(10_000).emitWithAck('unsubscribe', { taskId: '00000000-0000-7000-8000-000000000000' }))),
    );
    expect(acks.length).toBeGreaterThan(300);
    expect(acks.every((ack) => !ack.ok && ack.error === 'not_found')).toBe(true);
  });

  it('closes a socket that sends a message above the payload limit', async () => {
    const socket = connect({ token: owner.accessToken });
    await connected(socket);
    const closed = disconnected(socket);
    socket.emit('subscribe', { taskId: 'x'.repeat(DEFAULT_REALTIME_LIMITS.maxPayloadBytes * 2) }, () => undefined);
    expect(await closed).toMatch(/transport (close|error)/);
  });
});

describe('access token expiry', () => {
  async function shortToken(session: Session, ttlSeconds: number): Promise<string> {
    const claims = JSON.parse(Buffer.from(session.accessToken.split('.')[1]!, 'base64url').toString()) as { sub: string; sid: string; org: string };
    return testApp.app
      .get(JwtService, { strict: false })
      .signAsync({ sid: claims.sid, org: claims.org }, { subject: claims.sub, algorithm: 'HS256', expiresIn: ttlSeconds, issuer: JWT_ISSUER, audience: JWT_AUDIENCE, secret: TEST_SECRETS.JWT_SECRET });
  }

  it('ends the socket when the token expires, unless auth.refresh brought a new token of the same user and org', async () => {
    const expiring = connect({ token: await shortToken(owner, 2) });
    const refreshed = connect({ token: await shortToken(owner, 2) });
    await Promise.all([connected(expiring), connected(refreshed)]);
    const errors: SocketErrorData[] = [];
    expiring.on('error', (error) => errors.push(error));
    const ended = disconnected(expiring);

    expect(await refreshed.emitWithAck('auth.refresh', { token: other.accessToken })).toMatchObject({ ok: false, error: 'token_mismatch' });
    expect(await refreshed.emitWithAck('auth.refresh', { token: 'garbage' })).toMatchObject({ ok: false, error: 'invalid_token' });
    const ack = await refreshed.emitWithAck('auth.refresh', { token: owner.accessToken });
    expect(ack).toMatchObject({ ok: true, expiresAt: expect.any(String) });

    expect(await ended).toBe('io server disconnect');
    expect(errors).toEqual([expect.objectContaining({ code: 'token_expired' })]);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(refreshed.connected).toBe(true);
    expect(await subscribe(refreshed, { taskId: '00000000-0000-7000-8000-000000000000' })).toMatchObject({ ok: false, error: 'not_found' });
  });
});

describe('ended credentials', () => {
  async function closedWith(socket: ClientSocket, end: () => Promise<unknown>): Promise<{ reason: string; errors: SocketErrorData[] }> {
    await connected(socket);
    const errors: SocketErrorData[] = [];
    socket.on('error', (error) => errors.push(error));
    const ended = disconnected(socket);
    await end();
    return { reason: await ended, errors };
  }

  it('closes a socket at once when its session is revoked, leaving the other sessions’ sockets open', async () => {
    const second = await api.login('owner@realtime.test');
    const sessionId = (JSON.parse(Buffer.from(second.accessToken.split('.')[1]!, 'base64url').toString()) as { sid: string }).sid;
    const bystander = connect({ token: owner.accessToken });
    await connected(bystander);
    const closed = await closedWith(connect({ token: second.accessToken }), () => api.json('DELETE', `auth/sessions/${sessionId}`, 204, { token: owner.accessToken }));
    expect(closed.reason).toBe('io server disconnect');
    expect(closed.errors).toEqual([expect.objectContaining({ code: 'credentials_revoked' })]);
    expect(await refused(connect({ token: second.accessToken }))).toMatchObject({ code: 'invalid_token' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(bystander.connected).toBe(true);
  });

  it('closes a socket at once when its API key is revoked', async () => {
    const key = await api.json<{ id: string; secret: string }>('POST', 'api-keys', 201, { token: owner.accessToken, body: { name: 'revoked socket key' } });
    const closed = await closedWith(connect({ token: key.secret }), () => api.json('DELETE', `api-keys/${key.id}`, 204, { token: owner.accessToken }));
    expect(closed.reason).toBe('io server disconnect');
    expect(closed.errors).toEqual([expect.objectContaining({ code: 'credentials_revoked' })]);
  });
});
