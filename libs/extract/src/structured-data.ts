import type { CheerioAPI } from 'cheerio';
import type { AnyNode, Element } from 'domhandler';
import { collapse, textOf } from './dom';

export type JsonObject = { [key: string]: unknown };

export interface PostalAddress {
  street: string | null;
  city: string | null;
  region: string | null;
  postalCode: string | null;
  country: string | null;
}

export interface StructuredOrganization {
  types: string[];
  name: string | null;
  url: string | null;
  telephones: string[];
  faxes: string[];
  emails: string[];
  address: PostalAddress | null;
  sameAs: string[];
  openingHours: string[];
  description: string | null;
  keywords: string | null;
}

export interface StructuredPerson {
  name: string | null;
  givenName: string | null;
  familyName: string | null;
  jobTitle: string | null;
  emails: string[];
  telephones: string[];
  sameAs: string[];
  url: string | null;
  description: string | null;
  credentials: string[];
  worksFor: string | null;
}

export interface StructuredJob {
  title: string;
  datePosted: string | null;
  validThrough: string | null;
  employmentType: string | null;
  location: string | null;
  hiringOrganization: string | null;
  url: string | null;
  description: string | null;
}

export interface StructuredData {
  types: string[];
  organizations: StructuredOrganization[];
  people: StructuredPerson[];
  jobs: StructuredJob[];
}

const NOT_ORG = new Set([
  'Person', 'JobPosting', 'WebSite', 'WebPage', 'AboutPage', 'ContactPage', 'CollectionPage', 'ProfilePage', 'BreadcrumbList',
  'ListItem', 'Article', 'NewsArticle', 'BlogPosting', 'PostalAddress', 'ContactPoint', 'ImageObject', 'Offer', 'Product',
  'GeoCoordinates', 'OpeningHoursSpecification', 'SearchAction', 'EntryPoint', 'Event', 'FAQPage', 'Question', 'Answer',
  'Review', 'Rating', 'AggregateRating', 'VideoObject', 'ItemList', 'CreativeWork', 'SiteNavigationElement', 'Thing',
  'MonetaryAmount', 'QuantitativeValue', 'Country', 'City', 'AdministrativeArea', 'DefinedTerm', 'Place',
  'EducationalOccupationalCredential', 'Occupation', 'PropertyValue', 'Blog', 'WPHeader', 'WPFooter', 'ReadAction',
]);
const ORG_SUFFIX_RE = /(Business|Organization|Organisation|Store|Service|Restaurant|Hotel|Clinic|Agency|Office|Corporation|Contractor|School|College|University|Shop|Center|Centre)$/;
const ORG_TYPES = new Set([
  'Organization', 'Corporation', 'LocalBusiness', 'Dentist', 'Physician', 'Attorney', 'Notary', 'Bakery', 'BarOrPub',
  'CafeOrCoffeeShop', 'Electrician', 'Plumber', 'Locksmith', 'HairSalon', 'DaySpa', 'BeautySalon', 'ExerciseGym', 'Hospital',
  'Pharmacy', 'Library', 'Museum', 'NGO', 'Winery', 'Brewery', 'Florist', 'Motel', 'Hostel', 'Resort', 'BedAndBreakfast',
  'Campground', 'Optician', 'RoofingContractor', 'GeneralContractor', 'HVACBusiness', 'MovingCompany', 'AutoRepair',
  'AutoDealer', 'Accountant', 'LegalService', 'AccountingService', 'RealEstateAgent', 'TravelAgency', 'Airline',
  'InsuranceAgency', 'BankOrCreditUnion', 'FinancialService', 'OnlineStore', 'OnlineBusiness', 'NewsMediaOrganization',
  'EducationalOrganization', 'GovernmentOrganization', 'MedicalOrganization', 'SportsOrganization', 'Consortium',
]);

export function isOrgType(t: string): boolean {
  return ORG_TYPES.has(t) || (!NOT_ORG.has(t) && ORG_SUFFIX_RE.test(t));
}

