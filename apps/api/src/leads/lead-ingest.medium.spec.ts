import { Global, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../common/config/app-config';
import { ConfigModule } from '../common/config/config.module';
import { createTestDatabase, runtimeUrl } from '../../../../test/support/test-postgres';
import { newId } from '../common/ids';
import { buildDataSourceOptions } from '../database/data-source-options';
import { TenantDatabase } from '../database/tenant-database';
import { SuppressionHasher } from '../legal/suppression-hash';
import { candidatesFromPage } from './findings-to-candidates';
import { LeadIngestService, type IngestInput, type IngestResult } from './lead-ingest.service';
import { LeadsModule } from './leads.module';
import { page, person, scored } from './testing/findings-fixtures';

const ENCRYPTION_KEY = 'medium-spec-encryption-key-0123456789abcdef';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
/** Owner connection: fixtures and checks that must see every org. */
let admin: DataSource;
/** The application's runtime role: row-level security applies. */
let runtime: DataSource;
let service: LeadIngestService;

async function newOrg(): Promise<{ orgId: string; taskId: string; secondTaskId: string }> {
  const orgId = newId();
  await admin.query('INSERT INTO organization (id, name) VALUES ($1, $2)', [orgId, `org ${orgId.slice(-4)}`]);
  const task = async (): Promise<string> => {
    const id = newId();
    await admin.query(
      `INSERT INTO scrape_task (id, org_id, name, platform, status, seeds, options, lead_objective, credits_reserved)
       VALUES ($1, $2, 'spec', 'website', 'running', '[]', '{}', 'sales', 10)`,
      [id, orgId],
    );
    return id;
  };
  return { orgId, taskId: await task(), secondTaskId: await task() };
}

type Row = Record<string, any>;

async function leadsOf(orgId: string): Promise<Row[]> {
  return admin.query('SELECT * FROM lead WHERE org_id = $1 ORDER BY dedup_key', [orgId]);
}

async function leadByKey(orgId: string, key: string): Promise<Row> {
  const [row] = await admin.query('SELECT * FROM lead WHERE org_id = $1 AND dedup_key = $2', [orgId, key]);
  return row;
}

function ingest(input: Partial<IngestInput> & Pick<IngestInput, 'orgId' | 'taskId' | 'pages'>): Promise<IngestResult> {
  return service.ingest({ platform: 'website', leadObjective: 'sales', ...input });
}

function balanced(result: IngestResult): boolean {
  return result.found === result.stored + result.duplicates + result.suppressed + result.filtered;
}

const noCompany = { name: null } as const;

beforeAll(async () => {
  database = await createTestDatabase(inject('databaseAdminUrl'), inject('templateDatabase'));
  admin = new DataSource(buildDataSourceOptions({ url: database.url, poolSize: 2 }));
  runtime = new DataSource(buildDataSourceOptions({ url: runtimeUrl(database.url, inject('runtimeRolePassword')), poolSize: 8 }));
  await Promise.all([admin.initialize(), runtime.initialize()]);
  service = new LeadIngestService(new TenantDatabase(runtime), { suppressionHashKey: ENCRYPTION_KEY });
});

afterAll(async () => {
  await runtime?.destroy();
  await admin?.destroy();
  await database?.drop();
});

describe('LeadsModule', () => {
  it('provides LeadIngestService from the global config and database providers', async () => {
    @Global()
    @Module({ providers: [{ provide: TenantDatabase, useValue: new TenantDatabase(runtime) }], exports: [TenantDatabase] })
    class TestDatabaseModule {}
    const moduleRef = await Test.createTestingModule({
      imports: [ConfigModule.forRoot({ encryptionKey: ENCRYPTION_KEY, suppressionHashKey: ENCRYPTION_KEY } as AppConfig), TestDatabaseModule, LeadsModule],
    }).compile();
    const fromNest = moduleRef.get(LeadIngestService);
    const { orgId, taskId } = await newOrg();
    expect(await fromNest.ingest({ orgId, taskId, platform: 'website', leadObjective: null, pages: [page('https://acme.de/', [])] })).toMatchObject({ found: 1, stored: 1 });
    await moduleRef.close();
  });
});

describe('LeadIngestService: dedup', () => {
  it('keys people by email, else profile URL, else domain + name, and companies by domain', async () => {
    const { orgId, taskId } = await newOrg();
    const result = await ingest({
      orgId,
      taskId,
      pages: [
        page('https://acme.de/team', [
          person({ fullName: 'Jane Doe', email: 'Jane@acme.de' }),
          person({ fullName: 'Max Mustermann', profileUrl: 'https://www.linkedin.com/in/Max-M/' }),
          person({ fullName: 'Erika Musterfrau' }),
        ]),
        page('https://acme.de/about', [
          person({ fullName: 'Jane D.', email: 'jane@acme.de' }),
          person({ fullName: 'Max M.', profileUrl: 'https://de.linkedin.com/in/max-m?trk=1' }),
          person({ fullName: 'ERIKA  Musterfrau' }),
        ]),
        page('https://other.de/', [person({ fullName: 'Erika Musterfrau' })], { name: 'Other AG', domain: 'other.de', website: 'https://other.de/' }),
      ],
    });
    const keys = (await leadsOf(orgId)).map((row) => row.dedup_key);
    expect(keys).toEqual(['c:acme.de', 'c:other.de', 'e:jane@acme.de', 'n:acme.de|erika musterfrau', 'n:other.de|erika musterfrau', 'p:linkedin.com/in/max-m']);
    expect(result).toMatchObject({ found: 10, stored: 6, duplicates: 4, suppressed: 0, filtered: 0 });
    expect((await leadByKey(orgId, 'e:jane@acme.de')).full_name).toBe('Jane Doe');
    // An absent address is SQL NULL, not a JSON null.
    const [{ count }] = await admin.query(`SELECT count(*)::int AS count FROM lead WHERE org_id = $1 AND address IS NOT NULL`, [orgId]);
    expect(count).toBe(0);
  });

  it('keeps leads of different orgs apart', async () => {
    const a = await newOrg();
    const b = await newOrg();
    const pages = [page('https://acme.de/team', [person({ email: 'jane@acme.de' })])];
    await ingest({ orgId: a.orgId, taskId: a.taskId, pages });
    const second = await ingest({ orgId: b.orgId, taskId: b.taskId, pages });
    expect(second.stored).toBe(2);
    expect(await leadsOf(a.orgId)).toHaveLength(2);
    expect(await leadsOf(b.orgId)).toHaveLength(2);
  });

  it('merges duplicates inside one batch before the upsert and reports each lead once', async () => {
    const { orgId, taskId } = await newOrg();
    const pages = Array.from({ length: 5 }, (_, i) => page(`https://acme.de/p${i}`, [person({ email: 'jane@acme.de' })], noCompany));
    const result = await ingest({ orgId, taskId, pages });
    expect(result).toMatchObject({ found: 5, stored: 1, duplicates: 4 });
    expect(result.leads).toHaveLength(1);
    expect(result.leads[0]).toMatchObject({ kind: 'person', email: 'jane@acme.de', change: 'new' });
    const row = await leadByKey(orgId, 'e:jane@acme.de');
    expect(row.sources).toHaveLength(5);
    expect(row.confidence_reasons.filter((reason: Row) => reason.signal === 'seen_on_multiple_pages')).toHaveLength(1);
  });

  it('stores directory listings as company leads', async () => {
    const { orgId, taskId } = await newOrg();
    const listing = (url: string) => ({
      url,
      fetchedAt: new Date('2030-01-01T00:00:00Z'),
      records: [
        { name: 'Weiss Dental', phone: '030 1234567', phoneE164: '+49301234567', website: 'https://weiss-dental.de/', category: 'Dentist', city: 'Berlin' },
        { name: 'Pizza Roma', phone: null, phoneE164: null, website: null, category: 'Restaurant', city: 'Berlin' },
      ],
    });
    const result = await ingest({ orgId, taskId, platform: 'directory', pages: [listing('https://dir.example.org/1'), listing('https://dir.example.org/2')] });
    expect(result).toMatchObject({ found: 4, stored: 2, duplicates: 2 });
    const dental = await leadByKey(orgId, 'c:weiss-dental.de');
    expect(dental).toMatchObject({ kind: 'company', company_name: 'Weiss Dental', business_type: 'dental', platform: 'directory', lead_objective: 'sales', task_id: taskId });
    expect(dental.address.city).toBe('Berlin');
  });
});

describe('LeadIngestService: merge', () => {
  it('fills blanks, unions phones, socials and sources, keeps the higher confidence, adds the multi-page signal once', async () => {
    const { orgId, taskId, secondTaskId } = await newOrg();
    const first = await ingest({
      orgId,
      taskId,
      pages: [
        page(
          'https://acme.de/team',
          [person({ email: 'jane@acme.de', jobTitle: null, phones: [{ e164: '+4930111111', type: 'landline', country: 'DE', source: 'tel' }], socials: { linkedin: 'https://linkedin.com/in/jane' }, ...scored([{ signal: 'valid_phone', weight: 10 }]) })],
          noCompany,
          new Date('2030-01-01T00:00:00Z'),
        ),
      ],
    });
    expect(first.leads[0]!.change).toBe('new');
    const stored = await leadByKey(orgId, 'e:jane@acme.de');
    expect(stored.confidence).toBe(40);

    // Same page again from another task: a new source, but still one page.
    await ingest({ orgId, taskId: secondTaskId, pages: [page('https://acme.de/team', [person({ email: 'jane@acme.de' })], noCompany, new Date('2030-01-02T00:00:00Z'))] });
    const samePage = await leadByKey(orgId, 'e:jane@acme.de');
    expect(samePage.sources).toHaveLength(2);
    expect(samePage.confidence).toBe(40);
    expect(samePage.confidence_reasons.map((reason: Row) => reason.signal)).not.toContain('seen_on_multiple_pages');

    const second = await ingest({
      orgId,
      taskId: secondTaskId,
      pages: [
        page(
          'https://acme.de/leadership',
          [
            person({
              email: 'jane@acme.de',
              fullName: 'Janet Doe',
              jobTitle: 'Chief Technology Officer',
              jobLevel: 'c_suite',
              phones: [{ e164: '+4930111111', type: 'landline', country: 'DE', source: 'text' }, { e164: '+4915112345678', type: 'mobile', country: 'DE', source: 'tel' }],
              socials: { linkedin: 'https://linkedin.com/in/someone-else', github: 'https://github.com/jane' },
              ...scored([{ signal: 'name_title_pair', weight: 15 }, { signal: 'valid_phone', weight: 10 }, { signal: 'team_page', weight: 5 }]),
            }),
          ],
          noCompany,
          new Date('2030-01-03T00:00:00Z'),
        ),
      ],
    });
    expect(second).toMatchObject({ found: 1, stored: 0, duplicates: 1 });
    expect(second.leads[0]).toMatchObject({ change: 'merged', fullName: 'Jane Doe', jobTitle: 'Chief Technology Officer', confidence: 70 });
    const merged = await leadByKey(orgId, 'e:jane@acme.de');
    expect(merged.full_name).toBe('Jane Doe');
    expect(merged.job_title).toBe('Chief Technology Officer');
    expect(merged.job_level).toBe('c_suite');
    expect(merged.phones).toEqual([
      { e164: '+4930111111', type: 'landline', country: 'DE' },
      { e164: '+4915112345678', type: 'mobile', country: 'DE' },
    ]);
    expect(merged.socials).toEqual({ linkedin: 'https://linkedin.com/in/jane', github: 'https://github.com/jane' });
    expect(merged.sources.map((source: Row) => [source.url, source.taskId])).toEqual([
      ['https://acme.de/team', taskId],
      ['https://acme.de/team', secondTaskId],
      ['https://acme.de/leadership', secondTaskId],
    ]);
    expect(merged.confidence_reasons.map((reason: Row) => reason.signal)).toEqual(['base', 'name_title_pair', 'valid_phone', 'team_page', 'seen_on_multiple_pages']);
    expect(merged.confidence).toBe(70);
    expect(merged.task_id).toBe(taskId);
    expect(merged.first_seen_at.toISOString()).toBe('2030-01-01T00:00:00.000Z');
    expect(merged.last_seen_at.toISOString()).toBe('2030-01-03T00:00:00.000Z');

    // A weaker third sighting changes nothing but the sources; the signal is not added twice.
    await ingest({ orgId, taskId, pages: [page('https://acme.de/blog', [person({ email: 'jane@acme.de' })], noCompany, new Date('2030-01-04T00:00:00Z'))] });
    const third = await leadByKey(orgId, 'e:jane@acme.de');
    expect(third.confidence).toBe(70);
    expect(third.confidence_reasons.filter((reason: Row) => reason.signal === 'seen_on_multiple_pages')).toHaveLength(1);
    expect(third.sources).toHaveLength(4);
    expect(third.last_seen_at.toISOString()).toBe('2030-01-04T00:00:00.000Z');
  });

  it('never overwrites what a user edited, and leaves soft-deleted leads deleted', async () => {
    const { orgId, taskId } = await newOrg();
    await ingest({ orgId, taskId, pages: [page('https://acme.de/team', [person({ email: 'jane@acme.de' }), person({ email: 'max@acme.de', fullName: 'Max Muster' })], noCompany)] });
    await admin.query(
      `UPDATE lead SET status = 'qualified', notes = 'called', tags = '{vip}', full_name = 'Jane Doe-Smith', job_title = 'CEO' WHERE org_id = $1 AND dedup_key = 'e:jane@acme.de'`,
      [orgId],
    );
    await admin.query(`UPDATE lead SET deleted_at = now() WHERE org_id = $1 AND dedup_key = 'e:max@acme.de'`, [orgId]);

    const result = await ingest({
      orgId,
      taskId,
      pages: [
        page(
          'https://acme.de/about',
          [person({ email: 'jane@acme.de', fullName: 'Jane Doe', jobTitle: 'CTO', ...scored([{ signal: 'name_title_pair', weight: 15 }]) }), person({ email: 'max@acme.de', fullName: 'Max Muster', jobTitle: 'CFO' })],
          noCompany,
        ),
      ],
    });
    expect(result).toMatchObject({ found: 2, stored: 0, duplicates: 2 });
    expect(result.leads.map((lead) => lead.email)).toEqual(['jane@acme.de']);
    const jane = await leadByKey(orgId, 'e:jane@acme.de');
    expect(jane).toMatchObject({ status: 'qualified', notes: 'called', tags: ['vip'], full_name: 'Jane Doe-Smith', job_title: 'CEO' });
    const max = await leadByKey(orgId, 'e:max@acme.de');
    expect(max.deleted_at).not.toBeNull();
    expect(max.job_title).toBeNull();
    expect(max.sources).toHaveLength(1);
  });
});

describe('LeadIngestService: inside the caller\'s transaction', () => {
  it('commits and rolls back with the caller', async () => {
    const { orgId, taskId } = await newOrg();
    const tenants = new TenantDatabase(runtime);
    const input = { orgId, taskId, platform: 'website' as const, leadObjective: 'sales' as const, pages: [page('https://acme.de/team', [person({ email: 'jane@acme.de' })])] };
    await expect(
      tenants.inOrg(orgId, async (db) => {
        expect(await service.ingestInTransaction(db, input)).toMatchObject({ found: 2, stored: 2 });
        throw new Error('caller failed after ingest');
      }),
    ).rejects.toThrow('caller failed');
    expect(await leadsOf(orgId)).toHaveLength(0);
    const committed = await tenants.inOrg(orgId, (db) => service.ingestInTransaction(db, input));
    expect(committed).toMatchObject({ found: 2, stored: 2, duplicates: 0 });
    expect(await leadsOf(orgId)).toHaveLength(2);
  });
});

describe('LeadIngestService: COPY batches through the staging table', () => {
  it('stores text that CSV must quote exactly as found, and NULL apart from an empty value', async () => {
    const { orgId, taskId } = await newOrg();
    const awkward = 'Ann "The Boss" O\'Neil, Jr.\nline two \\ back\tslash ü 🚀';
    const found = page('https://acme.de/team', [person({ fullName: awkward, jobTitle: '=cmd|"/c calc"', email: 'ann@acme.de' })], { name: 'Acme, "Quoted" GmbH' });
    const candidate = candidatesFromPage(found, taskId).candidates.find((lead) => lead.email === 'ann@acme.de')!;
    await ingest({ orgId, taskId, pages: [found] });
    const row = await leadByKey(orgId, 'e:ann@acme.de');
    expect(row.full_name).toBe(awkward);
    expect(row.job_title).toBe('=cmd|"/c calc"');
    expect(row.company_name).toBe('Acme, "Quoted" GmbH');
    // Every column as the candidate had it: NULL stays NULL, JSON and arrays arrive intact.
    expect(row).toMatchObject({
      first_name: candidate.firstName,
      last_name: candidate.lastName,
      department: candidate.department,
      industry: candidate.industry,
      profile_url: candidate.profileUrl,
      education_level: candidate.educationLevel,
      degree_type: candidate.degreeType,
      address: candidate.address,
      socials: candidate.socials,
      phones: candidate.phones,
      tags: candidate.tags,
      confidence: candidate.confidence,
      confidence_reasons: candidate.confidenceReasons,
      sources: [{ url: 'https://acme.de/team', taskId, seenAt: '2030-01-01T00:00:00.000Z' }],
    });
    expect(candidate.industry === null || candidate.profileUrl === null || candidate.address === null).toBe(true);
  });

  it('keeps each batch of one transaction apart: duplicates and an opted-out lead in the middle of a batch are counted once', async () => {
    const { orgId, taskId } = await newOrg();
    const hasher = new SuppressionHasher(ENCRYPTION_KEY);
    await admin.query('INSERT INTO suppression (id, kind, value_hash) VALUES ($1, $2, $3)', [newId(), 'email', hasher.hash('email', 'c-opted@acme.de')]);
    const people = ['a', 'b', 'c-opted', 'd', 'e', 'f'].map((name) => person({ fullName: `Person ${name}`, email: `${name}@acme.de` }));
    const input: IngestInput = {
      orgId,
      taskId,
      platform: 'website',
      leadObjective: 'sales',
      batchSize: 2,
      // b and e twice (on two pages): merged in memory before the COPY.
      pages: [page('https://acme.de/1', people, noCompany), page('https://acme.de/2', [people[1]!, people[4]!], noCompany)],
    };
    const result = await new TenantDatabase(runtime).inOrg(orgId, (db) => service.ingestInTransaction(db, input));
    expect(result).toMatchObject({ found: 8, stored: 5, duplicates: 2, suppressed: 1, filtered: 0 });
    expect(result.leads.map((lead) => lead.email).sort()).toEqual(['a@acme.de', 'b@acme.de', 'd@acme.de', 'e@acme.de', 'f@acme.de']);
    const rows = await leadsOf(orgId);
    expect(rows.map((row) => row.dedup_key)).toEqual(['e:a@acme.de', 'e:b@acme.de', 'e:d@acme.de', 'e:e@acme.de', 'e:f@acme.de']);
    expect((await leadByKey(orgId, 'e:b@acme.de')).sources).toHaveLength(2);
    expect((await leadByKey(orgId, 'e:a@acme.de')).sources).toHaveLength(1);

    // The same pages again in one transaction: every lead merges, none is new, the opt-out still holds.
    const again = await new TenantDatabase(runtime).inOrg(orgId, (db) => service.ingestInTransaction(db, input));
    expect(again).toMatchObject({ found: 8, stored: 0, duplicates: 7, suppressed: 1 });
    expect(again.leads.every((lead) => lead.change === 'merged')).toBe(true);
    expect(await leadsOf(orgId)).toHaveLength(5);
  });
});

describe('LeadIngestService: concurrency', () => {
  it('two tasks ingesting overlapping batches at once end with one lead per key and no error', async () => {
    const { orgId, taskId, secondTaskId } = await newOrg();
    const people = Array.from({ length: 300 }, (_, i) => person({ email: `p${i}@acme.de`, fullName: `Person ${i}` }));
    const pagesFor = (offset: number, url: string) =>
      Array.from({ length: 10 }, (_, p) => page(`https://acme.de/${url}/${p}`, people.slice(offset + p * 20, offset + p * 20 + 40).filter(Boolean)));
    const runs = await Promise.all([
      ingest({ orgId, taskId, pages: pagesFor(0, 'a'), batchSize: 37 }),
      ingest({ orgId, taskId: secondTaskId, pages: pagesFor(50, 'b'), batchSize: 53 }),
      ingest({ orgId, taskId, pages: pagesFor(100, 'c').reverse(), batchSize: 41 }),
      ingest({ orgId, taskId: secondTaskId, pages: pagesFor(0, 'd'), batchSize: 500 }),
    ]);
    const rows = await leadsOf(orgId);
    const keys = new Set(rows.map((row) => row.dedup_key));
    expect(keys.size).toBe(rows.length);
    expect(rows.filter((row) => row.kind === 'person')).toHaveLength(300);
    expect(rows.filter((row) => row.kind === 'company')).toHaveLength(1);
    expect(runs.reduce((sum, run) => sum + run.stored, 0)).toBe(301);
    for (const run of runs) expect(balanced(run)).toBe(true);
    const overlapped = await leadByKey(orgId, 'e:p60@acme.de');
    expect(new Set(overlapped.sources.map((source: Row) => source.taskId))).toEqual(new Set([taskId, secondTaskId]));
  });
});

describe('LeadIngestService: suppression and filters', () => {
  it('skips leads matching an opt-out (email, profile URL, domain) and stores no plaintext', async () => {
    const { orgId, taskId } = await newOrg();
    const hasher = new SuppressionHasher(ENCRYPTION_KEY);
    const entries: Array<['email' | 'profile_url' | 'domain', string]> = [
      ['email', 'Opted.Out@acme.de'],
      ['profile_url', 'https://linkedin.com/in/private-person'],
      ['domain', 'blocked.example.com'],
    ];
    for (const [kind, value] of entries) {
      await admin.query('INSERT INTO suppression (id, kind, value_hash) VALUES ($1, $2, $3)', [newId(), kind, hasher.hash(kind, value)]);
    }
    const result = await ingest({
      orgId,
      taskId,
      pages: [
        page('https://acme.de/team', [
          person({ email: 'opted.out@acme.de' }),
          person({ fullName: 'Private Person', socials: { linkedin: 'https://www.linkedin.com/in/Private-Person/' } }),
          person({ fullName: 'Kept Person', email: 'kept@acme.de' }),
        ]),
        page('https://www.blocked.example.com/team', [person({ fullName: 'Someone', email: 'someone@gmail.com' })], { name: 'Blocked', domain: 'example.com', website: 'https://www.blocked.example.com/' }),
      ],
    });
    // Suppressed: opted.out, private person, and on the blocked site both the person and the company.
    expect(result).toMatchObject({ found: 6, stored: 2, suppressed: 4, duplicates: 0, filtered: 0 });
    expect((await leadsOf(orgId)).map((row) => row.dedup_key)).toEqual(['c:acme.de', 'e:kept@acme.de']);

    const stored: Row[] = await admin.query('SELECT kind, value_hash, encode(value_hash, $1) AS hex FROM suppression', ['escape']);
    for (const row of stored) {
      expect(row.value_hash).toHaveLength(32);
      expect(row.hex).not.toMatch(/acme|linkedin|blocked|opted/i);
    }
  });

  it('drops leads outside the task filters and counts them', async () => {
    const { orgId, taskId } = await newOrg();
    const result = await ingest({
      orgId,
      taskId,
      filters: { jobLevels: ['c_suite', 'director'], businessTypes: ['software'], minConfidence: 35 },
      pages: [
        page('https://acme.de/team', [
          person({ email: 'ceo@acme.de', jobLevel: 'c_suite', ...scored([{ signal: 'own_domain_email', weight: 15 }]) }),
          person({ email: 'dev@acme.de', jobLevel: 'entry', ...scored([{ signal: 'own_domain_email', weight: 15 }]) }),
          person({ email: 'dir@acme.de', jobLevel: 'director', ...scored([{ signal: 'free_mail_domain', weight: -20 }]) }),
        ]),
        page('https://bakery.de/', [person({ email: 'owner@bakery.de', jobLevel: 'c_suite', ...scored([{ signal: 'own_domain_email', weight: 15 }]) })], { name: 'Bakery', domain: 'bakery.de', businessType: 'restaurant' }),
      ],
    });
    expect(result).toMatchObject({ found: 6, stored: 2, filtered: 4, suppressed: 0, duplicates: 0 });
    expect((await leadsOf(orgId)).map((row) => row.dedup_key)).toEqual(['c:acme.de', 'e:ceo@acme.de']);
    expect(balanced(result)).toBe(true);
  });
});

describe('lead row-level security', () => {
  it('a transaction scoped to org B sees none of org A and cannot write into it', async () => {
    const a = await newOrg();
    const b = await newOrg();
    await ingest({ orgId: a.orgId, taskId: a.taskId, pages: [page('https://acme.de/team', [person({ email: 'jane@acme.de' })])] });
    const tenants = new TenantDatabase(runtime);

    expect(await tenants.inOrg(a.orgId, (db) => db.query('SELECT id FROM lead'))).toHaveLength(2);
    expect(await tenants.inOrg(b.orgId, (db) => db.query('SELECT id FROM lead'))).toHaveLength(0);
    expect(await tenants.inOrg(b.orgId, (db) => db.query(`UPDATE lead SET notes = 'x' WHERE org_id = $1 RETURNING id`, [a.orgId]))).toEqual([[], 0]);
    await expect(
      tenants.inOrg(b.orgId, (db) => db.query(`INSERT INTO lead (id, org_id, kind, dedup_key) VALUES ($1, $2, 'person', 'e:intruder@x.de')`, [newId(), a.orgId])),
    ).rejects.toThrow(/row-level security/);
    // Without an org in scope nothing is visible at all.
    expect(await runtime.transaction((db) => db.query('SELECT id FROM lead'))).toHaveLength(0);
    // The opt-out list is readable (ingest checks it) but entries cannot be edited in place.
    await expect(runtime.query(`UPDATE suppression SET kind = 'email'`)).rejects.toThrow(/permission denied/);
  });
});
