import ExcelJS from 'exceljs';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, problemOf, type Session } from '../support/api-client';
import { startTestApp, type TestApp } from '../support/test-app';

/**
 * The leads API, filters, analytics and exports against real Postgres. Leads are written straight
 * into the table (as the owner) with known values, so every expectation is computed from the
 * fixtures here, not from the API.
 */

interface Fixture {
  id: string;
  kind: 'person' | 'company';
  full_name: string | null;
  job_title: string | null;
  job_level: string | null;
  email: string | null;
  phones: Array<{ e164: string; type: string; country: string | null }>;
  company_name: string | null;
  company_domain: string | null;
  business_type: string | null;
  education_level: string | null;
  degree_type: string | null;
  lead_objective: string | null;
  confidence: number;
  tags: string[];
  status: string;
  platform: string | null;
  task_id: string | null;
  address: { street: null; city: string; region: null; postalCode: null; country: string } | null;
  notes: string | null;
  created_at: string;
}

const JOB_LEVELS = ['c_suite', 'manager', 'entry', null] as const;
const BUSINESS_TYPES = ['software', 'dental', 'law_firm', null] as const;
const EDUCATION = ['master', 'bachelor', null] as const;
const DEGREES = ['MBA', 'BSc', null] as const;
const OBJECTIVES = ['sales', 'recruiting'] as const;
const STATUSES = ['new', 'contacted', 'qualified', 'disqualified'] as const;
const PLATFORMS = ['website', 'directory', 'sitemap'] as const;
const COUNTRIES = ['DE', 'US', 'fr'];
const SURNAMES = ['Müller', 'Smith', 'Okafor', 'Nguyen', 'Rossi'];
const BASE_TIME = Date.UTC(2030, 0, 1, 12, 0, 0);
const HOUR = 3_600_000;

let testApp: TestApp;
let api: ApiClient;
let owner: Client;
let ownerA: Session;
let ownerB: Session;
let orgA: string;
let orgB: string;
let taskA: string;
let fixtures: Fixture[];
let fixturesB: Fixture[];
let seq = 0;

/** UUIDv7-shaped ids in creation order (the time part grows with n). */
function uuid7(n: number): string {
  const hex = (BigInt(BASE_TIME) * 4096n + BigInt(n)).toString(16).padStart(15, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-7${hex.slice(12, 15)}-8${Math.floor(Math.random() * 4096).toString(16).padStart(3, '0')}-${Math.floor(Math.random() * 2 ** 48).toString(16).padStart(12, '0')}`;
}

function fixture(n: number, taskId: string | null, overrides: Partial<Fixture> = {}): Fixture {
  const surname = SURNAMES[n % SURNAMES.length]!;
  const person = n % 5 !== 4;
  return {
    id: uuid7(seq++),
    kind: person ? 'person' : 'company',
    full_name: person ? `Ada${n} ${surname}` : null,
    job_title: person ? (n % 2 === 0 ? 'Head of Sales' : 'Software Engineer') : null,
    job_level: person ? JOB_LEVELS[n % JOB_LEVELS.length]! : null,
    email: n % 3 === 0 ? null : `ada${n}@firm${n % 4}.example`,
    phones: n % 4 === 0 ? [] : [{ e164: `+49301234${String(n).padStart(3, '0')}`, type: 'landline', country: 'DE' }],
    company_name: n % 6 === 5 ? null : `Firm ${String.fromCharCode(65 + (n % 7))}${n % 4} GmbH`,
    company_domain: `firm${n % 4}.example`,
    business_type: BUSINESS_TYPES[n % BUSINESS_TYPES.length]!,
    education_level: EDUCATION[n % EDUCATION.length]!,
    degree_type: DEGREES[(n + 1) % DEGREES.length]!,
    lead_objective: OBJECTIVES[n % OBJECTIVES.length]!,
    confidence: (n * 37) % 101,
    tags: n % 5 === 0 ? ['vip'] : n % 5 === 1 ? ['cold', 'vip'] : [],
    status: STATUSES[n % STATUSES.length]!,
    platform: PLATFORMS[n % PLATFORMS.length]!,
    task_id: n % 2 === 0 ? taskId : null,
    address: n % 3 === 2 ? null : { street: null, city: 'Berlin', region: null, postalCode: null, country: COUNTRIES[Math.floor(n / 3) % COUNTRIES.length]! },
    notes: null,
    // Some share a created_at, so the id tiebreak of the cursor is exercised.
    created_at: new Date(BASE_TIME + Math.floor(n / 2) * 7 * HOUR).toISOString(),
    ...overrides,
  };
}

async function insert(orgId: string, rows: Fixture[]): Promise<void> {
  for (const row of rows) {
    await owner.query(
      `INSERT INTO lead (id, org_id, kind, dedup_key, full_name, job_title, job_level, email, phones, company_name, company_domain, business_type,
                         education_level, degree_type, lead_objective, confidence, confidence_reasons, sources, tags, status, platform, task_id,
                         address, notes, created_at, first_seen_at, last_seen_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $25, $25)`,
      [
        row.id, orgId, row.kind, `k:${row.id}`, row.full_name, row.job_title, row.job_level, row.email, JSON.stringify(row.phones), row.company_name,
        row.company_domain, row.business_type, row.education_level, row.degree_type, row.lead_objective, row.confidence,
        JSON.stringify([{ signal: 'base', weight: 30 }]), JSON.stringify([{ url: `https://${row.company_domain}/team`, taskId: row.task_id, seenAt: row.created_at }]),
        row.tags, row.status, row.platform, row.task_id, row.address ? JSON.stringify(row.address) : null, row.notes, row.created_at,
      ],
    );
  }
}

