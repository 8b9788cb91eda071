import { describe, expect, it } from 'vitest';
import { parseRobots } from './robots';

const body = `
User-agent: *
Disallow: /private/
Crawl-delay: 2
Sitemap: https://example.com/sitemap-index.xml
Sitemap: /relative.xml

User-agent: LeadforgeBot
Disallow: /no-bots
Allow: /no-bots/ok
Crawl-delay: 0.5
`;

describe('parseRobots', () => {
  it('uses the group of our token, with allow overriding a shorter disallow', () => {
    const rules = parseRobots('https://example.com/robots.txt', body, 'LeadforgeBot');
    expect(rules.isAllowed('https://example.com/no-bots/x')).toBe(false);
    expect(rules.isAllowed('https://example.com/no-bots/ok')).toBe(true);
    // Our own group replaces *, so /private/ is allowed for us.
    expect(rules.isAllowed('https://example.com/private/a')).toBe(true);
    expect(rules.crawlDelayMs).toBe(500);
  });

  it('falls back to * for other tokens', () => {
    const rules = parseRobots('https://example.com/robots.txt', body, 'OtherBot');
    expect(rules.isAllowed('https://example.com/private/a')).toBe(false);
    expect(rules.isAllowed('https://example.com/no-bots')).toBe(true);
    expect(rules.crawlDelayMs).toBe(2000);
  });

  it('lists absolute Sitemap lines only', () => {
    expect(parseRobots('https://example.com/robots.txt', body, 'LeadforgeBot').sitemaps).toEqual(['https://example.com/sitemap-index.xml']);
  });

  it('clamps an absurd crawl-delay', () => {
    expect(parseRobots('https://example.com/robots.txt', 'User-agent: *\nCrawl-delay: 86400\n', 'X').crawlDelayMs).toBe(60_000);
  });

  it('an empty file allows everything', () => {
    const rules = parseRobots('https://example.com/robots.txt', '', 'LeadforgeBot');
    expect(rules.isAllowed('https://example.com/anything')).toBe(true);
    expect(rules.crawlDelayMs).toBe(0);
  });
});
