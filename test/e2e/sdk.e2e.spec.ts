import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, type Session } from '../support/api-client';
import { startFixtureServer, type FixtureServer } from '../support/fixture-server';
import { startTestApp, type TestApp } from '../support/test-app';

/** The types of the package's source; the test runs the BUILT package (`npm run build:sdk`). */
type Sdk = typeof import('../../libs/sdk/src/index.js');

const SDK_DIR = resolve(__dirname, '../../libs/sdk');

/** Imports @leadforge/sdk the way a partner's Node.js program resolves it: through its package.json exports. */
async function loadBuiltSdk(): Promise<Sdk> {
  const manifest = JSON.parse(readFileSync(join(SDK_DIR, 'package.json'), 'utf8')) as { name: string; exports: { '.': { import: string; types: string } } };
  expect(manifest.name).toBe('@leadforge/sdk');
  const entry = join(SDK_DIR, manifest.exports['.'].import);
  try {
    readFileSync(entry);
    readFileSync(join(SDK_DIR, manifest.exports['.'].types));
  } catch {
    throw new Error(`${entry} is missing: build the SDK first (npm run build:sdk)`);
  }
  return (await import(pathToFileURL(entry).href)) as Sdk;
}

let sdk: Sdk;
let testApp: TestApp;
let owner: Session;
let site: FixtureServer;

beforeAll(async () => {
  sdk = await loadBuiltSdk();
  // A fixture law firm served slowly, so the task is still running when the socket drops.
  site = await startFixtureServer({ root: resolve(__dirname, '../fixtures/sites/harbour-legal'), robotsTxt: 'User-agent: *\nAllow: /\n', delayMs: 300 });
  testApp = await startTestApp();
  const api = new ApiClient(testApp.baseUrl);
  await api.register('owner@sdk.test', 'Petra Partner', 'SDK Co');
  owner = await api.login('owner@sdk.test');
});

afterAll(async () => {
  await testApp?.close();
  await site?.close();
});

describe('@leadforge/sdk, built, used as a partner would', () => {
  it('API key -> start a task -> live events via connectEvents (resuming after a lost connection) -> page through leads -> CSV export', async () => {
    // An owner creates the partner's API key with an access token.
    const console = sdk.createLeadforgeClient({ baseUrl: testApp.baseUrl, accessToken: () => owner.accessToken });
    const { data: key } = await sdk.apiKeysCreate({ client: console, body: { name: 'partner integration' }, throwOnError: true });
    expect(key.secret).toMatch(/^lf_/);

    const client = sdk.createLeadforgeClient({ baseUrl: testApp.baseUrl, apiKey: key.secret });
    const { data: started } = await sdk.scraperStart({
      client,
      body: { platform: 'website', seeds: [site.url('/')], options: { maxPages: 10, maxDepth: 5, concurrency: 1, delayMs: 0 }, name: 'SDK task' },
      throwOnError: true,
    });
    const taskId = started.task.id;

    const events = sdk.connectEvents({ baseUrl: testApp.baseUrl, token: key.secret });
    const seqs: number[] = [];
    let connects = 0;
    events.socket.on('connect', () => (connects += 1));
    const finished = new Promise<string>((resolveFinished) => {
      events.on('task.status', (event) => {
        seqs.push(event.seq);
        if (['completed', 'failed', 'cancelled', 'timed_out'].includes(event.status)) resolveFinished(event.status);
      });
    });
    let dropped = false;
    events.on('task.progress', (event) => {
      seqs.push(event.seq);
      // Drop the connection once, mid-task: the helper must resubscribe from the last seq.
      if (!dropped && event.pagesFetched >= 1) {
        dropped = true;
        events.socket.io.engine.close();
      }
    });
    events.on('task.log', (event) => seqs.push(event.seq));
    events.on('task.leads', (event) => seqs.push(event.seq));
    try {
      const subscribed = await events.subscribe(taskId, 0);
      expect(subscribed.lastSeq).toBeGreaterThanOrEqual(0);
      expect(await finished).toBe('completed');
      expect(dropped).toBe(true);
      expect(connects).toBeGreaterThanOrEqual(2);

      // Every stored event exactly once, in order, across the reconnect.
      const { data: stored } = await sdk.tasksEvents({ client, path: { id: taskId }, query: { sinceSeq: 0 }, throwOnError: true });
      const storedSeqs = stored.items.map((item) => item.seq);
      expect(seqs).toEqual(storedSeqs);
      expect(events.lastSeq(taskId)).toBe(storedSeqs[storedSeqs.length - 1]);
    } finally {
      events.close();
    }

    const { data: task } = await sdk.tasksGet({ client, path: { id: taskId }, throwOnError: true });
    expect(task.progress.leadsStored).toBeGreaterThan(2);

    // Page through the task's leads, two at a time.
    const emails: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const { data: page } = await sdk.leadsList({ client, query: { taskId, limit: 2, ...(cursor ? { cursor } : {}) }, throwOnError: true });
      emails.push(...page.items.map((lead) => lead.email ?? lead.id));
      cursor = page.nextCursor ?? undefined;
      pages += 1;
    } while (cursor);
    expect(emails).toHaveLength(task.progress.leadsStored);
    expect(new Set(emails).size).toBe(emails.length);
    expect(pages).toBe(Math.ceil(emails.length / 2));
    expect(emails).toContain('rebecca.walsh@harbourlegal.com.au');

    // Export them as CSV.
    const { data: csv } = await sdk.exportCsv({ client, query: { taskId }, parseAs: 'text', throwOnError: true });
    const [header] = String(csv).split(/\r?\n/);
    expect(header).toMatch(/email/i);
    for (const email of emails.filter(Boolean)) expect(csv).toContain(email);
  });

  it('surfaces errors as typed problem details, returned or thrown', async () => {
    const client = sdk.createLeadforgeClient({ baseUrl: testApp.baseUrl, accessToken: owner.accessToken });
    const missing = randomUUID();
    const { error, response } = await sdk.tasksGet({ client, path: { id: missing } });
    expect(response?.status).toBe(404);
    expect(error).toBeInstanceOf(sdk.LeadforgeProblemError);
    const problem = error as InstanceType<Sdk['LeadforgeProblemError']>;
    expect(problem).toMatchObject({ code: 'not_found', status: 404 });
    expect(problem.requestId).toBe(response?.headers.get('x-request-id'));

    const thrown = await sdk
      .scraperStart({ client, body: { platform: 'website', seeds: [] } as never, throwOnError: true })
      .then(() => undefined, (reason: unknown) => reason);
    expect(thrown).toBeInstanceOf(sdk.LeadforgeProblemError);
    expect(thrown).toMatchObject({ code: 'validation_failed', status: 400 });
    expect((thrown as InstanceType<Sdk['LeadforgeProblemError']>).errors.map((entry) => entry.field)).toContain('seeds');

    const anonymous = sdk.createLeadforgeClient({ baseUrl: testApp.baseUrl, apiKey: 'lf_not-a-real-key' });
    const { error: refused } = await sdk.authMe({ client: anonymous });
    expect(refused).toMatchObject({ status: 401 });
    expect(() => sdk.createLeadforgeClient({ baseUrl: testApp.baseUrl })).toThrow(TypeError);
  });
});
