import type { IncomingMessage } from 'node:http';
import { text as readText } from 'node:stream/consumers';
import { CheerioCrawler, Configuration, Log, Logger, LogLevel, NonRetryableError, type CheerioCrawlingContext, type Request as CrawlRequest } from '@crawlee/cheerio';
import { load, type CheerioAPI } from 'cheerio';
import {
  CRAWL_CAPS,
  CrawlConfigError,
  resolveCrawlOptions,
  type CrawlDeps,
  type CrawlOptions,
  type FailureKind,
  type FrontierEntry,
  type ShardHooks,
  type ShardInput,
  type ShardOutcome,
  type ShardReason,
} from './crawl-options';
import { FetchFailure, GuardedHttpClient, GuardPolicy, TransientFetchFailure } from './guarded-http-client';
import { sharedExtractionPool } from './extraction-pool';
import { processPage } from './page-processor';
import { ALLOW_ALL, fetchRobots, type RobotsRules } from './robots';
import { discoverSitemapPages } from './sitemap';
import { normalizeUrl, UrlFilter, urlKey } from './url-filters';
import { buildUserAgent, robotsToken } from './user-agent';

const CONTROL_POLL_MS = 100;
const MAX_SEEDS = 1000;
const MAX_SITEMAP_FILES = 25;
const BACKOFF_BASE_MS = 500;
const BACKOFF_MAX_MS = 10_000;

export type { CrawlRequest };

export interface PageData extends Record<string, unknown> {
  depth: number;
  key: string;
}

/** What the engine needs of a Crawlee crawler, HTTP or browser. */
export interface ShardCrawler {
  stop(message?: string): void;
  addRequests(requests: Array<{ url: string; uniqueKey: string; userData: PageData }>): Promise<unknown>;
  run(): Promise<unknown>;
  teardown(): Promise<void>;
}

/** Thrown inside the crawler for a request that must not be fetched because the shard is halting. */
class HaltedError extends NonRetryableError {
  constructor() {
    super('the shard is halting');
    this.name = 'HaltedError';
  }
}

/**
 * Crawlee's CheerioCrawler parses every page twice (an htmlparser2 DOM it does not use, then
 * cheerio). One htmlparser2 parse with the project's cheerio is enough, and its `$` goes straight
 * to extraction.
 */
class ParseOnceCheerioCrawler extends CheerioCrawler {
  protected override async _parseHTML(response: IncomingMessage, isXml: boolean, _context: CheerioCrawlingContext) {
    const body = await readText(response);
    const noLinks = async () => ({ processedRequests: [], unprocessedRequests: [] });
    // HTML is parsed by the extraction pool's threads; only XML documents are parsed here.
    const $ = isXml ? load(body, { xml: true }) : undefined;
    return { dom: $?.root()[0], $, body, enqueueLinks: noLinks } as unknown as Awaited<ReturnType<CheerioCrawler['_parseHTML']>>;
  }
}

/** Forwards Crawlee's own warnings and errors, minus the per-request ones the engine reports itself. */
class HookLogger extends Logger {
  constructor(private readonly onLog: ShardHooks['onLog']) {
    super({});
  }

