import type { DirectoryRecord, DirectorySelectors, ExtractContext, Findings } from '@leadforge/extract';
import type { Resolver } from '../../common/network/ssrf-guard';
import type { ExtractionPool } from './extraction-pool';

export type Platform = 'website' | 'directory' | 'sitemap';
export type RenderMode = 'http' | 'browser';

export interface CrawlOptions {
  /** This shard's page budget (pages fetched, i.e. credits). */
  maxPages: number;
  /** Link hops from a seed, 0..5. Ignored for directory pagination and sitemap pages (always 0). */
  maxDepth: number;
  /** Follow only links on the seed's registrable domain. */
  sameDomain: boolean;
  respectRobots: boolean;
  render: RenderMode;
  /** Globs matched against the URL's path + query (`/team/**`) or the whole URL when they contain `://`. */
  include: string[];
  exclude: string[];
  /** Parallel requests to the shard's host. */
  concurrency: number;
  /** Minimum gap between request starts to the host; robots.txt crawl-delay raises it. */
  delayMs: number;
  requestTimeoutMs: number;
  maxBodyBytes: number;
  /** Hard limit on this run of the shard; reached -> reason 'timed_out'. */
  wallTimeMs: number;
  /** Retries of a page after a network error, timeout, 5xx or 429 (with exponential backoff). */
  maxRetries: number;
  userAgent?: string;
}

export interface FrontierEntry {
  url: string;
  depth: number;
}

export interface ShardInput {
  taskId: string;
  shardId: string;
  platform: Platform;
  /** Start URLs, all on the shard's seed host. */
  seeds: string[];
  /**
   * Links discovered by an earlier attempt and not done yet (from `CrawledPage.discovered`).
   * A resumed website shard needs them because its done pages are not fetched again.
   */
  frontier?: FrontierEntry[];
  options?: Partial<CrawlOptions>;
  /** Required for the directory platform. */
  selectors?: DirectorySelectors;
  /** Passed to extraction (country for national phone numbers, the company's domain). */
  extractContext?: ExtractContext;
}

export interface CrawledPage {
  /** The URL as requested and its dedup key (what `isVisited` receives). */
  url: string;
  urlKey: string;
  /** After redirects. */
  finalUrl: string;
  depth: number;
  status: number;
  fetchedAt: Date;
  bytes: number;
  /** website and sitemap platforms. */
  findings?: Findings;
  /** directory platform. */
  records?: DirectoryRecord[];
  nextUrl?: string | null;
  /** Links taken into the crawl from this page (new to this run, within filters, depth and domain). */
  discovered: FrontierEntry[];
}

export type FailureKind =
  | 'blocked_by_robots'
  | 'ssrf_blocked'
  | 'off_site_redirect'
  | 'http_error'
  | 'timeout'
  | 'too_large'
  | 'not_html'
  | 'network'
  /** The page was fetched but could not be processed (a bug, or a document the parser rejects). */
  | 'processing_error';

export interface PageFailure {
  url: string;
  urlKey: string;
  depth: number;
  kind: FailureKind;
  status?: number;
  message: string;
  /** Requests sent for this page (0 when refused before fetching: robots, SSRF). */
  attempts: number;
}

export type ControlSignal = 'run' | 'pause' | 'stop';
export type LogLevel = 'info' | 'warn' | 'error';

export interface ShardHooks {
  /** True for a page an earlier attempt already finished (by `urlKey`). */
  isVisited(urlKey: string): boolean;
  /** Awaited: a slow consumer slows the crawl (back-pressure). */
  onPage(page: CrawledPage): Promise<void>;
  onPageFailed(failure: PageFailure): Promise<void>;
  onLog(level: LogLevel, message: string): void;
  /** Polled before every request, while waiting and every ~100 ms. */
  control(): ControlSignal;
}

export interface CrawlDeps {
  /** ALLOW_PRIVATE_TARGETS: lifts the SSRF address check (tests, local demos). */
  allowPrivateTargets: boolean;
  /** Exact origins (`http://10.0.0.5:8080`) exempt from the address check, e.g. an operator's intranet host. */
  allowedPrivateOrigins?: string[];
  /** CHROMIUM_PATH, for render 'browser'. */
  chromiumPath: string;
  /** DNS used by the pre-request check (system DNS by default). */
  resolver?: Resolver;
  /** Threads that parse and extract fetched HTML (the process-wide pool by default). */
  extractionPool?: ExtractionPool;
}

export type ShardReason = 'completed' | 'budget_exhausted' | 'paused' | 'stopped' | 'timed_out';

export interface ShardOutcome {
  reason: ShardReason;
  pagesFetched: number;
  pagesFailed: number;
  /** Pages skipped because `isVisited` said they were done. */
  pagesSkipped: number;
  /** Pages known but not fetched when the run ended (pause, stop, budget, time). */
  pagesPending: number;
  durationMs: number;
}

