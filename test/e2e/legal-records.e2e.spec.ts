import { Client } from 'pg';
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RetentionService } from '../../apps/api/src/legal/retention.service';
import { ApiClient, problemOf, type Session } from '../support/api-client';
import { startTestApp, type TestApp } from '../support/test-app';

/** Retention, data subject requests and the audit log, end to end on a real database. */

let testApp: TestApp;
let api: ApiClient;
let db: Client;
let ownerA: Session;
let ownerB: Session;
let memberA: Session;
let seq = 0;

interface SeedLead {
  key: string;
  email?: string;
  notes?: string;
  createdDaysAgo?: number;
  seenDaysAgo?: number;
  deletedDaysAgo?: number;
  sources?: Array<{ url: string; taskId: string | null; seenAt: string }>;
  taskId?: string;
}

async function seedLeads(orgId: string, leads: SeedLead[]): Promise<Record<string, string>> {
  const ids: Record<string, string> = {};
  for (const lead of leads) {
    const id = `0190b000-0000-7000-8000-${String((seq += 1)).padStart(12, '0')}`;
    ids[lead.key] = id;
    await db.query(
      `INSERT INTO lead (id, org_id, kind, dedup_key, full_name, email, notes, sources, task_id, created_at, first_seen_at, last_seen_at, deleted_at)
       VALUES ($1, $2, 'person', $3, $3, $4, $5, $6, $7, now() - make_interval(days => $8), now() - make_interval(days => $8), now() - make_interval(days => $9),
               CASE WHEN $10::int IS NULL THEN NULL ELSE now() - make_interval(days => $10::int) END)`,
      [id, orgId, lead.key, lead.email ?? null, lead.notes ?? null, JSON.stringify(lead.sources ?? []), lead.taskId ?? null, lead.createdDaysAgo ?? 0, lead.seenDaysAgo ?? lead.createdDaysAgo ?? 0, lead.deletedDaysAgo ?? null],
    );
  }
  return ids;
}

async function seedTask(orgId: string, status: string): Promise<string> {
  const id = `0190c000-0000-7000-8000-${String((seq += 1)).padStart(12, '0')}`;
  await db.query(
    `INSERT INTO scrape_task (id, org_id, name, platform, status, seeds, options, lead_objective, credits_reserved)
     VALUES ($1, $2, 'seeded', 'website', $3, '["https://seed.example/"]', '{}', 'sales', 0)`,
    [id, orgId, status],
  );
  return id;
}

async function seedEvents(orgId: string, taskId: string, ages: number[]): Promise<void> {
  let eventSeq = 0;
  for (const days of ages) {
    await db.query(`INSERT INTO task_event (task_id, seq, org_id, type, payload, created_at) VALUES ($1, $2, $3, 'task.log', '{}', now() - make_interval(days => $4))`, [
      taskId,
      (eventSeq += 1),
      orgId,
      days,
    ]);
  }
}

const keysOf = async (orgId: string): Promise<string[]> => (await db.query(`SELECT dedup_key FROM lead WHERE org_id = $1 ORDER BY dedup_key`, [orgId])).rows.map((row) => row.dedup_key);

interface Stats {
  total: number;
  expiringIn7Days: number;
  expiredAwaitingPurge: number;
  leads: { total: number; expiringIn7Days: number; expiredAwaitingPurge: number; softDeletedAwaitingPurge: number };
  taskEvents: { total: number; expiringIn7Days: number; expiredAwaitingPurge: number };
  lastRunAt: string | null;
  lastRunTrigger: string | null;
  lastDeletedCount: number;
}

interface Cleanup {
  leadsDeleted: number;
  softDeletedLeadsPurged: number;
  taskEventsDeleted: number;
  deletedCount: number;
  batches: number;
  longestStatementMs: number;
}

async function register(email: string, name: string, org: string): Promise<Session> {
  await api.register(email, name, org);
  return api.login(email);
}

