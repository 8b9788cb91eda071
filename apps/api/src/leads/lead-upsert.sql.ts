import type { LeadCandidate } from './lead.types';
import { MAX_PHONES, MAX_SOURCES, MULTI_PAGE_SIGNAL, MULTI_PAGE_WEIGHT } from './merge';

/**
 * The batched upsert: a batch of leads is COPYed into a session-local staging table
 * (LEAD_STAGE_SQL) and merged into `lead` by ONE INSERT ... SELECT ... ON CONFLICT statement.
 * Org, task, platform and objective are parameters ($1..$4). Rows keep the caller's order (their
 * `ord`): the caller sorts them by dedup key, so concurrent batches lock rows in the same order and
 * queue instead of deadlocking.
 *
 * On a conflict the stored row and the incoming sighting merge by the rules of merge.ts:
 * fill blanks (COALESCE stored first), union phones/socials/address/tags/sources, the higher own
 * score keeps its reasons, `seen_on_multiple_pages` once two distinct pages are known,
 * first_seen_at least, last_seen_at greatest. User-owned fields (status, notes, tags a user set,
 * corrected names) are never overwritten: scalars only fill blanks and tags only grow.
 * A soft-deleted lead stays deleted and untouched (the WHERE on DO UPDATE): the sighting is counted
 * as a duplicate, so deleting a lead is how a user says "not this one again".
 *
 * RETURNING lists inserted and merged rows; `xmax = 0` tells an inserted row from an updated one.
 */

/** Columns of the staging table, in COPY order; `stageLine` writes them. */
export const STAGE_COLUMNS = [
  'ord', 'id', 'kind', 'dedup_key', 'full_name', 'first_name', 'last_name', 'job_title', 'job_level', 'department', 'email', 'phones',
  'company_name', 'company_domain', 'website', 'business_type', 'industry', 'address', 'socials', 'profile_url', 'education_level',
  'degree_type', 'confidence', 'confidence_reasons', 'sources', 'tags', 'first_seen_at', 'last_seen_at',
] as const;

/** The staging table's columns (STAGE_COLUMNS with their types). */
export const STAGE_TABLE_COLUMNS = `
  ord integer NOT NULL, id uuid NOT NULL, kind text NOT NULL, dedup_key text NOT NULL, full_name text, first_name text, last_name text,
  job_title text, job_level text, department text, email text, phones jsonb NOT NULL, company_name text, company_domain text,
  website text, business_type text, industry text, address jsonb, socials jsonb NOT NULL, profile_url text, education_level text,
  degree_type text, confidence smallint NOT NULL, confidence_reasons jsonb NOT NULL, sources jsonb NOT NULL, tags text[] NOT NULL,
  first_seen_at timestamptz NOT NULL, last_seen_at timestamptz NOT NULL`;

/**
 * Creates the staging table once per connection (temporary: invisible to other sessions, no WAL,
 * emptied at commit) and empties it for the next batch of the same transaction. One round trip.
 */
export const LEAD_STAGE_SQL = `CREATE TEMP TABLE IF NOT EXISTS lead_ingest_stage (${STAGE_TABLE_COLUMNS}) ON COMMIT DELETE ROWS; TRUNCATE lead_ingest_stage`;

export const COPY_STAGE_SQL = `COPY lead_ingest_stage (${STAGE_COLUMNS.join(', ')}) FROM STDIN WITH (FORMAT csv)`;