export class CrawlConfigError extends Error {
  readonly code = 'crawl_config_invalid';

  constructor(message: string) {
    super(message);
    this.name = 'CrawlConfigError';
  }
}

/**
 * The machine cannot render pages (render 'browser' without a usable Chromium at CHROMIUM_PATH).
 * Not the task's fault: the shard should be retried, on a worker that has the browser.
 */
export class BrowserUnavailableError extends Error {
  readonly code = 'browser_unavailable';

  constructor(message: string) {
    super(message);
    this.name = 'BrowserUnavailableError';
  }
}

export const CRAWL_DEFAULTS: Readonly<Omit<CrawlOptions, 'userAgent'>> = Object.freeze({
  maxPages: 100,
  maxDepth: 2,
  sameDomain: true,
  respectRobots: true,
  render: 'http',
  include: [],
  exclude: [],
  concurrency: 4,
  delayMs: 0,
  requestTimeoutMs: 20_000,
  maxBodyBytes: 5 * 1024 * 1024,
  wallTimeMs: 60 * 60_000,
  maxRetries: 2,
});

/** Hard ceilings no request may exceed. */
export const CRAWL_CAPS = Object.freeze({
  maxPages: 100_000,
  maxDepth: 5,
  concurrency: 32,
  delayMs: 60_000,
  requestTimeoutMs: 120_000,
  maxBodyBytes: 20 * 1024 * 1024,
  wallTimeMs: 24 * 60 * 60_000,
  maxRetries: 5,
  globs: 50,
  globLength: 500,
  /** robots.txt crawl-delay above this is clamped (a 1-day delay would stall a shard forever). */
  crawlDelayMs: 60_000,
  redirects: 5,
});

function clampInt(value: number | undefined, fallback: number, min: number, max: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value)) throw new CrawlConfigError(`${name} must be a finite number`);
  return Math.min(max, Math.max(min, Math.floor(value)));
}

function globs(list: string[] | undefined, name: string): string[] {
  const items = list ?? [];
  if (items.length > CRAWL_CAPS.globs) throw new CrawlConfigError(`${name}: at most ${CRAWL_CAPS.globs} globs`);
  for (const g of items) {
    if (typeof g !== 'string' || g.length === 0 || g.length > CRAWL_CAPS.globLength) throw new CrawlConfigError(`${name}: each glob is 1..${CRAWL_CAPS.globLength} characters`);
  }
  return [...items];
}

/** Fills defaults and clamps every number into its cap. */
export function resolveCrawlOptions(options: Partial<CrawlOptions> = {}): CrawlOptions {
  const render = options.render ?? CRAWL_DEFAULTS.render;
  if (render !== 'http' && render !== 'browser') throw new CrawlConfigError(`render must be 'http' or 'browser'`);
  return {
    maxPages: clampInt(options.maxPages, CRAWL_DEFAULTS.maxPages, 1, CRAWL_CAPS.maxPages, 'maxPages'),
    maxDepth: clampInt(options.maxDepth, CRAWL_DEFAULTS.maxDepth, 0, CRAWL_CAPS.maxDepth, 'maxDepth'),
    sameDomain: options.sameDomain ?? CRAWL_DEFAULTS.sameDomain,
    respectRobots: options.respectRobots ?? CRAWL_DEFAULTS.respectRobots,
    render,
    include: globs(options.include, 'include'),
    exclude: globs(options.exclude, 'exclude'),
    concurrency: clampInt(options.concurrency, CRAWL_DEFAULTS.concurrency, 1, CRAWL_CAPS.concurrency, 'concurrency'),
    delayMs: clampInt(options.delayMs, CRAWL_DEFAULTS.delayMs, 0, CRAWL_CAPS.delayMs, 'delayMs'),
    requestTimeoutMs: clampInt(options.requestTimeoutMs, CRAWL_DEFAULTS.requestTimeoutMs, 100, CRAWL_CAPS.requestTimeoutMs, 'requestTimeoutMs'),
    maxBodyBytes: clampInt(options.maxBodyBytes, CRAWL_DEFAULTS.maxBodyBytes, 1024, CRAWL_CAPS.maxBodyBytes, 'maxBodyBytes'),
    wallTimeMs: clampInt(options.wallTimeMs, CRAWL_DEFAULTS.wallTimeMs, 100, CRAWL_CAPS.wallTimeMs, 'wallTimeMs'),
    maxRetries: clampInt(options.maxRetries, CRAWL_DEFAULTS.maxRetries, 0, CRAWL_CAPS.maxRetries, 'maxRetries'),
    userAgent: options.userAgent,
  };
}
