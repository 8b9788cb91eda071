import type { DirectoryRecord, Findings, PhoneFinding } from '@leadforge/extract';
import { classifyBusinessType, normalizeEmail, parsePhone, scoreConfidence, type ConfidenceSignal } from '@leadforge/extract/values';
import type { BusinessType } from '@leadforge/contracts';
import { getDomain } from 'tldts';
import { dedupKeyFor, domainKeyOf } from './dedup-key';
import type { LeadAddress, LeadCandidate, LeadPhone, LeadSource } from './lead.types';

/** One fetched page as the scraper hands it over: findings (website, sitemap) or directory records. */
export interface IngestPage {
  url: string;
  fetchedAt: Date;
  findings?: Findings;
  records?: DirectoryRecord[];
}

export interface PageCandidates {
  candidates: LeadCandidate[];
  /** People or listings that could not be given a dedup key (no email, profile, domain or name). */
  unkeyed: number;
}

const toPhone = (phone: PhoneFinding): LeadPhone => ({ e164: phone.e164, type: phone.type, country: phone.country });

function websiteOrigin(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return null;
    return `${parsed.protocol}//${parsed.host}/`;
  } catch {
    return null;
  }
}

function blankCandidate(kind: LeadCandidate['kind'], source: LeadSource, seenAt: Date): Omit<LeadCandidate, 'dedupKey'> {
  return {
    kind,
    fullName: null,
    firstName: null,
    lastName: null,
    jobTitle: null,
    jobLevel: null,
    department: null,
    email: null,
    phones: [],
    companyName: null,
    companyDomain: null,
    website: null,
    businessType: null,
    industry: null,
    address: null,
    socials: {},
    profileUrl: null,
    educationLevel: null,
    degreeType: null,
    confidence: 0,
    confidenceReasons: [],
    sources: [source],
    tags: [],
    firstSeenAt: seenAt,
    lastSeenAt: seenAt,
  };
}

/** The company's one email: an own-domain role mailbox first (info@), then any own-domain one, then the first. */
function companyEmail(findings: Findings): string | null {
  const flags = new Map(findings.emails.map((email) => [email.email, email]));
  const emails = findings.company.emails;
  return (
    emails.find((email) => flags.get(email)?.ownDomain && flags.get(email)?.role) ??
    emails.find((email) => flags.get(email)?.ownDomain) ??
    emails.find((email) => flags.get(email)?.role) ??
    emails[0] ??
    null
  );
}

function fromFindings(page: IngestPage, findings: Findings, source: LeadSource): PageCandidates {
  const { company } = findings;
  const keyDomain = company.domain ?? domainKeyOf(page.url);
  const address: LeadAddress | null = company.address ? { ...company.address } : null;
  const website = company.website ?? websiteOrigin(page.url);
  const candidates: LeadCandidate[] = [];
  let unkeyed = 0;

  for (const person of findings.people) {
    const dedupKey = dedupKeyFor({
      kind: 'person',
      email: person.email,
      profileUrl: person.profileUrl,
      fullName: person.fullName,
      companyName: company.name,
      keyDomain,
      phones: [],
      city: null,
    });
    if (!dedupKey) {
      unkeyed += 1;
      continue;
    }
    candidates.push({
      ...blankCandidate('person', source, page.fetchedAt),
      dedupKey,
      fullName: person.fullName,
      firstName: person.firstName,
      lastName: person.lastName,
      jobTitle: person.jobTitle,
      jobLevel: person.jobLevel,
      department: person.department,
      email: person.email,
      phones: person.phones.map(toPhone),
      companyName: company.name,
      companyDomain: company.domain,
      website,
      businessType: company.businessType,
      address,
      socials: { ...person.socials },
      profileUrl: person.profileUrl,
      educationLevel: person.educationLevel,
      degreeType: person.degreeType,
      confidence: person.confidence,
      confidenceReasons: person.confidenceReasons.map((reason) => ({ signal: reason.signal, weight: reason.weight })),
    });
  }

  // The company itself, when the page says anything about it: a name or a way to reach it.
  const email = companyEmail(findings);
  if (company.name || email || company.phones.length > 0) {
    const dedupKey = dedupKeyFor({ kind: 'company', email: null, profileUrl: null, fullName: null, companyName: company.name, keyDomain, phones: [], city: null });
    if (dedupKey) {
      candidates.push({
        ...blankCandidate('company', source, page.fetchedAt),
        dedupKey,
        email,
        phones: company.phones.map(toPhone),
        companyName: company.name,
        companyDomain: company.domain,
        website,
        businessType: company.businessType,
        address,
        socials: { ...company.socials },
        confidence: company.confidence,
        confidenceReasons: company.confidenceReasons.map((reason) => ({ signal: reason.signal, weight: reason.weight })),
      });
    } else {
      unkeyed += 1;
    }
  }
  return { candidates, unkeyed };
}

