import { describe, expect, it } from 'vitest';
import { normalizeUrl, siteOf, UrlFilter, urlKey } from './url-filters';

describe('normalizeUrl / urlKey', () => {
  it('drops fragments and tracking parameters and sorts the query', () => {
    expect(normalizeUrl('HTTPS://Example.COM:443/a?b=2&utm_source=x&a=1#top')?.href).toBe('https://example.com/a?a=1&b=2');
  });

  it('refuses non-http schemes and garbage', () => {
    expect(normalizeUrl('mailto:a@b.c')).toBeNull();
    expect(normalizeUrl('file:///etc/passwd')).toBeNull();
    expect(normalizeUrl('::not a url')).toBeNull();
  });

  it('gives http and https copies of a page one key', () => {
    expect(urlKey('http://example.com/a?x=1#f')).toBe(urlKey('https://example.com/a?x=1'));
    expect(urlKey('https://example.com/a')).not.toBe(urlKey('https://example.com/a/'));
    expect(urlKey('https://example.com:8443/a')).toBe('example.com:8443/a');
  });
});

describe('siteOf', () => {
  it('uses the registrable domain (public suffix aware)', () => {
    expect(siteOf(new URL('https://www.shop.example.co.uk/'))).toBe('example.co.uk');
    expect(siteOf(new URL('http://127.0.0.1:8080/'))).toBe('127.0.0.1');
    expect(siteOf(new URL('http://[::1]/'))).toBe('::1');
  });
});

describe('UrlFilter', () => {
  const seeds = [new URL('https://www.example.com/')];

  it('keeps links on the same registrable domain when sameDomain', () => {
    const f = new UrlFilter({ seeds, sameDomain: true, include: [], exclude: [] });
    expect(f.check(new URL('https://blog.example.com/post'))).toBe('ok');
    expect(f.check(new URL('https://example.org/'))).toBe('off_site');
    expect(new UrlFilter({ seeds, sameDomain: false, include: [], exclude: [] }).check(new URL('https://example.org/'))).toBe('ok');
  });

  it('skips links to files that are not pages', () => {
    const f = new UrlFilter({ seeds, sameDomain: true, include: [], exclude: [] });
    expect(f.check(new URL('https://www.example.com/brochure.PDF'))).toBe('not_a_page');
    expect(f.check(new URL('https://www.example.com/team.html'))).toBe('ok');
  });

  it('matches path globs and full-URL globs; exclude wins', () => {
    const f = new UrlFilter({ seeds, sameDomain: true, include: ['/team/**', 'https://www.example.com/contact*'], exclude: ['**/private/**', '/team/*.php'] });
    expect(f.check(new URL('https://www.example.com/team/alice'))).toBe('ok');
    expect(f.check(new URL('https://www.example.com/contact?x=1'))).toBe('ok');
    expect(f.check(new URL('https://www.example.com/blog/1'))).toBe('not_included');
    expect(f.check(new URL('https://www.example.com/team/private/x'))).toBe('excluded');
    expect(f.check(new URL('https://www.example.com/team/index.php'))).toBe('excluded');
  });

  it('accepts globs written without a leading slash', () => {
    const f = new UrlFilter({ seeds, sameDomain: true, include: ['about*'], exclude: [] });
    expect(f.check(new URL('https://www.example.com/about-us'))).toBe('ok');
    expect(f.check(new URL('https://www.example.com/x/about'))).toBe('not_included');
  });
});
