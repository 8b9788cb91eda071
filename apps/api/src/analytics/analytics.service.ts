import { BUSINESS_TYPE_LABELS, BUSINESS_TYPES, JOB_LEVEL_LABELS, JOB_LEVELS } from '@leadforge/contracts';
import { Injectable } from '@nestjs/common';
import type { AuthContext } from '../common/auth/auth-context';
import { TenantDatabase, type SqlReader } from '../database/tenant-database';
import type { LeadFilterQuery } from '../leads/dto/lead-filter.dto';
import { PLATFORM_LABELS } from '../leads/filters.service';
import { TASK_PLATFORMS } from '../scraper/tasks/scrape-task.entity';
import { AnalyticsRepository, type ValueCount } from './analytics.repository';
import type { AnalyticsCategoriesResponse, AnalyticsConfidenceResponse, AnalyticsPlatformsResponse, AnalyticsSummaryResponse, AnalyticsTimelineResponse, CountByValueResponse, TimelineQuery } from './dto/analytics.dto';

/** Every value of a vocabulary in order, with its count; leads without a value count as `fallback`. */
function byVocabulary<T extends string>(values: readonly T[], labels: Record<T, string>, rows: ValueCount[], fallback: T): CountByValueResponse[] {
  const counts = new Map<string, number>();
  for (const row of rows) {
    const value = row.value ?? fallback;
    counts.set(value, (counts.get(value) ?? 0) + row.count);
  }
  return values.map((value) => ({ value, label: labels[value], count: counts.get(value) ?? 0 }));
}

@Injectable()
export class AnalyticsService {
  constructor(
    private readonly tenant: TenantDatabase,
    private readonly analytics: AnalyticsRepository,
  ) {}

  /** Every aggregate is one read-only statement: one round trip each with its scope (TenantDatabase.readOnce). */
  private reader(auth: AuthContext): SqlReader {
    return this.tenant.reader({ orgId: auth.orgId });
  }

  async summary(auth: AuthContext, filter: LeadFilterQuery): Promise<AnalyticsSummaryResponse> {
    const row = await this.analytics.summary(this.reader(auth), auth.orgId, filter);
    return {
      total: row.total,
      byStatus: { new: row.new, contacted: row.contacted, qualified: row.qualified, disqualified: row.disqualified },
      withEmail: row.with_email,
      withPhone: row.with_phone,
      avgConfidence: row.avg_confidence,
      last7Days: row.last_7_days,
      last30Days: row.last_30_days,
    };
  }

  async platforms(auth: AuthContext, filter: LeadFilterQuery): Promise<AnalyticsPlatformsResponse> {
    const rows = await this.analytics.countBy(this.reader(auth), auth.orgId, filter, 'platform');
    const known = byVocabulary(TASK_PLATFORMS, PLATFORM_LABELS, rows.filter((row) => row.value !== null), 'website');
    const unset = rows.find((row) => row.value === null)?.count ?? 0;
    return { items: unset > 0 ? [...known, { value: 'other', label: 'Other', count: unset }] : known };
  }

  async timeline(auth: AuthContext, query: TimelineQuery): Promise<AnalyticsTimelineResponse> {
    const { interval = 'day', tz = 'UTC', ...filter } = query;
    const items = await this.analytics.timeline(this.reader(auth), auth.orgId, filter, interval, tz);
    return { interval, tz, items };
  }

  async categories(auth: AuthContext, filter: LeadFilterQuery): Promise<AnalyticsCategoriesResponse> {
    const [businessTypes, jobLevels] = await Promise.all([
      this.analytics.countBy(this.reader(auth), auth.orgId, filter, 'business_type'),
      this.analytics.countBy(this.reader(auth), auth.orgId, filter, 'job_level'),
    ]);
    return {
      businessType: byVocabulary(BUSINESS_TYPES, BUSINESS_TYPE_LABELS, businessTypes, 'other'),
      jobLevel: byVocabulary(JOB_LEVELS, JOB_LEVEL_LABELS, jobLevels, 'unknown'),
    };
  }

  async confidence(auth: AuthContext, filter: LeadFilterQuery): Promise<AnalyticsConfidenceResponse> {
    const rows = await this.analytics.confidenceHistogram(this.reader(auth), auth.orgId, filter);
    const counts = new Map(rows.map((row) => [row.bucket, row.count]));
    return { items: Array.from({ length: 10 }, (_, bucket) => ({ from: bucket * 10, to: bucket === 9 ? 100 : bucket * 10 + 9, count: counts.get(bucket) ?? 0 })) };
  }
}
