/**
 * Lead ingest throughput: the real ingest path (findings -> candidates -> filters -> in-memory merge
 * -> suppression check -> COPY into a staging table and one merge statement per batch, in an
 * org-scoped transaction as the runtime role with row-level security) against a plain multi-row
 * INSERT and a raw COPY of the same rows into a bare table (no indexes, constraints or RLS).
 *
 *   npx tsx test/bench/ingest.bench.ts            (embedded Postgres, or DATABASE_URL's server)
 *   LEADS=50000 BATCH=500 ROUNDS=3 npx tsx test/bench/ingest.bench.ts
 */
import { performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { DataSource } from 'typeorm';
import { newId } from '../../apps/api/src/common/ids';
import { TenantDatabase } from '../../apps/api/src/database/tenant-database';
import { candidatesFromPage, type IngestPage } from '../../apps/api/src/leads/findings-to-candidates';
import { LeadIngestService } from '../../apps/api/src/leads/lead-ingest.service';
import { COPY_STAGE_SQL, STAGE_TABLE_COLUMNS, stageLine } from '../../apps/api/src/leads/lead-upsert.sql';
import type { LeadCandidate } from '../../apps/api/src/leads/lead.types';
import { page, person, scored } from '../../apps/api/src/leads/testing/findings-fixtures';
import { createTestDatabase, runtimeUrl, startTestPostgres } from '../support/test-postgres';

const LEADS = Number(process.env.LEADS ?? 50_000);
const BATCH = Number(process.env.BATCH ?? 500);
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const PEOPLE_PER_PAGE = 10;

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Pages of a synthetic site: every person unique (round-specific emails), realistic fields. */
function syntheticPages(round: number): IngestPage[] {
  const pages: IngestPage[] = [];
  const fetchedAt = new Date('2030-01-01T00:00:00Z');
  for (let p = 0; p < LEADS / PEOPLE_PER_PAGE; p += 1) {
    const people = Array.from({ length: PEOPLE_PER_PAGE }, (_, i) => {
      const n = p * PEOPLE_PER_PAGE + i;
      return person({
        fullName: `Person${n} Lastname${n % 997}`,
        firstName: `Person${n}`,
        lastName: `Lastname${n % 997}`,
        jobTitle: n % 3 === 0 ? 'Head of Engineering' : 'Account Executive',
        jobLevel: n % 3 === 0 ? 'head' : 'entry',
        department: n % 3 === 0 ? 'engineering' : 'sales',
        email: `person${n}.r${round}@company${n % 500}.de`,
        phones: [{ e164: `+4930${String(1_000_000 + n)}`, type: 'landline', country: 'DE', source: 'tel' }],
        socials: { linkedin: `https://linkedin.com/in/person-${round}-${n}` },
        profileUrl: `https://linkedin.com/in/person-${round}-${n}`,
        ...scored([
          { signal: 'name_title_pair', weight: 15 },
          { signal: 'own_domain_email', weight: 15 },
          { signal: 'valid_phone', weight: 10 },
        ]),
      });
    });
    pages.push(page(`https://company${p % 500}.de/team/${p}`, people, { name: null, domain: `company${p % 500}.de` }, fetchedAt));
  }
  return pages;
}

const COLUMNS = [
  'id', 'org_id', 'kind', 'dedup_key', 'full_name', 'first_name', 'last_name', 'job_title', 'job_level', 'department', 'email', 'phones',
  'company_name', 'company_domain', 'website', 'business_type', 'industry', 'address', 'socials', 'profile_url', 'education_level',
  'degree_type', 'lead_objective', 'confidence', 'confidence_reasons', 'sources', 'tags', 'platform', 'task_id', 'first_seen_at', 'last_seen_at',
];

function bareValues(lead: LeadCandidate, orgId: string, taskId: string): unknown[] {
  return [
    newId(), orgId, lead.kind, lead.dedupKey, lead.fullName, lead.firstName, lead.lastName, lead.jobTitle, lead.jobLevel, lead.department, lead.email,
    JSON.stringify(lead.phones), lead.companyName, lead.companyDomain, lead.website, lead.businessType, lead.industry,
    lead.address ? JSON.stringify(lead.address) : null, JSON.stringify(lead.socials), lead.profileUrl, lead.educationLevel, lead.degreeType, 'sales',
    lead.confidence, JSON.stringify(lead.confidenceReasons), JSON.stringify(lead.sources), lead.tags, 'website', taskId, lead.firstSeenAt, lead.lastSeenAt,
  ];
}

async function bareInsert(client: Client, table: string, leads: LeadCandidate[], orgId: string, taskId: string): Promise<void> {
  for (let start = 0; start < leads.length; start += BATCH) {
    const chunk = leads.slice(start, start + BATCH);
    const params: unknown[] = [];
    const tuples = chunk.map((lead) => {
      const values = bareValues(lead, orgId, taskId);
      const placeholders = values.map((value) => {
        params.push(value);
        return `$${params.length}`;
      });
      return `(${placeholders.join(', ')})`;
    });
    await client.query(`INSERT INTO ${table} (${COLUMNS.join(', ')}) VALUES ${tuples.join(', ')}`, params);
  }
}

/** Raw COPY: the same CSV lines the ingest path stages, into a bare table (no indexes, triggers or RLS), one stream. */
async function bareCopy(client: Client, table: string, leads: LeadCandidate[]): Promise<void> {
  const lines = leads.map((lead, index) => stageLine(newId(), lead, index)).join('');
  await pipeline(Readable.from([lines]), client.query(copyFrom(COPY_STAGE_SQL.replace('lead_ingest_stage', table))));
}

async function main(): Promise<void> {
  const postgres = await startTestPostgres();
  const database = await createTestDatabase(postgres.adminUrl, postgres.templateDatabase);
  const admin = new Client({ connectionString: database.url });
  await admin.connect();
  const runtime = new DataSource({ type: 'postgres', url: runtimeUrl(database.url, postgres.runtimeRolePassword), poolSize: 2 });
  await runtime.initialize();
  const service = new LeadIngestService(new TenantDatabase(runtime), { suppressionHashKey: 'bench-encryption-key-0123456789abcdefghij' });
  const pageChunk = BATCH / PEOPLE_PER_PAGE;

  const insertRates: number[] = [];
  const mergeRates: number[] = [];
  const bareRates: number[] = [];
  const copyRates: number[] = [];
  const candidateRates: number[] = [];
  try {
    await admin.query('CREATE TABLE lead_bare (LIKE lead INCLUDING DEFAULTS)');
    await admin.query(`CREATE TABLE lead_bare_copy (${STAGE_TABLE_COLUMNS})`);
    for (let round = 0; round < ROUNDS; round += 1) {
      const orgId = newId();
      const taskId = newId();
      await admin.query('INSERT INTO organization (id, name) VALUES ($1, $2)', [orgId, `bench ${round}`]);
      await admin.query(
        `INSERT INTO scrape_task (id, org_id, name, platform, status, seeds, options, lead_objective, credits_reserved)
         VALUES ($1, $2, 'bench', 'website', 'running', '[]', '{}', 'sales', 1)`,
        [taskId, orgId],
      );
      const pages = syntheticPages(round);

      // Candidate building alone (no database), for context.
      let started = performance.now();
      const candidates = pages.flatMap((p) => candidatesFromPage(p, taskId).candidates);
      candidateRates.push((candidates.length * 1000) / (performance.now() - started));

      // The ingest path: first sighting of every lead (inserts).
      started = performance.now();
      let stored = 0;
      for (let start = 0; start < pages.length; start += pageChunk) {
        stored += (await service.ingest({ orgId, taskId, platform: 'website', leadObjective: 'sales', pages: pages.slice(start, start + pageChunk), batchSize: BATCH })).stored;
      }
      insertRates.push((LEADS * 1000) / (performance.now() - started));
      if (stored !== LEADS) throw new Error(`expected ${LEADS} stored, got ${stored}`);

      // The same pages again from the next crawl: every row merges (ON CONFLICT DO UPDATE).
      const later = pages.map((p) => ({ ...p, url: `${p.url}?again`, fetchedAt: new Date('2030-01-02T00:00:00Z') }));
      started = performance.now();
      for (let start = 0; start < later.length; start += pageChunk) {
        await service.ingest({ orgId, taskId, platform: 'website', leadObjective: 'sales', pages: later.slice(start, start + pageChunk), batchSize: BATCH });
      }
      mergeRates.push((LEADS * 1000) / (performance.now() - started));

      // Baseline: the same rows, plain multi-row INSERT into a bare table.
      started = performance.now();
      await bareInsert(admin, 'lead_bare', candidates, orgId, taskId);
      bareRates.push((LEADS * 1000) / (performance.now() - started));

      started = performance.now();
      await bareCopy(admin, 'lead_bare_copy', candidates);
      copyRates.push((LEADS * 1000) / (performance.now() - started));
    }
  } finally {
    await runtime.destroy();
    await admin.end();
    await database.drop();
    await postgres.stop();
  }

  const ingest = median(insertRates);
  const bare = median(bareRates);
  const lines = [
    `lead ingest, ${LEADS} synthetic person leads, batches of ${BATCH}, median of ${ROUNDS} rounds`,
    `  candidates from findings (no DB)        ${Math.round(median(candidateRates)).toLocaleString('en')} rows/s`,
    `  ingest path, new leads (insert)         ${Math.round(ingest).toLocaleString('en')} rows/s`,
    `  ingest path, repeat sightings (merge)   ${Math.round(median(mergeRates)).toLocaleString('en')} rows/s`,
    `  bare multi-row INSERT, same rows        ${Math.round(bare).toLocaleString('en')} rows/s`,
    `  ratio ingest / bare INSERT              ${(ingest / bare).toFixed(2)}`,
    `  bare COPY, same rows                    ${Math.round(median(copyRates)).toLocaleString('en')} rows/s`,
    `  ratio ingest / bare COPY                ${(ingest / median(copyRates)).toFixed(2)}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
