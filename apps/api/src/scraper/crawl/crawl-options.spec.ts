import { describe, expect, it } from 'vitest';
import { CRAWL_CAPS, CRAWL_DEFAULTS, CrawlConfigError, resolveCrawlOptions } from './crawl-options';
import { buildUserAgent, robotsToken } from './user-agent';

describe('resolveCrawlOptions', () => {
  it('fills the defaults (robots on, 5 MB bodies, http rendering)', () => {
    const o = resolveCrawlOptions();
    expect(o).toMatchObject({ respectRobots: true, render: 'http', maxBodyBytes: 5 * 1024 * 1024, sameDomain: true });
    expect(o.maxPages).toBe(CRAWL_DEFAULTS.maxPages);
  });

  it('clamps numbers into their caps', () => {
    const o = resolveCrawlOptions({ maxDepth: 9, maxPages: 0, concurrency: 500, maxBodyBytes: 10 ** 12, delayMs: -5 });
    expect(o.maxDepth).toBe(5);
    expect(o.maxPages).toBe(1);
    expect(o.concurrency).toBe(CRAWL_CAPS.concurrency);
    expect(o.maxBodyBytes).toBe(CRAWL_CAPS.maxBodyBytes);
    expect(o.delayMs).toBe(0);
  });

  it('rejects non-finite numbers, bad render modes and oversized glob lists', () => {
    expect(() => resolveCrawlOptions({ maxPages: Number.NaN })).toThrow(CrawlConfigError);
    expect(() => resolveCrawlOptions({ render: 'lynx' as never })).toThrow(CrawlConfigError);
    expect(() => resolveCrawlOptions({ include: Array.from({ length: 51 }, () => '/a') })).toThrow(CrawlConfigError);
    expect(() => resolveCrawlOptions({ exclude: [''] })).toThrow(CrawlConfigError);
  });
});

describe('user agent', () => {
  it('names the bot and where to read about it', () => {
    expect(buildUserAgent('https://leadforge.example/')).toBe('LeadforgeBot/1.0 (+https://leadforge.example/bot)');
    expect(buildUserAgent()).toBe('LeadforgeBot/1.0');
    expect(robotsToken('AcmeCrawler/2.1 (+https://acme.example/bot)')).toBe('AcmeCrawler');
  });
});
