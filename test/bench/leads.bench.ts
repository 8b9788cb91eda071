/**
 * Leads at scale: seeds SIZE synthetic leads into one org (default 1,000,000) and SIZE_B into
 * another (default 100,000), starts the compiled API (dist) against them and prints, each beside a
 * raw baseline measured in the same run:
 *
 *   1. ingest: the real ingest path (LeadIngestService: COPY into a staging table, one merge
 *      statement per batch) vs raw COPY of the same rows into a bare table
 *   2. GET leads with three filters at 32 connections (autocannon) vs a bare Fastify + pg handler
 *      running the same SQL in an org-scoped transaction (and, for reference, with the API's
 *      one-round-trip read), alternating LOAD_ROUNDS (3) times
 *      (p50/p95/p99 of every response, median req/s, median of the rounds' ratios)
 *   3. full-text `q` latency
 *   4. CSV export rows/s vs COPY (same SELECT, no escaping) TO STDOUT, and the peak RSS of a fresh
 *      API process per export (SIZE_B vs SIZE rows)
 *   5. each analytics endpoint's latency
 *
 *   npm run bench:leads                       (builds dist first; embedded Postgres, or DATABASE_URL's server)
 *   SIZE=200000 SIZE_B=20000 DURATION=5 npx tsx test/bench/leads.bench.ts
 *   BENCH_SECTIONS=2 (comma-separated) measures only those figures; the seed always runs.
 *
 * Figures are medians / percentiles of this machine; nothing is asserted.
 */
// @ts-expect-error autocannon ships no type declarations
import autocannon from 'autocannon';
import Fastify from 'fastify';
import { cpSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Client, Pool } from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { DataSource } from 'typeorm';
import { newId } from '../../apps/api/src/common/ids';
import { ScopedRead } from '../../apps/api/src/database/scoped-read';
import { TenantDatabase } from '../../apps/api/src/database/tenant-database';
import { FLAT_SELECT } from '../../apps/api/src/export/export-columns';
import { candidatesFromPage, type IngestPage } from '../../apps/api/src/leads/findings-to-candidates';
import type { LeadFilterQuery } from '../../apps/api/src/leads/dto/lead-filter.dto';
import { LeadIngestService } from '../../apps/api/src/leads/lead-ingest.service';
import { COPY_STAGE_SQL, STAGE_TABLE_COLUMNS, stageLine } from '../../apps/api/src/leads/lead-upsert.sql';
import { leadWhere, orderSql, SqlParams } from '../../apps/api/src/leads/lead-query';
import { LEAD_COLUMNS } from '../../apps/api/src/leads/lead-row';
import { page, person, scored } from '../../apps/api/src/leads/testing/findings-fixtures';
import { API_ENTRY, freePort, startProcess, waitForStatus } from '../support/processes';
import { createTestDatabase, runtimeUrl, startTestPostgres } from '../support/test-postgres';

const SIZE = Number(process.env.SIZE ?? 1_000_000);
const SIZE_B = Number(process.env.SIZE_B ?? 100_000);
const INGEST = Number(process.env.INGEST ?? 50_000);
const DURATION = Number(process.env.DURATION ?? 10);
/** Section 2 alternates API and bare runs this many times: one pair of runs on a noisy machine says little. */
const LOAD_ROUNDS = Number(process.env.LOAD_ROUNDS ?? 3);
const SAMPLES = Number(process.env.SAMPLES ?? 60);
/** Which of the five figures to measure, e.g. BENCH_SECTIONS=2 (the seed always runs). */
const SECTIONS = new Set((process.env.BENCH_SECTIONS ?? '1,2,3,4,5').split(',').map((s) => Number(s.trim())));
const CONNECTIONS = 32;
const POOL = 16;
const SECRETS = { JWT_SECRET: 'bench-jwt-secret-0123456789abcdef0123456789abcdef', ENCRYPTION_KEY: 'bench-encryption-key-0123456789abcdef0123456789' };
const PASSWORD = 'amber-Lantern-92-quietly';
const THREE_FILTERS: LeadFilterQuery = { businessType: ['software', 'consulting', 'dental'], jobLevel: ['manager', 'director'], minConfidence: 40 };
const THREE_FILTERS_QUERY = 'businessType=software,consulting,dental&jobLevel=manager,director&minConfidence=40&limit=50';

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const percentile = (xs: number[], p: number): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))]!;
const fmt = (n: number, digits = 0): string => n.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const out = (line: string): void => void process.stdout.write(`${line}\n`);
const step = (line: string): void => void process.stderr.write(`[bench] ${line}\n`);

