import { describe, expect, it } from 'vitest';
import { extract } from './extract';
import { extractDirectory } from './directory';
import { classifySocialLink } from './socials';
import { scoreConfidence, CONFIDENCE_WEIGHTS } from './confidence';
import { splitName } from './names';
import { inferCountry } from './country';

describe('extract', () => {
  const html = `<!doctype html><html lang="de"><head><title>Team | Acme GmbH</title>
    <script type="application/ld+json">{"@context":"https://schema.org","@graph":[{"@type":"Organization","name":"Acme GmbH",
      "address":{"@type":"PostalAddress","addressLocality":"Berlin","addressCountry":"DE"},"employee":[{"@type":"Person","name":"Eva Roth","jobTitle":"CTO","email":"eva.roth@acme.de"}]}]}</script></head>
    <body><main><div class="card"><h3>Jan Weber</h3><p>Head of Sales</p><a href="mailto:jan.weber@acme.de">Mail</a><a href="https://www.linkedin.com/in/janweber/">in</a></div>
    <p>Geschäftsführer: Eva Roth und Max Kühn</p><p>Kontakt: info@acme.de, Tel. 030 2345 6789</p><p>jan@gmail.com</p></main>
    <footer><a href="https://www.linkedin.com/company/acme-gmbh">LinkedIn</a><a href="https://twitter.com/intent/tweet?u=x">Tweet</a></footer></body></html>`;
  const f = extract('https://www.acme.de/team', html);

  it('reads structured data, cards and legal-notice lines as people', () => {
    const names = f.people.map((p) => `${p.fullName}|${p.jobTitle}`).sort();
    expect(names).toEqual(['Eva Roth|CTO', 'Jan Weber|Head of Sales', 'Max Kühn|Geschäftsführer']);
    const jan = f.people.find((p) => p.fullName === 'Jan Weber');
    expect(jan).toMatchObject({ firstName: 'Jan', lastName: 'Weber', jobLevel: 'head', department: 'sales', email: 'jan.weber@acme.de', profileUrl: 'https://www.linkedin.com/in/janweber' });
  });
  it('keeps role mailboxes on the company and scores free mail lower', () => {
    expect(f.company.emails).toContain('info@acme.de');
    expect(f.people.some((p) => p.email === 'info@acme.de')).toBe(false);
    expect(f.emails.find((e) => e.email === 'jan@gmail.com')).toMatchObject({ freeMail: true, ownDomain: false });
  });
  it('infers the country and formats phones as E.164', () => {
    expect(f.country).toBe('DE');
    expect(f.phones.map((p) => p.e164)).toEqual(['+493023456789']);
  });
  it('keeps company socials without share links', () => {
    expect(f.company.socials).toEqual({ linkedin: 'https://www.linkedin.com/company/acme-gmbh' });
    expect(f.company.domain).toBe('acme.de');
  });
  it('explains confidence with signals that sum to the score', () => {
    for (const p of f.people) {
      const sum = p.confidenceReasons.reduce((n, r) => n + r.weight, 0);
      expect(p.confidence).toBe(Math.max(0, Math.min(100, sum)));
    }
  });
});

describe('extractDirectory', () => {
  const html = `<ul><li class="r"><h2>Rose Bakery</h2><a class="t" href="tel:+15035550101">(503) 555-0101</a><a class="w" href="/go/rose">site</a><span class="c">Bakery</span></li>
    <li class="r"><h2>Pearl Florist</h2><span class="c">Florist</span></li></ul><a class="next" href="?page=2">Next</a>`;
  it('returns one record per item and the absolute next URL', () => {
    const r = extractDirectory('https://dir.example.org/list?page=1', html, { item: 'li.r', fields: { name: 'h2', phone: 'a.t@href', website: 'a.w@href', category: '.c' }, next: 'a.next' });
    expect(r.records).toEqual([
      { name: 'Rose Bakery', phone: '+15035550101', website: 'https://dir.example.org/go/rose', category: 'Bakery', phoneE164: '+15035550101' },
      { name: 'Pearl Florist', phone: null, website: null, category: 'Florist' },
    ]);
    expect(r.next).toBe('https://dir.example.org/list?page=2');
  });
});

describe('socials', () => {
  it.each([
    ['https://twitter.com/intent/tweet?text=x', null],
    ['https://www.facebook.com/sharer/sharer.php?u=x', null],
    ['https://www.linkedin.com/shareArticle?mini=true', null],
    ['https://www.linkedin.com/legal/privacy-policy', null],
    ['https://github.com/features/actions', null],
    ['https://github.com/acme/repo', null],
    ['https://uk.linkedin.com/company/Acme-Ltd/jobs', 'https://www.linkedin.com/company/acme-ltd'],
    ['https://twitter.com/AcmeHQ', 'https://x.com/acmehq'],
    ['https://www.tiktok.com/@acme', 'https://www.tiktok.com/@acme'],
    ['https://www.youtube.com/channel/UCabcDEF', 'https://www.youtube.com/channel/UCabcDEF'],
  ])('%s', (href, want) => {
    expect(classifySocialLink(href)?.url ?? null).toBe(want);
  });
});

describe('helpers', () => {
  it('splits names with honorifics and particles', () => {
    expect(splitName('Dr. Anna van der Berg')).toEqual({ fullName: 'Anna van der Berg', firstName: 'Anna', lastName: 'van der Berg' });
    expect(splitName('Jean-Pierre Dubois')).toMatchObject({ firstName: 'Jean-Pierre', lastName: 'Dubois' });
  });
  it('scores confidence from weights', () => {
    const c = scoreConfidence(['structured_data', 'free_mail_domain']);
    expect(c.confidence).toBe(30 + CONFIDENCE_WEIGHTS.structured_data + CONFIDENCE_WEIGHTS.free_mail_domain);
  });
  it('infers country from ccTLD, html lang and Impressum', () => {
    expect(inferCountry({ url: 'https://shop.acme.co.uk/', lang: 'en' }).country).toBe('GB');
    expect(inferCountry({ url: 'https://acme.com/', lang: 'fr-CA' }).country).toBe('CA');
    expect(inferCountry({ url: 'https://acme.io/', lang: null, text: 'Impressum\nAcme' }).country).toBe('DE');
    expect(inferCountry({ url: 'https://acme.com/', lang: 'en' }, 'au').country).toBe('AU');
  });
});
