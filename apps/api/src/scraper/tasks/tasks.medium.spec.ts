import { type DataSource, In, LessThan } from 'typeorm';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { AuthContext } from '../../common/auth/auth-context';
import { AppError } from '../../common/errors/app-error';
import { newId } from '../../common/ids';
import { toPage } from '../../common/pagination/page';
import type { TenantDatabase } from '../../database/tenant-database';
import { inOneRoundTrip, openTenantTestDatabases, type TenantTestDatabases } from '../../../../../test/support/tenant-test-databases';
import { toTaskResponse } from '../dto/task.response';
import { ScrapeTask, type TaskStatus } from './scrape-task.entity';
import { TaskEventsService } from './task-events.service';
import { TasksRepository } from './tasks.repository';
import { TasksService } from './tasks.service';

let databases: TenantTestDatabases;
let owner: DataSource;
let tenant: TenantDatabase;
let service: TasksService;
const repository = new TasksRepository();
const taskEvents = new TaskEventsService();
const [orgA, orgB] = [newId(), newId()];
const auth = (orgId: string): AuthContext => ({ via: 'jwt', userId: null, orgId, role: 'member', sessionId: null, apiKeyId: null, isPlatformAdmin: false });
const STATUSES: TaskStatus[] = ['queued', 'running', 'paused', 'completed', 'failed', 'cancelled', 'timed_out'];
const tasksOfA: string[] = [];
let taskOfB: string;
let quietTask: string;
const NOW = new Date('2030-01-02T04:00:00.000Z');

async function insertTask(orgId: string, index: number): Promise<string> {
  const id = newId();
  const status = STATUSES[index % STATUSES.length]!;
  const started = status !== 'queued';
  const finished = ['completed', 'failed', 'cancelled', 'timed_out'].includes(status);
  await owner.query(
    `INSERT INTO scrape_task (id, org_id, name, platform, status, seeds, options, selectors, filters, lead_objective, pages_queued, pages_fetched,
                              pages_failed, leads_found, leads_stored, duplicates, suppressed, credits_reserved, credits_charged, error,
                              created_at, started_at, finished_at, deadline_at)
     VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7::jsonb, $8::jsonb, $9::jsonb, 'sales', $10, $11, $12, $13, $14, $15, $16, 100, $11, $17,
             $18::timestamptz, $19::timestamptz, $20::timestamptz, $21::timestamptz)`,
    [
      id,
      orgId,
      `task ${index} «ü»`,
      index % 3 === 0 ? 'directory' : 'website',
      status,
      JSON.stringify([`https://site${index}.example/`, 'https://other.example/a?b=1']),
      JSON.stringify({ maxPages: 50, maxDepth: 2, sameDomain: true, respectRobots: true, render: 'http', include: ['**/team*'], exclude: [] }),
      index % 3 === 0 ? JSON.stringify({ item: '.card', fields: { name: 'h2', website: 'a.site@href' }, next: 'a.next' }) : null,
      index % 2 === 0 ? JSON.stringify({ countries: ['DE'], minConfidence: 40 }) : null,
      3 + index,
      index,
      index % 2,
      index * 3,
      index * 2,
      index % 4,
      index % 5,
      status === 'failed' ? 'all seeds unreachable' : null,
      // Microseconds that a Date drops, as real rows have.
      `2030-01-02 03:${String(index).padStart(2, '0')}:05.123456+00`,
      started ? `2030-01-02 03:${String(index).padStart(2, '0')}:06.000999+00` : null,
      finished ? `2030-01-02 03:${String(index).padStart(2, '0')}:59.5+00` : null,
      started ? '2030-01-02 05:00:00+00' : null,
    ],
  );
  return id;
}

beforeAll(async () => {
  databases = await openTenantTestDatabases();
  ({ owner, tenant } = databases);
  // The reads use none of the services that starting, stopping and estimating need.
  service = new TasksService(null as never, tenant, repository, null as never, null as never, taskEvents, null as never, null as never);
  await owner.query(`INSERT INTO organization (id, name) VALUES ($1, 'A'), ($2, 'B')`, [orgA, orgB]);
  for (let index = 0; index < 23; index++) tasksOfA.push(await insertTask(orgA, index));
  taskOfB = await insertTask(orgB, 1);
  quietTask = tasksOfA[0]!;
  const busy = tasksOfA[1]!;
  for (const [taskId, orgId, count] of [
    [busy, orgA, 12],
    [taskOfB, orgB, 3],
  ] as const) {
    await owner.query(
      `INSERT INTO task_event (task_id, seq, org_id, type, payload, created_at)
       SELECT $1, g, $2, CASE WHEN g % 3 = 0 THEN 'task.status' ELSE 'task.progress' END,
              jsonb_build_object('status', 'running', 'pagesFetched', g, 'note', 'ü ' || g), TIMESTAMPTZ '2030-01-02 03:30:00.654321+00' + g * interval '1.000001 second'
         FROM generate_series(1, $3::int) AS g`,
      [taskId, orgId, count],
    );
  }
  await owner.query(`UPDATE scrape_task SET last_event_seq = 12 WHERE id = $1`, [busy]);
});

