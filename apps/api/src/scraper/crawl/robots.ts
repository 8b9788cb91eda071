import robotsParser from 'robots-parser';
import { CRAWL_CAPS } from './crawl-options';
import { FetchFailure, type GuardedHttpClient } from './guarded-http-client';

export interface RobotsRules {
  isAllowed(url: string): boolean;
  /** Crawl-delay for our token (or `*`), in ms, clamped to CRAWL_CAPS.crawlDelayMs; 0 when absent. */
  crawlDelayMs: number;
  /** Absolute URLs of `Sitemap:` lines. */
  sitemaps: string[];
  /**
   * Where the rules came from: 'file', 'none' (404 etc.: allow all), 'unreachable' (5xx, network,
   * oversized: disallow all), 'blocked' (the SSRF guard refused the host: nothing may be fetched).
   */
  source: 'file' | 'none' | 'unreachable' | 'blocked';
}

export const ALLOW_ALL: RobotsRules = Object.freeze({ isAllowed: () => true, crawlDelayMs: 0, sitemaps: [], source: 'none' as const });

/** Parses a robots.txt body served for `robotsUrl` and applies it for `token`. */
export function parseRobots(robotsUrl: string, body: string, token: string): RobotsRules {
  const robots = robotsParser(robotsUrl, body);
  const delaySecs = robots.getCrawlDelay(token);
  return {
    // robots-parser answers undefined for a URL on another origin; such URLs are judged by their own file.
    isAllowed: (url) => robots.isAllowed(url, token) !== false,
    crawlDelayMs: delaySecs && Number.isFinite(delaySecs) && delaySecs > 0 ? Math.min(CRAWL_CAPS.crawlDelayMs, Math.round(delaySecs * 1000)) : 0,
    sitemaps: robots.getSitemaps().filter((s) => /^https?:\/\//i.test(s)),
    source: 'file',
  };
}

/**
 * Fetches and parses the robots.txt of an origin through the guarded client. Following RFC 9309:
 * 4xx means no restrictions; a server error, an unreachable or an oversized file means "disallow all".
 */
export async function fetchRobots(client: GuardedHttpClient, origin: string, token: string): Promise<RobotsRules> {
  const robotsUrl = new URL('/robots.txt', origin);
  try {
    const { response, text } = await client.text(robotsUrl, { anyContentType: true, allowErrorStatus: true, headers: { accept: 'text/plain,*/*;q=0.5' } });
    if (response.statusCode >= 400) return ALLOW_ALL;
    return parseRobots(response.url.href, text, token);
  } catch (error) {
    if (error instanceof FetchFailure && error.kind === 'ssrf_blocked') return { isAllowed: () => false, crawlDelayMs: 0, sitemaps: [], source: 'blocked' };
    if (error instanceof FetchFailure && error.kind === 'http_error' && (error.status ?? 0) < 500) return ALLOW_ALL;
    return { isAllowed: () => false, crawlDelayMs: 0, sitemaps: [], source: 'unreachable' };
  }
}
