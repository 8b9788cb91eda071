/**
 * The flat columns of the CSV and Excel exports, each as a SQL expression over `lead l` that already
 * yields the cell's text (so rows stream as arrays and the server formats nothing per field).
 */
export const FLAT_COLUMNS: ReadonlyArray<readonly [header: string, sql: string]> = [
  ['id', 'l.id::text'],
  ['kind', 'l.kind'],
  ['fullName', 'l.full_name'],
  ['firstName', 'l.first_name'],
  ['lastName', 'l.last_name'],
  ['jobTitle', 'l.job_title'],
  ['jobLevel', 'l.job_level'],
  ['department', 'l.department'],
  ['email', 'l.email'],
  ['phones', `(SELECT string_agg(p->>'e164', ' ') FROM jsonb_array_elements(l.phones) AS p)`],
  ['companyName', 'l.company_name'],
  ['companyDomain', 'l.company_domain'],
  ['website', 'l.website'],
  ['businessType', 'l.business_type'],
  ['industry', 'l.industry'],
  ['street', `l.address->>'street'`],
  ['city', `l.address->>'city'`],
  ['region', `l.address->>'region'`],
  ['postalCode', `l.address->>'postalCode'`],
  ['country', `l.address->>'country'`],
  ['linkedin', `l.socials->>'linkedin'`],
  ['twitter', `l.socials->>'twitter'`],
  ['github', `l.socials->>'github'`],
  ['facebook', `l.socials->>'facebook'`],
  ['instagram', `l.socials->>'instagram'`],
  ['youtube', `l.socials->>'youtube'`],
  ['profileUrl', 'l.profile_url'],
  ['educationLevel', 'l.education_level'],
  ['degreeType', 'l.degree_type'],
  ['leadObjective', 'l.lead_objective'],
  ['confidence', 'l.confidence::text'],
  ['tags', `array_to_string(l.tags, ', ')`],
  ['status', 'l.status'],
  ['notes', 'l.notes'],
  ['platform', 'l.platform'],
  ['taskId', 'l.task_id::text'],
  ['firstSeenAt', `to_char(l.first_seen_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`],
  ['lastSeenAt', `to_char(l.last_seen_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`],
  ['createdAt', `to_char(l.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`],
  ['updatedAt', `to_char(l.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`],
];

export const FLAT_HEADERS = FLAT_COLUMNS.map(([header]) => header);
export const FLAT_SELECT = FLAT_COLUMNS.map(([, sql]) => sql).join(', ');

/** Cells that are always our own formatting (ids, numbers, timestamps, vocabulary values): no formula possible. */
const UNESCAPED = new Set(['id', 'kind', 'jobLevel', 'department', 'businessType', 'educationLevel', 'degreeType', 'leadObjective', 'confidence', 'status', 'platform', 'taskId', 'firstSeenAt', 'lastSeenAt', 'createdAt', 'updatedAt']);

/**
 * The CSV export's SELECT for COPY: each cell's expression is computed once in a subquery that the
 * planner may not flatten (OFFSET 0), and the outer query passes the text cells through
 * lead_csv_cell() (migrations/1795996800000-LeadsPerformance.ts), escapeFormula() in SQL. Inlined
 * over the raw expressions instead, the escaping evaluated each jsonb lookup twice and called a
 * SQL function for the phones subquery on every row (about a fifth of the export's time at a
 * million rows). `where` filters `lead l`; rows come in (created_at, id) order, newest first, as
 * the inner scan reads them (the outer ORDER BY names the same keys, so no sort is added).
 */
export function csvSelect(where: string): string {
  const cells = FLAT_COLUMNS.map(([header, sql]) => `${sql} AS "${header}"`).join(', ');
  const escaped = FLAT_COLUMNS.map(([header]) => (UNESCAPED.has(header) ? `c."${header}"` : `lead_csv_cell(c."${header}") AS "${header}"`)).join(', ');
  return `SELECT ${escaped}
    FROM (SELECT ${cells}, l.created_at AS sort_created_at, l.id AS sort_id
            FROM lead l
           WHERE ${where}
           ORDER BY l.created_at DESC, l.id DESC
          OFFSET 0) c
   ORDER BY c.sort_created_at DESC, c.sort_id DESC`;
}
