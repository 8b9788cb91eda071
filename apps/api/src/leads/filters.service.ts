import { BUSINESS_TYPE_LABELS, BUSINESS_TYPES, DEGREE_TYPE_LABELS, DEGREE_TYPES, EDUCATION_LEVEL_LABELS, EDUCATION_LEVELS, JOB_LEVEL_LABELS, JOB_LEVELS, LEAD_OBJECTIVE_LABELS, LEAD_OBJECTIVES, vocabularyOptions } from '@leadforge/contracts';
import { Injectable } from '@nestjs/common';
import type { AuthContext } from '../common/auth/auth-context';
import { TenantDatabase } from '../database/tenant-database';
import { TASK_PLATFORMS, type TaskPlatform } from '../scraper/tasks/scrape-task.entity';
import type { FilterOptionsResponse } from './dto/filters.dto';

export const PLATFORM_LABELS: Record<TaskPlatform, string> = { website: 'Websites', directory: 'Directories', sitemap: 'Sitemaps' };

export const VOCABULARIES = {
  platforms: { column: 'platform', options: vocabularyOptions(TASK_PLATFORMS, PLATFORM_LABELS) },
  'business-types': { column: 'business_type', options: vocabularyOptions(BUSINESS_TYPES, BUSINESS_TYPE_LABELS) },
  'job-levels': { column: 'job_level', options: vocabularyOptions(JOB_LEVELS, JOB_LEVEL_LABELS) },
  'education-levels': { column: 'education_level', options: vocabularyOptions(EDUCATION_LEVELS, EDUCATION_LEVEL_LABELS) },
  'degree-types': { column: 'degree_type', options: vocabularyOptions(DEGREE_TYPES, DEGREE_TYPE_LABELS) },
  'lead-objectives': { column: 'lead_objective', options: vocabularyOptions(LEAD_OBJECTIVES, LEAD_OBJECTIVE_LABELS) },
} as const;

export type Vocabulary = keyof typeof VOCABULARIES;

/** The filter vocabularies with labels, and on request how many live leads of the org carry each value. */
@Injectable()
export class FiltersService {
  constructor(private readonly tenant: TenantDatabase) {}

  async options(auth: AuthContext, vocabulary: Vocabulary, withCounts: boolean): Promise<FilterOptionsResponse> {
    const { column, options } = VOCABULARIES[vocabulary];
    if (!withCounts) return { items: options.map((option) => ({ ...option })) };
    const rows = await this.tenant.readOnce<{ value: string; count: number }>(
      { orgId: auth.orgId },
      `SELECT l.${column} AS value, count(*)::int AS count FROM lead l
        WHERE l.org_id = $1 AND l.deleted_at IS NULL AND l.${column} IS NOT NULL
        GROUP BY 1`,
      [auth.orgId],
    );
    const counts = new Map(rows.map((row) => [row.value, row.count]));
    return { items: options.map((option) => ({ ...option, count: counts.get(option.value) ?? 0 })) };
  }
}