/** Synthetic leads generated inside Postgres: minutes for a million rows, with the search terms of the triggers. */
export async function seed(owner: Client, orgId: string, count: number): Promise<void> {
  const chunk = 250_000;
  await owner.query('ALTER TABLE lead DISABLE TRIGGER lead_search_terms_insert');
  try {
    for (let start = 0; start < count; start += chunk) {
      const end = Math.min(count, start + chunk) - 1;
      await owner.query(
        `INSERT INTO lead (id, org_id, kind, dedup_key, full_name, first_name, last_name, job_title, job_level, email, phones, company_name,
                           company_domain, website, business_type, address, socials, lead_objective, confidence, confidence_reasons, sources, tags,
                           status, platform, created_at, first_seen_at, last_seen_at)
         SELECT gen_random_uuid(), $1::uuid, 'person', 'e:' || $1::text || ':' || g,
                f.first || ' ' || s.last, f.first, s.last, t.title, t.level,
                CASE WHEN g % 5 = 0 THEN NULL ELSE lower(f.first) || '.' || lower(s.last) || g || '@company' || (g % 20000) || '.com' END,
                CASE WHEN g % 3 = 0 THEN '[]'::jsonb ELSE jsonb_build_array(jsonb_build_object('e164', '+4930' || (1000000 + g), 'type', 'landline', 'country', 'DE')) END,
                'Company ' || (g % 20000), 'company' || (g % 20000) || '.com', 'https://company' || (g % 20000) || '.com/',
                (ARRAY['software','it_services','marketing_agency','consulting','law_firm','accounting','financial_services','real_estate','construction',
                       'manufacturing','logistics','retail','ecommerce','restaurant','hospitality','healthcare','dental','education','nonprofit','media'])[1 + g % 20],
                jsonb_build_object('street', NULL, 'city', 'Berlin', 'region', NULL, 'postalCode', NULL, 'country', (ARRAY['DE','US','FR','GB'])[1 + g % 4]),
                jsonb_build_object('linkedin', 'https://linkedin.com/in/p' || g), 'sales', (g * 37 % 101)::smallint,
                '[{"signal":"base","weight":30},{"signal":"name_title_pair","weight":15}]'::jsonb,
                jsonb_build_array(jsonb_build_object('url', 'https://company' || (g % 20000) || '.com/team', 'taskId', NULL, 'seenAt', '2030-01-01T00:00:00.000Z')),
                CASE WHEN g % 50 = 0 THEN ARRAY['vip'] ELSE '{}'::text[] END,
                (ARRAY['new','new','new','contacted','qualified','disqualified'])[1 + g % 6],
                (ARRAY['website','directory','sitemap'])[1 + g % 3],
                now() - (g % 525600) * interval '1 minute', now(), now()
           FROM generate_series($2::int, $3::int) AS g
           CROSS JOIN LATERAL (SELECT (ARRAY['Anna','Ben','Carla','David','Eva','Felix','Greta','Hugo','Ida','Jonas','Klara','Lukas','Mia','Noah','Olga',
                                             'Paul','Quinn','Rosa','Sven','Tara','Uwe','Vera','Willem','Xenia','Yusuf','Zoe'])[1 + g % 26] AS first) f
           CROSS JOIN LATERAL (SELECT 'Name' || (g % 997) AS last) s
           CROSS JOIN LATERAL (SELECT (ARRAY['Head of Sales','Software Engineer','Managing Director','Marketing Manager','Office Manager','CTO',
                                             'Account Executive','Product Manager','Intern','Senior Consultant'])[1 + g % 10] AS title,
                                      (ARRAY['head','entry','director','manager','manager','c_suite','entry','manager','intern','senior'])[1 + g % 10] AS level) t`,
        [orgId, start, end],
      );
      step(`seeded ${fmt(end + 1)} / ${fmt(count)}`);
    }
    await owner.query(
      `INSERT INTO lead_search_term (org_id, term, lead_id)
       SELECT l.org_id, t.term, l.id FROM lead l, unnest(lead_search_terms(l.full_name, l.job_title, l.company_name, l.email, l.company_domain)) AS t(term)
        WHERE l.org_id = $1 ON CONFLICT DO NOTHING`,
      [orgId],
    );
  } finally {
    await owner.query('ALTER TABLE lead ENABLE TRIGGER lead_search_terms_insert');
  }
}

