import picomatch from 'picomatch';
import { getDomain } from 'tldts';

const TRACKING_PARAM = /^(utm_[a-z_]+|gclid|fbclid|msclkid|mc_cid|mc_eid|_hsenc|_hsmi|igshid|ref_src)$/i;

/** File types that are never HTML; links to them are not worth a request. */
const NON_PAGE_EXTENSION =
  /\.(?:jpe?g|png|gif|webp|avif|svg|ico|bmp|tiff?|pdf|docx?|xlsx?|pptx?|odt|ods|zip|gz|tgz|bz2|7z|rar|tar|mp3|mp4|m4a|wav|ogg|webm|mov|avi|mkv|css|js|mjs|json|woff2?|ttf|otf|eot|exe|dmg|apk|iso|rss|atom)$/i;

/**
 * The canonical URL to fetch: http(s) only, no fragment, no tracking parameters, remaining query
 * parameters sorted. Null for anything that is not an absolute http(s) URL.
 */
export function normalizeUrl(input: string | URL, base?: string | URL): URL | null {
  let url: URL;
  try {
    url = typeof input === 'string' ? new URL(input.trim(), base) : new URL(input.href);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  url.hash = '';
  if (url.search) {
    const params = [...url.searchParams].filter(([name]) => !TRACKING_PARAM.test(name));
    params.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    url.search = params.length ? new URLSearchParams(params).toString() : '';
  }
  return url;
}

/**
 * The dedup key of a page: the normalized URL without its scheme, so http:// and https:// copies of
 * a page count once. This is the key `isVisited` is asked about and `CrawledPage.urlKey` carries.
 */
export function urlKey(input: string | URL): string {
  const url = normalizeUrl(input);
  if (!url) return typeof input === 'string' ? input : input.href;
  return `${url.host}${url.pathname}${url.search}`;
}

/** The registrable domain (example.co.uk), or the bare host for IPs and single-label names. */
export function siteOf(url: URL): string {
  return getDomain(url.hostname, { allowPrivateDomains: false }) ?? url.hostname.replace(/^\[|\]$/g, '');
}

export function looksLikePage(url: URL): boolean {
  return !NON_PAGE_EXTENSION.test(url.pathname);
}

export interface UrlFilterOptions {
  /** Seeds of the shard; with `sameDomain` only URLs on their registrable domains pass. */
  seeds: URL[];
  sameDomain: boolean;
  include: string[];
  exclude: string[];
}

export type FilterVerdict = 'ok' | 'off_site' | 'excluded' | 'not_included' | 'not_a_page';

/**
 * Include/exclude globs are matched against the path + query (`/team/**`, `/blog/*`), or against
 * the whole URL when the glob contains `://` (`https://example.com/jobs/**`). Exclude wins; with
 * no include globs everything not excluded is included.
 */
export class UrlFilter {
  private readonly sites: Set<string>;
  private readonly includePath: picomatch.Matcher | null;
  private readonly includeFull: picomatch.Matcher | null;
  private readonly excludePath: picomatch.Matcher | null;
  private readonly excludeFull: picomatch.Matcher | null;

  constructor(private readonly options: UrlFilterOptions) {
    this.sites = new Set(options.seeds.map(siteOf));
    const compile = (globs: string[]): picomatch.Matcher | null => (globs.length ? picomatch(globs, { dot: true, nocase: false }) : null);
    const full = (globs: string[]) => globs.filter((g) => g.includes('://'));
    const path = (globs: string[]) => globs.filter((g) => !g.includes('://')).map((g) => (g.startsWith('/') || g.startsWith('*') ? g : `/${g}`));
    this.includePath = compile(path(options.include));
    this.includeFull = compile(full(options.include));
    this.excludePath = compile(path(options.exclude));
    this.excludeFull = compile(full(options.exclude));
  }

  isSameSite(url: URL): boolean {
    return this.sites.has(siteOf(url));
  }

  /** Verdict for a discovered link or sitemap entry. Seeds are not filtered: the user named them. */
  check(url: URL): FilterVerdict {
    if (this.options.sameDomain && !this.isSameSite(url)) return 'off_site';
    if (!looksLikePage(url)) return 'not_a_page';
    const path = `${url.pathname}${url.search}`;
    const href = url.href;
    if (this.excludePath?.(path) || this.excludeFull?.(href)) return 'excluded';
    if (!this.includePath && !this.includeFull) return 'ok';
    if (this.includePath?.(path) || this.includeFull?.(href)) return 'ok';
    return 'not_included';
  }
}
