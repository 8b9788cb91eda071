import { describe, expect, it } from 'vitest';
import { looksLikeSitemap, parseSitemap } from './sitemap';

describe('parseSitemap', () => {
  it('reads a urlset', () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <url><loc> https://example.com/a </loc><lastmod>2024-01-01</lastmod></url>
  <url><loc>https://example.com/b?x=1&amp;y=2</loc></url>
  <url><loc>javascript:alert(1)</loc></url>
</urlset>`;
    expect(parseSitemap(xml)).toEqual({ sitemaps: [], pages: ['https://example.com/a', 'https://example.com/b?x=1&y=2'] });
  });

  it('reads a sitemap index', () => {
    const xml = `<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap><loc>https://example.com/s1.xml</loc></sitemap><sitemap><loc>https://example.com/s2.xml.gz</loc></sitemap></sitemapindex>`;
    expect(parseSitemap(xml)).toEqual({ sitemaps: ['https://example.com/s1.xml', 'https://example.com/s2.xml.gz'], pages: [] });
  });

  it('reads a plain-text sitemap', () => {
    expect(parseSitemap('https://example.com/a\n\nnot a url\r\nhttp://example.com/b\n').pages).toEqual(['https://example.com/a', 'http://example.com/b']);
  });
});

describe('looksLikeSitemap', () => {
  it.each([
    ['https://example.com/sitemap.xml', true],
    ['https://example.com/sitemap_index.xml.gz', true],
    ['https://example.com/sitemap', true],
    ['https://example.com/', false],
    ['https://example.com/about', false],
  ])('%s -> %s', (url, expected) => {
    expect(looksLikeSitemap(new URL(url))).toBe(expected);
  });
});
