import { HttpStatus } from '@nestjs/common';
import { AppError } from '../common/errors/app-error';
import type { LeadFilterQuery } from './dto/lead-filter.dto';

/**
 * SQL of the read side of leads, shared by the list, the analytics, the exports and bulk changes so
 * that "the same filters" means the same WHERE clause. Values always travel as parameters.
 */

/** Positional parameters ($1, $2, ...) collected while a statement is built. */
export class SqlParams {
  readonly values: unknown[] = [];

  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

export const MAX_SEARCH_WORDS = 8;
/** Terms are stored cut to this length (lead_search_terms() in the migration). */
export const SEARCH_TERM_LENGTH = 32;
/** Sorts after every string that starts with a given prefix (the term column has collation "C"). */
export const PREFIX_END = String.fromCodePoint(0x10ffff);

/** The words of `q` as the migration's lead_search_terms() cuts stored text: lower case, letters and digits. */
export function searchWords(q: string): string[] {
  const words = q
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word.length > 0)
    .map((word) => [...word].slice(0, SEARCH_TERM_LENGTH).join(''));
  return [...new Set(words)].slice(0, MAX_SEARCH_WORDS);
}

export type DeletedScope = 'live' | 'deleted' | 'any';

/**
 * How a page of GET leads searches. With a `driver` (a word matching few leads) the candidates come
 * from the term index alone: the driver's ids, each probed there for the other words
 * (searchCandidates), and only the survivors are read from `lead`. Without one (every word is
 * broad, or the words are common enough together that a page fills sooner in list order) the leads
 * are walked in list order and each is checked on its own text (searchTextMatches), so LIMIT stops
 * the walk after a page.
 */
export interface SearchPlan {
  driver: string | null;
  rest: string[];
}

/** `term` is a prefix range of a word (the term column has collation "C"). */
const termRange = (alias: string, word: string, p: SqlParams): string =>
  `${alias}.term >= (${p.add(word)}::text COLLATE "C") AND ${alias}.term < (${p.add(word + PREFIX_END)}::text COLLATE "C")`;

/**
 * The ids of the org's leads matching every word, from the term index alone: the driver's range,
 * and for each other word a semi-join on its range (the planner hashes a word's ids or probes the
 * primary key per candidate, whichever its statistics say is cheaper).
 */
export function searchCandidates(orgParam: string, driver: string, others: string[], p: SqlParams): string {
  const probes = others.map(
    (word, index) => `\n     AND EXISTS (SELECT 1 FROM lead_search_term s${index} WHERE s${index}.org_id = ${orgParam} AND ${termRange(`s${index}`, word, p)} AND s${index}.lead_id = s.lead_id)`,
  );
  return `SELECT DISTINCT s.lead_id FROM lead_search_term s WHERE s.org_id = ${orgParam} AND ${termRange('s', driver, p)}${probes.join('')}`;
}

/**
 * The same match as a prefix range over lead_search_terms(), tested on `text` (the lead's stored
 * `search_text`, the string those terms come from): a word of the text starts with the search word (terms are at least 2 characters long, so a
 * one-character word needs one more letter or digit after it). Words hold letters and digits only,
 * so they are literal in both patterns. The substring test (LIKE) is a cheap first filter; the
 * regular expression, one per word, decides.
 */
export function searchTextMatches(text: string, words: string[], p: SqlParams): string {
  const patterns = words.map((word) => `(^|[^[:alnum:]])${word}${[...word].length === 1 ? '[[:alnum:]]' : ''}`);
  return `${text} LIKE ALL (${p.add(words.map((word) => `%${word}%`))}::text[]) AND ${text} ~ ALL (${p.add(patterns)}::text[])`;
}

/**
 * `l.org_id = $org AND ...` for a filter. Every condition that can use an index is a leakproof
 * comparison (equality, ranges, = ANY) so that row-level security does not keep it from the index.
 * `qByCaller`: the caller applies the words of `q` itself (GET leads' SearchPlan); a `q` without
 * words still matches nothing.
 */
