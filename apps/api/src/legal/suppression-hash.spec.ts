import { describe, expect, it } from 'vitest';
import {
  deriveSuppressionKey,
  normalizeProfileUrl,
  normalizeSuppressedDomain,
  normalizeSuppressedEmail,
  normalizeSuppressionValue,
  SuppressionHasher,
  suppressionHash,
} from './suppression-hash';

const KEY = 'k'.repeat(40);

describe('suppression normalization', () => {
  it('normalizes emails', () => {
    expect(normalizeSuppressedEmail('  Mailto:Jane.Doe@ACME.com ')).toBe('jane.doe@acme.com');
    expect(normalizeSuppressedEmail('not an email')).toBeNull();
    expect(normalizeSuppressedEmail('@acme.com')).toBeNull();
  });

  it('normalizes domains from hosts, URLs and addresses', () => {
    expect(normalizeSuppressedDomain('WWW.Acme.com.')).toBe('acme.com');
    expect(normalizeSuppressedDomain('https://www.acme.com:8443/about?x=1')).toBe('acme.com');
    expect(normalizeSuppressedDomain('jane@sub.acme.co.uk')).toBe('sub.acme.co.uk');
    expect(normalizeSuppressedDomain('localhost')).toBeNull();
    expect(normalizeSuppressedDomain('')).toBeNull();
  });

  it('normalizes profile URLs', () => {
    expect(normalizeProfileUrl('https://de.linkedin.com/in/Jane-Doe/?trk=abc#top')).toBe('linkedin.com/in/jane-doe');
    expect(normalizeProfileUrl('http://www.linkedin.com/in/jane-doe')).toBe('linkedin.com/in/jane-doe');
    expect(normalizeProfileUrl('linkedin.com/in/jane-doe/')).toBe('linkedin.com/in/jane-doe');
    expect(normalizeProfileUrl('https://www.youtube.com/channel/UCabcDEF')).toBe('youtube.com/channel/UCabcDEF');
    expect(normalizeProfileUrl('https://acme.com/team/J%C3%BCrgen')).toBe('acme.com/team/jürgen');
    expect(normalizeProfileUrl('ftp://acme.com/x')).toBeNull();
    expect(normalizeProfileUrl('http://')).toBeNull();
  });

  it('dispatches by kind', () => {
    expect(normalizeSuppressionValue('email', 'A@B.com')).toBe('a@b.com');
    expect(normalizeSuppressionValue('domain', 'www.b.com')).toBe('b.com');
    expect(normalizeSuppressionValue('profile_url', 'https://b.com/x/')).toBe('b.com/x');
  });
});

describe('suppression hash', () => {
  it('derives a 32-byte key that depends on ENCRYPTION_KEY and is not the key itself', () => {
    const key = deriveSuppressionKey(KEY);
    expect(key).toHaveLength(32);
    expect(key.equals(deriveSuppressionKey(KEY))).toBe(true);
    expect(key.equals(deriveSuppressionKey('x'.repeat(40)))).toBe(false);
    expect(key.toString('utf8')).not.toContain(KEY);
    expect(() => deriveSuppressionKey('')).toThrow();
  });

  it('is a keyed HMAC-SHA256 of the normalized value, separated by kind', () => {
    const hasher = new SuppressionHasher(KEY);
    const a = hasher.hash('email', 'Jane@Acme.com')!;
    expect(a).toHaveLength(32);
    expect(a.equals(hasher.hash('email', ' jane@acme.com')!)).toBe(true);
    expect(a.equals(new SuppressionHasher('y'.repeat(40)).hash('email', 'jane@acme.com')!)).toBe(false);
    expect(suppressionHash(deriveSuppressionKey(KEY), 'domain', 'acme.com').equals(suppressionHash(deriveSuppressionKey(KEY), 'profile_url', 'acme.com'))).toBe(false);
    expect(a.toString('hex')).not.toContain(Buffer.from('jane').toString('hex'));
    // The hasher's precomputed HMAC states give exactly node:crypto's HMAC.
    expect(a.equals(suppressionHash(deriveSuppressionKey(KEY), 'email', 'jane@acme.com'))).toBe(true);
    expect(hasher.hash('domain', 'www.acme.com')!.equals(suppressionHash(deriveSuppressionKey(KEY), 'domain', 'acme.com'))).toBe(true);
    expect(hasher.hash('email', 'nope')).toBeNull();
  });

  it('lists every probe of a lead: email, email domain and its registrable domain, profile links, company domain, website host', () => {
    const hasher = new SuppressionHasher(KEY);
    const probes = hasher.probes({
      email: 'jane@mail.acme.co.uk',
      profileUrl: 'https://www.linkedin.com/in/jane',
      profileLinks: ['https://linkedin.com/in/jane/', 'https://github.com/jane'],
      companyDomain: 'acme.co.uk',
      website: 'https://www.acme.co.uk/',
    });
    const expected = [
      hasher.hash('email', 'jane@mail.acme.co.uk'),
      hasher.hash('domain', 'mail.acme.co.uk'),
      hasher.hash('domain', 'acme.co.uk'),
      hasher.hash('profile_url', 'linkedin.com/in/jane'),
      hasher.hash('profile_url', 'github.com/jane'),
    ].map((hash) => hash!.toString('hex'));
    expect(probes.map((probe) => probe.hash.toString('hex')).sort()).toEqual(expected.sort());
    expect(probes.filter((probe) => probe.kind === 'domain')).toHaveLength(2);
    // Memoized values give the same answer the second time.
    expect(hasher.probes({ website: 'https://www.acme.co.uk/', email: 'jane@mail.acme.co.uk' }).map((probe) => probe.hash.toString('hex')).sort()).toEqual(
      [hasher.hash('email', 'jane@mail.acme.co.uk'), hasher.hash('domain', 'mail.acme.co.uk'), hasher.hash('domain', 'acme.co.uk')].map((hash) => hash!.toString('hex')).sort(),
    );
    expect(hasher.probes({})).toEqual([]);
  });
});