function businessTypeOfCategory(category: string | null | undefined): BusinessType | null {
  if (!category) return null;
  return classifyBusinessType({ headline: category });
}

function fromRecord(record: DirectoryRecord, source: LeadSource, seenAt: Date): LeadCandidate | null {
  const name = record.name?.trim() || null;
  const website = websiteOrigin(record.website);
  const companyDomain = website ? getDomain(website) : null;
  const phoneE164 = record.phoneE164 ?? null;
  const parsed = phoneE164 ? parsePhone(phoneE164, 'US') : null;
  const phones: LeadPhone[] = parsed ? [toPhone(parsed)] : phoneE164 ? [{ e164: phoneE164, type: 'unknown', country: null }] : [];
  const email = record.email ? normalizeEmail(record.email) : null;
  const city = record.city?.trim() || null;
  const street = (record.address ?? record.street)?.trim() || null;
  const region = record.region?.trim() || null;
  const postalCode = (record.postalCode ?? record.zip)?.trim() || null;
  const country = record.country?.trim() || null;
  const address: LeadAddress | null = city || street || region || postalCode || country ? { street, city, region, postalCode, country } : null;
  const keyDomain = companyDomain ?? (website ? domainKeyOf(website) : null);
  const dedupKey = dedupKeyFor({ kind: 'company', email: null, profileUrl: null, fullName: null, companyName: name, keyDomain, phones, city });
  if (!dedupKey) return null;

  const signals: ConfidenceSignal[] = [];
  if (name && companyDomain) signals.push('company_identified');
  if (phones.length > 0) signals.push('valid_phone');
  if (email && companyDomain && email.endsWith(`@${companyDomain}`)) signals.push('own_domain_email');
  const score = scoreConfidence(signals);
  const category = record.category?.trim() || null;
  return {
    ...blankCandidate('company', source, seenAt),
    dedupKey,
    email,
    phones,
    companyName: name,
    companyDomain,
    website,
    businessType: businessTypeOfCategory(category),
    industry: category,
    address,
    confidence: score.confidence,
    confidenceReasons: score.confidenceReasons.map((reason) => ({ signal: reason.signal, weight: reason.weight })),
  };
}

/**
 * The lead candidates of one page: each person (with the page's company facts), the company itself
 * (its role mailbox and main phones), and each directory listing as a company.
 */
export function candidatesFromPage(page: IngestPage, taskId: string | null): PageCandidates {
  const source: LeadSource = { url: page.url, taskId, seenAt: page.fetchedAt.toISOString() };
  const out: PageCandidates = { candidates: [], unkeyed: 0 };
  if (page.findings) {
    const fromPage = fromFindings(page, page.findings, source);
    out.candidates.push(...fromPage.candidates);
    out.unkeyed += fromPage.unkeyed;
  }
  for (const record of page.records ?? []) {
    const candidate = fromRecord(record, source, page.fetchedAt);
    if (candidate) out.candidates.push(candidate);
    else out.unkeyed += 1;
  }
  return out;
}
