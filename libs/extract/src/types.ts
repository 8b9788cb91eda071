import type { BusinessType, DegreeType, Department, EducationLevel, JobLevel, Socials } from '@leadforge/contracts';
import type { ConfidenceReason } from './confidence';
import type { EmailSource } from './emails';
import type { PhoneFinding } from './phones';
import type { PersonSource } from './people';
import type { PostalAddress } from './structured-data';

export type { PhoneFinding } from './phones';
export type { PostalAddress } from './structured-data';

export interface ExtractContext {
  /** ISO 3166 alpha-2 region for numbers written in national form; overrides every inference. */
  country?: string;
  /** Registrable domain of the company being crawled, when it differs from the page's host. */
  companyDomain?: string;
}

export interface EmailFinding {
  email: string;
  source: EmailSource;
  /** info@, sales@ ...: a company mailbox, never a person. */
  role: boolean;
  freeMail: boolean;
  /** On the company's registrable domain. */
  ownDomain: boolean;
}

export interface PersonFinding {
  fullName: string;
  firstName: string | null;
  lastName: string | null;
  jobTitle: string | null;
  jobLevel: JobLevel;
  department: Department;
  email: string | null;
  phones: PhoneFinding[];
  socials: Socials;
  profileUrl: string | null;
  educationLevel: EducationLevel;
  degreeType: DegreeType | null;
  sources: PersonSource[];
  confidence: number;
  confidenceReasons: ConfidenceReason[];
}

export interface CompanyFinding {
  name: string | null;
  domain: string | null;
  website: string | null;
  address: PostalAddress | null;
  emails: string[];
  phones: PhoneFinding[];
  socials: Socials;
  businessType: BusinessType;
  openingHours: string[];
  confidence: number;
  confidenceReasons: ConfidenceReason[];
}

export interface JobFinding {
  title: string;
  jobLevel: JobLevel;
  department: Department;
  location: string | null;
  employmentType: string | null;
  datePosted: string | null;
  url: string | null;
  source: 'structured' | 'listing';
}

export type PageKind = 'team' | 'contact' | 'legal_notice' | 'careers' | 'blog' | 'home' | 'other';

export interface Findings {
  url: string;
  pageKind: PageKind;
  /** Region used for national-format numbers and the evidence it came from. */
  country: string;
  countrySignal: string;
  language: string | null;
  emails: EmailFinding[];
  phones: PhoneFinding[];
  people: PersonFinding[];
  company: CompanyFinding;
  jobs: JobFinding[];
  /** schema.org types present on the page. */
  structuredTypes: string[];
}