async function createTask(orgId: string): Promise<string> {
  const id = uuid7(seq++);
  await owner.query(
    `INSERT INTO scrape_task (id, org_id, name, platform, status, seeds, options, lead_objective, credits_reserved)
     VALUES ($1, $2, 'fixture', 'website', 'completed', '[]', '{}', 'sales', 0)`,
    [id, orgId],
  );
  return id;
}

type Lead = Record<string, any> & { id: string };

/** Every page of GET leads with a query, following nextCursor. */
async function walk(query: string, token = ownerA.accessToken, limit = 200): Promise<Lead[]> {
  const items: Lead[] = [];
  let cursor: string | null = null;
  do {
    const page: { items: Lead[]; nextCursor: string | null } = await api.json('GET', `leads?limit=${limit}${query ? `&${query}` : ''}${cursor ? `&cursor=${cursor}` : ''}`, 200, { token });
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}

const idsOf = (rows: Array<{ id: string }>): string[] => rows.map((row) => row.id).sort();
const byNewest = (a: Fixture, b: Fixture): number => (a.created_at === b.created_at ? (a.id < b.id ? 1 : -1) : a.created_at < b.created_at ? 1 : -1);

beforeAll(async () => {
  testApp = await startTestApp();
  api = new ApiClient(testApp.baseUrl);
  owner = new Client({ connectionString: testApp.databaseOwnerUrl });
  await owner.connect();
  await api.register('owner@leads-a.test', 'Ann Owner', 'Leads A');
  ownerA = await api.login('owner@leads-a.test');
  await api.register('owner@leads-b.test', 'Bob Owner', 'Leads B');
  ownerB = await api.login('owner@leads-b.test');
  orgA = ownerA.user.organization.id;
  orgB = ownerB.user.organization.id;
  taskA = await createTask(orgA);
  fixtures = Array.from({ length: 48 }, (_, n) => fixture(n, taskA));
  // Formula-injection payloads in user-visible text.
  fixtures.push(fixture(100, taskA, { full_name: '=HYPERLINK("http://evil.example","x")', job_title: '+cmd|/C calc!A0', company_name: '-2+3', notes: '@SUM(A1)', confidence: 5, phones: [{ e164: '+4930999888', type: 'landline', country: 'DE' }] }));
  await insert(orgA, fixtures);
  fixturesB = Array.from({ length: 6 }, (_, n) => fixture(n, null, { full_name: `Other${n} Smith`, email: `other${n}@firm1.example`, tags: ['vip'] }));
  await insert(orgB, fixturesB);
}, 120_000);

afterAll(async () => {
  await owner?.end();
  await testApp?.close();
});

describe('GET leads: filters', () => {
  const cases: Array<[string, string, (f: Fixture) => boolean]> = [
    ['no filter', '', () => true],
    ['platform', 'platform=directory', (f) => f.platform === 'directory'],
    ['platform list', 'platform=directory,sitemap', (f) => f.platform === 'directory' || f.platform === 'sitemap'],
    ['taskId', '', () => true],
    ['jobLevel[]', 'jobLevel=c_suite,manager', (f) => f.job_level === 'c_suite' || f.job_level === 'manager'],
    ['jobLevel repeated', 'jobLevel=c_suite&jobLevel=entry', (f) => f.job_level === 'c_suite' || f.job_level === 'entry'],
    ['businessType[]', 'businessType=dental', (f) => f.business_type === 'dental'],
    ['educationLevel[]', 'educationLevel=master,bachelor', (f) => f.education_level === 'master' || f.education_level === 'bachelor'],
    ['degreeType[]', 'degreeType=MBA', (f) => f.degree_type === 'MBA'],
    ['leadObjective', 'leadObjective=recruiting', (f) => f.lead_objective === 'recruiting'],
    ['status', 'status=qualified', (f) => f.status === 'qualified'],
    ['tags (any of)', 'tags=cold', (f) => f.tags.includes('cold')],
    ['tags list', 'tags=vip,cold', (f) => f.tags.includes('vip') || f.tags.includes('cold')],
    ['country (case-insensitive)', 'country=FR', (f) => f.address?.country.toUpperCase() === 'FR'],
    ['minConfidence', 'minConfidence=60', (f) => f.confidence >= 60],
    ['maxConfidence', 'maxConfidence=20', (f) => f.confidence <= 20],
    ['confidence range', 'minConfidence=20&maxConfidence=70', (f) => f.confidence >= 20 && f.confidence <= 70],
    ['hasEmail=true', 'hasEmail=true', (f) => f.email !== null],
    ['hasEmail=false', 'hasEmail=false', (f) => f.email === null],
    ['hasPhone=true', 'hasPhone=true', (f) => f.phones.length > 0],
    ['hasPhone=false', 'hasPhone=false', (f) => f.phones.length === 0],
    ['createdFrom', `createdFrom=${new Date(BASE_TIME + 40 * HOUR).toISOString()}`, (f) => Date.parse(f.created_at) >= BASE_TIME + 40 * HOUR],
    ['createdTo', `createdTo=${new Date(BASE_TIME + 40 * HOUR).toISOString()}`, (f) => Date.parse(f.created_at) < BASE_TIME + 40 * HOUR],
    ['three filters', 'businessType=software,dental&jobLevel=c_suite,manager,entry&minConfidence=30', (f) => ['software', 'dental'].includes(f.business_type ?? '') && ['c_suite', 'manager', 'entry'].includes(f.job_level ?? '') && f.confidence >= 30],
    ['q: one word prefix', 'q=mül', (f) => /müller/i.test(f.full_name ?? '')],
    ['q: two words (AND), any field', 'q=smith%20firm', (f) => /smith/i.test(f.full_name ?? '') && [f.company_name, f.email, f.company_domain].some((v) => /\bfirm/i.test(v ?? ''))],
    ['q: email domain', 'q=firm2.example', (f) => (f.email ?? '').includes('firm2.example') || f.company_domain === 'firm2.example'],
    ['q: job title', 'q=head%20sales', (f) => f.job_title === 'Head of Sales'],
    ['q: no match', 'q=zzzzqx', () => false],
  ];

  it.each(cases)('%s', async (name, query, predicate) => {
    const filter = name === 'taskId' ? `taskId=${taskA}` : query;
    const expected = fixtures.filter(name === 'taskId' ? (f) => f.task_id === taskA : predicate);
    const items = await walk(filter);
    expect(idsOf(items)).toEqual(idsOf(expected));
    if (name !== 'q: no match') expect(items.length).toBeGreaterThan(0);
  });

  it('rejects unknown filters and out-of-vocabulary values', async () => {
    for (const query of ['jobLevel=king', 'businessType=spaceship', 'minConfidence=101', 'hasEmail=maybe', 'sort=email', 'order=up', 'limit=201', 'createdFrom=yesterday', 'color=red']) {
      const response = await api.request('GET', `leads?${query}`, { token: ownerA.accessToken });
      expect(response.status, query).toBe(400);
      expect((await problemOf(response)).code).toBe('validation_failed');
    }
  });
});

describe('GET leads: sort and cursor', () => {
  const sorts: Array<[string, string, (a: Fixture, b: Fixture) => number]> = [
    ['createdAt', 'desc', byNewest],
    ['createdAt', 'asc', (a, b) => -byNewest(a, b)],
    ['confidence', 'desc', (a, b) => (a.confidence === b.confidence ? (a.id < b.id ? 1 : -1) : b.confidence - a.confidence)],
    ['confidence', 'asc', (a, b) => (a.confidence === b.confidence ? (a.id < b.id ? -1 : 1) : a.confidence - b.confidence)],
    ['companyName', 'asc', (a, b) => ((a.company_name ?? '') === (b.company_name ?? '') ? (a.id < b.id ? -1 : 1) : (a.company_name ?? '') < (b.company_name ?? '') ? -1 : 1)],
    ['companyName', 'desc', (a, b) => ((a.company_name ?? '') === (b.company_name ?? '') ? (a.id < b.id ? 1 : -1) : (a.company_name ?? '') < (b.company_name ?? '') ? 1 : -1)],
  ];

  it.each(sorts)('%s %s in pages of 7 is the full order, no duplicates', async (sort, order, compare) => {
    const items = await walk(`sort=${sort}&order=${order}`, ownerA.accessToken, 7);
    expect(items.map((item) => item.id)).toEqual([...fixtures].sort(compare).map((f) => f.id));
  });

  it('rejects a cursor of another sort, and a forged one', async () => {
    const page = await api.json<{ nextCursor: string }>('GET', 'leads?limit=2&sort=confidence', 200, { token: ownerA.accessToken });
    for (const query of [`sort=createdAt&cursor=${page.nextCursor}`, `sort=confidence&order=asc&cursor=${page.nextCursor}`, 'cursor=bm9wZQ', `sort=confidence&cursor=${Buffer.from('["confidence","desc","1; DROP TABLE lead","x"]').toString('base64url')}`]) {
      const response = await api.request('GET', `leads?${query}`, { token: ownerA.accessToken });
      expect(response.status, query).toBe(400);
      expect((await problemOf(response)).code).toBe('invalid_cursor');
    }
  });

  it('walks without duplicates or gaps while leads are being inserted', async () => {
    const before = await walk('');
    const seen: string[] = [];
    let cursor: string | null = null;
    let inserted = 0;
    for (const sort of ['createdAt&order=desc', 'createdAt&order=asc', 'companyName&order=asc']) {
      seen.length = 0;
      cursor = null;
      do {
        const page: { items: Lead[]; nextCursor: string | null } = await api.json('GET', `leads?limit=5&sort=${sort}${cursor ? `&cursor=${cursor}` : ''}`, 200, { token: ownerA.accessToken });
        seen.push(...page.items.map((item) => item.id));
        cursor = page.nextCursor;
        // New leads arrive between pages, as a running task would add them.
        const fresh = [fixture(200 + inserted, null, { created_at: new Date().toISOString(), company_name: `Zeta ${inserted}` }), fixture(300 + inserted, null, { created_at: new Date().toISOString(), company_name: `Aaa ${inserted}` })];
        inserted += 2;
        await insert(orgA, fresh);
      } while (cursor);
      expect(new Set(seen).size, `duplicates in ${sort}`).toBe(seen.length);
      expect(before.map((lead) => lead.id).filter((id) => !seen.includes(id)), `gaps in ${sort}`).toEqual([]);
    }
    // Clean up so later tests see the fixture set only.
    await owner.query(`DELETE FROM lead WHERE org_id = $1 AND NOT (id = ANY ($2::uuid[]))`, [orgA, fixtures.map((f) => f.id)]);
  });
});

describe('GET, PATCH, DELETE, restore, bulk', () => {
  it('returns one lead with its sources and confidence reasons; another org’s lead is a 404', async () => {
    const target = fixtures[1]!;
    const lead = await api.json<Lead>('GET', `leads/${target.id}`, 200, { token: ownerA.accessToken });
    expect(lead).toMatchObject({ id: target.id, fullName: target.full_name, email: target.email, confidence: target.confidence, confidenceReasons: [{ signal: 'base', weight: 30 }], sources: [{ url: `https://${target.company_domain}/team` }] });
    const response = await api.request('GET', `leads/${fixturesB[0]!.id}`, { token: ownerA.accessToken });
    expect(response.status).toBe(404);
  });

  it('PATCH corrects status, tags, notes and names and records who did it', async () => {
    const target = fixtures[2]!;
    const lead = await api.json<Lead>('PATCH', `leads/${target.id}`, 200, { token: ownerA.accessToken, body: { status: 'contacted', tags: ['hot'], notes: 'called', fullName: 'Ada Lovelace', jobTitle: 'CTO' } });
    expect(lead).toMatchObject({ status: 'contacted', tags: ['hot'], notes: 'called', fullName: 'Ada Lovelace', jobTitle: 'CTO', updatedBy: ownerA.user.id });
    // The correction is searchable at once (the term table follows the row).
    expect(idsOf(await walk('q=lovelace'))).toEqual([target.id]);
    await api.json('PATCH', `leads/${target.id}`, 200, { token: ownerA.accessToken, body: { status: target.status, tags: target.tags, notes: null, fullName: target.full_name, jobTitle: target.job_title } });
  });

  it.each([{ email: 'x@y.example' }, { confidence: 100 }, { orgId: '00000000-0000-7000-8000-000000000000' }, { status: 'won' }, { tags: ['a,b'] }, {}, { deletedAt: null }])('PATCH %j is a 400', async (body) => {
    const response = await api.request('PATCH', `leads/${fixtures[3]!.id}`, { token: ownerA.accessToken, body });
    expect(response.status).toBe(400);
    expect((await problemOf(response)).code).toBe('validation_failed');
  });

  it('DELETE hides a lead, restore brings it back, both audited', async () => {
    const target = fixtures[4]!;
    const response = await api.request('DELETE', `leads/${target.id}`, { token: ownerA.accessToken });
    expect(response.status).toBe(204);
    expect((await api.request('GET', `leads/${target.id}`, { token: ownerA.accessToken })).status).toBe(404);
    expect(idsOf(await walk(''))).not.toContain(target.id);
    const restored = await api.json<Lead>('POST', `leads/${target.id}/restore`, 200, { token: ownerA.accessToken });
    expect(restored).toMatchObject({ id: target.id, deletedAt: null, updatedBy: ownerA.user.id });
    const { rows } = await owner.query(`SELECT action, target_id, actor_user_id FROM audit_log WHERE org_id = $1 AND action LIKE 'lead.%' AND target_id = $2 ORDER BY id`, [orgA, target.id]);
    expect(rows).toEqual([
      { action: 'lead.deleted', target_id: target.id, actor_user_id: ownerA.user.id },
      { action: 'lead.restored', target_id: target.id, actor_user_id: ownerA.user.id },
    ]);
  });

  it('bulk: tag, untag, setStatus, delete and restore by ids and by filter, audited', async () => {
    const ids = fixtures.slice(0, 10).map((f) => f.id);
    expect(await api.json('POST', 'leads/bulk', 200, { token: ownerA.accessToken, body: { action: 'tag', ids, tags: ['batch'] } })).toEqual({ affected: 10 });
    expect(idsOf(await walk('tags=batch'))).toEqual([...ids].sort());
    expect(await api.json('POST', 'leads/bulk', 200, { token: ownerA.accessToken, body: { action: 'tag', ids, tags: ['batch'] } })).toEqual({ affected: 0 });
    expect(await api.json('POST', 'leads/bulk', 200, { token: ownerA.accessToken, body: { action: 'untag', filter: { tags: ['batch'] }, tags: ['batch'] } })).toEqual({ affected: 10 });
    expect(await walk('tags=batch')).toEqual([]);

    const dental = fixtures.filter((f) => f.business_type === 'dental');
    const changed = dental.filter((f) => f.status !== 'disqualified').length;
    expect(await api.json('POST', 'leads/bulk', 200, { token: ownerA.accessToken, body: { action: 'setStatus', filter: { businessType: ['dental'] }, status: 'disqualified' } })).toEqual({ affected: changed });
    expect(idsOf(await walk('businessType=dental&status=disqualified'))).toEqual(idsOf(dental));
    expect(await api.json('POST', 'leads/bulk', 200, { token: ownerA.accessToken, body: { action: 'delete', filter: { businessType: ['dental'] } } })).toEqual({ affected: dental.length });
    expect(await walk('businessType=dental')).toEqual([]);
    expect(await api.json('POST', 'leads/bulk', 200, { token: ownerA.accessToken, body: { action: 'restore', ids: dental.map((f) => f.id) } })).toEqual({ affected: dental.length });
    // Put the fixture statuses back for the analytics tests.
    for (const f of dental) await owner.query('UPDATE lead SET status = $2 WHERE id = $1', [f.id, f.status]);

    // Ids of another org are not touched.
    expect(await api.json('POST', 'leads/bulk', 200, { token: ownerA.accessToken, body: { action: 'delete', ids: fixturesB.map((f) => f.id) } })).toEqual({ affected: 0 });
    expect(await walk('', ownerB.accessToken)).toHaveLength(fixturesB.length);

    const { rows } = await owner.query(`SELECT metadata FROM audit_log WHERE org_id = $1 AND action = 'lead.bulk_updated' ORDER BY id`, [orgA]);
    expect(rows.map((row) => [row.metadata.action, row.metadata.by, row.metadata.affected])).toEqual([
      ['tag', 'ids', 10], ['tag', 'ids', 0], ['untag', 'filter', 10], ['setStatus', 'filter', changed], ['delete', 'filter', dental.length], ['restore', 'ids', dental.length], ['delete', 'ids', 0],
    ]);
  });

  const SOME_ID = '0190a000-0000-7000-8000-000000000001';
  it.each([
    ['1,001 ids', { action: 'delete', ids: Array.from({ length: 1001 }, (_, i) => uuid7(10_000 + i)) }],
    ['no ids', { action: 'delete', ids: [] }],
    ['ids and filter', { action: 'delete', ids: [SOME_ID], filter: {} }],
    ['neither', { action: 'delete' }],
    ['tag without tags', { action: 'tag', ids: [SOME_ID] }],
    ['setStatus without status', { action: 'setStatus', ids: [SOME_ID] }],
    ['unknown action', { action: 'purge', ids: [SOME_ID] }],
    ['unknown filter field', { action: 'delete', filter: { email: 'x' } }],
  ])('bulk with %s is a 400', async (_, body) => {
    const response = await api.request('POST', 'leads/bulk', { token: ownerA.accessToken, body });
    expect(response.status).toBe(400);
    expect((await problemOf(response)).code).toBe('validation_failed');
  });
});

describe('filters endpoints', () => {
  it('serve value + label, and counts of the caller’s org on request', async () => {
    const plain = await api.json<{ items: Array<{ value: string; label: string; count?: number }> }>('GET', 'filters/job-levels', 200, { token: ownerA.accessToken });
    expect(plain.items[0]).toEqual({ value: 'c_suite', label: 'C-suite / owner' });
    for (const [path, column] of [['platforms', 'platform'], ['business-types', 'business_type'], ['job-levels', 'job_level'], ['education-levels', 'education_level'], ['degree-types', 'degree_type'], ['lead-objectives', 'lead_objective']] as const) {
      const { items } = await api.json<{ items: Array<{ value: string; count: number }> }>('GET', `filters/${path}?withCounts=true`, 200, { token: ownerA.accessToken });
      for (const item of items) expect(item.count, `${path} ${item.value}`).toBe(fixtures.filter((f) => f[column] === item.value).length);
      expect(items.some((item) => item.count > 0)).toBe(true);
    }
  });
});

describe('analytics', () => {
  const live = (): Fixture[] => fixtures;

  it('summary', async () => {
    const summary = await api.json<Record<string, any>>('GET', 'analytics/summary', 200, { token: ownerA.accessToken });
    const rows = live();
    expect(summary).toEqual({
      total: rows.length,
      byStatus: Object.fromEntries(STATUSES.map((status) => [status, rows.filter((f) => f.status === status).length])),
      withEmail: rows.filter((f) => f.email).length,
      withPhone: rows.filter((f) => f.phones.length > 0).length,
      avgConfidence: Math.round((rows.reduce((sum, f) => sum + f.confidence, 0) / rows.length) * 10) / 10,
      last7Days: rows.filter((f) => Date.parse(f.created_at) >= Date.now() - 7 * 24 * HOUR).length,
      last30Days: rows.filter((f) => Date.parse(f.created_at) >= Date.now() - 30 * 24 * HOUR).length,
    });
    const filtered = await api.json<{ total: number }>('GET', 'analytics/summary?businessType=software&minConfidence=50', 200, { token: ownerA.accessToken });
    expect(filtered.total).toBe(rows.filter((f) => f.business_type === 'software' && f.confidence >= 50).length);
    expect((await api.json<{ total: number }>('GET', 'analytics/summary', 200, { token: ownerB.accessToken })).total).toBe(fixturesB.length);
  });

  it('platforms and categories', async () => {
    const platforms = await api.json<{ items: Array<{ value: string; count: number }> }>('GET', 'analytics/platforms?hasEmail=true', 200, { token: ownerA.accessToken });
    expect(platforms.items).toEqual(PLATFORMS.map((p) => expect.objectContaining({ value: p, count: live().filter((f) => f.platform === p && f.email).length })));
    const categories = await api.json<{ businessType: Array<{ value: string; count: number }>; jobLevel: Array<{ value: string; count: number }> }>('GET', 'analytics/categories', 200, { token: ownerA.accessToken });
    expect(categories.businessType.find((c) => c.value === 'dental')!.count).toBe(live().filter((f) => f.business_type === 'dental').length);
    expect(categories.businessType.find((c) => c.value === 'other')!.count).toBe(live().filter((f) => f.business_type === null).length);
    expect(categories.jobLevel.find((c) => c.value === 'unknown')!.count).toBe(live().filter((f) => f.job_level === null).length);
    expect(categories.jobLevel.reduce((sum, c) => sum + c.count, 0)).toBe(live().length);
  });

  it('timeline in day, week and month buckets of a time zone', async () => {
    const bucketOf = (iso: string, tz: string, interval: 'day' | 'week' | 'month'): string => {
      const local = new Date(new Date(iso).toLocaleString('en-US', { timeZone: tz }));
      if (interval === 'month') local.setDate(1);
      if (interval === 'week') local.setDate(local.getDate() - ((local.getDay() + 6) % 7));
      return `${local.getFullYear()}-${String(local.getMonth() + 1).padStart(2, '0')}-${String(local.getDate()).padStart(2, '0')}`;
    };
    for (const [interval, tz] of [['day', 'UTC'], ['day', 'Pacific/Kiritimati'], ['week', 'America/Los_Angeles'], ['month', 'Europe/Berlin']] as const) {
      const timeline = await api.json<{ items: Array<{ start: string; count: number }> }>('GET', `analytics/timeline?interval=${interval}&tz=${encodeURIComponent(tz)}`, 200, { token: ownerA.accessToken });
      const expected = new Map<string, number>();
      for (const f of live()) expected.set(bucketOf(f.created_at, tz, interval), (expected.get(bucketOf(f.created_at, tz, interval)) ?? 0) + 1);
      expect(timeline.items, `${interval} ${tz}`).toEqual([...expected.entries()].sort().map(([start, count]) => ({ start, count })));
    }
    for (const tz of ['Mars/Olympus', 'UTC; DROP TABLE lead', '+02:00']) {
      const response = await api.request('GET', `analytics/timeline?tz=${encodeURIComponent(tz)}`, { token: ownerA.accessToken });
      expect(response.status, tz).toBe(400);
    }
  });

  it('confidence histogram', async () => {
    const { items } = await api.json<{ items: Array<{ from: number; to: number; count: number }> }>('GET', 'analytics/confidence?platform=website', 200, { token: ownerA.accessToken });
    expect(items).toHaveLength(10);
    for (const bucket of items) expect(bucket.count).toBe(live().filter((f) => f.platform === 'website' && f.confidence >= bucket.from && f.confidence <= bucket.to).length);
  });
});

/** RFC 4180 CSV (quoted fields, doubled quotes, CRLF or LF) -> rows of cells. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i]!;
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        cell += '"';
        i += 1;
      } else if (char === '"') quoted = false;
      else cell += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      row.push(cell);
      cell = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[i + 1] === '\n') i += 1;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += char;
  }
  if (cell || row.length) rows.push([...row, cell]);
  return rows;
}

/** A lead of the API as the flat export columns show it (before formula escaping). */
function flat(lead: Lead): Record<string, string> {
  const text = (value: unknown): string => (value === null || value === undefined ? '' : String(value));
  return {
    id: lead.id, kind: lead.kind, fullName: text(lead.fullName), jobTitle: text(lead.jobTitle), jobLevel: text(lead.jobLevel), email: text(lead.email),
    phones: lead.phones.map((p: { e164: string }) => p.e164).join(' '), companyName: text(lead.companyName), businessType: text(lead.businessType),
    city: text(lead.address?.city), country: text(lead.address?.country), confidence: String(lead.confidence), tags: lead.tags.join(', '), status: lead.status,
    notes: text(lead.notes), platform: text(lead.platform), taskId: text(lead.taskId), createdAt: lead.createdAt,
  };
}

const unescape = (cell: string): string => (/^'[=+\-@\t\r]/.test(cell) ? cell.slice(1) : cell);

describe('exports', () => {
  const query = 'businessType=software,law_firm,dental&minConfidence=1';
  let expected: Lead[];

  beforeAll(async () => {
    expected = await walk(query);
    expected.push(...(await walk('q=evil')).filter((lead) => !expected.some((e) => e.id === lead.id)));
  });

  async function download(format: string, filter = query): Promise<Response> {
    const response = await api.request('GET', `export/${format}?${filter}`, { token: ownerA.accessToken });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toMatch(new RegExp(`^attachment; filename="leads-\\d{8}-\\d{6}\\.${format === 'excel' ? 'xlsx' : format}"$`));
    return response;
  }

  it('CSV parses back to the API’s leads, formula cells escaped', async () => {
    const response = await download('csv');
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const [header, ...rows] = parseCsv(await response.text());
    const api = await walk(query);
    expect(rows.map((row) => row[0])).toEqual(api.map((lead) => lead.id));
    for (const [index, row] of rows.entries()) {
      const record = Object.fromEntries(header!.map((name, column) => [name, row[column]!]));
      const want = flat(api[index]!);
      for (const [key, value] of Object.entries(want)) expect(unescape(record[key]!), `${key} of ${want.id}`).toBe(value);
    }
    const evil = await download('csv', 'q=evil');
    const [evilHeader, evilRow] = parseCsv(await evil.text());
    const cell = (name: string): string => evilRow![evilHeader!.indexOf(name)]!;
    expect(cell('fullName')).toBe(`'=HYPERLINK("http://evil.example","x")`);
    expect(cell('jobTitle')).toBe(`'+cmd|/C calc!A0`);
    expect(cell('companyName')).toBe(`'-2+3`);
    expect(cell('notes')).toBe(`'@SUM(A1)`);
    expect(cell('phones')).toBe('+4930999888');
  });

  it('JSON and NDJSON are the API’s leads, byte for byte as JSON', async () => {
    const api = await walk(query);
    const json = await download('json');
    expect(json.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await json.json()).toEqual(api);
    const ndjson = await download('ndjson');
    expect(ndjson.headers.get('content-type')).toBe('application/x-ndjson; charset=utf-8');
    const lines = (await ndjson.text()).split('\n').filter(Boolean).map((line) => JSON.parse(line));
    expect(lines).toEqual(api);
  });

  it('Excel opens with the API’s leads, formula cells escaped', async () => {
    const response = await download('excel');
    expect(response.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(await response.arrayBuffer()) as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('Leads')!;
    const header = (sheet.getRow(1).values as unknown[]).slice(1) as string[];
    const api = await walk(query);
    expect(sheet.rowCount).toBe(api.length + 1);
    for (const [index, lead] of api.entries()) {
      const values = (sheet.getRow(index + 2).values as unknown[]).slice(1);
      const record = Object.fromEntries(header.map((name, column) => [name, values[column] === undefined || values[column] === null ? '' : String(values[column])]));
      for (const [key, value] of Object.entries(flat(lead))) expect(unescape(record[key]!), `${key} of ${lead.id}`).toBe(value);
    }
    const evil = new ExcelJS.Workbook();
    await evil.xlsx.load(Buffer.from(await (await download('excel', 'q=evil')).arrayBuffer()) as unknown as ArrayBuffer);
    const row = (evil.getWorksheet('Leads')!.getRow(2).values as unknown[]).slice(1);
    expect(row[header.indexOf('fullName')]).toBe(`'=HYPERLINK("http://evil.example","x")`);
    expect(row[header.indexOf('notes')]).toBe(`'@SUM(A1)`);
  });

  it('exports only the caller’s org, and writes one audit row per export', async () => {
    const response = await api.request('GET', 'export/ndjson', { token: ownerB.accessToken });
    const lines = (await response.text()).split('\n').filter(Boolean).map((line) => JSON.parse(line) as Lead);
    expect(idsOf(lines)).toEqual(idsOf(fixturesB));
    const { rows } = await owner.query(`SELECT org_id, metadata FROM audit_log WHERE action = 'lead.exported' ORDER BY id`);
    expect(rows.map((row) => [row.org_id, row.metadata.format])).toEqual([
      [orgA, 'csv'], [orgA, 'csv'], [orgA, 'json'], [orgA, 'ndjson'], [orgA, 'excel'], [orgA, 'excel'], [orgB, 'ndjson'],
    ]);
    expect(rows[0].metadata.filters).toBe('businessType,minConfidence');
  });

  it('is throttled more tightly than the rest of the API', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 12; i += 1) {
      const response = await api.request('GET', 'export/json?q=nothingmatches', { token: ownerB.accessToken });
      await response.arrayBuffer();
      statuses.push(response.status);
    }
    expect(statuses).toContain(429);
    expect(statuses.filter((status) => status === 200).length).toBeLessThanOrEqual(10);
  });
});
