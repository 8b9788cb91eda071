import { Injectable } from '@nestjs/common';
import type { SqlReader } from '../database/tenant-database';
import type { LeadFilterQuery } from '../leads/dto/lead-filter.dto';
import { leadWhere, SqlParams } from '../leads/lead-query';
import type { TimelineInterval } from './dto/analytics.dto';

export interface SummaryRow {
  total: number;
  new: number;
  contacted: number;
  qualified: number;
  disqualified: number;
  with_email: number;
  with_phone: number;
  avg_confidence: number | null;
  last_7_days: number;
  last_30_days: number;
}

export interface ValueCount {
  value: string | null;
  count: number;
}

/** Rollup dimensions (lead_stat_dim) a filter can be answered on, by filter key. */
const STAT_FILTERS: Partial<Record<keyof LeadFilterQuery, string>> = {
  platform: 'platform',
  businessType: 'business_type',
  jobLevel: 'job_level',
  status: 'status',
};

/**
 * The WHERE clause on lead_stat_dim equivalent to `filter`, or null when the filter uses anything the
 * rollup has no dimension for (then the raw query runs).
 */
function statWhere(orgParam: string, filter: LeadFilterQuery, p: SqlParams): string | null {
  const and = [`s.org_id = ${orgParam}`];
  for (const [key, value] of Object.entries(filter) as Array<[keyof LeadFilterQuery, unknown]>) {
    if (value === undefined) continue;
    if (key === 'hasEmail' || key === 'hasPhone') {
      and.push(`${value ? '' : 'NOT '}s.${key === 'hasEmail' ? 'has_email' : 'has_phone'}`);
      continue;
    }
    const column = STAT_FILTERS[key];
    if (!column || !Array.isArray(value) || value.length === 0) return null;
    and.push(`s.${column} = ANY (${p.add(value)}::text[])`);
  }
  return and.join(' AND ');
}

const isUnfiltered = (filter: LeadFilterQuery): boolean => Object.values(filter).every((value) => value === undefined);

/** Buckets of lead_stat_time (see migrations/1795996800000-LeadsPerformance.ts). */
const STAT_BUCKET = (at: string): string => `date_bin('15 minutes', ${at}, TIMESTAMPTZ '2000-01-01 00:00:00+00')`;

/** Live leads created at or after `since` (a SQL timestamptz): whole quarter hours from the rollup, the first one counted in `lead`. */
const createdSince = (orgParam: string, since: string): string => `(
  (SELECT COALESCE(sum(s.leads), 0) FROM lead_stat_time s WHERE s.org_id = ${orgParam} AND s.bucket > ${STAT_BUCKET(since)})
  + (SELECT count(*) FROM lead l WHERE l.org_id = ${orgParam} AND l.deleted_at IS NULL AND l.created_at >= ${since}
       AND l.created_at < ${STAT_BUCKET(since)} + interval '15 minutes'))::int`;

/**
 * Aggregates over the org's live leads, narrowed by the same WHERE clause as GET leads. Without
 * filters (and for the per-dimension counts, with filters on rollup dimensions only) they read the
 * per-org rollups kept by triggers instead of every lead: exact, as they change in the same
 * transaction as the leads. Anything else aggregates `lead` itself (a parallel plan when large).
 */