/** Pages of a synthetic site for the ingest figure: every person unique. */
function ingestPages(round: string): IngestPage[] {
  const pages: IngestPage[] = [];
  for (let p = 0; p < INGEST / 10; p += 1) {
    const people = Array.from({ length: 10 }, (_, i) => {
      const n = p * 10 + i;
      return person({
        fullName: `Person${n} Lastname${n % 997}`,
        jobTitle: n % 3 === 0 ? 'Head of Engineering' : 'Account Executive',
        jobLevel: n % 3 === 0 ? 'head' : 'entry',
        email: `person${n}.${round}@company${n % 500}.de`,
        phones: [{ e164: `+4930${String(1_000_000 + n)}`, type: 'landline', country: 'DE', source: 'tel' }],
        ...scored([{ signal: 'own_domain_email', weight: 15 }]),
      });
    });
    pages.push(page(`https://company${p % 500}.de/team/${p}`, people, { name: null, domain: `company${p % 500}.de` }, new Date('2030-01-01T00:00:00Z')));
  }
  return pages;
}

interface IngestFigure {
  /** rows/s of LeadIngestService per batch size */
  ingest: Array<[batchSize: number, rate: number]>;
  copy: number;
}

/** Calls of the size a shard flush makes (a batch of leads each), into a fresh org of the seeded table. */
async function ingestFigure(owner: Client, runtimeDatabaseUrl: string): Promise<IngestFigure> {
  const runtime = new DataSource({ type: 'postgres', url: runtimeDatabaseUrl, poolSize: 2 });
  await runtime.initialize();
  const service = new LeadIngestService(new TenantDatabase(runtime), { suppressionHashKey: SECRETS.ENCRYPTION_KEY });
  const ingest: IngestFigure['ingest'] = [];
  let candidates: ReturnType<typeof candidatesFromPage>['candidates'] = [];
  for (const batchSize of [500, 5_000]) {
    const orgId = newId();
    const taskId = newId();
    await owner.query('INSERT INTO organization (id, name) VALUES ($1, $2)', [orgId, `bench ingest ${batchSize}`]);
    await owner.query(`INSERT INTO scrape_task (id, org_id, name, platform, status, seeds, options, lead_objective, credits_reserved) VALUES ($1, $2, 'bench', 'website', 'running', '[]', '{}', 'sales', 1)`, [taskId, orgId]);
    const pages = ingestPages(`b${batchSize}`);
    candidates = pages.flatMap((p) => candidatesFromPage(p, taskId).candidates);
    const pagesPerCall = batchSize / 10;
    const started = performance.now();
    let stored = 0;
    for (let start = 0; start < pages.length; start += pagesPerCall) {
      stored += (await service.ingest({ orgId, taskId, platform: 'website', leadObjective: 'sales', pages: pages.slice(start, start + pagesPerCall), batchSize })).stored;
    }
    ingest.push([batchSize, (INGEST * 1000) / (performance.now() - started)]);
    if (stored !== INGEST) throw new Error(`ingest stored ${stored} of ${INGEST}`);
  }
  await runtime.destroy();

  // Baseline: the same rows, as the same CSV the ingest path stages, COPYed into a bare table (no indexes, triggers, RLS).
  await owner.query(`CREATE TABLE lead_copy_baseline (${STAGE_TABLE_COLUMNS})`);
  const started = performance.now();
  const lines = candidates.map((lead, index) => stageLine(newId(), lead, index)).join('');
  await pipeline(Readable.from([lines]), owner.query(copyFrom(COPY_STAGE_SQL.replace('lead_ingest_stage', 'lead_copy_baseline'))));
  const copy = (candidates.length * 1000) / (performance.now() - started);
  await owner.query('DROP TABLE lead_copy_baseline');
  return { ingest, copy };
}

