import fc from 'fast-check';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { describe, expect, it } from 'vitest';
import { extract } from './extract';
import { normalizeEmail } from './emails';

const tag = fc.constantFrom('div', 'p', 'span', 'a', 'li', 'h3', 'strong', 'td', 'script', 'style', 'input');
const textish = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom('info@acme.com', 'a [at] b [dot] com', '+49 30 1234567', '(503) 555-0134', 'Tel.', 'Geschäftsführer:', 'Jane Doe', 'CEO', '2024-01-01', 'mailto:', '&#64;', '<!--', '"@type"'),
  fc.stringMatching(/^[0-9 +()./-]{3,20}$/),
);
const node: fc.Arbitrary<string> = fc.letrec<{ n: string }>((tie) => ({
  n: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    textish,
    fc.tuple(tag, fc.array(tie('n'), { maxLength: 4 }), fc.constantFrom('', ' href="mailto:x@acme.de"', ' href="tel:+4930123456"', ' class="vcard"', ' itemscope itemtype="https://schema.org/Person"', ' data-cfemail="2e5e"')).map(
      ([t, kids, attr]) => `<${t}${attr}>${kids.join('')}</${t}>`,
    ),
  ),
})).n;

describe('extract on random HTML', () => {
  it('never throws and only yields valid emails and E.164 phones', () => {
    fc.assert(
      fc.property(fc.array(node, { maxLength: 6 }), fc.constantFrom('https://acme.de/', 'https://acme.co.uk/team', 'https://acme.com/about'), (parts, url) => {
        const f = extract(url, `<html><body>${parts.join('')}</body></html>`);
        for (const e of f.emails) expect(normalizeEmail(e.email)).toBe(e.email);
        for (const p of [...f.phones, ...f.people.flatMap((x) => x.phones)]) {
          expect(p.e164).toMatch(/^\+[1-9]\d{6,14}$/);
          expect(parsePhoneNumberFromString(p.e164)?.isValid()).toBe(true);
        }
        for (const p of f.people) expect(p.confidence).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: 300 },
    );
  });
  it('never throws on arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), (s) => {
        expect(() => extract('https://acme.com/', s)).not.toThrow();
      }),
      { numRuns: 300 },
    );
  });
});
