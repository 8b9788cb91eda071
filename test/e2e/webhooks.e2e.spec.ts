import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client } from 'pg';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../apps/api/src/common/ids';
import { QueueService } from '../../apps/api/src/queue/queue.service';
import { MAX_DELIVERY_ATTEMPTS } from '../../apps/api/src/webhooks/retry-schedule';
import { DELIVER_QUEUE, type DeliverJob } from '../../apps/api/src/webhooks/webhook-queues';
import { ApiClient, problemOf, type Session } from '../support/api-client';
import { startFixtureServer, type FixtureServer } from '../support/fixture-server';
import { startMailbox, type Mailbox } from '../support/mailbox';
import { startTestApp, type TestApp } from '../support/test-app';

/** One request a receiver got, and what it answered. */
interface Hit {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
  answered: number;
}

type Answer = { status: number; headers?: Record<string, string> };

/** A webhook receiver on 127.0.0.1: per path, the n-th request (0-based) gets `answers(n)`. */
interface Receiver {
  url(path: string): string;
  hits(path: string): Hit[];
  on(path: string, answers: (n: number) => Answer): void;
  waitFor(path: string, count: number, timeoutMs?: number): Promise<Hit[]>;
  close(): Promise<void>;
}

async function startReceiver(): Promise<Receiver> {
  const hits: Hit[] = [];
  const handlers = new Map<string, (n: number) => Answer>();
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const path = request.url ?? '/';
      const n = hits.filter((hit) => hit.path === path).length;
      const answer = handlers.get(path)?.(n) ?? { status: 204 };
      hits.push({ path, headers: request.headers, body: Buffer.concat(chunks).toString('utf8'), at: Date.now(), answered: answer.status });
      response.writeHead(answer.status, answer.headers ?? {});
      response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    hits: (path) => hits.filter((hit) => hit.path === path),
    on: (path, answers) => handlers.set(path, answers),
    waitFor: async (path, count, timeoutMs = 30_000) => {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const got = hits.filter((hit) => hit.path === path);
        if (got.length >= count) return got;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error(`${path}: ${hits.filter((hit) => hit.path === path).length} of ${count} requests within ${timeoutMs} ms`);
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

interface WebhookView {
  id: string;
  url: string;
  events: string[];
  enabled: boolean;
  disabledReason: string | null;
  previousSecretExpiresAt: string | null;
  secret?: string;
}

interface DeliveryView {
  id: string;
  eventType: string;
  status: string;
  attempts: number;
  responseStatus: number | null;
  nextAttemptAt: string | null;
  payload: { type: string; data: Record<string, unknown> };
  attemptLog: Array<{ attempt: number; responseStatus: number | null }>;
}

let testApp: TestApp;
let api: ApiClient;
let owner: Session;
let receiver: Receiver;
let site: FixtureServer;
let mailbox: Mailbox;

const headersOf = (hit: Hit): Record<string, string> => ({
  'webhook-id': String(hit.headers['webhook-id']),
  'webhook-timestamp': String(hit.headers['webhook-timestamp']),
  'webhook-signature': String(hit.headers['webhook-signature']),
});

async function register(path: string, events: string[]): Promise<WebhookView & { secret: string }> {
  return api.json('POST', 'webhooks', 201, { token: owner.accessToken, body: { url: receiver.url(path), events, description: path } });
}

async function deliveries(webhookId: string): Promise<DeliveryView[]> {
  return (await api.json<{ items: DeliveryView[] }>('GET', `webhooks/${webhookId}/deliveries`, 200, { token: owner.accessToken })).items;
}

async function eventually<T>(read: () => Promise<T>, until: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!until(value)) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    value = await read();
  }
  return value;
}

async function runTask(): Promise<string> {
  const { task } = await api.json<{ task: { id: string } }>('POST', 'scraper/start', 202, {
    token: owner.accessToken,
    body: { platform: 'website', seeds: [site.url('/')], options: { maxPages: 3, maxDepth: 1, delayMs: 0 } },
  });
  await eventually(
    () => api.json<{ status: string }>('GET', `tasks/${task.id}`, 200, { token: owner.accessToken }),
    (view) => ['completed', 'failed', 'cancelled', 'timed_out'].includes(view.status),
  );
  return task.id;
}