/**
 * The same SQL as GET leads, behind bare Fastify routes with a pg pool: the floor the API is
 * compared with. `/leads` wraps it in a transaction of its own (BEGIN, scope, the SELECT, COMMIT:
 * four round trips, what a plain handler does); `/leads-one-trip` sends the scope and the SELECT as
 * the API's readOnce does (ScopedRead: one round trip), so the framework's share can be told apart
 * from the protocol's.
 */
async function startBareServer(databaseUrl: string, orgId: string): Promise<{ url: string; close(): Promise<void> }> {
  const pool = new Pool({ connectionString: databaseUrl, max: POOL });
  const app = Fastify();
  const statement = (): { sql: string; values: unknown[] } => {
    const p = new SqlParams();
    const where = leadWhere(p.add(orgId), THREE_FILTERS, p);
    const order = orderSql('createdAt', 'desc', null, p);
    return { sql: `SELECT ${LEAD_COLUMNS}, ${order.keyText} AS sort_key FROM lead l WHERE ${where} ORDER BY ${order.orderBy} LIMIT ${p.add(51)}`, values: p.values };
  };
  app.get('/leads', async () => {
    const { sql, values } = statement();
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(`SELECT set_config('app.org_id', $1, true)`, [orgId]);
      const { rows } = await client.query(sql, values);
      await client.query('COMMIT');
      return { items: rows.slice(0, 50), nextCursor: null };
    } finally {
      client.release();
    }
  });
  app.get('/leads-one-trip', async () => {
    const { sql, values } = statement();
    const client = await pool.connect();
    try {
      const rows = await new Promise<unknown[]>((resolve, reject) => {
        client.query(new ScopedRead(`SELECT set_config('app.org_id', $1, true)`, [orgId], sql, values, (error, result) => (error ? reject(error) : resolve(result!))));
      });
      return { items: rows.slice(0, 50), nextCursor: null };
    } finally {
      client.release();
    }
  });
  const port = await freePort();
  await app.listen({ port, host: '127.0.0.1' });
  return { url: `http://127.0.0.1:${port}`, close: async () => { await app.close(); await pool.end(); } };
}

interface LoadResult {
  /** every response's latency, ms */
  times: number[];
  requestsPerSecond: number;
  non2xx: number;
}

/** autocannon; every request from its own client address, as 32 users would be (the API rate-limits per address). */
async function load(url: string, headers: Record<string, string>): Promise<LoadResult> {
  let n = 0;
  const times: number[] = [];
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url,
        connections: CONNECTIONS,
        duration: DURATION,
        headers,
        requests: [{ setupRequest: (request: any) => ({ ...request, headers: { ...request.headers, 'x-forwarded-for': `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n++ & 255}` } }) }],
      },
      (error: Error | null, result: { requests: { average: number }; non2xx: number }) =>
        error ? reject(error) : resolve({ times, requestsPerSecond: result.requests.average, non2xx: result.non2xx }),
    );
    instance.on('response', (_client: unknown, _status: number, _bytes: number, responseTime: number) => times.push(responseTime));
  });
}

