import { load } from 'cheerio';
import { describe, expect, it } from 'vitest';
import { scanPage } from './dom';
import { decodeCfEmail, emailsFromScript, extractEmails, isRoleMailbox, normalizeEmail } from './emails';

const emailsOf = (html: string): string[] => extractEmails(scanPage(load(html))).map((e) => e.email);

describe('emails', () => {
  it('reads mailto links without the query and lower-cases', () => {
    expect(emailsOf('<a href="mailto:Mary.Major@Acme.co.uk?subject=Hi%20there">x</a>')).toEqual(['mary.major@acme.co.uk']);
  });
  it('decodes entities and obfuscated forms', () => {
    const html = '<p>a&#64;acme&#46;com</p><p>b [at] acme [dot] com</p><p>c(at)acme.de</p><p>d{at}acme.fr</p><p>e at acme dot io</p>';
    expect(emailsOf(html).sort()).toEqual(['a@acme.com', 'b@acme.com', 'c@acme.de', 'd@acme.fr', 'e@acme.io']);
  });
  it('does not turn "available at booking.com" into an address', () => {
    expect(emailsOf('<p>Rooms are available at booking.com today.</p>')).toEqual([]);
  });
  it('decodes Cloudflare email protection', () => {
    const hex = '2e' + [...'press@acme.com'].map((c) => (c.charCodeAt(0) ^ 0x2e).toString(16).padStart(2, '0')).join('');
    expect(decodeCfEmail(hex)).toBe('press@acme.com');
    expect(emailsOf(`<a data-cfemail="${hex}">[email protected]</a>`)).toEqual(['press@acme.com']);
  });
  it('joins simple string concatenation in scripts', () => {
    expect(emailsFromScript("var u = 'in' + 'fo'; var d = 'acme.com'; x = u + '@' + d;").map((e) => e.email)).toContain('info@acme.com');
  });
  it('ignores placeholders, comments, dummy domains and file names', () => {
    const html = `<input placeholder="you@company.org"><!-- old@acme.com --><p>john.doe@example.com hi@domain.com
      logo@2x.png x@test.com 0123456789abcdef0123456789abcdef@o1.ingest.sentry.io someone@email.com</p>`;
    expect(emailsOf(html)).toEqual([]);
  });
  it('validates against the public suffix list', () => {
    expect(normalizeEmail('a@acme.notarealtld')).toBeNull();
    expect(normalizeEmail('a@acme.com.au')).toBe('a@acme.com.au');
  });
  it('knows role mailboxes', () => {
    expect(isRoleMailbox('info@acme.com')).toBe(true);
    expect(isRoleMailbox('sales-team@acme.com')).toBe(true);
    expect(isRoleMailbox('jane.doe@acme.com')).toBe(false);
  });
});