beforeAll(async () => {
  mailbox = await startMailbox();
  receiver = await startReceiver();
  site = await startFixtureServer({
    robotsTxt: 'User-agent: *\nAllow: /\n',
    routes: {
      '/': '<!doctype html><html lang="en"><head><title>Hook Co</title></head><body><h1>Team</h1><p>Ada Lovelace, Head of Engineering: ada@hook-co.com</p><a href="/about">About</a></body></html>',
      '/about': '<!doctype html><html lang="en"><head><title>About</title></head><body><p>Grace Hopper, CTO: grace@hook-co.com</p></body></html>',
    },
  });
  testApp = await startTestApp({ WEBHOOK_RETRY_BASE_MS: '100', MAIL_URL: mailbox.url });
  api = new ApiClient(testApp.baseUrl);
  await api.register('owner@hooks.test', 'Olga Owner', 'Hook Co');
  owner = await api.login('owner@hooks.test');
});

afterAll(async () => {
  await testApp?.close();
  await Promise.all([receiver?.close(), site?.close(), mailbox?.close()]);
});

describe('outbound webhooks', () => {
  let healthy: WebhookView & { secret: string };
  let flaky: WebhookView & { secret: string };
  let gone: WebhookView & { secret: string };
  let taskId: string;

  it('deliver task.completed and leads.created signed so that the standardwebhooks library verifies them; retries reach a flaky receiver exactly once; 410 disables', async () => {
    healthy = await register('/healthy', ['task.completed', 'leads.created']);
    flaky = await register('/flaky', ['task.completed']);
    gone = await register('/gone', ['task.completed', 'task.failed']);
    expect(healthy.secret).toMatch(/^whsec_/);
    receiver.on('/flaky', (n) => ({ status: n < 3 ? 500 : 200 }));
    receiver.on('/gone', () => ({ status: 410 }));

    taskId = await runTask();

    // task.completed, verified by the official library.
    const typesOf = (hits: Hit[]): string[] => hits.map((hit) => (JSON.parse(hit.body) as { type: string }).type);
    const healthyHits = await eventually(async () => receiver.hits('/healthy'), (hits) => typesOf(hits).includes('task.completed') && typesOf(hits).includes('leads.created'));
    const completed = healthyHits.find((hit) => JSON.parse(hit.body).type === 'task.completed')!;
    const verified = new Webhook(healthy.secret).verify(completed.body, headersOf(completed)) as { type: string; timestamp: string; data: { task: { id: string; status: string } } };
    expect(verified.type).toBe('task.completed');
    expect(verified.data.task).toMatchObject({ id: taskId, status: 'completed' });
    expect(Date.parse(verified.timestamp)).not.toBeNaN();
    expect(completed.headers['content-type']).toBe('application/json');

    // leads.created: the new leads of a batch, with the link to all of the task's leads.
    const leadsHit = healthyHits.find((hit) => JSON.parse(hit.body).type === 'leads.created')!;
    expect(leadsHit).toBeDefined();
    const leads = new Webhook(healthy.secret).verify(leadsHit.body, headersOf(leadsHit)) as { data: { taskId: string; leads: Array<{ email: string }>; links: { leads: string } } };
    expect(leads.data.taskId).toBe(taskId);
    expect(leads.data.leads.map((lead) => lead.email)).toContain('ada@hook-co.com');
    expect(leads.data.links.leads).toMatch(new RegExp(`/api/v1/leads\\?taskId=${taskId}$`));
    expect(Buffer.byteLength(leadsHit.body)).toBeLessThanOrEqual(20 * 1024);

    // Three failures, then one success: one message (same webhook-id), every attempt recorded.
    const flakyHits = await receiver.waitFor('/flaky', 4);
    expect(flakyHits.map((hit) => hit.answered)).toEqual([500, 500, 500, 200]);
    expect(new Set(flakyHits.map((hit) => hit.headers['webhook-id'])).size).toBe(1);
    for (const hit of flakyHits) expect(() => new Webhook(flaky.secret).verify(hit.body, headersOf(hit))).not.toThrow();
    const [flakyDelivery] = await eventually(() => deliveries(flaky.id), (items) => items[0]?.status === 'succeeded');
    expect(flakyDelivery).toMatchObject({ eventType: 'task.completed', status: 'succeeded', attempts: 4, responseStatus: 200, nextAttemptAt: null });
    expect(flakyDelivery!.id).toBe(flakyHits[0]!.headers['webhook-id']);
    expect(flakyDelivery!.attemptLog.map((attempt) => [attempt.attempt, attempt.responseStatus])).toEqual([[1, 500], [2, 500], [3, 500], [4, 200]]);

    // 410 Gone: one attempt, endpoint disabled, the owner told by email.
    const disabled = await eventually(
      () => api.json<{ items: WebhookView[] }>('GET', 'webhooks', 200, { token: owner.accessToken }),
      (list) => list.items.find((item) => item.id === gone.id)?.enabled === false,
    );
    expect(disabled.items.find((item) => item.id === gone.id)!.disabledReason).toMatch(/410/);
    const [goneDelivery] = await deliveries(gone.id);
    expect(goneDelivery).toMatchObject({ status: 'failed', attempts: 1, responseStatus: 410 });
    const mail = await mailbox.waitFor((message) => message.to.includes('owner@hooks.test') && /webhook endpoint/i.test(message.subject));
    expect(mail.body).toContain(receiver.url('/gone'));
    expect(receiver.hits('/gone')).toHaveLength(1);
  });

  it('sends nothing more once a delivery succeeded, and nothing to a disabled endpoint', async () => {
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(receiver.hits('/flaky')).toHaveLength(4);
    expect(receiver.hits('/gone')).toHaveLength(1);
    const [goneDelivery] = await deliveries(gone.id);
    const refused = await api.request('POST', `webhooks/${gone.id}/deliveries/${goneDelivery!.id}/redeliver`, { token: owner.accessToken });
    expect(refused.status).toBe(409);
    expect((await problemOf(refused)).code).toBe('webhook_disabled');
  });

  it('redelivers a delivery with the same webhook-id and body', async () => {
    const [first] = (await deliveries(healthy.id)).filter((delivery) => delivery.eventType === 'task.completed');
    const before = receiver.hits('/healthy').length;
    const queued = await api.json<DeliveryView>('POST', `webhooks/${healthy.id}/deliveries/${first!.id}/redeliver`, 202, { token: owner.accessToken });
    expect(queued.status).toBe('pending');
    const hits = await receiver.waitFor('/healthy', before + 1);
    const again = hits[before]!;
    expect(again.headers['webhook-id']).toBe(first!.id);
    expect(JSON.parse(again.body)).toEqual(first!.payload);
    const updated = await eventually(() => deliveries(healthy.id), (items) => items.find((item) => item.id === first!.id)?.status === 'succeeded');
    expect(updated.find((item) => item.id === first!.id)!.attempts).toBe(2);
  });

  it('signs with the old and the new secret while a rotation overlaps, and with the new one only after', async () => {
    const old = healthy.secret;
    const rotated = await api.json<WebhookView & { secret: string }>('POST', `webhooks/${healthy.id}/rotate-secret`, 200, { token: owner.accessToken, body: { overlapHours: 1 } });
    expect(rotated.secret).not.toBe(old);
    expect(rotated.previousSecretExpiresAt).not.toBeNull();
    const before = receiver.hits('/healthy').length;
    const ping = await api.json<DeliveryView>('POST', `webhooks/${healthy.id}/ping`, 202, { token: owner.accessToken });
    const hit = (await receiver.waitFor('/healthy', before + 1))[before]!;
    expect(hit.headers['webhook-id']).toBe(ping.id);
    expect(String(hit.headers['webhook-signature']).split(' ')).toHaveLength(2);
    expect((new Webhook(rotated.secret).verify(hit.body, headersOf(hit)) as { type: string }).type).toBe('webhook.ping');
    expect(() => new Webhook(old).verify(hit.body, headersOf(hit))).not.toThrow();

    const immediate = await api.json<WebhookView & { secret: string }>('POST', `webhooks/${healthy.id}/rotate-secret`, 200, { token: owner.accessToken, body: { overlapHours: 0 } });
    await api.json('POST', `webhooks/${healthy.id}/ping`, 202, { token: owner.accessToken });
    const last = (await receiver.waitFor('/healthy', before + 2))[before + 1]!;
    expect(String(last.headers['webhook-signature']).split(' ')).toHaveLength(1);
    expect(() => new Webhook(immediate.secret).verify(last.body, headersOf(last))).not.toThrow();
    expect(() => new Webhook(rotated.secret).verify(last.body, headersOf(last))).toThrow();
  });

  it('waits for Retry-After on 429 before the next attempt', async () => {
    receiver.on('/busy', (n) => (n === 0 ? { status: 429, headers: { 'retry-after': '2' } } : { status: 200 }));
    await register('/busy', ['task.completed']);
    await runTask();
    const [first, second] = await receiver.waitFor('/busy', 2);
    expect([first!.answered, second!.answered]).toEqual([429, 200]);
    // The retry base is 100 ms here: only the receiver's Retry-After explains a later second attempt.
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(1_900);
  });

  it('disables an endpoint whose deliveries kept failing for about three days, and emails the admins', async () => {
    receiver.on('/down', () => ({ status: 500 }));
    const down = await register('/down', ['task.completed']);
    const deliveryId = newId();
    // A delivery on its last attempt, created three days ago, with nothing succeeding since.
    const database = new Client({ connectionString: testApp.databaseOwnerUrl });
    await database.connect();
    try {
      await database.query(
        `INSERT INTO webhook_delivery (id, org_id, endpoint_id, event_type, source_key, payload, attempts, created_at)
         VALUES ($1, $2, $3, 'task.completed', 'old-task:1', $4::jsonb, $5, now() - interval '3 days')`,
        [deliveryId, owner.user.organization.id, down.id, JSON.stringify({ type: 'task.completed', timestamp: new Date().toISOString(), data: {} }), MAX_DELIVERY_ATTEMPTS - 1],
      );
      await database.query(`UPDATE webhook_endpoint SET failing_since = now() - interval '3 days' WHERE id = $1`, [down.id]);
    } finally {
      await database.end();
    }
    const job: DeliverJob = { orgId: owner.user.organization.id, deliveryId, attempt: MAX_DELIVERY_ATTEMPTS };
    await testApp.app.get(QueueService).send(DELIVER_QUEUE, job);

    const list = await eventually(
      () => api.json<{ items: WebhookView[] }>('GET', 'webhooks', 200, { token: owner.accessToken }),
      (view) => view.items.find((item) => item.id === down.id)?.enabled === false,
    );
    expect(list.items.find((item) => item.id === down.id)!.disabledReason).toMatch(/every delivery failed for 3 days \(last error: HTTP 500\)/);
    const [delivery] = await deliveries(down.id);
    expect(delivery).toMatchObject({ id: deliveryId, status: 'failed', attempts: MAX_DELIVERY_ATTEMPTS, responseStatus: 500, nextAttemptAt: null });
    const mail = await mailbox.waitFor((message) => message.body.includes(receiver.url('/down')));
    expect(mail.to).toEqual(['owner@hooks.test']);

    // Enabling again starts afresh.
    const enabled = await api.json<WebhookView & { failingSince: string | null }>('PATCH', `webhooks/${down.id}`, 200, { token: owner.accessToken, body: { enabled: true } });
    expect(enabled).toMatchObject({ enabled: true, disabledReason: null, failingSince: null });
  });

  it('shows one endpoint without its secret; unknown ids are 404, malformed ones 400', async () => {
    const created = await register('/single', ['task.completed']);
    const view = await api.json<WebhookView & { description: string | null }>('GET', `webhooks/${created.id}`, 200, { token: owner.accessToken });
    expect(view).toMatchObject({ id: created.id, url: receiver.url('/single'), events: ['task.completed'], enabled: true, description: '/single' });
    expect(view).not.toHaveProperty('secret');
    expect(JSON.stringify(view)).not.toContain(created.secret);
    const unknown = await api.request('GET', 'webhooks/0193a5b2-7c1e-7d3a-9f00-2b7c4e1d9a10', { token: owner.accessToken });
    expect(unknown.status).toBe(404);
    expect((await problemOf(unknown)).code).toBe('not_found');
    expect((await api.request('GET', 'webhooks/not-a-uuid', { token: owner.accessToken })).status).toBe(400);
    await api.json('DELETE', `webhooks/${created.id}`, 204, { token: owner.accessToken });
    expect((await api.request('GET', `webhooks/${created.id}`, { token: owner.accessToken })).status).toBe(404);
  });

  it('lets only owners and admins manage webhooks, and validates what it stores', async () => {
    const key = await api.json<{ secret: string }>('POST', 'api-keys', 201, { token: owner.accessToken, body: { name: 'partner' } });
    const byKey = await api.request('GET', 'webhooks', { apiKey: key.secret });
    expect(byKey.status).toBe(403);
    const invalid = await api.request('POST', 'webhooks', { token: owner.accessToken, body: { url: receiver.url('/x'), events: ['task.exploded'] } });
    expect(invalid.status).toBe(400);
    expect((await problemOf(invalid)).code).toBe('validation_failed');
    const noEvents = await api.request('POST', 'webhooks', { token: owner.accessToken, body: { url: receiver.url('/x'), events: [] } });
    expect(noEvents.status).toBe(400);
    const ftp = await api.request('POST', 'webhooks', { token: owner.accessToken, body: { url: 'ftp://example.com/x', events: ['task.completed'] } });
    expect(ftp.status).toBe(400);
    const list = await api.json<{ items: WebhookView[] }>('GET', 'webhooks', 200, { token: owner.accessToken });
    for (const item of list.items) expect(item).not.toHaveProperty('secret');
  });
});
