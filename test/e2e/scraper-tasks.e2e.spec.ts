import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, problemOf, type Session } from '../support/api-client';
import { expectLedgerInvariant, ownerClient } from '../support/ledger';
import { startTestApp, type TestApp } from '../support/test-app';

// Workers are off here: tasks stay queued, so these tests are about starting, credits and state.
let testApp: TestApp;
let api: ApiClient;
let alice: Session;
let bob: Session;

const website = (seeds: string[], options: Record<string, unknown> = {}) => ({ platform: 'website', seeds, options: { maxPages: 10, ...options } });

async function setPlan(orgId: string, plan: string, balance?: number): Promise<void> {
  const client = await ownerClient(testApp.databaseUrl);
  try {
    const created = await client.query(`INSERT INTO credit_account (org_id, balance, plan) VALUES ($1, 1000, $2) ON CONFLICT (org_id) DO UPDATE SET plan = $2 RETURNING (xmax = 0) AS inserted`, [orgId, plan]);
    if (created.rows[0].inserted) {
      await client.query(`INSERT INTO credit_ledger (id, org_id, delta, reason, balance_after) VALUES (gen_random_uuid(), $1, 1000, 'initial_grant', 1000)`, [orgId]);
    }
    if (balance !== undefined) {
      // Through the ledger, like any other credit movement, so the invariant keeps holding.
      const current = Number((await client.query(`SELECT balance FROM credit_account WHERE org_id = $1`, [orgId])).rows[0].balance);
      const sum = Number((await client.query(`SELECT coalesce(sum(delta), 0) AS s FROM credit_ledger WHERE org_id = $1`, [orgId])).rows[0].s);
      await client.query(`UPDATE credit_account SET balance = $2 WHERE org_id = $1`, [orgId, balance]);
      await client.query(
        `INSERT INTO credit_ledger (id, org_id, delta, reason, balance_after, note) VALUES (gen_random_uuid(), $1, $2, 'admin_adjustment', $3, 'test set-up')`,
        [orgId, balance - sum, balance],
      );
      expect(current).toBeGreaterThanOrEqual(0);
    }
  } finally {
    await client.end();
  }
}

async function balanceOf(session: Session): Promise<number> {
  const client = await ownerClient(testApp.databaseUrl);
  try {
    const row = (await client.query(`SELECT balance FROM credit_account WHERE org_id = $1`, [session.user.organization.id])).rows[0] as { balance: string } | undefined;
    return Number(row?.balance ?? NaN);
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  testApp = await startTestApp({ WORKERS_IN_PROCESS: 'false', DEFAULT_CREDITS: '1000', LOG_LEVEL: 'error' });
  api = new ApiClient(testApp.baseUrl);
  await api.register('alice@scrape.test', 'Alice', 'Alice Co');
  await api.register('bob@scrape.test', 'Bob', 'Bob Co');
  alice = await api.login('alice@scrape.test');
  bob = await api.login('bob@scrape.test');
});

afterEach(async () => {
  await expectLedgerInvariant(testApp.databaseUrl);
});

afterAll(async () => {
  await testApp?.close();
});

