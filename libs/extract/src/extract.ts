import { load, type CheerioAPI } from 'cheerio';
import type { Element } from 'domhandler';
import type { CountryCode } from 'libphonenumber-js/max';
import type { SocialPlatform, Socials } from '@leadforge/contracts';
import { scanPage } from './dom';
import { inferCountry } from './country';
import { emailDomain, extractEmails, isFreeMail, isRoleMailbox, normalizeEmail, type RawEmail } from './emails';
import { internationalCountries, mergePhones, parsePhone, phonesFromText, type PhoneFinding } from './phones';
import { extractStructuredData } from './structured-data';
import { findPeople, type PersonSighting } from './people';
import { emailMatchesName, normalizeName, splitName } from './names';
import { classifySocialLink } from './socials';
import { classifyDepartment, classifyJobLevel } from './classify/job';
import { classifyEducationDetail } from './classify/education';
import { classifyBusinessType } from './classify/business';
import { scoreConfidence, type ConfidenceSignal } from './confidence';
import { companyNameFromPage, companySocials, registrableDomain, websiteOf } from './company';
import { findJobs } from './jobs';
import { classifyPage } from './page-kind';
import type { CompanyFinding, EmailFinding, ExtractContext, Findings, PersonFinding } from './types';

/** Extracts contacts, people, company facts and job postings from one HTML page. */
export function extract(url: string, html: string, context: ExtractContext = {}): Findings {
  return extractFromDocument(url, load(html), context);
}

/** Same as {@link extract} for a document the caller has already parsed (e.g. Crawlee's `$`). */
export function extractFromDocument(url: string, $: CheerioAPI, context: ExtractContext = {}): Findings {
  const scan = scanPage($);
  const sd = extractStructuredData($, scan.jsonLd, scan.itemScopes, scan.hCards);
  const pageKind = classifyPage(url, scan.title);
  const domain = context.companyDomain?.toLowerCase() ?? registrableDomain(url);

  const addressCountry = sd.organizations.find((o) => o.address?.country)?.address?.country ?? null;
  const guess = inferCountry(
    { url, lang: scan.lang, addressCountry, internationalCountries: () => internationalCountries(scan.text), text: scan.text },
    context.country,
  );
  const country: CountryCode = guess.country;

  // Emails
  const raw: RawEmail[] = extractEmails(scan);
  const structuredEmails = [...sd.organizations.flatMap((o) => o.emails), ...sd.people.flatMap((p) => p.emails)];
  for (const e of structuredEmails) {
    const n = normalizeEmail(e);
    if (n && !raw.some((r) => r.email === n)) raw.push({ email: n, source: 'structured' });
  }
  const emails: EmailFinding[] = raw.map((r) => ({
    email: r.email,
    source: r.source,
    role: isRoleMailbox(r.email),
    freeMail: isFreeMail(r.email),
    ownDomain: domain !== null && emailDomain(r.email) === domain,
  }));

  // Phones
  const phoneList: PhoneFinding[] = [];
  for (const o of sd.organizations) {
    for (const t of o.telephones) {
      const p = parsePhone(t, country, 'structured');
      if (p) phoneList.push(p);
    }
    for (const t of o.faxes) {
      const p = parsePhone(t, country, 'structured', true);
      if (p) phoneList.push(p);
    }
  }
  for (const link of scan.links) {
    if (/^\s*(tel|callto):/i.test(link.href)) {
      const p = parsePhone(link.href, country, 'tel');
      if (p) phoneList.push(p);
    }
  }
  phoneList.push(...phonesFromText(scan.text, country));
  for (const p of sd.people) for (const t of p.telephones) {
    const f = parsePhone(t, country, 'structured');
    if (f) phoneList.push(f);
  }
  const phones = mergePhones(phoneList);

  // People
  const sightings = findPeople($, scan.text, sd.people, country);
  const people = mergePeople(sightings, emails, domain, pageKind, scan.text);
  const personCards = new Set<Element>(sightings.map((s) => s.card).filter((c): c is Element => c !== null));

  // Company
  const org = sd.organizations.find((o) => o.name) ?? sd.organizations[0] ?? null;
  const personEmails = new Set(people.map((p) => p.email).filter(Boolean));
  const personPhones = new Set(sightings.filter((s) => s.source === 'card').flatMap((s) => s.phones.map((p) => p.e164)));
  const companyEmails = emails.filter((e) => !personEmails.has(e.email) && (e.role || !people.some((p) => emailMatchesName(e.email, p.fullName)))).map((e) => e.email);
  const companyPhones = phones.filter((p) => !personPhones.has(p.e164));
  const socials = companySocials(scan.links, sd.organizations.flatMap((o) => o.sameAs), personCards, domain);
  const headline = [scan.title, scan.metaDescription, scan.h1].join(' ');
  const businessType = classifyBusinessType({
    types: sd.types,
    keywords: sd.organizations.map((o) => [o.keywords, o.description].filter(Boolean).join(' ')).join(' ') || null,
    headline,
    text: scan.text,
  });
  const companyName = org?.name ?? companyNameFromPage(scan.title, scan.siteName, domain);
  const companySignals: ConfidenceSignal[] = [];
  if (org) companySignals.push('structured_data');
  if (companyName && domain) companySignals.push('company_identified');
  if (companyEmails.some((e) => domain && emailDomain(e) === domain)) companySignals.push('own_domain_email');
  if (companyEmails.some(isRoleMailbox)) companySignals.push('generic_role_mailbox');
  if (companyEmails.length > 0 && companyEmails.every(isFreeMail)) companySignals.push('free_mail_domain');
  if (companyPhones.length > 0) companySignals.push('valid_phone');
  // For a company a role mailbox is the expected contact, so it does not count against it.
  const companyScore = scoreConfidence(companySignals.filter((s) => s !== 'generic_role_mailbox'));
  const company: CompanyFinding = {
    name: companyName,
    domain,
    website: websiteOf(url),
    address: org?.address ?? null,
    emails: companyEmails,
    phones: companyPhones,
    socials,
    businessType,
    openingHours: sd.organizations.flatMap((o) => o.openingHours),
    ...companyScore,
  };

  return {
    url,
    pageKind,
    country,
    countrySignal: guess.signal,
    language: scan.lang,
    emails,
    phones,
    people,
    company,
    jobs: findJobs($, url, sd.jobs, pageKind === 'careers'),
    structuredTypes: sd.types,
  };
}