function typesOf(node: JsonObject): string[] {
  const t = node['@type'];
  const list = Array.isArray(t) ? t : t === undefined ? [] : [t];
  return list.filter((x): x is string => typeof x === 'string').map((x) => x.replace(/^https?:\/\/schema\.org\//, ''));
}

function str(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return collapse(v) || null;
  if (typeof v === 'number') return String(v);
  if (Array.isArray(v)) {
    for (const item of v) {
      const s = str(item);
      if (s) return s;
    }
    return null;
  }
  if (typeof v === 'object') {
    const o = v as JsonObject;
    return str(o['@value'] ?? o.name ?? o.url ?? null);
  }
  return null;
}

function strs(v: unknown): string[] {
  if (v === null || v === undefined) return [];
  if (Array.isArray(v)) return v.flatMap(strs);
  const s = str(v);
  return s ? [s] : [];
}

function address(v: unknown): PostalAddress | null {
  const a = Array.isArray(v) ? v[0] : v;
  if (typeof a === 'string') return { street: collapse(a), city: null, region: null, postalCode: null, country: null };
  if (!a || typeof a !== 'object') return null;
  const o = a as JsonObject;
  const out: PostalAddress = {
    street: str(o.streetAddress),
    city: str(o.addressLocality),
    region: str(o.addressRegion),
    postalCode: str(o.postalCode),
    country: str(o.addressCountry),
  };
  return Object.values(out).some(Boolean) ? out : null;
}

/** Every object with an @type, however deeply nested (arrays, @graph, properties). */
function collectNodes(value: unknown, out: JsonObject[], depth = 0): void {
  if (depth > 12 || value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    for (const v of value) collectNodes(v, out, depth + 1);
    return;
  }
  const o = value as JsonObject;
  if (o['@type'] !== undefined) out.push(o);
  for (const [k, v] of Object.entries(o)) if (k !== '@context') collectNodes(v, out, depth + 1);
}

export function parseJsonLd(source: string): unknown[] {
  const cleaned = source
    .replace(/^\s*<!--|-->\s*$/g, '')
    .replace(/^\s*\/\/\s*<!\[CDATA\[|\/\/\s*\]\]>\s*$/g, '')
    .trim();
  if (!cleaned) return [];
  try {
    return [JSON.parse(cleaned)];
  } catch {
    try {
      // Trailing commas and raw newlines inside strings are the usual hand-written mistakes.
      return [JSON.parse(cleaned.replace(/,\s*([}\]])/g, '$1').replace(/[\n\r\t]+/g, ' '))];
    } catch {
      return [];
    }
  }
}

function itemValue(el: Element): string {
  const a = el.attribs;
  if (a.content !== undefined) return a.content;
  if (el.name === 'a' || el.name === 'link' || el.name === 'area') return a.href ?? '';
  if (el.name === 'img' || el.name === 'source' || el.name === 'audio' || el.name === 'video') return a.src ?? '';
  if (el.name === 'time' && a.datetime) return a.datetime;
  if ((el.name === 'meta' || el.name === 'data' || el.name === 'meter') && a.value) return a.value;
  return collapse(textOf(el));
}

function addProp(obj: JsonObject, name: string, value: unknown): void {
  const prev = obj[name];
  if (prev === undefined) obj[name] = value;
  else if (Array.isArray(prev)) prev.push(value);
  else obj[name] = [prev, value];
}

