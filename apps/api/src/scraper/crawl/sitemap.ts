import { gunzipSync } from 'node:zlib';
import { load } from 'cheerio';
import type { GuardedHttpClient } from './guarded-http-client';

export interface SitemapDiscoveryOptions {
  /** Shard seeds: a seed that looks like a sitemap is read as one, any other adds `<origin>/sitemap.xml`. */
  seeds: URL[];
  /** `Sitemap:` lines of the host's robots.txt. */
  robotsSitemaps: string[];
  /** Stop once this many page URLs have been accepted. */
  wanted: number;
  /** Decides whether a page URL is taken (filters, dedup, already visited). */
  accept: (url: string) => boolean;
  maxSitemaps: number;
  maxBytes: number;
  isHalted: () => boolean;
  onLog: (level: 'info' | 'warn', message: string) => void;
}

export interface ParsedSitemap {
  /** Child sitemaps of a sitemap index. */
  sitemaps: string[];
  pages: string[];
}

const SITEMAP_LIKE = /(sitemap[^/]*|\.xml(\.gz)?)$/i;

export function looksLikeSitemap(url: URL): boolean {
  return SITEMAP_LIKE.test(url.pathname);
}

/** Parses an XML sitemap, a sitemap index or a plain-text sitemap (one URL per line). */
export function parseSitemap(content: string): ParsedSitemap {
  const trimmed = content.trimStart();
  if (!trimmed.startsWith('<')) {
    const pages = trimmed
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter((line) => /^https?:\/\//i.test(line));
    return { sitemaps: [], pages };
  }
  const $ = load(trimmed, { xml: true });
  const locs = (selector: string): string[] =>
    $(selector)
      .map((_, el) => $(el).text().trim())
      .get()
      .filter((loc) => /^https?:\/\//i.test(loc));
  return { sitemaps: locs('sitemapindex > sitemap > loc'), pages: locs('urlset > url > loc') };
}

function decode(body: Buffer, maxBytes: number): string {
  if (body.length > 2 && body[0] === 0x1f && body[1] === 0x8b) return gunzipSync(body, { maxOutputLength: maxBytes }).toString('utf8');
  return body.toString('utf8');
}

/**
 * Page URLs from the host's sitemaps, breadth first through sitemap indexes, bounded by the number
 * of sitemap files read, their size and the number of pages wanted. Every fetch goes through the
 * guarded client; an unreadable sitemap is logged and skipped.
 */
export async function discoverSitemapPages(client: GuardedHttpClient, options: SitemapDiscoveryOptions): Promise<string[]> {
  const queue: string[] = [];
  const seen = new Set<string>();
  const push = (url: string): void => {
    if (!seen.has(url)) {
      seen.add(url);
      queue.push(url);
    }
  };
  for (const seed of options.seeds) push(looksLikeSitemap(seed) ? seed.href : new URL('/sitemap.xml', seed.origin).href);
  for (const s of options.robotsSitemaps) push(s);

  const pages: string[] = [];
  let read = 0;
  while (queue.length > 0 && read < options.maxSitemaps && pages.length < options.wanted && !options.isHalted()) {
    const next = queue.shift()!;
    read++;
    let parsed: ParsedSitemap;
    try {
      const opened = await client.open(new URL(next), { anyContentType: true, headers: { accept: 'application/xml,text/xml,text/plain,*/*;q=0.5' } });
      const chunks: Buffer[] = [];
      for await (const chunk of opened.body) chunks.push(chunk as Buffer);
      parsed = parseSitemap(decode(Buffer.concat(chunks), options.maxBytes));
    } catch (error) {
      options.onLog('warn', `sitemap ${next} skipped: ${(error as Error).message}`);
      continue;
    }
    for (const child of parsed.sitemaps) push(child);
    for (const page of parsed.pages) {
      if (pages.length >= options.wanted) break;
      if (options.accept(page)) pages.push(page);
    }
  }
  if (queue.length > 0 && read >= options.maxSitemaps) options.onLog('warn', `sitemap discovery stopped after ${read} sitemap files`);
  return pages;
}
