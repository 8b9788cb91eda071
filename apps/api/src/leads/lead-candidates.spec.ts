import { describe, expect, it } from 'vitest';
import { dedupKeyFor, domainKeyOf, normalizeName } from './dedup-key';
import { candidatesFromPage } from './findings-to-candidates';
import type { LeadCandidate, LeadSource } from './lead.types';
import { distinctPages, mergeInto, MAX_PHONES, MAX_SOURCES, unionPhones, unionSources, withMultiPageSignal } from './merge';
import { page, person, scored } from './testing/findings-fixtures';

const base = { kind: 'person' as const, email: null, profileUrl: null, fullName: null, companyName: null, keyDomain: null, phones: [], city: null };

describe('dedup keys', () => {
  it('normalizes names', () => {
    expect(normalizeName("  José  O'Neil-Smith ")).toBe('jose o neil smith');
    expect(normalizeName('JÜRGEN Müller')).toBe('jurgen muller');
  });

  it('uses the registrable domain, else the host with its port', () => {
    expect(domainKeyOf('https://www.team.acme.co.uk/x')).toBe('acme.co.uk');
    expect(domainKeyOf('http://127.0.0.1:4100/team')).toBe('127.0.0.1:4100');
    expect(domainKeyOf(null)).toBeNull();
  });

  it('person: email, else profile URL, else domain + name; none of those: no key', () => {
    expect(dedupKeyFor({ ...base, email: 'Jane@Acme.de', profileUrl: 'https://linkedin.com/in/jane', fullName: 'Jane', keyDomain: 'acme.de' })).toBe('e:jane@acme.de');
    expect(dedupKeyFor({ ...base, profileUrl: 'https://www.linkedin.com/in/Jane/', fullName: 'Jane', keyDomain: 'acme.de' })).toBe('p:linkedin.com/in/jane');
    expect(dedupKeyFor({ ...base, fullName: 'Dr Jane  Doe', keyDomain: 'Acme.de' })).toBe('n:acme.de|dr jane doe');
    expect(dedupKeyFor({ ...base, fullName: 'Jane Doe' })).toBeNull();
  });

  it('company: domain, else name + phone or city', () => {
    const company = { ...base, kind: 'company' as const, email: 'info@acme.de', companyName: 'Acme' };
    expect(dedupKeyFor({ ...company, keyDomain: 'acme.de' })).toBe('c:acme.de');
    expect(dedupKeyFor({ ...company, phones: [{ e164: '+4930123456', type: 'landline', country: 'DE' }], city: 'Berlin' })).toBe('b:acme|+4930123456');
    expect(dedupKeyFor({ ...company, city: 'Berlin' })).toBe('b:acme|berlin');
    expect(dedupKeyFor({ ...company, companyName: null })).toBeNull();
  });
});

describe('findings to candidates', () => {
  it('turns people and the company of a page into leads, with the page as source', () => {
    const jane = person({ email: 'jane@acme.de', jobTitle: 'CTO', jobLevel: 'c_suite', socials: { linkedin: 'https://linkedin.com/in/jane' } });
    const { candidates, unkeyed } = candidatesFromPage(
      page('https://acme.de/team', [jane], { emails: ['info@acme.de'], phones: [{ e164: '+4930123456', type: 'landline', country: 'DE', source: 'tel' }] }),
      'task-1',
    );
    expect(unkeyed).toBe(0);
    expect(candidates.map((candidate) => candidate.dedupKey)).toEqual(['e:jane@acme.de', 'c:acme.de']);
    const [personLead, companyLead] = candidates as [LeadCandidate, LeadCandidate];
    expect(personLead).toMatchObject({ kind: 'person', jobTitle: 'CTO', companyName: 'Acme GmbH', companyDomain: 'acme.de', businessType: 'software', website: 'https://acme.de/' });
    expect(personLead.sources).toEqual([{ url: 'https://acme.de/team', taskId: 'task-1', seenAt: '2030-01-01T00:00:00.000Z' }]);
    expect(companyLead).toMatchObject({ kind: 'company', email: 'info@acme.de', phones: [{ e164: '+4930123456', type: 'landline', country: 'DE' }] });
    expect(companyLead.phones[0]).not.toHaveProperty('source');
  });

  it('keys a site without a registrable domain by its host', () => {
    const { candidates } = candidatesFromPage(page('http://127.0.0.1:4100/team', [person()], { domain: null, website: null }), 't');
    expect(candidates.map((candidate) => candidate.dedupKey)).toEqual(['n:127.0.0.1:4100|jane doe', 'c:127.0.0.1:4100']);
    expect(candidates[1]!.website).toBe('http://127.0.0.1:4100/');
  });

  it('makes directory records company leads', () => {
    const { candidates, unkeyed } = candidatesFromPage(
      {
        url: 'https://directory.example.org/berlin?page=2',
        fetchedAt: new Date('2030-01-01T00:00:00Z'),
        records: [
          { name: 'Zahnarztpraxis Weiß', phone: '030 1234567', phoneE164: '+49301234567', website: 'https://www.weiss-dental.de/kontakt', category: 'Zahnarzt', city: 'Berlin' },
          { name: 'Pizza Roma', phone: null, phoneE164: null, website: null, category: 'Restaurant', city: 'Berlin' },
          { name: null, phone: '123', phoneE164: null, website: null, category: null, city: null },
        ],
      },
      't',
    );
    expect(unkeyed).toBe(1);
    expect(candidates[0]).toMatchObject({
      kind: 'company',
      dedupKey: 'c:weiss-dental.de',
      companyName: 'Zahnarztpraxis Weiß',
      companyDomain: 'weiss-dental.de',
      website: 'https://www.weiss-dental.de/',
      businessType: 'dental',
      industry: 'Zahnarzt',
      address: { city: 'Berlin', street: null, region: null, postalCode: null, country: null },
      phones: [{ e164: '+49301234567', country: 'DE' }],
    });
    expect(candidates[0]!.confidenceReasons.map((reason) => reason.signal)).toEqual(['base', 'company_identified', 'valid_phone']);
    expect(candidates[1]).toMatchObject({ dedupKey: 'b:pizza roma|berlin', businessType: 'restaurant' });
  });
});