/**
 * SAMPLES sequential requests over `urls`, after one unmeasured request per url (as section 2 warms up): a
 * figure is the steady state, not the first call of a code path in the process or of a pooled connection.
 */
async function latencies(urls: string[], headers: Record<string, string>): Promise<number[]> {
  for (const url of urls) await (await fetch(url, { headers: { ...headers, 'x-forwarded-for': '10.201.0.1' } })).arrayBuffer();
  const times: number[] = [];
  for (let i = 0; i < SAMPLES; i += 1) {
    const started = performance.now();
    const response = await fetch(urls[i % urls.length]!, { headers: { ...headers, 'x-forwarded-for': `10.200.${i >> 8}.${i & 255}` } });
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`${urls[i % urls.length]}: HTTP ${response.status}`);
    times.push(performance.now() - started);
  }
  return times;
}

/** Resident memory of a process, bytes: all of it, and the part backed by files (the node binary and shared libraries, shared with other processes). */
function memoryOf(pid: number): { rss: number; file: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string): number => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0) * 1024;
  return { rss: kb('VmRSS'), file: kb('RssFile') };
}

/** Downloads an export, counting lines; returns rows/s and the API process's peak RSS meanwhile (with its file-backed part at that moment). */
async function exportRun(url: string, headers: Record<string, string>, pid: number, rows: number): Promise<{ rate: number; peakRss: number; peakFile: number; lines: number }> {
  let peak = memoryOf(pid);
  const sampler = setInterval(() => {
    const now = memoryOf(pid);
    if (now.rss > peak.rss) peak = now;
  }, 50);
  const started = performance.now();
  const response = await fetch(url, { headers });
  if (response.status !== 200) throw new Error(`${url}: HTTP ${response.status} ${await response.text()}`);
  let lines = 0;
  const reader = response.body!.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    for (let at = value.indexOf(10); at !== -1; at = value.indexOf(10, at + 1)) lines += 1;
  }
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  return { rate: rows / seconds, peakRss: peak.rss, peakFile: peak.file, lines };
}

async function copyExport(databaseUrl: string, orgId: string, rows: number): Promise<number> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    await client.query(`SELECT set_config('app.org_id', $1, true)`, [orgId]);
    const started = performance.now();
    await pipeline(
      client.query(copyTo(`COPY (SELECT ${FLAT_SELECT} FROM lead l WHERE l.org_id = '${orgId}' AND l.deleted_at IS NULL ORDER BY l.created_at DESC, l.id DESC) TO STDOUT WITH (FORMAT csv, HEADER)`)),
      new Writable({ write: (_chunk, _encoding, done) => done() }),
    );
    const rate = rows / ((performance.now() - started) / 1000);
    await client.query('COMMIT');
    return rate;
  } finally {
    await client.end();
  }
}

interface Api {
  base: string;
  pid: number;
  stop(): Promise<void>;
}

/**
 * The compiled API, copied once per run beside dist/ (so packages still resolve from node_modules):
 * a build started meanwhile (it empties dist/apps) cannot pull the entry point from under the run.
 */
function snapshotDist(): { entry: string; remove(): void } {
  const root = dirname(dirname(dirname(dirname(dirname(API_ENTRY)))));
  const copy = join(root, `.bench-dist-${process.pid}`);
  cpSync(join(root, 'dist'), copy, { recursive: true });
  return { entry: join(copy, relative(join(root, 'dist'), API_ENTRY)), remove: () => rmSync(copy, { recursive: true, force: true }) };
}

let apiEntry = API_ENTRY;