describe('POST scraper/start', () => {
  it('reserves maxPages x seeds, answers 202 with the task, and records the first event', async () => {
    await setPlan(alice.user.organization.id, 'business');
    const before = await balanceOf(alice);
    const { task } = await api.json<{ task: Record<string, unknown> }>('POST', 'scraper/start', 202, {
      token: alice.accessToken,
      body: { ...website(['https://a.example/', 'https://a.example/team', 'https://b.example/'], { maxPages: 7 }), name: 'Two sites' },
    });
    expect(task).toMatchObject({
      name: 'Two sites',
      platform: 'website',
      status: 'queued',
      seeds: ['https://a.example/', 'https://a.example/team', 'https://b.example/'],
      creditsReserved: 21,
      creditsCharged: 0,
      leadObjective: 'sales',
      progress: { pagesQueued: 3, pagesFetched: 0, pagesFailed: 0, leadsFound: 0, leadsStored: 0, duplicates: 0, suppressed: 0, percent: 0 },
    });
    expect(task.options).toMatchObject({ maxPages: 7, maxDepth: 2, respectRobots: true, sameDomain: true, render: 'http' });
    expect(await balanceOf(alice)).toBe(before - 21);

    const events = await api.json<{ items: Array<{ seq: number; type: string; payload: Record<string, unknown> }>; lastSeq: number }>(
      'GET',
      `tasks/${String(task.id)}/events?sinceSeq=0`,
      200,
      { token: alice.accessToken },
    );
    expect(events.items).toEqual([expect.objectContaining({ seq: 1, type: 'task.status', payload: { status: 'queued' } })]);
    expect(events.lastSeq).toBe(1);

    await api.json('POST', `scraper/stop/${String(task.id)}`, 200, { token: alice.accessToken });
    expect(await balanceOf(alice)).toBe(before);
  });

  it('accepts exactly the affordable starts out of 50 concurrent ones; the rest get 402 with balance and required', async () => {
    await setPlan(bob.user.organization.id, 'business', 100);
    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, index) => api.request('POST', 'scraper/start', { token: bob.accessToken, body: website([`https://site${index}.example/`]) })),
    );
    const accepted = responses.filter((response) => response.status === 202);
    const refused = responses.filter((response) => response.status !== 202);
    expect(accepted).toHaveLength(10);
    for (const response of refused) {
      expect(response.status).toBe(402);
      const problem = await problemOf(response);
      expect(problem).toMatchObject({ code: 'insufficient_credits', balance: 0, required: 10 });
    }
    expect(await balanceOf(bob)).toBe(0);
    const tasks = await api.json<{ items: Array<{ id: string }> }>('GET', 'tasks?limit=100', 200, { token: bob.accessToken });
    expect(tasks.items).toHaveLength(10);
    await api.json('POST', 'tasks/bulk/stop', 200, { token: bob.accessToken, body: { taskIds: tasks.items.map((task) => task.id) } });
    expect(await balanceOf(bob)).toBe(100);
  });

  it('returns the first response again for the same Idempotency-Key and body, and 422 for another body', async () => {
    const before = await balanceOf(alice);
    const headers = { 'idempotency-key': 'start-once-0001' };
    const body = website(['https://idem.example/']);
    const [first, second] = await Promise.all([
      api.request('POST', 'scraper/start', { token: alice.accessToken, body, headers }),
      api.request('POST', 'scraper/start', { token: alice.accessToken, body, headers }),
    ]);
    expect([first.status, second.status]).toEqual([202, 202]);
    const firstTask = ((await first.json()) as { task: { id: string } }).task;
    const secondTask = ((await second.json()) as { task: { id: string } }).task;
    expect(secondTask.id).toBe(firstTask.id);
    expect(await balanceOf(alice)).toBe(before - 10);

    const other = await api.request('POST', 'scraper/start', { token: alice.accessToken, body: website(['https://other.example/']), headers });
    expect(other.status).toBe(422);
    expect((await problemOf(other)).code).toBe('idempotency_key_reused');
    await api.json('POST', `scraper/stop/${firstTask.id}`, 200, { token: alice.accessToken });
  });

  it.each([
    ['no seeds', { platform: 'website', seeds: [] }],
    ['1,001 seeds', { platform: 'website', seeds: Array.from({ length: 1001 }, (_, index) => `https://s${index}.example/`) }],
    ['a file:// seed', { platform: 'website', seeds: ['file:///etc/passwd'] }],
    ['a seed that is not a URL', { platform: 'website', seeds: ['not a url'] }],
    ['maxDepth 6', website(['https://a.example/'], { maxDepth: 6 })],
    ['maxPages 0', website(['https://a.example/'], { maxPages: 0 })],
    ['an unknown platform', { platform: 'ftp', seeds: ['https://a.example/'] }],
    ['an unknown option', website(['https://a.example/'], { turbo: true })],
    ['a directory without selectors', { platform: 'directory', seeds: ['https://dir.example/'] }],
    ['directory selectors with a bad field name', { platform: 'directory', seeds: ['https://dir.example/'], selectors: { item: 'li', fields: { 'bad name': 'h3' } } }],
    ['an unknown job level filter', { ...website(['https://a.example/']), filters: { jobLevels: ['emperor'] } }],
  ])('refuses %s with 400 and field errors, reserving nothing', async (_name, body) => {
    const before = await balanceOf(alice);
    const response = await api.request('POST', 'scraper/start', { token: alice.accessToken, body });
    expect(response.status).toBe(400);
    const problem = await problemOf(response);
    expect(problem.code).toBe('validation_failed');
    expect((problem.errors as unknown[]).length).toBeGreaterThan(0);
    expect(await balanceOf(alice)).toBe(before);
  });

  it('refuses maxPages above the plan with 422 and more tasks than the plan allows with 409', async () => {
    await setPlan(alice.user.organization.id, 'free');
    const tooMany = await api.request('POST', 'scraper/start', { token: alice.accessToken, body: website(['https://a.example/'], { maxPages: 201 }) });
    expect(tooMany.status).toBe(422);
    expect((await problemOf(tooMany)).code).toBe('plan_limit_exceeded');

    const ids: string[] = [];
    for (let index = 0; index < 2; index += 1) {
      ids.push((await api.json<{ task: { id: string } }>('POST', 'scraper/start', 202, { token: alice.accessToken, body: website([`https://limit${index}.example/`]) })).task.id);
    }
    const third = await api.request('POST', 'scraper/start', { token: alice.accessToken, body: website(['https://limit2.example/']) });
    expect(third.status).toBe(409);
    expect(await problemOf(third)).toMatchObject({ code: 'task_limit_reached', limit: 2 });
    await api.json('POST', 'tasks/bulk/stop', 200, { token: alice.accessToken, body: { taskIds: ids } });
    await setPlan(alice.user.organization.id, 'business');
  });

  it('estimates without reserving', async () => {
    const before = await balanceOf(alice);
    const estimate = await api.json<Record<string, unknown>>('POST', 'scraper/estimate', 200, {
      token: alice.accessToken,
      body: website(['https://a.example/', 'https://b.example/'], { maxPages: 25 }),
    });
    expect(estimate).toMatchObject({ seeds: 2, shards: 2, maxPages: 25, credits: 50, balance: before, affordable: true });
    expect(await balanceOf(alice)).toBe(before);
  });
});

