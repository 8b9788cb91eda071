import type { LeadCandidate } from './lead.types';
import { MAX_PHONES, MAX_SOURCES, MULTI_PAGE_SIGNAL, MULTI_PAGE_WEIGHT } from './merge';

/**
 * The batched upsert: every lead of a batch in ONE statement. The rows travel as one jsonb array
 * ($1) expanded by jsonb_to_recordset; org, task, platform and objective are parameters
 * ($2..$5). Rows keep the caller's order (their `ord`): the caller sorts them by dedup key, so
 * concurrent batches lock rows in the same order and queue instead of deadlocking.
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
export const UPSERT_LEADS_SQL = `
INSERT INTO lead AS l (
  id, org_id, kind, dedup_key, full_name, first_name, last_name, job_title, job_level, department, email, phones,
  company_name, company_domain, website, business_type, industry, address, socials, profile_url, education_level,
  degree_type, lead_objective, confidence, confidence_reasons, sources, tags, platform, task_id, first_seen_at, last_seen_at
)
SELECT r.id, $2::uuid, r.kind, r.dedup_key, r.full_name, r.first_name, r.last_name, r.job_title, r.job_level, r.department, r.email,
       r.phones, r.company_name, r.company_domain, r.website, r.business_type, r.industry, r.address, r.socials, r.profile_url,
       r.education_level, r.degree_type, $5::text, r.confidence, r.confidence_reasons, r.sources, r.tags, $4::text, $3::uuid,
       r.first_seen_at, r.last_seen_at
  FROM jsonb_to_recordset($1::jsonb) AS r(
         id uuid, kind text, dedup_key text, full_name text, first_name text, last_name text, job_title text, job_level text,
         department text, email text, phones jsonb, company_name text, company_domain text, website text, business_type text,
         industry text, address jsonb, socials jsonb, profile_url text, education_level text, degree_type text,
         confidence smallint, confidence_reasons jsonb, sources jsonb, tags text[], first_seen_at timestamptz,
         last_seen_at timestamptz, ord integer)
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

/** One row of $1, keyed by column name (jsonb_to_recordset matches on names). */
export function upsertRow(id: string, lead: LeadCandidate, ord: number): Record<string, unknown> {
  return {
    id,
    kind: lead.kind,
    dedup_key: lead.dedupKey,
    full_name: lead.fullName,
    first_name: lead.firstName,
    last_name: lead.lastName,
    job_title: lead.jobTitle,
    job_level: lead.jobLevel,
    department: lead.department,
    email: lead.email,
    phones: lead.phones,
    company_name: lead.companyName,
    company_domain: lead.companyDomain,
    website: lead.website,
    business_type: lead.businessType,
    industry: lead.industry,
    address: lead.address,
    socials: lead.socials,
    profile_url: lead.profileUrl,
    education_level: lead.educationLevel,
    degree_type: lead.degreeType,
    confidence: lead.confidence,
    confidence_reasons: lead.confidenceReasons,
    sources: lead.sources,
    tags: lead.tags,
    first_seen_at: lead.firstSeenAt.toISOString(),
    last_seen_at: lead.lastSeenAt.toISOString(),
    ord,
  };
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