  override _log(level: LogLevel, message: string): void {
    if (message.startsWith('Request failed and reached maximum retries') || message.startsWith('Reclaiming failed request')) return;
    if (level === LogLevel.ERROR) this.onLog('error', message);
    else if (level === LogLevel.WARNING || level === LogLevel.SOFT_FAIL) this.onLog('warn', message);
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function classify(error: unknown): { kind: FailureKind; status?: number; message: string } {
  if (error instanceof FetchFailure || error instanceof TransientFetchFailure) return { kind: error.kind, status: error.status, message: error.message };
  const message = error instanceof Error ? error.message : String(error);
  if (/timed out/i.test(message)) return { kind: 'timeout', message };
  return { kind: 'network', message };
}

/**
 * Crawls the pages of one shard (one seed host) with Crawlee, in memory, and hands every page to the
 * hooks. Resolves when the shard is done, out of budget, paused, stopped or out of time; rejects
 * only for an invalid input (CrawlConfigError) or when a hook throws (the shard should then be
 * retried by the caller; pages already reported are skipped through `isVisited`).
 */
export async function crawlShard(input: ShardInput, hooks: ShardHooks, deps: CrawlDeps): Promise<ShardOutcome> {
  const startedAt = Date.now();
  const options: CrawlOptions = resolveCrawlOptions(input.options);
  if (input.platform === 'directory' && (!input.selectors?.item || !input.selectors.fields)) throw new CrawlConfigError('the directory platform needs selectors {item, fields, next?}');
  if (!['website', 'directory', 'sitemap'].includes(input.platform)) throw new CrawlConfigError(`unknown platform ${String(input.platform)}`);
  if (input.seeds.length === 0 || input.seeds.length > MAX_SEEDS) throw new CrawlConfigError(`a shard needs 1..${MAX_SEEDS} seeds`);
  // The browser modules (Playwright, Crawlee's browser pool) load only for render 'browser'.
  const browser = options.render === 'browser' ? await import('./browser-crawler.js') : null;
  if (browser) await browser.assertChromiumAvailable(deps.chromiumPath);

  const extractionPool = deps.extractionPool ?? sharedExtractionPool();
  const userAgent = options.userAgent ?? buildUserAgent();
  const token = robotsToken(userAgent);
  const halt = new AbortController();
  // Any halt, pause included (the browser closes its open tabs on it; their pages stay pending).
  const halting = new AbortController();
  const policy = new GuardPolicy({ allowPrivateTargets: deps.allowPrivateTargets, allowedPrivateOrigins: deps.allowedPrivateOrigins, resolver: deps.resolver });

  let reason: ShardReason | null = null;
  let hookError: unknown = null;
  let crawler: ShardCrawler | null = null;
  let fetched = 0;
  let failed = 0;
  let skipped = 0;
  let inFlight = 0;
  const known = new Set<string>();
  const done = new Set<string>();

  const haltWith = (why: ShardReason): void => {
    if (reason) return;
    reason = why;
    crawler?.stop(`shard ${why}`);
    halting.abort();
    // Pause lets in-flight requests finish; stop and time-out cut them off.
    if (why === 'stopped' || why === 'timed_out') halt.abort();
  };
  const pollControl = (): void => {
    if (reason) return;
    let signal: ReturnType<ShardHooks['control']>;
    try {
      signal = hooks.control();
    } catch (error) {
      hookError ??= error;
      signal = 'stop';
    }
    if (signal === 'pause') haltWith('paused');
    else if (signal === 'stop') haltWith('stopped');
  };
  const controlTimer = setInterval(pollControl, CONTROL_POLL_MS);
  const wallTimer = setTimeout(() => haltWith('timed_out'), Math.max(0, options.wallTimeMs - (Date.now() - startedAt)));
  const isHalted = (): boolean => {
    pollControl();
    return reason !== null;
  };

  // Hooks are the orchestrator's: a failing hook halts the shard and is rethrown at the end.
  const callHook = async (fn: () => Promise<void>): Promise<void> => {
    try {
      await fn();
    } catch (error) {
      hookError ??= error;
      haltWith('stopped');
    }
  };
  const reportFailure = async (url: string, key: string, depth: number, kind: FailureKind, message: string, status: number | undefined, attempts: number): Promise<void> => {
    if (done.has(key)) return;
    done.add(key);
    failed++;
    await callHook(() => hooks.onPageFailed({ url, urlKey: key, depth, kind, status, message, attempts }));
  };

  const seedUrls: URL[] = [];
  for (const seed of input.seeds) {
    const url = normalizeUrl(seed);
    if (url) seedUrls.push(url);
    else await reportFailure(String(seed), String(seed), 0, 'ssrf_blocked', `${String(seed).slice(0, 200)} is not an http(s) URL`, undefined, 0);
  }
  const filter = new UrlFilter({ seeds: seedUrls, sameDomain: options.sameDomain, include: options.include, exclude: options.exclude });

  const robotsByOrigin = new Map<string, Promise<RobotsRules>>();
  const robotsFor = (url: URL): Promise<RobotsRules> => {
    if (!options.respectRobots) return Promise.resolve(ALLOW_ALL);
    let rules = robotsByOrigin.get(url.origin);
    if (!rules) {
      rules = fetchRobots(client, url.origin, token);
      robotsByOrigin.set(url.origin, rules);
    }
    return rules;
  };

  const client: GuardedHttpClient = new GuardedHttpClient({
    policy,
    userAgent,
    maxBodyBytes: options.maxBodyBytes,
    maxRedirects: CRAWL_CAPS.redirects,
    timeoutMs: options.requestTimeoutMs,
    signal: halt.signal,
    maxSockets: options.concurrency,
    beforeRedirect: (next) => checkRedirect(next),
  });
  // A redirect hop that already passed the SSRF check: it must stay on the site and be allowed by robots.txt.
  async function checkRedirect(next: URL): Promise<void> {
    if (options.sameDomain && !filter.isSameSite(next)) throw new FetchFailure('off_site_redirect', `redirect to ${next.origin} leaves the site`);
    const rules = await robotsFor(next);
    if (rules.source === 'blocked') throw new FetchFailure('ssrf_blocked', `redirect to ${next.origin} refused`);
    if (!rules.isAllowed(next.href)) throw new FetchFailure('blocked_by_robots', `redirect to ${next.href} is disallowed by robots.txt`);
  }

  // Politeness: request starts to the host are spaced by the larger of delayMs and crawl-delay.
  let delayMs = options.delayMs;
  let nextSlotAt = 0;
  const waitForSlot = async (): Promise<void> => {
    if (delayMs <= 0) return;
    const now = Date.now();
    const at = Math.max(now, nextSlotAt);
    nextSlotAt = at + delayMs;
    while (Date.now() < at && !isHalted()) await sleep(Math.min(CONTROL_POLL_MS, at - Date.now()));
  };
  let budgetRefused = false;
  const release = (request: { userData: Record<string, unknown> }): void => {
    if (request.userData.started) inFlight--;
    request.userData.started = false;
  };
  // Waits for a budget slot; false when the budget is spent (pages in flight may still free slots).
  const takeBudget = async (): Promise<boolean> => {
    while (fetched + inFlight >= options.maxPages) {
      if (fetched >= options.maxPages) return false;
      if (isHalted()) return false;
      await sleep(20);
    }
    inFlight++;
    return true;
  };

  const toRequests = async (entries: FrontierEntry[], fromLinks: boolean): Promise<Array<{ url: string; uniqueKey: string; userData: PageData }>> => {
    const out: Array<{ url: string; uniqueKey: string; userData: PageData }> = [];
    for (const entry of entries) {
      const url = normalizeUrl(entry.url);
      if (!url) continue;
      const key = urlKey(url);
      if (known.has(key)) continue;
      if (fromLinks && filter.check(url) !== 'ok') continue;
      known.add(key);
      if (hooks.isVisited(key)) {
        skipped++;
        continue;
      }
      const rules = await robotsFor(url);
      if (rules.source === 'blocked') {
        await reportFailure(url.href, key, entry.depth, 'ssrf_blocked', `${url.origin} is not an allowed target`, undefined, 0);
        continue;
      }
      if (!rules.isAllowed(url.href)) {
        await reportFailure(url.href, key, entry.depth, 'blocked_by_robots', `disallowed by robots.txt (${rules.source})`, undefined, 0);
        continue;
      }
      out.push({ url: url.href, uniqueKey: key, userData: { depth: entry.depth, key } });
    }
    return out;
  };

  const finish = (): ShardOutcome => {
    if (hookError) throw hookError;
    clearInterval(controlTimer);
    clearTimeout(wallTimer);
    client.destroy();
    return {
      reason: reason ?? (budgetRefused ? 'budget_exhausted' : 'completed'),
      pagesFetched: fetched,
      pagesFailed: failed,
      pagesSkipped: skipped,
      pagesPending: Math.max(0, known.size - skipped - done.size),
      durationMs: Date.now() - startedAt,
    };
  };

  try {
    if (seedUrls.length === 0) return finish();
    // The seed host itself is checked once up front, so a refused shard sends nothing (not even robots.txt).
    try {
      await policy.check(seedUrls[0]!);
    } catch (error) {
      if (!(error instanceof FetchFailure)) throw error;
      for (const seed of seedUrls) await reportFailure(seed.href, urlKey(seed), 0, 'ssrf_blocked', error.message, undefined, 0);
      return finish();
    }
    const seedRobots = await robotsFor(seedUrls[0]!);
    if (seedRobots.crawlDelayMs > delayMs) {
      delayMs = seedRobots.crawlDelayMs;
      hooks.onLog('info', `robots.txt asks for a crawl delay of ${delayMs} ms`);
    }

    let initial: FrontierEntry[];
    if (input.platform === 'sitemap') {
      const wanted = Math.min(50_000, options.maxPages * 2 + 50);
      const seen = new Set<string>();
      const pages = await discoverSitemapPages(client, {
        seeds: seedUrls,
        robotsSitemaps: seedRobots.sitemaps,
        wanted,
        maxSitemaps: MAX_SITEMAP_FILES,
        maxBytes: options.maxBodyBytes,
        isHalted,
        onLog: (level, message) => hooks.onLog(level, message),
        accept: (page) => {
          const url = normalizeUrl(page);
          if (!url || filter.check(url) !== 'ok') return false;
          const key = urlKey(url);
          if (seen.has(key)) return false;
          seen.add(key);
          return true;
        },
      });
      hooks.onLog('info', `sitemaps listed ${pages.length} pages`);
      initial = pages.map((url) => ({ url, depth: 0 }));
    } else {
      initial = [...seedUrls.map((url) => ({ url: url.href, depth: 0 })), ...(input.frontier ?? [])];
    }
    const firstRequests = await toRequests(initial, false);
    if (isHalted() || firstRequests.length === 0) return finish();

    const config = new Configuration({ persistStorage: false, purgeOnStart: false, systemInfoIntervalMillis: 5_000 });
    const concurrency = browser ? Math.min(options.concurrency, browser.BROWSER_MAX_CONCURRENCY) : options.concurrency;
    // What both crawlers share: retries, politeness, budget and halting, reporting.
    const shared = {
      log: new Log({ level: LogLevel.WARNING, logger: new HookLogger(hooks.onLog) }),
      useSessionPool: false,
      persistCookiesPerSession: false,
      retryOnBlocked: false,
      respectRobotsTxtFile: false,
      maxRequestRetries: options.maxRetries,
      minConcurrency: concurrency,
      maxConcurrency: concurrency,
      navigationTimeoutSecs: options.requestTimeoutMs / 1000 + 1,
      requestHandlerTimeoutSecs: 300 + Math.ceil((concurrency * delayMs) / 1000),
      statusMessageLoggingInterval: 24 * 3600,
      autoscaledPoolOptions: { maybeRunIntervalSecs: 0.05, loggingIntervalSecs: null },
      statisticsOptions: { saveErrorSnapshots: false, logIntervalSecs: 24 * 3600 },
      preNavigationHooks: [
        async ({ request }: { request: CrawlRequest }) => {
          if (isHalted()) throw new HaltedError();
          if (!(await takeBudget())) {
            if (!isHalted()) {
              budgetRefused = true;
              crawler?.stop('budget exhausted');
            }
            throw new HaltedError();
          }
          await waitForSlot();
          if (isHalted()) {
            inFlight--;
            throw new HaltedError();
          }
          request.userData.started = true;
        },
      ],
      errorHandler: async ({ request }: { request: CrawlRequest }, error: Error) => {
        release(request);
        if (reason) {
          request.noRetry = true;
          return;
        }
        const wait = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** request.retryCount);
        hooks.onLog('warn', `retrying ${request.url} in ${wait} ms: ${error.message}`);
        const until = Date.now() + wait;
        while (Date.now() < until && !isHalted()) await sleep(Math.min(CONTROL_POLL_MS, until - Date.now()));
        if (reason) request.noRetry = true;
      },
      failedRequestHandler: async ({ request }: { request: CrawlRequest }, error: Error) => {
        release(request);
        if (error instanceof HaltedError) return;
        // A request cut off by stop/time-out (any halt for a render) is not a failed page: it stays pending for a later run.
        if ((halt.signal.aborted || (browser && halting.signal.aborted)) && !(error instanceof FetchFailure)) return;
        const data = request.userData as PageData;
        const { kind, status, message } = classify(error);
        await reportFailure(request.url, data.key, data.depth, kind, message, status, request.retryCount + 1);
      },
    };
    // One fetched (or rendered) document: extraction, new links, the onPage hook.
    const onDocument = async (request: CrawlRequest, document: CheerioAPI | string, status: number, bytes: number): Promise<void> => {
      const data = request.userData as PageData;
      const finalUrl = request.loadedUrl ?? request.url;
      const page = {
        platform: input.platform,
        url: finalUrl,
        selectors: input.selectors,
        context: input.extractContext,
        wantLinks: input.platform === 'website' && data.depth < options.maxDepth,
      };
      let processed;
      try {
        processed = typeof document === 'string' ? await extractionPool.process({ ...page, html: document }) : processPage({ ...page, $: document });
      } catch (error) {
        release(request);
        await reportFailure(request.url, data.key, data.depth, 'processing_error', (error as Error).message, status, request.retryCount + 1);
        return;
      }
      const discovered: FrontierEntry[] = [];
      const next = await toRequests(
        processed.links.map((url) => ({ url, depth: data.depth + 1 })),
        true,
      );
      for (const r of next) discovered.push({ url: r.url, depth: r.userData.depth });
      if (next.length && !reason) await crawler!.addRequests(next);
      release(request);
      done.add(data.key);
      fetched++;
      await callHook(() =>
        hooks.onPage({
          url: request.url,
          urlKey: data.key,
          finalUrl,
          depth: data.depth,
          status,
          fetchedAt: new Date(),
          bytes,
          findings: processed.findings,
          records: processed.records,
          nextUrl: processed.nextUrl,
          discovered,
        }),
      );
    };

    const created: ShardCrawler = browser
      ? await browser.createBrowserCrawler(
          {
            shared,
            onDocument,
            chromiumPath: deps.chromiumPath,
            userAgent,
            policy,
            halting: halting.signal,
            requestTimeoutMs: options.requestTimeoutMs,
            maxBodyBytes: options.maxBodyBytes,
            checkRedirect,
            onLog: hooks.onLog,
          },
          config,
        )
      : new ParseOnceCheerioCrawler(
          {
            ...shared,
            httpClient: client,
            requestHandler: async (context) =>
              onDocument(
                context.request,
                (context.$ as unknown as CheerioAPI | undefined) ?? (context.body as string),
                context.response.statusCode ?? 200,
                Buffer.byteLength(context.body as string),
              ),
          },
          config,
        );
    crawler = created;
    await created.addRequests(firstRequests);
    if (!isHalted()) await created.run();
    return finish();
  } finally {
    // finish() is idempotent for the timers and the agents; called here too for the error paths.
    clearInterval(controlTimer);
    clearTimeout(wallTimer);
    client.destroy();
    await crawler?.teardown().catch(() => undefined);
  }
}