beforeAll(async () => {
  testApp = await startTestApp();
  api = new ApiClient(testApp.baseUrl);
  db = new Client({ connectionString: testApp.databaseOwnerUrl });
  await db.connect();
  ownerA = await register('owner@records-a.test', 'Ada Owner', 'Records A');
  ownerB = await register('owner@records-b.test', 'Bert Owner', 'Records B');
  const member = await api.register('member@records-a.test', 'Mia Member');
  await db.query(`INSERT INTO membership (org_id, user_id, role) VALUES ($1, $2, 'member')`, [ownerA.user.organization.id, member.user.id]);
  await db.query(`UPDATE user_account SET current_org_id = $1 WHERE id = $2`, [ownerA.user.organization.id, member.user.id]);
  memberA = await api.login('member@records-a.test');
});

afterAll(async () => {
  await db?.end();
  await testApp?.close();
});

describe('retention', () => {
  it('has a default policy that only owners and admins change, within bounds, audited', async () => {
    expect(await api.json('GET', 'legal/retention/policy', 200, { token: memberA.accessToken })).toEqual({ leadsDays: 365, taskEventsDays: 90, softDeletedLeadsDays: 30, updatedAt: null });
    expect((await api.request('PUT', 'legal/retention/policy', { token: memberA.accessToken, body: { leadsDays: 100, taskEventsDays: 30 } })).status).toBe(403);
    for (const body of [{ leadsDays: 29, taskEventsDays: 30 }, { leadsDays: 3651, taskEventsDays: 30 }, { leadsDays: 100, taskEventsDays: 6 }, { leadsDays: 100, taskEventsDays: 366 }, { leadsDays: 100 }]) {
      const response = await api.request('PUT', 'legal/retention/policy', { token: ownerA.accessToken, body });
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect((await problemOf(response)).code).toBe('validation_failed');
    }
    expect((await api.request('POST', 'legal/retention/cleanup', { token: memberA.accessToken })).status).toBe(403);
    expect((await api.request('GET', 'legal/retention/stats', { token: memberA.accessToken })).status).toBe(403);
  });

  it('deletes exactly the expired rows, and the stats agree before and after', async () => {
    const orgA = ownerA.user.organization.id;
    const orgB = ownerB.user.organization.id;
    await seedLeads(orgA, [
      { key: 'expired-1', createdDaysAgo: 400 },
      { key: 'expired-2', createdDaysAgo: 366 },
      { key: 'expired-3', createdDaysAgo: 3000 },
      { key: 'old-but-seen-recently', createdDaysAgo: 400, seenDaysAgo: 10 },
      { key: 'expiring-in-5-days', createdDaysAgo: 360 },
      { key: 'soft-deleted-40-days', createdDaysAgo: 100, deletedDaysAgo: 40 },
      { key: 'soft-deleted-10-days', createdDaysAgo: 100, deletedDaysAgo: 10 },
      { key: 'fresh-1' },
      { key: 'fresh-2', createdDaysAgo: 30 },
    ]);
    await seedLeads(orgB, [{ key: 'b-expired', createdDaysAgo: 400 }, { key: 'b-fresh' }]);
    const finished = await seedTask(orgA, 'completed');
    const running = await seedTask(orgA, 'paused');
    await seedEvents(orgA, finished, [120, 95, 91, 86, 10, 0]);
    await seedEvents(orgA, running, [200, 1]);
    const bTask = await seedTask(orgB, 'completed');
    await seedEvents(orgB, bTask, [200]);

    const before = await api.json<Stats>('GET', 'legal/retention/stats', 200, { token: ownerA.accessToken });
    expect(before).toMatchObject({
      total: 9,
      expiringIn7Days: 1,
      expiredAwaitingPurge: 4,
      leads: { total: 9, expiringIn7Days: 1, expiredAwaitingPurge: 4, softDeletedAwaitingPurge: 1 },
      taskEvents: { total: 8, expiringIn7Days: 1, expiredAwaitingPurge: 3 },
      lastRunAt: null,
      lastDeletedCount: 0,
    });

    const run = await api.json<Cleanup>('POST', 'legal/retention/cleanup', 200, { token: ownerA.accessToken });
    expect(run).toMatchObject({ leadsDeleted: 4, softDeletedLeadsPurged: 1, taskEventsDeleted: 3, deletedCount: 7 });
    expect(run.leadsDeleted).toBe(before.expiredAwaitingPurge);
    expect(run.taskEventsDeleted).toBe(before.taskEvents.expiredAwaitingPurge);
    expect(await keysOf(orgA)).toEqual(['expiring-in-5-days', 'fresh-1', 'fresh-2', 'old-but-seen-recently', 'soft-deleted-10-days']);
    expect(await keysOf(orgB)).toEqual(['b-expired', 'b-fresh']);
    const events = await db.query(`SELECT task_id, seq FROM task_event WHERE org_id = $1 ORDER BY task_id, seq`, [orgA]);
    expect(events.rows.map((row) => `${row.task_id === running ? 'paused' : 'done'}:${row.seq}`)).toEqual(['done:4', 'done:5', 'done:6', 'paused:1', 'paused:2']);

    const after = await api.json<Stats>('GET', 'legal/retention/stats', 200, { token: ownerA.accessToken });
    expect(after).toMatchObject({
      total: before.total - run.leadsDeleted,
      expiringIn7Days: 1,
      expiredAwaitingPurge: 0,
      taskEvents: { total: before.taskEvents.total - run.taskEventsDeleted, expiringIn7Days: 1, expiredAwaitingPurge: 0 },
      lastRunTrigger: 'manual',
      lastDeletedCount: 7,
    });
    expect(after.lastRunAt).not.toBeNull();

    // A shorter policy: the lead expiring in 5 days is expired now, and so are events older than 30 days.
    const policy = await api.json<{ leadsDays: number; updatedAt: string | null }>('PUT', 'legal/retention/policy', 200, {
      token: ownerA.accessToken,
      body: { leadsDays: 350, taskEventsDays: 30 },
    });
    expect(policy).toMatchObject({ leadsDays: 350, taskEventsDays: 30 });
    expect(policy.updatedAt).not.toBeNull();
    const shorter = await api.json<Stats>('GET', 'legal/retention/stats', 200, { token: ownerA.accessToken });
    expect(shorter).toMatchObject({ expiredAwaitingPurge: 1, taskEvents: { expiredAwaitingPurge: 1 } });
    expect(await api.json<Cleanup>('POST', 'legal/retention/cleanup', 200, { token: ownerA.accessToken })).toMatchObject({ leadsDeleted: 1, taskEventsDeleted: 1 });

    // The daily job does every organization.
    await testApp.app.get(RetentionService).runScheduled();
    expect(await keysOf(orgB)).toEqual(['b-fresh']);
    expect((await db.query(`SELECT count(*)::int AS n FROM task_event WHERE org_id = $1`, [orgB])).rows[0].n).toBe(0);
    const runs = await db.query(`SELECT org_id, actor_user_id, metadata FROM audit_log WHERE action = 'legal.retention.ran' ORDER BY id`);
    expect(runs.rows.map((row) => [row.org_id, row.metadata.trigger, row.metadata.leadsDeleted])).toEqual([
      [orgA, 'manual', 4],
      [orgA, 'manual', 1],
      [orgB, 'schedule', 1],
    ]);
    const policyAudit = await db.query(`SELECT org_id, actor_user_id, metadata FROM audit_log WHERE action = 'legal.retention.policy_updated'`);
    expect(policyAudit.rows).toEqual([{ org_id: orgA, actor_user_id: ownerA.user.id, metadata: { leadsDays: 350, taskEventsDays: 30, previousLeadsDays: 365, previousTaskEventsDays: 90 } }]);
  });

  it('deletes a backlog of 100,000 expired leads in bounded batches without holding a long lock', async () => {
    const owner = await register('owner@backlog.test', 'Bea Backlog', 'Backlog');
    const orgId = owner.user.organization.id;
    await db.query(
      `INSERT INTO lead (id, org_id, kind, dedup_key, email, created_at, first_seen_at, last_seen_at)
       SELECT gen_random_uuid(), $1, 'person', 'e:backlog' || g || '@old.example', 'backlog' || g || '@old.example',
              now() - interval '400 days' + g * interval '1 second', now() - interval '400 days', now() - interval '400 days' + g * interval '1 second'
         FROM generate_series(1, 100000) AS g`,
      [orgId],
    );
    await db.query(`INSERT INTO lead (id, org_id, kind, dedup_key, email) SELECT gen_random_uuid(), $1, 'person', 'e:live' || g || '@new.example', 'live' || g || '@new.example' FROM generate_series(1, 1000) AS g`, [
      orgId,
    ]);
    await db.query(`ANALYZE lead`);
    const probeId = (await db.query(`SELECT id FROM lead WHERE org_id = $1 AND dedup_key = 'e:live1@new.example'`, [orgId])).rows[0].id as string;
    const before = await api.json<Stats>('GET', 'legal/retention/stats', 200, { token: owner.accessToken });
    expect(before).toMatchObject({ total: 101_000, expiredAwaitingPurge: 100_000 });

    // While the cleanup runs, another writer keeps updating a live lead of the same org (and the
    // runtime role's connection inserts one): each must wait at most one batch, never the whole run.
    const writer = new Client({ connectionString: testApp.databaseUrl });
    await writer.connect();
    let running = true;
    const waits: number[] = [];
    const probe = (async () => {
      while (running) {
        const begin = performance.now();
        await writer.query('BEGIN');
        await writer.query(`SELECT set_config('app.org_id', $1, true)`, [orgId]);
        await writer.query(`UPDATE lead SET notes = now()::text WHERE org_id = $1 AND id = $2`, [orgId, probeId]);
        await writer.query('COMMIT');
        waits.push(performance.now() - begin);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    const begin = performance.now();
    const run = await api.json<Cleanup>('POST', 'legal/retention/cleanup', 200, { token: owner.accessToken });
    const elapsed = performance.now() - begin;
    running = false;
    await probe;
    await writer.end();

    expect(run.leadsDeleted).toBe(100_000);
    expect(run.batches).toBeGreaterThanOrEqual(20);
    expect((await db.query(`SELECT count(*)::int AS n FROM lead WHERE org_id = $1`, [orgId])).rows[0].n).toBe(1000);
    const after = await api.json<Stats>('GET', 'legal/retention/stats', 200, { token: owner.accessToken });
    expect(after).toMatchObject({ total: 1000, expiredAwaitingPurge: 0, lastDeletedCount: 100_000 });
    expect(waits.length).toBeGreaterThan(0);
    const sorted = [...waits].sort((a, b) => a - b);
    console.log(
      `[retention backlog] 100,000 expired leads deleted in ${(elapsed / 1000).toFixed(2)} s: ${run.batches} statements of at most 5,000 rows, ` +
        `longest statement ${run.longestStatementMs.toFixed(0)} ms; a concurrent writer on the same org: ${waits.length} updates, ` +
        `median wait ${sorted[Math.floor(sorted.length / 2)]!.toFixed(1)} ms, longest ${sorted[sorted.length - 1]!.toFixed(0)} ms`,
    );
  });
});

describe('data subject requests', () => {
  const SUBJECT = 'sam.subject@dsar.example';

  it('return all and only what the caller’s org holds on the address, as an audited JSON download', async () => {
    const orgA = ownerA.user.organization.id;
    const taskId = await seedTask(orgA, 'completed');
    const source = { url: 'https://dsar.example/team', taskId, seenAt: '2030-01-01T00:00:00.000Z' };
    const a = await seedLeads(orgA, [
      { key: 'subject', email: 'Sam.Subject@dsar.example', sources: [source], taskId },
      { key: 'mentions-subject', email: 'colleague@dsar.example', notes: `Assistant of ${SUBJECT}.` },
      { key: 'longer-address', email: `x${SUBJECT}` },
      { key: 'other-tld', notes: `Write to ${SUBJECT}.au please` },
      { key: 'unrelated', email: 'other@dsar.example' },
    ]);
    await seedLeads(ownerB.user.organization.id, [{ key: 'subject-in-b', email: SUBJECT }]);
    // Audit events about the subject's lead (and one about another lead) in org A.
    await api.json('DELETE', `leads/${a.subject}`, 204, { token: ownerA.accessToken });
    await api.json('POST', `leads/${a.subject}/restore`, 200, { token: ownerA.accessToken });
    await api.json('DELETE', `leads/${a.unrelated}`, 204, { token: ownerA.accessToken });

    expect((await api.request('POST', 'legal/dsar', { token: memberA.accessToken, body: { email: SUBJECT } })).status).toBe(403);
    const response = await api.request('POST', 'legal/dsar', { token: ownerA.accessToken, body: { email: ' SAM.subject@DSAR.example ' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="dsar-[\w-]+\.json"$/);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const document = (await response.json()) as {
      format: string;
      organization: { id: string };
      subject: { email: string };
      account: unknown;
      leads: Array<{ id: string; email: string | null; matchedOn: string[] }>;
      sources: Array<{ leadId: string; url: string; taskId: string }>;
      tasks: Array<{ id: string }>;
      auditLog: Array<{ action: string; targetId: string }>;
    };
    expect(document).toMatchObject({ format: 'leadforge.dsar.v1', organization: { id: orgA }, subject: { email: SUBJECT }, account: null });
    expect(document.leads.map((lead) => [lead.id, lead.matchedOn])).toEqual([
      [a.subject, ['email']],
      [a['mentions-subject'], ['data']],
    ]);
    expect(document.sources).toEqual([{ leadId: a.subject, url: source.url, taskId, seenAt: source.seenAt }]);
    expect(document.tasks.map((task) => task.id)).toEqual([taskId]);
    expect(document.auditLog.map((row) => [row.action, row.targetId])).toEqual([
      ['lead.deleted', a.subject],
      ['lead.restored', a.subject],
    ]);

    const audited = await db.query(`SELECT org_id, actor_user_id, metadata FROM audit_log WHERE action = 'legal.dsar.exported'`);
    expect(audited.rows).toEqual([{ org_id: orgA, actor_user_id: ownerA.user.id, metadata: { leads: 2, sources: 1, auditRows: 2, account: false } }]);

    // A member of the org is a person the org holds data on too.
    const self = (await (await api.request('POST', 'legal/dsar', { token: ownerA.accessToken, body: { email: 'member@records-a.test' } })).json()) as { account: { role: string } | null; leads: unknown[] };
    expect(self).toMatchObject({ account: { role: 'member' }, leads: [] });
  });
});

describe('audit log', () => {
  it('lists the org’s events newest first with a cursor and filters, and nothing of other orgs', async () => {
    const orgA = ownerA.user.organization.id;
    const all = await api.json<{ items: Array<{ id: string; action: string; actorUserId: string | null; createdAt: string }>; nextCursor: string | null }>(
      'GET',
      'legal/audit-log?limit=200',
      200,
      { token: ownerA.accessToken },
    );
    const expected = (await db.query(`SELECT id FROM audit_log WHERE org_id = $1 ORDER BY id DESC`, [orgA])).rows.map((row) => row.id);
    expect(all.items.map((item) => item.id)).toEqual(expected);
    expect(all.items.some((item) => item.action === 'auth.login.succeeded')).toBe(true);

    const pages: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: Array<{ id: string }>; nextCursor: string | null } = await api.json('GET', `legal/audit-log?limit=3${cursor ? `&cursor=${cursor}` : ''}`, 200, { token: ownerA.accessToken });
      pages.push(...page.items.map((item) => item.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(pages).toEqual(expected);

    const dsar = await api.json<{ items: Array<{ action: string }> }>('GET', 'legal/audit-log?action=legal.dsar.exported', 200, { token: ownerA.accessToken });
    expect(dsar.items.map((item) => item.action)).toEqual(['legal.dsar.exported', 'legal.dsar.exported']);
    const legal = await api.json<{ items: Array<{ action: string }> }>('GET', 'legal/audit-log?action=legal.', 200, { token: ownerA.accessToken });
    expect(legal.items.length).toBeGreaterThanOrEqual(5);
    expect(legal.items.every((item) => item.action.startsWith('legal.'))).toBe(true);
    const byMember = await api.json<{ items: Array<{ actorUserId: string }> }>('GET', `legal/audit-log?actorUserId=${memberA.user.id}`, 200, { token: ownerA.accessToken });
    expect(byMember.items.length).toBeGreaterThan(0);
    expect(byMember.items.every((item) => item.actorUserId === memberA.user.id)).toBe(true);

    const middle = all.items[Math.floor(all.items.length / 2)]!;
    const since = await api.json<{ items: Array<{ createdAt: string }> }>('GET', `legal/audit-log?limit=200&from=${encodeURIComponent(middle.createdAt)}`, 200, { token: ownerA.accessToken });
    expect(since.items.length).toBe(all.items.filter((item) => item.createdAt >= middle.createdAt).length);
    const until = await api.json<{ items: Array<{ createdAt: string }> }>('GET', `legal/audit-log?limit=200&to=${encodeURIComponent(middle.createdAt)}`, 200, { token: ownerA.accessToken });
    expect(until.items.length).toBe(all.items.filter((item) => item.createdAt < middle.createdAt).length);

    const other = await api.json<{ items: Array<{ id: string }> }>('GET', 'legal/audit-log?limit=200', 200, { token: ownerB.accessToken });
    expect(other.items.some((item) => expected.includes(item.id))).toBe(false);
    expect((await api.request('GET', 'legal/audit-log', { token: memberA.accessToken })).status).toBe(403);
    expect((await api.request('GET', 'legal/audit-log?action=DROP TABLE', { token: ownerA.accessToken })).status).toBe(400);
  });

  it('is append-only for the application’s database role', async () => {
    const runtime = new Client({ connectionString: testApp.databaseUrl });
    await runtime.connect();
    try {
      const attempt = async (sql: string): Promise<string | undefined> => {
        await runtime.query('BEGIN');
        // Even with tenant isolation lifted, the role lacks the privilege.
        await runtime.query(`SELECT set_config('app.system', 'on', true)`);
        try {
          await runtime.query(sql);
          return undefined;
        } catch (error) {
          return (error as { code?: string }).code;
        } finally {
          await runtime.query('ROLLBACK');
        }
      };
      expect(await attempt(`SELECT count(*) FROM audit_log`)).toBeUndefined();
      expect(await attempt(`INSERT INTO audit_log (id, org_id, action) VALUES ('0190d000-0000-7000-8000-000000000001', NULL, 'test.insert')`)).toBeUndefined();
      expect(await attempt(`UPDATE audit_log SET action = 'tampered'`)).toBe('42501');
      expect(await attempt(`DELETE FROM audit_log`)).toBe('42501');
      expect(await attempt(`TRUNCATE audit_log`)).toBe('42501');
      expect((await db.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'tampered'`)).rows[0].n).toBe(0);
    } finally {
      await runtime.end();
    }
  });
});
