import type { CompanyFinding, Findings, PersonFinding } from '@leadforge/extract';
import type { IngestPage } from '../findings-to-candidates';

/** Hand-built extraction results for the ingest specs and the bench: only what the ingest reads. */

type Reason = PersonFinding['confidenceReasons'][number];

export function scored(reasons: Reason[]): { confidence: number; confidenceReasons: Reason[] } {
  const all: Reason[] = [{ signal: 'base', weight: 30 }, ...reasons];
  return { confidence: Math.max(0, Math.min(100, all.reduce((sum, reason) => sum + reason.weight, 0))), confidenceReasons: all };
}

export function person(overrides: Partial<PersonFinding> = {}): PersonFinding {
  return {
    fullName: 'Jane Doe',
    firstName: 'Jane',
    lastName: 'Doe',
    jobTitle: null,
    jobLevel: 'unknown',
    department: 'other',
    email: null,
    phones: [],
    socials: {},
    profileUrl: null,
    educationLevel: 'unknown',
    degreeType: null,
    sources: ['card'],
    ...scored([{ signal: 'no_direct_contact', weight: -15 }]),
    ...overrides,
  };
}

export function company(overrides: Partial<CompanyFinding> = {}): CompanyFinding {
  return {
    name: 'Acme GmbH',
    domain: 'acme.de',
    website: 'https://acme.de/',
    address: null,
    emails: [],
    phones: [],
    socials: {},
    businessType: 'software',
    openingHours: [],
    ...scored([{ signal: 'company_identified', weight: 10 }]),
    ...overrides,
  };
}

export function findings(url: string, people: PersonFinding[], companyOverrides: Partial<CompanyFinding> = {}): Findings {
  const companyFinding = company(companyOverrides);
  return {
    url,
    pageKind: 'team',
    country: 'DE',
    countrySignal: 'tld',
    language: 'de',
    emails: companyFinding.emails.map((email) => ({ email, source: 'mailto', role: /^(info|sales|kontakt|hello)@/.test(email), freeMail: false, ownDomain: email.endsWith(`@${companyFinding.domain}`) })),
    phones: [],
    people,
    company: companyFinding,
    jobs: [],
    structuredTypes: [],
  };
}

export function page(url: string, people: PersonFinding[], companyOverrides: Partial<CompanyFinding> = {}, fetchedAt = new Date('2030-01-01T00:00:00Z')): IngestPage {
  return { url, fetchedAt, findings: findings(url, people, companyOverrides) };
}