function microdataItem(el: Element): JsonObject {
  const type = el.attribs.itemtype ?? '';
  const obj: JsonObject = { '@type': type.split(/\s+/).filter(Boolean).map((t) => t.replace(/^https?:\/\/schema\.org\//, '')) };
  const visit = (nodes: AnyNode[]): void => {
    for (const n of nodes) {
      if (n.type !== 'tag' && n.type !== 'script' && n.type !== 'style') continue;
      if (n.type !== 'tag') continue;
      const prop = n.attribs.itemprop;
      const scoped = n.attribs.itemscope !== undefined;
      if (prop) {
        const value = scoped ? microdataItem(n) : itemValue(n);
        for (const p of prop.split(/\s+/)) addProp(obj, p, value);
      }
      if (!scoped) visit(n.children);
    }
  };
  visit(el.children);
  return obj;
}

function hcard($: CheerioAPI, el: Element): JsonObject {
  const card = $(el);
  const pick = (sel: string): string | null => {
    const found = card.find(sel).first();
    if (!found.length) return null;
    const node = found.get(0) as Element;
    if (node.name === 'a' && /^(mailto|tel):/i.test(node.attribs.href ?? '')) return node.attribs.href.replace(/^(mailto|tel):/i, '');
    if (node.name === 'abbr' && node.attribs.title) return node.attribs.title;
    return collapse(found.text()) || null;
  };
  const name = pick('.fn, .p-name');
  const org = pick('.org, .p-org');
  const urlEl = card.find('a.url, .u-url').first();
  const adr = card.find('.adr, .h-adr').first();
  const address = adr.length
    ? {
        streetAddress: collapse(adr.find('.street-address, .p-street-address').text()) || undefined,
        addressLocality: collapse(adr.find('.locality, .p-locality').text()) || undefined,
        addressRegion: collapse(adr.find('.region, .p-region').text()) || undefined,
        postalCode: collapse(adr.find('.postal-code, .p-postal-code').text()) || undefined,
        addressCountry: collapse(adr.find('.country-name, .p-country-name').text()) || undefined,
      }
    : undefined;
  const isOrg = !name || (org !== null && org === name);
  return {
    '@type': isOrg ? 'Organization' : 'Person',
    name: isOrg ? (org ?? name) : name,
    jobTitle: pick('.title, .p-job-title, .role, .p-role') ?? undefined,
    email: pick('.email, .u-email') ?? undefined,
    telephone: card.find('.tel, .p-tel').toArray().map((t) => {
      const e = t as Element;
      return e.attribs.href?.startsWith('tel:') ? e.attribs.href.slice(4) : collapse($(e).text());
    }),
    url: urlEl.attr('href') ?? undefined,
    worksFor: isOrg ? undefined : (org ?? undefined),
    description: pick('.note, .p-note') ?? undefined,
    address,
  };
}

export function extractStructuredData($: CheerioAPI, jsonLd: string[], itemScopes: Element[], hCards: Element[]): StructuredData {
  const nodes: JsonObject[] = [];
  for (const block of jsonLd) for (const doc of parseJsonLd(block)) collectNodes(doc, nodes);
  for (const el of itemScopes) collectNodes(microdataItem(el), nodes);
  for (const el of hCards) nodes.push(hcard($, el));

  const data: StructuredData = { types: [], organizations: [], people: [], jobs: [] };
  const typeSet = new Set<string>();
  for (const node of nodes) {
    const types = typesOf(node);
    types.forEach((t) => typeSet.add(t));
    if (types.includes('Person')) {
      data.people.push({
        name: str(node.name),
        givenName: str(node.givenName),
        familyName: str(node.familyName),
        jobTitle: str(node.jobTitle) ?? str(node.hasOccupation),
        emails: strs(node.email),
        telephones: strs(node.telephone),
        sameAs: strs(node.sameAs),
        url: str(node.url),
        description: str(node.description),
        credentials: [...strs(node.hasCredential), ...strs(node.honorificSuffix), ...strs(node.alumniOf)],
        worksFor: str(node.worksFor),
      });
    } else if (types.includes('JobPosting')) {
      const title = str(node.title) ?? str(node.name);
      if (!title) continue;
      const loc = Array.isArray(node.jobLocation) ? node.jobLocation[0] : node.jobLocation;
      const locAddr = loc && typeof loc === 'object' ? address((loc as JsonObject).address) : null;
      data.jobs.push({
        title,
        datePosted: str(node.datePosted),
        validThrough: str(node.validThrough),
        employmentType: str(node.employmentType),
        location: locAddr?.city ?? str(loc) ?? (str(node.jobLocationType) === 'TELECOMMUTE' ? 'Remote' : null),
        hiringOrganization: str(node.hiringOrganization),
        url: str(node.url),
        description: str(node.description),
      });
    } else if (types.some(isOrgType)) {
      const contactPoints = Array.isArray(node.contactPoint) ? node.contactPoint : node.contactPoint ? [node.contactPoint] : [];
      const cps = contactPoints.filter((c): c is JsonObject => !!c && typeof c === 'object');
      data.organizations.push({
        types,
        name: str(node.name) ?? str(node.legalName),
        url: str(node.url),
        telephones: [...strs(node.telephone), ...cps.flatMap((c) => strs(c.telephone))],
        faxes: strs(node.faxNumber),
        emails: [...strs(node.email), ...cps.flatMap((c) => strs(c.email))],
        address: address(node.address) ?? (node.location && typeof node.location === 'object' ? address((node.location as JsonObject).address) : null),
        sameAs: strs(node.sameAs),
        openingHours: strs(node.openingHours),
        description: str(node.description),
        keywords: str(node.keywords),
      });
    }
  }
  data.types = [...typeSet];
  return data;
}