export const UPSERT_LEADS_SQL = `
INSERT INTO lead AS l (
  id, org_id, kind, dedup_key, full_name, first_name, last_name, job_title, job_level, department, email, phones,
  company_name, company_domain, website, business_type, industry, address, socials, profile_url, education_level,
  degree_type, lead_objective, confidence, confidence_reasons, sources, tags, platform, task_id, first_seen_at, last_seen_at
)
SELECT r.id, $1::uuid, r.kind, r.dedup_key, r.full_name, r.first_name, r.last_name, r.job_title, r.job_level, r.department, r.email,
       r.phones, r.company_name, r.company_domain, r.website, r.business_type, r.industry, r.address, r.socials, r.profile_url,
       r.education_level, r.degree_type, $4::text, r.confidence, r.confidence_reasons, r.sources, r.tags, $3::text, $2::uuid,
       r.first_seen_at, r.last_seen_at
  FROM lead_ingest_stage r
 ORDER BY r.ord
ON CONFLICT (org_id, dedup_key) DO UPDATE SET
  full_name = COALESCE(l.full_name, EXCLUDED.full_name),
  first_name = COALESCE(l.first_name, EXCLUDED.first_name),
  last_name = COALESCE(l.last_name, EXCLUDED.last_name),
  job_title = COALESCE(l.job_title, EXCLUDED.job_title),
  job_level = CASE WHEN l.job_level IS NULL OR l.job_level = 'unknown' THEN COALESCE(EXCLUDED.job_level, l.job_level) ELSE l.job_level END,
  department = CASE WHEN l.department IS NULL OR l.department = 'other' THEN COALESCE(EXCLUDED.department, l.department) ELSE l.department END,
  email = COALESCE(l.email, EXCLUDED.email),
  phones = CASE WHEN jsonb_array_length(EXCLUDED.phones) = 0 THEN l.phones ELSE (
    SELECT COALESCE(jsonb_agg(k.phone ORDER BY k.ord), '[]'::jsonb)
      FROM (SELECT d.phone, d.ord
              FROM (SELECT DISTINCT ON (p.phone->>'e164') p.phone, p.ord
                      FROM jsonb_array_elements(l.phones || EXCLUDED.phones) WITH ORDINALITY AS p(phone, ord)
                     ORDER BY p.phone->>'e164', p.ord) d
             ORDER BY d.ord
             LIMIT ${MAX_PHONES}) k) END,
  company_name = COALESCE(l.company_name, EXCLUDED.company_name),
  company_domain = COALESCE(l.company_domain, EXCLUDED.company_domain),
  website = COALESCE(l.website, EXCLUDED.website),
  business_type = CASE WHEN l.business_type IS NULL OR l.business_type = 'other' THEN COALESCE(EXCLUDED.business_type, l.business_type) ELSE l.business_type END,
  industry = COALESCE(l.industry, EXCLUDED.industry),
  address = CASE WHEN EXCLUDED.address IS NULL THEN l.address WHEN l.address IS NULL THEN EXCLUDED.address
                 ELSE EXCLUDED.address || jsonb_strip_nulls(l.address) END,
  socials = EXCLUDED.socials || l.socials,
  profile_url = COALESCE(l.profile_url, EXCLUDED.profile_url),
  education_level = CASE WHEN l.education_level IS NULL OR l.education_level = 'unknown' THEN COALESCE(EXCLUDED.education_level, l.education_level) ELSE l.education_level END,
  degree_type = COALESCE(l.degree_type, EXCLUDED.degree_type),
  lead_objective = COALESCE(l.lead_objective, EXCLUDED.lead_objective),
  platform = COALESCE(l.platform, EXCLUDED.platform),
  task_id = COALESCE(l.task_id, EXCLUDED.task_id),
  tags = CASE WHEN cardinality(EXCLUDED.tags) = 0 THEN l.tags ELSE ARRAY(
    SELECT u.tag FROM unnest(l.tags || EXCLUDED.tags) WITH ORDINALITY AS u(tag, ord) GROUP BY u.tag ORDER BY min(u.ord)) END,
  sources = (
    SELECT COALESCE(jsonb_agg(k.source ORDER BY k.seen, k.url COLLATE "C"), '[]'::jsonb)
      FROM (SELECT d.source, d.seen, d.url
              FROM (SELECT DISTINCT ON (s.source->>'taskId', s.source->>'url')
                           s.source, (s.source->>'seenAt')::timestamptz AS seen, s.source->>'url' AS url
                      FROM jsonb_array_elements(l.sources || EXCLUDED.sources) AS s(source)
                     ORDER BY s.source->>'taskId', s.source->>'url', (s.source->>'seenAt')::timestamptz) d
             ORDER BY d.seen, d.url COLLATE "C"
             LIMIT ${MAX_SOURCES}) k),
  (confidence, confidence_reasons) = (
    SELECT LEAST(100, GREATEST(0, w.score + CASE WHEN w.pages >= 2 THEN ${MULTI_PAGE_WEIGHT} ELSE 0 END))::smallint,
           w.reasons || CASE WHEN w.pages >= 2 THEN '[{"signal": "${MULTI_PAGE_SIGNAL}", "weight": ${MULTI_PAGE_WEIGHT}}]'::jsonb ELSE '[]'::jsonb END
      FROM (SELECT CASE WHEN x.score > e.score THEN x.score ELSE e.score END AS score,
                   CASE WHEN x.score > e.score THEN x.reasons ELSE e.reasons END AS reasons,
                   (SELECT count(DISTINCT s->>'url') FROM jsonb_array_elements(l.sources || EXCLUDED.sources) AS s) AS pages
              FROM (SELECT COALESCE(sum((c.reason->>'weight')::int), 0) AS score, COALESCE(jsonb_agg(c.reason ORDER BY c.ord), '[]'::jsonb) AS reasons
                      FROM jsonb_array_elements(l.confidence_reasons) WITH ORDINALITY AS c(reason, ord)
                     WHERE c.reason->>'signal' <> '${MULTI_PAGE_SIGNAL}') e,
                   (SELECT COALESCE(sum((c.reason->>'weight')::int), 0) AS score, COALESCE(jsonb_agg(c.reason ORDER BY c.ord), '[]'::jsonb) AS reasons
                      FROM jsonb_array_elements(EXCLUDED.confidence_reasons) WITH ORDINALITY AS c(reason, ord)
                     WHERE c.reason->>'signal' <> '${MULTI_PAGE_SIGNAL}') x) w),
  first_seen_at = LEAST(l.first_seen_at, EXCLUDED.first_seen_at),
  last_seen_at = GREATEST(l.last_seen_at, EXCLUDED.last_seen_at)
WHERE l.deleted_at IS NULL
RETURNING l.id, l.dedup_key, (xmax = 0) AS inserted, l.kind, l.full_name, l.job_title, l.company_name, l.email, l.confidence`;

