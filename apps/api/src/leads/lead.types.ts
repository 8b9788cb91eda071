import type { BusinessType, DegreeType, Department, EducationLevel, JobLevel, PhoneType, Socials } from '@leadforge/contracts';

/** Framework-free shapes of a lead (DESIGN.md §6, §11), shared by the entity and the ingest path. */

export const LEAD_KINDS = ['person', 'company'] as const;
export type LeadKind = (typeof LEAD_KINDS)[number];

export const LEAD_STATUSES = ['new', 'contacted', 'qualified', 'disqualified'] as const;
export type LeadStatus = (typeof LEAD_STATUSES)[number];

export type LeadPlatform = 'website' | 'directory' | 'sitemap';

export interface LeadPhone {
  e164: string;
  type: PhoneType;
  country: string | null;
}

export interface LeadAddress {
  street: string | null;
  city: string | null;
  region: string | null;
  postalCode: string | null;
  country: string | null;
}

export interface LeadConfidenceReason {
  signal: string;
  weight: number;
}

/** One sighting: the page, the task that fetched it, and when (ISO-8601). */
export interface LeadSource {
  url: string;
  taskId: string | null;
  seenAt: string;
}

/** A lead as the extraction of one or more pages describes it, before it meets the table. */
export interface LeadCandidate {
  kind: LeadKind;
  dedupKey: string;
  fullName: string | null;
  firstName: string | null;
  lastName: string | null;
  jobTitle: string | null;
  jobLevel: JobLevel | null;
  department: Department | null;
  email: string | null;
  phones: LeadPhone[];
  companyName: string | null;
  companyDomain: string | null;
  website: string | null;
  businessType: BusinessType | null;
  industry: string | null;
  address: LeadAddress | null;
  socials: Socials;
  profileUrl: string | null;
  educationLevel: EducationLevel | null;
  degreeType: DegreeType | null;
  confidence: number;
  confidenceReasons: LeadConfidenceReason[];
  sources: LeadSource[];
  tags: string[];
  firstSeenAt: Date;
  lastSeenAt: Date;
}
