import type { LeadAddress, LeadCandidate, LeadConfidenceReason, LeadPhone, LeadSource } from './lead.types';

/**
 * How two sightings of one lead combine. The same rules run twice: here, in memory, for sightings
 * inside one ingest batch (ON CONFLICT cannot touch a row twice in one statement), and in the
 * upsert's ON CONFLICT clause (lead-upsert.sql.ts) against the stored row. Keep them in step.
 *
 * - Scalars fill blanks only: the first non-empty value stays (a stored value, a user's correction,
 *   is never overwritten). `unknown` job/education levels and the `other` business type and
 *   department count as blank.
 * - phones: union by E.164, first seen first, at most MAX_PHONES.
 * - socials: per platform, fill blanks. address: per field, fill blanks.
 * - sources: union by (url, taskId), oldest first, at most MAX_SOURCES.
 * - confidence: the sighting with the higher score (sum of its reason weights, leaving out
 *   `seen_on_multiple_pages`) keeps its score and reasons; ties keep the earlier one. Once the
 *   sources name two or more distinct pages, `seen_on_multiple_pages` (+10) is added once; the
 *   result is clamped to 0..100.
 */

export const MAX_SOURCES = 100;
export const MAX_PHONES = 25;
export const MULTI_PAGE_SIGNAL = 'seen_on_multiple_pages';
export const MULTI_PAGE_WEIGHT = 10;

const BLANK_LEVELS = new Set(['unknown']);
const BLANK_BUSINESS_TYPES = new Set(['other']);
const BLANK_DEPARTMENTS = new Set(['other']);

export function unionPhones(a: LeadPhone[], b: LeadPhone[]): LeadPhone[] {
  if (b.length === 0) return a;
  const seen = new Set(a.map((phone) => phone.e164));
  const out = [...a];
  for (const phone of b) {
    if (out.length >= MAX_PHONES) break;
    if (!seen.has(phone.e164)) {
      seen.add(phone.e164);
      out.push(phone);
    }
  }
  return out;
}

export function unionSources(a: LeadSource[], b: LeadSource[]): LeadSource[] {
  const byKey = new Map<string, LeadSource>();
  for (const source of [...a, ...b]) {
    const key = `${source.taskId ?? ''} ${source.url}`;
    const known = byKey.get(key);
    if (!known || source.seenAt < known.seenAt) byKey.set(key, source);
  }
  return [...byKey.values()]
    .sort((x, y) => (x.seenAt < y.seenAt ? -1 : x.seenAt > y.seenAt ? 1 : x.url < y.url ? -1 : x.url > y.url ? 1 : 0))
    .slice(0, MAX_SOURCES);
}

export function distinctPages(sources: LeadSource[]): number {
  return new Set(sources.map((source) => source.url)).size;
}

/** Score of a reason list without the multi-page signal (the part a sighting brings itself). */
export function ownScore(reasons: LeadConfidenceReason[]): number {
  let score = 0;
  for (const reason of reasons) if (reason.signal !== MULTI_PAGE_SIGNAL) score += reason.weight;
  return score;
}

export function withMultiPageSignal(reasons: LeadConfidenceReason[], pages: number): { confidence: number; confidenceReasons: LeadConfidenceReason[] } {
  const own = reasons.filter((reason) => reason.signal !== MULTI_PAGE_SIGNAL);
  let score = ownScore(own);
  if (pages >= 2) {
    own.push({ signal: MULTI_PAGE_SIGNAL, weight: MULTI_PAGE_WEIGHT });
    score += MULTI_PAGE_WEIGHT;
  }
  return { confidence: Math.max(0, Math.min(100, score)), confidenceReasons: own };
}

function fill<T>(current: T | null, incoming: T | null, blank?: Set<string>): T | null {
  if (current === null || current === undefined || (blank && blank.has(current as unknown as string))) return incoming ?? current;
  return current;
}

function fillAddress(current: LeadAddress | null, incoming: LeadAddress | null): LeadAddress | null {
  if (!incoming) return current;
  if (!current) return incoming;
  return {
    street: current.street ?? incoming.street,
    city: current.city ?? incoming.city,
    region: current.region ?? incoming.region,
    postalCode: current.postalCode ?? incoming.postalCode,
    country: current.country ?? incoming.country,
  };
}

/** Folds `incoming` into `into` (same dedup key) and returns `into`. */
export function mergeInto(into: LeadCandidate, incoming: LeadCandidate): LeadCandidate {
  into.fullName = fill(into.fullName, incoming.fullName);
  into.firstName = fill(into.firstName, incoming.firstName);
  into.lastName = fill(into.lastName, incoming.lastName);
  into.jobTitle = fill(into.jobTitle, incoming.jobTitle);
  into.jobLevel = fill(into.jobLevel, incoming.jobLevel, BLANK_LEVELS);
  into.department = fill(into.department, incoming.department, BLANK_DEPARTMENTS);
  into.email = fill(into.email, incoming.email);
  into.phones = unionPhones(into.phones, incoming.phones);
  into.companyName = fill(into.companyName, incoming.companyName);
  into.companyDomain = fill(into.companyDomain, incoming.companyDomain);
  into.website = fill(into.website, incoming.website);
  into.businessType = fill(into.businessType, incoming.businessType, BLANK_BUSINESS_TYPES);
  into.industry = fill(into.industry, incoming.industry);
  into.address = fillAddress(into.address, incoming.address);
  into.socials = { ...incoming.socials, ...into.socials };
  into.profileUrl = fill(into.profileUrl, incoming.profileUrl);
  into.educationLevel = fill(into.educationLevel, incoming.educationLevel, BLANK_LEVELS);
  into.degreeType = fill(into.degreeType, incoming.degreeType);
  into.tags = incoming.tags.length === 0 ? into.tags : [...new Set([...into.tags, ...incoming.tags])];
  into.sources = unionSources(into.sources, incoming.sources);
  const reasons = ownScore(incoming.confidenceReasons) > ownScore(into.confidenceReasons) ? incoming.confidenceReasons : into.confidenceReasons;
  const scored = withMultiPageSignal(reasons, distinctPages(into.sources));
  into.confidence = scored.confidence;
  into.confidenceReasons = scored.confidenceReasons;
  if (incoming.firstSeenAt < into.firstSeenAt) into.firstSeenAt = incoming.firstSeenAt;
  if (incoming.lastSeenAt > into.lastSeenAt) into.lastSeenAt = incoming.lastSeenAt;
  return into;
}