afterEach(() => {
  vi.restoreAllMocks();
  vi.useRealTimers();
});

afterAll(async () => {
  await databases?.close();
});

/** The entity read these endpoints made before, inside a transaction, mapped the same way. */
async function entityList(orgId: string, filter: { limit: number; cursor?: string; status?: TaskStatus[] }): Promise<string> {
  const rows = await tenant.inOrg(orgId, (db) =>
    db.find(ScrapeTask, {
      where: { orgId, ...(filter.status?.length ? { status: In(filter.status) } : {}), ...(filter.cursor ? { id: LessThan(filter.cursor) } : {}) },
      order: { id: 'DESC' },
      take: filter.limit + 1,
    }),
  );
  return JSON.stringify(toPage(rows, filter.limit, (task) => task.id, toTaskResponse));
}

async function notFound(work: Promise<unknown>): Promise<string> {
  const error = await work.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).status).toBe(404);
  return (error as AppError).code;
}

describe('TasksService reads (one round trip each)', () => {
  it('GET tasks/:id answers exactly what the entity read answered, in one statement', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: NOW });
    for (const id of tasksOfA.slice(0, STATUSES.length)) {
      const expected = toTaskResponse((await tenant.inOrg(orgA, (db) => repository.find(db, orgA, id)))!);
      const task = await inOneRoundTrip(tenant, () => service.get(auth(orgA), id));
      expect(JSON.stringify(task)).toBe(JSON.stringify(expected));
    }
    expect(await service.get(auth(orgA), tasksOfA[1]!)).toMatchObject({
      status: 'running',
      selectors: null,
      createdAt: '2030-01-02T03:01:05.123Z',
      startedAt: '2030-01-02T03:01:06.000Z',
      finishedAt: null,
      progress: { pagesQueued: 4, pagesFetched: 1, pagesFailed: 1 },
    });
  });

  it('GET tasks pages newest first with the same cursor, filters by status, and equals the entity read page by page', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: NOW });
    for (const status of [undefined, [], ['completed', 'running'] as TaskStatus[], ['paused'] as TaskStatus[]]) {
      const seen: string[] = [];
      let cursor: string | undefined;
      for (let pages = 0; pages < 20; pages++) {
        const expected = await entityList(orgA, { limit: 5, cursor, status });
        const page = await inOneRoundTrip(tenant, () => service.list(auth(orgA), { limit: 5, cursor, status }));
        expect(JSON.stringify(page)).toBe(expected);
        seen.push(...page.items.map((task) => task.id));
        if (!page.nextCursor) break;
        expect(page.nextCursor).toBe(page.items.at(-1)!.id);
        cursor = page.nextCursor;
      }
      const wanted = status?.length ? tasksOfA.filter((_, index) => status.includes(STATUSES[index % STATUSES.length]!)) : tasksOfA;
      expect(seen).toEqual([...wanted].reverse());
    }
    // The default page size.
    expect((await service.list(auth(orgA), {})).items).toHaveLength(tasksOfA.length);
  });

  it('GET tasks/:id/events answers the stored events after sinceSeq, in order, in one statement', async () => {
    const busy = tasksOfA[1]!;
    for (const [sinceSeq, limit] of [
      [0, 500],
      [4, 5],
      [11, 500],
      [12, 500],
      [99, 1],
    ] as const) {
      const expected = await tenant.inOrg(orgA, (db) => taskEvents.list(db, busy, sinceSeq, limit));
      const events = await inOneRoundTrip(tenant, () => service.events(auth(orgA), busy, sinceSeq, limit));
      expect(JSON.stringify(events)).toBe(JSON.stringify(expected));
    }
    const [first] = await service.events(auth(orgA), busy, 0, 1);
    expect(first).toEqual({ taskId: busy, seq: 1, type: 'task.progress', at: '2030-01-02T03:30:01.654Z', payload: { status: 'running', pagesFetched: 1, note: 'ü 1' } });
    expect(await service.events(auth(orgA), quietTask, 0, 500)).toEqual([]);
  });

  it("answers 404 for another org's task, never its data", async () => {
    expect(await notFound(service.get(auth(orgA), taskOfB))).toBe('not_found');
    expect(await notFound(service.events(auth(orgA), taskOfB, 0, 500))).toBe('not_found');
    expect(await notFound(service.get(auth(orgA), newId()))).toBe('not_found');
    expect(await notFound(service.events(auth(orgA), newId(), 0, 500))).toBe('not_found');
    expect((await service.list(auth(orgA), { limit: 200 })).items.map((task) => task.id)).not.toContain(taskOfB);
    expect((await service.list(auth(orgB), { limit: 200 })).items.map((task) => task.id)).toEqual([taskOfB]);
    expect((await service.events(auth(orgB), taskOfB, 0, 500)).map((event) => event.seq)).toEqual([1, 2, 3]);
  });
});