/** A CSV field of COPY: unquoted empty is NULL; everything else quoted, quotes doubled. */
function csvField(value: string | null): string {
  return value === null ? '' : `"${value.replace(/"/g, '""')}"`;
}

/** A text[] literal: every element double-quoted, backslashes and quotes escaped. */
function arrayLiteral(values: string[]): string {
  return `{${values.map((value) => `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`).join(',')}}`;
}

/** One line of COPY_STAGE_SQL's CSV, columns as STAGE_COLUMNS. */
export function stageLine(id: string, lead: LeadCandidate, ord: number): string {
  return [
    String(ord),
    id,
    lead.kind,
    csvField(lead.dedupKey),
    csvField(lead.fullName),
    csvField(lead.firstName),
    csvField(lead.lastName),
    csvField(lead.jobTitle),
    csvField(lead.jobLevel),
    csvField(lead.department),
    csvField(lead.email),
    csvField(JSON.stringify(lead.phones)),
    csvField(lead.companyName),
    csvField(lead.companyDomain),
    csvField(lead.website),
    csvField(lead.businessType),
    csvField(lead.industry),
    csvField(lead.address === null ? null : JSON.stringify(lead.address)),
    csvField(JSON.stringify(lead.socials)),
    csvField(lead.profileUrl),
    csvField(lead.educationLevel),
    csvField(lead.degreeType),
    String(lead.confidence),
    csvField(JSON.stringify(lead.confidenceReasons)),
    csvField(JSON.stringify(lead.sources)),
    csvField(arrayLiteral(lead.tags)),
    lead.firstSeenAt.toISOString(),
    lead.lastSeenAt.toISOString(),
  ].join(',') + '\n';
}

export interface UpsertedRow {
  id: string;
  dedup_key: string;
  inserted: boolean;
  kind: 'person' | 'company';
  full_name: string | null;
  job_title: string | null;
  company_name: string | null;
  email: string | null;
  confidence: number;
}