const SOURCE_RANK = { structured: 3, card: 2, legal_notice: 1 } as const;

/**
 * Lines of the page that speak about a person outside their card ("Erik Johansson has an M.Sc. ...",
 * "Pieter holds a BSc ..."): the full name, or the first name when no other person on the page shares it.
 */
function mentionsOf(fullName: string, uniqueFirstName: string | null, text: string): string {
  const out: string[] = [];
  const needles = [fullName];
  if (uniqueFirstName && uniqueFirstName.length >= 3) needles.push(uniqueFirstName);
  for (const needle of needles) {
    let at = text.indexOf(needle);
    for (let n = 0; at >= 0 && n < 5; n++) {
      const after = text.charCodeAt(at + needle.length);
      // Whole words only: "Anna" must not match "Annabel".
      if (!(after >= 97 && after <= 122)) {
        const start = text.lastIndexOf('\n', at) + 1;
        const end = text.indexOf('\n', at);
        out.push(text.slice(start, end < 0 ? undefined : Math.min(end, at + 400)));
      }
      at = text.indexOf(needle, at + needle.length);
    }
  }
  return out.join(' \n ');
}

function mergePeople(sightings: PersonSighting[], emails: EmailFinding[], domain: string | null, pageKind: Findings['pageKind'], pageText = ''): PersonFinding[] {
  const firstNames = new Map<string, number>();
  for (const s of new Set(sightings.map((x) => normalizeName(x.name)))) {
    const first = s.split(' ')[0];
    if (first) firstNames.set(first, (firstNames.get(first) ?? 0) + 1);
  }
  const groups = new Map<string, PersonSighting[]>();
  for (const s of sightings) {
    const key = normalizeName(s.name);
    if (!key) continue;
    const list = groups.get(key) ?? [];
    list.push(s);
    groups.set(key, list);
  }
  const out: PersonFinding[] = [];
  for (const list of groups.values()) {
    list.sort((a, b) => SOURCE_RANK[b.source] - SOURCE_RANK[a.source]);
    const best = list[0];
    const { fullName, firstName, lastName } = splitName(best.name);
    const title = list.find((s) => s.title)?.title ?? null;
    const ownEmails = list.flatMap((s) => s.emails).filter((e) => !isRoleMailbox(e));
    const email =
      ownEmails.find((e) => emailMatchesName(e, fullName)) ??
      ownEmails[0] ??
      emails.find((e) => !e.role && emailMatchesName(e.email, fullName))?.email ??
      null;
    const phones = mergePhones(list.flatMap((s) => s.phones));
    const socials: Socials = {};
    for (const url of list.flatMap((s) => s.profiles)) {
      const s = classifySocialLink(url);
      if (s && !socials[s.platform as SocialPlatform]) socials[s.platform as SocialPlatform] = s.url;
    }
    let education = classifyEducationDetail([best.name, title ?? '', ...list.map((s) => s.bio)].join(' \n '));
    if (education.educationLevel === 'unknown' && pageText) {
      const first = firstName && firstNames.get(normalizeName(firstName)) === 1 ? firstName : null;
      education = classifyEducationDetail(mentionsOf(fullName, first, pageText));
    }
    const signals: ConfidenceSignal[] = [];
    if (list.some((s) => s.source === 'structured')) signals.push('structured_data');
    if (list.some((s) => s.source === 'legal_notice')) signals.push('legal_notice');
    if (title) signals.push('name_title_pair');
    if (email) {
      const d = emailDomain(email);
      if (isFreeMail(email)) signals.push('free_mail_domain');
      else if (domain && d === domain) signals.push('own_domain_email');
      else signals.push('foreign_domain_email');
      if (emailMatchesName(email, fullName)) signals.push('email_matches_name');
    }
    if (phones.length) signals.push('valid_phone');
    if (socials.linkedin) signals.push('profile_link');
    if (pageKind === 'team') signals.push('team_page');
    if (!email && phones.length === 0 && !socials.linkedin) signals.push('no_direct_contact');
    out.push({
      fullName,
      firstName,
      lastName,
      jobTitle: title,
      jobLevel: classifyJobLevel(title),
      department: classifyDepartment(title),
      email,
      phones,
      socials,
      profileUrl: socials.linkedin ?? null,
      educationLevel: education.educationLevel,
      degreeType: education.degreeType,
      sources: [...new Set(list.map((s) => s.source))],
      ...scoreConfidence(signals),
    });
  }
  return out;
}