describe('merge', () => {
  const source = (url: string, taskId: string, seenAt: string): LeadSource => ({ url, taskId, seenAt });

  it('unions phones by E.164, first seen first, bounded', () => {
    const phone = (n: number) => ({ e164: `+4930${1000000 + n}`, type: 'landline' as const, country: 'DE' });
    expect(unionPhones([phone(1)], [phone(1), phone(2)]).map((p) => p.e164)).toEqual([phone(1).e164, phone(2).e164]);
    expect(unionPhones([], Array.from({ length: 40 }, (_, i) => phone(i)))).toHaveLength(MAX_PHONES);
  });

  it('unions sources by (url, task), oldest first, bounded', () => {
    const merged = unionSources([source('b', 't1', '2030-01-02T00:00:00.000Z')], [source('a', 't1', '2030-01-01T00:00:00.000Z'), source('b', 't1', '2030-01-03T00:00:00.000Z'), source('b', 't2', '2030-01-03T00:00:00.000Z')]);
    expect(merged).toEqual([source('a', 't1', '2030-01-01T00:00:00.000Z'), source('b', 't1', '2030-01-02T00:00:00.000Z'), source('b', 't2', '2030-01-03T00:00:00.000Z')]);
    expect(distinctPages(merged)).toBe(2);
    const many = Array.from({ length: 150 }, (_, i) => source(`u${i}`, 't', new Date(Date.UTC(2030, 0, 1, 0, 0, i)).toISOString()));
    expect(unionSources([], many)).toHaveLength(MAX_SOURCES);
  });

  it('adds the multi-page signal once, clamped', () => {
    const high = scored([{ signal: 'structured_data', weight: 20 }, { signal: 'own_domain_email', weight: 15 }, { signal: 'name_title_pair', weight: 15 }, { signal: 'profile_link', weight: 10 }]);
    const once = withMultiPageSignal(high.confidenceReasons, 2);
    expect(once.confidence).toBe(100);
    expect(withMultiPageSignal(once.confidenceReasons, 3).confidenceReasons.filter((r) => r.signal === 'seen_on_multiple_pages')).toHaveLength(1);
    expect(withMultiPageSignal(once.confidenceReasons, 1).confidence).toBe(90);
  });

  it('fills blanks, keeps the higher confidence with its reasons', () => {
    const [first] = candidatesFromPage(page('https://acme.de/a', [person({ email: 'jane@acme.de', jobTitle: null })], { name: null }), 't1').candidates;
    const [second] = candidatesFromPage(
      page('https://acme.de/b', [person({ email: 'jane@acme.de', fullName: 'Jane Q. Doe', jobTitle: 'CTO', jobLevel: 'c_suite', ...scored([{ signal: 'name_title_pair', weight: 15 }]) })], { name: null }, new Date('2030-01-02T00:00:00Z')),
      't1',
    ).candidates;
    const merged = mergeInto(first!, second!);
    expect(merged.fullName).toBe('Jane Doe');
    expect(merged.jobTitle).toBe('CTO');
    expect(merged.jobLevel).toBe('c_suite');
    expect(merged.confidenceReasons.map((r) => r.signal)).toEqual(['base', 'name_title_pair', 'seen_on_multiple_pages']);
    expect(merged.confidence).toBe(55);
    expect(merged.lastSeenAt.toISOString()).toBe('2030-01-02T00:00:00.000Z');
    expect(merged.firstSeenAt.toISOString()).toBe('2030-01-01T00:00:00.000Z');
  });
});