describe('task state changes', () => {
  it('pauses, resumes and stops a task, refusing changes that make no sense', async () => {
    const { task } = await api.json<{ task: { id: string } }>('POST', 'scraper/start', 202, { token: alice.accessToken, body: website(['https://state.example/']) });
    const paused = await api.json<{ status: string }>('POST', `scraper/pause/${task.id}`, 200, { token: alice.accessToken });
    expect(paused.status).toBe('paused');
    const again = await api.request('POST', `scraper/pause/${task.id}`, { token: alice.accessToken });
    expect(again.status).toBe(409);
    expect((await problemOf(again)).code).toBe('task_state_conflict');
    const resumed = await api.json<{ status: string }>('POST', `scraper/resume/${task.id}`, 200, { token: alice.accessToken });
    expect(resumed.status).toBe('queued');
    const stopped = await api.json<{ status: string; creditsCharged: number; finishedAt: string }>('POST', `scraper/stop/${task.id}`, 200, { token: alice.accessToken });
    expect(stopped).toMatchObject({ status: 'cancelled', creditsCharged: 0 });
    expect(stopped.finishedAt).toBeTruthy();
    expect((await api.request('POST', `scraper/resume/${task.id}`, { token: alice.accessToken })).status).toBe(409);

    const events = await api.json<{ items: Array<{ seq: number; type: string; payload: { status?: string } }> }>('GET', `tasks/${task.id}/events`, 200, { token: alice.accessToken });
    expect(events.items.filter((event) => event.type === 'task.status').map((event) => event.payload.status)).toEqual(['queued', 'paused', 'queued', 'cancelled']);
    expect(events.items.map((event) => event.seq)).toEqual(events.items.map((_, index) => index + 1));
  });

  it("answers 404 for another organization's task on every task endpoint", async () => {
    const { task } = await api.json<{ task: { id: string } }>('POST', 'scraper/start', 202, { token: alice.accessToken, body: website(['https://private.example/']) });
    for (const [method, path] of [
      ['GET', `scraper/status/${task.id}`],
      ['POST', `scraper/pause/${task.id}`],
      ['POST', `scraper/resume/${task.id}`],
      ['POST', `scraper/stop/${task.id}`],
      ['GET', `tasks/${task.id}`],
      ['GET', `tasks/${task.id}/events`],
    ] as const) {
      const response = await api.request(method, path, { token: bob.accessToken });
      expect(response.status, `${method} ${path}`).toBe(404);
    }
    const bulk = await api.json<{ stopped: string[]; notStopped: Array<{ id: string; reason: string }> }>('POST', 'tasks/bulk/stop', 200, {
      token: bob.accessToken,
      body: { taskIds: [task.id] },
    });
    expect(bulk).toEqual({ stopped: [], notStopped: [{ id: task.id, reason: 'not_found' }] });
    expect((await api.json<{ status: string }>('GET', `tasks/${task.id}`, 200, { token: alice.accessToken })).status).toBe('queued');
    await api.json('POST', `scraper/stop/${task.id}`, 200, { token: alice.accessToken });
  });

  it('lists tasks newest first with a keyset cursor and reports the queue', async () => {
    const page1 = await api.json<{ items: Array<{ id: string }>; nextCursor: string | null }>('GET', 'tasks?limit=2', 200, { token: alice.accessToken });
    expect(page1.items).toHaveLength(2);
    expect(page1.nextCursor).toBe(page1.items[1]!.id);
    const page2 = await api.json<{ items: Array<{ id: string }> }>('GET', `tasks?limit=2&cursor=${page1.nextCursor}`, 200, { token: alice.accessToken });
    expect(page2.items[0]!.id < page1.items[1]!.id).toBe(true);
    const status = await api.json<Record<string, number>>('GET', 'tasks/queue/status', 200, { token: alice.accessToken });
    expect(status).toMatchObject({ queued: 0, running: 0, paused: 0, shardsWaiting: 0, shardsRunning: 0 });
  });

  it('requires authentication', async () => {
    expect((await api.request('POST', 'scraper/start', { body: website(['https://a.example/']) })).status).toBe(401);
    expect((await api.request('GET', 'tasks')).status).toBe(401);
  });
});