export function leadWhere(orgParam: string, filter: LeadFilterQuery, p: SqlParams, deleted: DeletedScope = 'live', qByCaller = false): string {
  const and: string[] = [`l.org_id = ${orgParam}`];
  if (deleted === 'live') and.push('l.deleted_at IS NULL');
  if (deleted === 'deleted') and.push('l.deleted_at IS NOT NULL');
  const anyOf = (column: string, values: string[] | undefined): void => {
    if (!values?.length) return;
    and.push(values.length === 1 ? `${column} = ${p.add(values[0])}` : `${column} = ANY (${p.add(values)}::text[])`);
  };
  anyOf('l.platform', filter.platform);
  anyOf('l.job_level', filter.jobLevel);
  anyOf('l.business_type', filter.businessType);
  anyOf('l.education_level', filter.educationLevel);
  anyOf('l.degree_type', filter.degreeType);
  anyOf('l.lead_objective', filter.leadObjective);
  anyOf('l.status', filter.status);
  if (filter.taskId) and.push(`l.task_id = ${p.add(filter.taskId)}::uuid`);
  if (filter.tags?.length) and.push(`l.tags && ${p.add(filter.tags)}::text[]`);
  if (filter.country) and.push(`upper(l.address->>'country') = upper(${p.add(filter.country)}::text)`);
  if (filter.minConfidence !== undefined) and.push(`l.confidence >= ${p.add(filter.minConfidence)}::smallint`);
  if (filter.maxConfidence !== undefined) and.push(`l.confidence <= ${p.add(filter.maxConfidence)}::smallint`);
  if (filter.hasEmail !== undefined) and.push(filter.hasEmail ? 'l.email IS NOT NULL' : 'l.email IS NULL');
  if (filter.hasPhone !== undefined) and.push(filter.hasPhone ? `l.phones <> '[]'::jsonb` : `l.phones = '[]'::jsonb`);
  if (filter.createdFrom) and.push(`l.created_at >= ${p.add(filter.createdFrom.toISOString())}::timestamptz`);
  if (filter.createdTo) and.push(`l.created_at < ${p.add(filter.createdTo.toISOString())}::timestamptz`);
  if (filter.q !== undefined) {
    const words = searchWords(filter.q);
    if (words.length === 0) {
      and.push('false');
    } else if (!qByCaller) {
      // A lead matches when each word is the prefix of one of its terms: one b-tree range per word.
      and.push(`l.id IN (
        SELECT s.lead_id
          FROM unnest(${p.add(words)}::text[], ${p.add(words.map((word) => word + PREFIX_END))}::text[]) AS w(lo, hi)
          JOIN lead_search_term s ON s.org_id = ${orgParam} AND s.term >= (w.lo COLLATE "C") AND s.term < (w.hi COLLATE "C")
         GROUP BY s.lead_id
        HAVING count(DISTINCT w.lo) = ${words.length})`);
    }
  }
  return and.join('\n   AND ');
}

export const LEAD_SORTS = ['createdAt', 'confidence', 'companyName'] as const;
export type LeadSort = (typeof LEAD_SORTS)[number];
export const SORT_ORDERS = ['asc', 'desc'] as const;
export type SortOrder = (typeof SORT_ORDERS)[number];

interface SortSpec {
  /** The ordered expression; matches an index led by org_id. */
  expression: string;
  /** The expression as cursor text, exact (microseconds for timestamps). */
  keyText: string;
  cast: string;
}

const SORTS: Record<LeadSort, SortSpec> = {
  createdAt: {
    expression: 'l.created_at',
    keyText: `to_char(l.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`,
    cast: 'timestamptz',
  },
  confidence: { expression: 'l.confidence', keyText: 'l.confidence::text', cast: 'smallint' },
  // Leads without a company sort as the empty string (first ascending, last descending).
  companyName: { expression: `COALESCE(l.company_name, '')`, keyText: `COALESCE(l.company_name, '')`, cast: 'text' },
};

export interface Keyset {
  sort: LeadSort;
  order: SortOrder;
  /** The sort key of the last row of the previous page, as text. */
  value: string;
  id: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function invalidCursor(): AppError {
  return new AppError('invalid_cursor', HttpStatus.BAD_REQUEST, 'The cursor is malformed or belongs to another sort order; start again without it.');
}

/** Opaque to clients: base64url of [sort, order, key, id]. */
export function encodeCursor(keyset: Keyset): string {
  return Buffer.from(JSON.stringify([keyset.sort, keyset.order, keyset.value, keyset.id]), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string, sort: LeadSort, order: SortOrder): Keyset {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor();
  }
  if (!Array.isArray(parsed) || parsed.length !== 4) throw invalidCursor();
  const [cursorSort, cursorOrder, value, id] = parsed as unknown[];
  if (cursorSort !== sort || cursorOrder !== order || typeof value !== 'string' || typeof id !== 'string' || !UUID.test(id)) throw invalidCursor();
  if (value.length > 1000) throw invalidCursor();
  if (sort === 'createdAt' && Number.isNaN(Date.parse(value))) throw invalidCursor();
  if (sort === 'confidence' && !/^\d{1,3}$/.test(value)) throw invalidCursor();
  return { sort, order, value, id };
}

export interface OrderSql {
  /** Condition after the cursor, or null on the first page. */
  after: string | null;
  orderBy: string;
  keyText: string;
}

/** ORDER BY and the keyset condition: (key, id) compared as a row, so one index range serves it. */
export function orderSql(sort: LeadSort, order: SortOrder, keyset: Keyset | null, p: SqlParams): OrderSql {
  const spec = SORTS[sort];
  const direction = order === 'asc' ? 'ASC' : 'DESC';
  const after = keyset ? `(${spec.expression}, l.id) ${order === 'asc' ? '>' : '<'} (${p.add(keyset.value)}::${spec.cast}, ${p.add(keyset.id)}::uuid)` : null;
  return { after, orderBy: `${spec.expression} ${direction}, l.id ${direction}`, keyText: spec.keyText };
}
