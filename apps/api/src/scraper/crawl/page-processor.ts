import type { CheerioAPI } from 'cheerio';
import { extractDirectory, extractFromDocument, type DirectoryRecord, type DirectorySelectors, type ExtractContext, type Findings } from '@leadforge/extract';
import type { Platform } from './crawl-options';

export interface ProcessedPage {
  findings?: Findings;
  records?: DirectoryRecord[];
  nextUrl?: string | null;
  /** Absolute http(s) links worth considering for the crawl frontier (unfiltered). */
  links: string[];
}

export interface ProcessPageInput {
  platform: Platform;
  /** The URL after redirects: relative links and the extracted sources are resolved against it. */
  url: string;
  $: CheerioAPI;
  selectors?: DirectorySelectors;
  context?: ExtractContext;
  /** Collect links (website pages below maxDepth only). */
  wantLinks: boolean;
}

/** Outgoing `<a href>` links of a page, resolved against `<base href>` or the page URL. */
export function pageLinks($: CheerioAPI, pageUrl: string): string[] {
  let base = pageUrl;
  const baseHref = $('base[href]').first().attr('href');
  if (baseHref) {
    try {
      base = new URL(baseHref, pageUrl).href;
    } catch {
      base = pageUrl;
    }
  }
  const out: string[] = [];
  const seen = new Set<string>();
  $('a[href]').each((_, el) => {
    const href = (el as { attribs?: Record<string, string> }).attribs?.href?.trim();
    if (!href || href.startsWith('#') || /^(mailto|tel|javascript|data|sms|callto):/i.test(href)) return;
    let abs: string;
    try {
      abs = new URL(href, base).href;
    } catch {
      return;
    }
    if (!abs.startsWith('http://') && !abs.startsWith('https://')) return;
    if (!seen.has(abs)) {
      seen.add(abs);
      out.push(abs);
    }
  });
  return out;
}

/**
 * Turns one fetched document into findings (website, sitemap) or directory records, reusing the
 * document Crawlee already parsed.
 */
export function processPage(input: ProcessPageInput): ProcessedPage {
  const { $, url } = input;
  if (input.platform === 'directory') {
    if (!input.selectors) throw new Error('directory pages need selectors');
    const result = extractDirectory(url, $, input.selectors);
    return { records: result.records, nextUrl: result.next, links: result.next ? [result.next] : [] };
  }
  const findings = extractFromDocument(url, $, input.context);
  return { findings, links: input.wantLinks ? pageLinks($, url) : [] };
}