async function startApi(databaseUrl: string, migrationUrl: string): Promise<Api> {
  const port = await freePort();
  const api = startProcess(apiEntry, {
    NODE_ENV: 'test',
    PORT: String(port),
    HOST: '127.0.0.1',
    DATABASE_URL: databaseUrl,
    DATABASE_MIGRATION_URL: migrationUrl,
    DATABASE_POOL_SIZE: String(POOL),
    DATA_DIR: `/tmp/leadforge-bench-${port}`,
    LOG_LEVEL: 'warn',
    TRUST_PROXY: 'true',
    WORKERS_IN_PROCESS: 'false',
    ...SECRETS,
  });
  const base = `http://127.0.0.1:${port}/api/v1`;
  try {
    await waitForStatus(`${base}/health/live`, 200, 60_000);
  } catch (error) {
    await api.stop();
    throw error;
  }
  return { base, pid: api.child.pid!, stop: async () => void (await api.stop()) };
}

async function main(): Promise<void> {
  const startedAt = performance.now();
  const dist = snapshotDist();
  apiEntry = dist.entry;
  const postgres = await startTestPostgres();
  const database = await createTestDatabase(postgres.adminUrl, postgres.templateDatabase);
  const runtimeDatabaseUrl = runtimeUrl(database.url, postgres.runtimeRolePassword);
  const owner = new Client({ connectionString: database.url });
  await owner.connect();
  let api: Api | undefined = await startApi(runtimeDatabaseUrl, database.url);
  let bare: Awaited<ReturnType<typeof startBareServer>> | undefined;
  try {
    const base = api.base;
    const token = async (email: string, org: string): Promise<{ token: string; orgId: string }> => {
      const body = JSON.stringify({ email, password: PASSWORD, name: 'Bench User', orgName: org });
      const registered = await fetch(`${base}/auth/register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      const { organization } = (await registered.json()) as { organization: { id: string } };
      const login = await fetch(`${base}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: PASSWORD }) });
      return { token: ((await login.json()) as { accessToken: string }).accessToken, orgId: organization.id };
    };
    const a = await token('bench-a@bench.test', 'Bench A');
    const b = await token('bench-b@bench.test', 'Bench B');

    step(`seeding ${fmt(SIZE)} + ${fmt(SIZE_B)} leads`);
    let t = performance.now();
    await seed(owner, a.orgId, SIZE);
    await seed(owner, b.orgId, SIZE_B);
    await owner.query('VACUUM ANALYZE lead');
    await owner.query('VACUUM ANALYZE lead_search_term');
    const seedSeconds = (performance.now() - t) / 1000;

    const ingest = SECTIONS.has(1) ? (step('ingest'), await ingestFigure(owner, runtimeDatabaseUrl)) : undefined;

    const auth = { authorization: `Bearer ${a.token}` };
    const apiLoads: LoadResult[] = [];
    const bareLoads: LoadResult[] = [];
    const oneTripLoads: LoadResult[] = [];
    if (SECTIONS.has(2)) {
      step('GET leads under load');
      bare = await startBareServer(runtimeDatabaseUrl, a.orgId);
      await load(`${base}/leads?${THREE_FILTERS_QUERY}`, auth); // warm-up
      await load(`${bare.url}/leads`, {}); // warm-up
      await load(`${bare.url}/leads-one-trip`, {}); // warm-up
      for (let round = 0; round < LOAD_ROUNDS; round += 1) {
        apiLoads.push(await load(`${base}/leads?${THREE_FILTERS_QUERY}`, auth));
        bareLoads.push(await load(`${bare.url}/leads`, {}));
        oneTripLoads.push(await load(`${bare.url}/leads-one-trip`, {}));
      }
      await bare.close();
      bare = undefined;
    }

    const words = ['anna name12', 'name345', 'felix', 'company1234', 'head sales', 'carla.name7', 'zoe name9', 'managing'];
    const qTimes = SECTIONS.has(3) ? (step('q'), await latencies(words.map((q) => `${base}/leads?q=${encodeURIComponent(q)}&limit=50`), auth)) : [];

    const analytics: Array<[string, number[]]> = [];
    if (SECTIONS.has(5)) {
      step('analytics');
      for (const endpoint of ['summary', 'platforms', 'timeline?interval=week&tz=Europe%2FBerlin', 'categories', 'confidence']) {
        analytics.push([endpoint, await latencies([`${base}/analytics/${endpoint}`], auth)]);
      }
    }
    await api.stop();
    api = undefined;

    // Each export in a fresh API process, so its peak RSS is the export's and not what the load tests left behind.
    const exportIn = async (tokenOf: string, rows: number): Promise<{ rate: number; peakRss: number; peakFile: number; idleRss: number; lines: number }> => {
      const fresh = await startApi(runtimeDatabaseUrl, database.url);
      try {
        const idleRss = memoryOf(fresh.pid).rss;
        return { ...(await exportRun(`${fresh.base}/export/csv`, { authorization: `Bearer ${tokenOf}` }, fresh.pid, rows)), idleRss };
      } finally {
        await fresh.stop();
      }
    };
    if (SECTIONS.has(4)) step('exports');
    const exportB = SECTIONS.has(4) ? await exportIn(b.token, SIZE_B) : undefined;
    const exportA = SECTIONS.has(4) ? await exportIn(a.token, SIZE) : undefined;
    const copyA = SECTIONS.has(4) ? await copyExport(runtimeDatabaseUrl, a.orgId, SIZE) : undefined;

    const ms = (x: number): string => `${fmt(x, 1)} ms`;
    const verdict = (met: boolean): string => (met ? 'met' : 'MISSED');
    out(`leads bench: ${fmt(SIZE)} leads in org A, ${fmt(SIZE_B)} in org B (seeded in ${fmt(seedSeconds)} s); PostgreSQL embedded; ${CONNECTIONS} connections x ${DURATION} s; ${SAMPLES} sequential samples per latency`);
    if (ingest) {
      out(`1. ingest, ${fmt(INGEST)} new person leads into a fresh org of the seeded table (target ratio >= 0.7)`);
      for (const [batchSize, rate] of ingest.ingest) {
        out(`   real ingest path, batches of ${fmt(batchSize).padEnd(6)}  ${fmt(rate).padStart(8)} rows/s   ratio ${fmt(rate / ingest.copy, 2)}  ${verdict(rate / ingest.copy >= 0.7)}`);
      }
      out(`   raw COPY of the same rows, bare table  ${fmt(ingest.copy).padStart(8)} rows/s`);
    }
    if (apiLoads.length > 0) {
      out(`2. GET leads?${THREE_FILTERS_QUERY} (target p95 <= 25 ms, throughput ratio >= 0.6), ${LOAD_ROUNDS} alternating rounds`);
      const pooled = (runs: LoadResult[]): LoadResult => ({
        times: runs.flatMap((r) => r.times),
        requestsPerSecond: median(runs.map((r) => r.requestsPerSecond)),
        non2xx: runs.reduce((sum, r) => sum + r.non2xx, 0),
      });
      const [apiLoad, bareLoad] = [pooled(apiLoads), pooled(bareLoads)];
      const loadLine = (r: LoadResult, runs: LoadResult[]): string =>
        `p50 ${ms(percentile(r.times, 50))}  p95 ${ms(percentile(r.times, 95))}  p99 ${ms(percentile(r.times, 99))}  median ${fmt(r.requestsPerSecond)} req/s (rounds ${runs.map((run) => fmt(run.requestsPerSecond)).join(', ')}; ${fmt(r.times.length)} responses, non-2xx ${r.non2xx})`;
      out(`   API   ${loadLine(apiLoad, apiLoads)}`);
      out(`   bare  ${loadLine(bareLoad, bareLoads)}`);
      out(`   bare, the API's one-round-trip read  ${loadLine(pooled(oneTripLoads), oneTripLoads)}`);
      const roundRatios = apiLoads.map((run, round) => run.requestsPerSecond / bareLoads[round]!.requestsPerSecond);
      const throughputRatio = median(roundRatios);
      const oneTripRatio = median(apiLoads.map((run, round) => run.requestsPerSecond / oneTripLoads[round]!.requestsPerSecond));
      out(
        `   throughput ratio, median of rounds ${fmt(throughputRatio, 2)} (${roundRatios.map((ratio) => fmt(ratio, 2)).join(', ')}) ${verdict(throughputRatio >= 0.6)}; p95 ${verdict(percentile(apiLoad.times, 95) <= 25)} (bare p95 ${ms(percentile(bareLoad.times, 95))})`,
      );
      out(`   (against the bare handler with the same one-round-trip read: ${fmt(oneTripRatio, 2)}, the framework's share alone)`);
    }
    if (SECTIONS.has(3)) {
      const qP95 = percentile(qTimes, 95);
      out(`3. q full-text search, ${words.length} queries x ${SAMPLES / words.length} (target p95 <= 50 ms)   p50 ${ms(median(qTimes))}  p95 ${ms(qP95)}  ${verdict(qP95 <= 50)}`);
      for (const [index, q] of words.entries()) {
        const own = qTimes.filter((_, i) => i % words.length === index);
        out(`   ${JSON.stringify(q).padEnd(16)} median ${ms(median(own))}  max ${ms(Math.max(...own))}`);
      }
    }
    if (exportA && exportB && copyA !== undefined) {
      out(`4. CSV export (target ratio >= 0.7; peak RSS flat and < 150 MB), each in a fresh API process (its idle RSS is part of the peak)`);
      const mb = (bytes: number): string => `${fmt(bytes / 2 ** 20)} MB`;
      const exportLine = (label: string, r: typeof exportA): string =>
        `   ${label.padEnd(34)} ${fmt(r.rate).padStart(8)} rows/s  peak RSS ${mb(r.peakRss)} = idle ${mb(r.idleRss)} + ${mb(r.peakRss - r.idleRss)}; private ${mb(r.peakRss - r.peakFile)}, file-backed ${mb(r.peakFile)}  (${fmt(r.lines - 1)} lines)`;
      out(exportLine(`API, org A (${fmt(SIZE)} rows)`, exportA));
      out(exportLine(`API, org B (${fmt(SIZE_B)} rows)`, exportB));
      out(`   COPY (same SELECT) TO STDOUT, org A  ${fmt(copyA).padStart(8)} rows/s`);
      const exportRatio = exportA.rate / copyA;
      const growthA = exportA.peakRss - exportA.idleRss;
      const growthB = exportB.peakRss - exportB.idleRss;
      out(`   ratio API / COPY ${fmt(exportRatio, 2)} ${verdict(exportRatio >= 0.7)}`);
      out(`   RSS growth during the export: ${mb(growthB)} for ${fmt(SIZE_B)} rows, ${mb(growthA)} for ${fmt(SIZE)}: flat ${verdict(growthA - growthB < 20 * 2 ** 20)}, peak < 150 MB ${verdict(exportA.peakRss < 150 * 2 ** 20)}`);
    }
    if (SECTIONS.has(5)) {
      out(`5. analytics, org A, no filter (target p95 <= 150 ms)`);
      for (const [endpoint, times] of analytics) {
        out(`   ${endpoint.padEnd(36)} p50 ${ms(median(times))}  p95 ${ms(percentile(times, 95))}  ${verdict(percentile(times, 95) <= 150)}`);
      }
    }
    out(`total ${fmt((performance.now() - startedAt) / 1000)} s`);
  } finally {
    await bare?.close();
    await api?.stop();
    await owner.end();
    await database.drop();
    await postgres.stop();
    dist.remove();
  }
}

if (process.argv[1]?.endsWith('leads.bench.ts')) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}
