import type { LeadResponse } from './dto/lead.response';

/** The columns of a lead as the API shows it (all but org_id and dedup_key), from `lead l`. */
export const LEAD_COLUMNS = `l.id, l.kind, l.full_name, l.first_name, l.last_name, l.job_title, l.job_level, l.department, l.email, l.phones,
  l.company_name, l.company_domain, l.website, l.business_type, l.industry, l.address, l.socials, l.profile_url, l.education_level,
  l.degree_type, l.lead_objective, l.confidence, l.confidence_reasons, l.sources, l.tags, l.status, l.notes, l.platform, l.task_id,
  l.first_seen_at, l.last_seen_at, l.created_at, l.created_by, l.updated_at, l.updated_by, l.deleted_at`;

export type LeadRow = Record<string, any>;

const iso = (value: Date | string | null): string | null => (value === null ? null : new Date(value).toISOString());

export function toLeadResponse(row: LeadRow): LeadResponse {
  return {
    id: row.id,
    kind: row.kind,
    fullName: row.full_name,
    firstName: row.first_name,
    lastName: row.last_name,
    jobTitle: row.job_title,
    jobLevel: row.job_level,
    department: row.department,
    email: row.email,
    phones: row.phones,
    companyName: row.company_name,
    companyDomain: row.company_domain,
    website: row.website,
    businessType: row.business_type,
    industry: row.industry,
    address: row.address,
    socials: row.socials,
    profileUrl: row.profile_url,
    educationLevel: row.education_level,
    degreeType: row.degree_type,
    leadObjective: row.lead_objective,
    confidence: row.confidence,
    confidenceReasons: row.confidence_reasons,
    sources: row.sources,
    tags: row.tags,
    status: row.status,
    notes: row.notes,
    platform: row.platform,
    taskId: row.task_id,
    firstSeenAt: iso(row.first_seen_at)!,
    lastSeenAt: iso(row.last_seen_at)!,
    createdAt: iso(row.created_at)!,
    createdBy: row.created_by,
    updatedAt: iso(row.updated_at)!,
    updatedBy: row.updated_by,
    deletedAt: iso(row.deleted_at),
  };
}