describe('seeds at private addresses with the SSRF guard on', () => {
  it('refuses literal private and local seeds with 422 target_not_allowed, naming each seed', async () => {
    const guarded = await startTestApp({ WORKERS_IN_PROCESS: 'false', ALLOW_PRIVATE_TARGETS: 'false' });
    try {
      const client = new ApiClient(guarded.baseUrl);
      await client.register('guard@scrape.test', 'Gus', 'Guard Co');
      const session = await client.login('guard@scrape.test');
      const seeds = ['https://public.example/', 'http://127.0.0.1:8080/', 'http://[::1]/', 'http://[::ffff:7f00:1]/', 'http://169.254.169.254/latest/meta-data/', 'http://localhost:3000/', 'http://10.0.0.8/'];
      const response = await client.request('POST', 'scraper/start', { token: session.accessToken, body: { platform: 'website', seeds } });
      expect(response.status).toBe(422);
      const problem = await problemOf(response);
      expect(problem.code).toBe('target_not_allowed');
      expect((problem.errors as Array<{ field: string }>).map((error) => error.field)).toEqual(seeds.slice(1).map((_, index) => `seeds.${index + 1}`));
      // Numeric host spellings are not even URLs to the validator.
      for (const seed of ['http://2130706433/', 'http://0x7f.1/']) {
        const refused = await client.request('POST', 'scraper/start', { token: session.accessToken, body: { platform: 'website', seeds: [seed] } });
        expect(refused.status, seed).toBe(400);
      }
    } finally {
      await guarded.close();
    }
  });
});