@Injectable()
export class AnalyticsRepository {
  async summary(db: SqlReader, orgId: string, filter: LeadFilterQuery): Promise<SummaryRow> {
    if (isUnfiltered(filter)) {
      const [row] = await db.query<SummaryRow[]>(
        `SELECT COALESCE(sum(s.leads), 0)::int AS total,
                COALESCE(sum(s.leads) FILTER (WHERE s.status = 'new'), 0)::int AS new,
                COALESCE(sum(s.leads) FILTER (WHERE s.status = 'contacted'), 0)::int AS contacted,
                COALESCE(sum(s.leads) FILTER (WHERE s.status = 'qualified'), 0)::int AS qualified,
                COALESCE(sum(s.leads) FILTER (WHERE s.status = 'disqualified'), 0)::int AS disqualified,
                COALESCE(sum(s.leads) FILTER (WHERE s.has_email), 0)::int AS with_email,
                COALESCE(sum(s.leads) FILTER (WHERE s.has_phone), 0)::int AS with_phone,
                round(sum(s.confidence_sum)::numeric / NULLIF(sum(s.leads), 0), 1)::float8 AS avg_confidence,
                ${createdSince('$1', `now() - interval '7 days'`)} AS last_7_days,
                ${createdSince('$1', `now() - interval '30 days'`)} AS last_30_days
           FROM lead_stat_dim s
          WHERE s.org_id = $1`,
        [orgId],
      );
      return row;
    }
    const p = new SqlParams();
    const where = leadWhere(p.add(orgId), filter, p);
    const [row] = await db.query<SummaryRow[]>(
      `SELECT count(*)::int AS total,
              count(*) FILTER (WHERE l.status = 'new')::int AS new,
              count(*) FILTER (WHERE l.status = 'contacted')::int AS contacted,
              count(*) FILTER (WHERE l.status = 'qualified')::int AS qualified,
              count(*) FILTER (WHERE l.status = 'disqualified')::int AS disqualified,
              count(l.email)::int AS with_email,
              count(*) FILTER (WHERE l.phones <> '[]'::jsonb)::int AS with_phone,
              round(avg(l.confidence), 1)::float8 AS avg_confidence,
              count(*) FILTER (WHERE l.created_at >= now() - interval '7 days')::int AS last_7_days,
              count(*) FILTER (WHERE l.created_at >= now() - interval '30 days')::int AS last_30_days
         FROM lead l
        WHERE ${where}`,
      p.values,
    );
    return row;
  }

  /** Counts grouped by one column of `lead`. */
  async countBy(db: SqlReader, orgId: string, filter: LeadFilterQuery, column: 'platform' | 'business_type' | 'job_level'): Promise<ValueCount[]> {
    const rollup = new SqlParams();
    const statFilter = statWhere(rollup.add(orgId), filter, rollup);
    if (statFilter) {
      return db.query<ValueCount[]>(`SELECT s.${column} AS value, sum(s.leads)::int AS count FROM lead_stat_dim s WHERE ${statFilter} GROUP BY 1 HAVING sum(s.leads) <> 0`, rollup.values);
    }
    const p = new SqlParams();
    const where = leadWhere(p.add(orgId), filter, p);
    return db.query<ValueCount[]>(`SELECT l.${column} AS value, count(*)::int AS count FROM lead l WHERE ${where} GROUP BY 1`, p.values);
  }

  async timeline(db: SqlReader, orgId: string, filter: LeadFilterQuery, interval: TimelineInterval, tz: string): Promise<Array<{ start: string; count: number }>> {
    if (isUnfiltered(filter)) {
      // Exact: every zone's UTC offset is a whole number of quarter hours, so no bucket straddles a local midnight.
      return db.query<Array<{ start: string; count: number }>>(
        `SELECT to_char(date_trunc($2::text, s.bucket AT TIME ZONE $3::text), 'YYYY-MM-DD') AS start, sum(s.leads)::int AS count
           FROM lead_stat_time s WHERE s.org_id = $1
          GROUP BY 1 HAVING sum(s.leads) <> 0 ORDER BY 1`,
        [orgId, interval, tz],
      );
    }
    const p = new SqlParams();
    const where = leadWhere(p.add(orgId), filter, p);
    const local = `l.created_at AT TIME ZONE ${p.add(tz)}::text`;
    return db.query<Array<{ start: string; count: number }>>(
      `SELECT to_char(date_trunc(${p.add(interval)}::text, ${local}), 'YYYY-MM-DD') AS start, count(*)::int AS count
         FROM lead l WHERE ${where}
        GROUP BY 1 ORDER BY 1`,
      p.values,
    );
  }

  async confidenceHistogram(db: SqlReader, orgId: string, filter: LeadFilterQuery): Promise<Array<{ bucket: number; count: number }>> {
    const rollup = new SqlParams();
    const statFilter = statWhere(rollup.add(orgId), filter, rollup);
    if (statFilter) {
      return db.query<Array<{ bucket: number; count: number }>>(
        `SELECT s.confidence_bucket::int AS bucket, sum(s.leads)::int AS count FROM lead_stat_dim s WHERE ${statFilter} GROUP BY 1 HAVING sum(s.leads) <> 0`,
        rollup.values,
      );
    }
    const p = new SqlParams();
    const where = leadWhere(p.add(orgId), filter, p);
    return db.query<Array<{ bucket: number; count: number }>>(`SELECT least(l.confidence / 10, 9)::int AS bucket, count(*)::int AS count FROM lead l WHERE ${where} GROUP BY 1`, p.values);
  }
}
