import { access, constants } from 'node:fs/promises';
import { PlaywrightCrawler, type Configuration, type PlaywrightCrawlerOptions, type PlaywrightCrawlingContext } from '@crawlee/playwright';
import { load, type CheerioAPI } from 'cheerio';
import { chromium, type Page, type Request as BrowserRequest, type Response } from 'playwright-core';
import { BrowserUnavailableError, CRAWL_CAPS, type ShardHooks } from './crawl-options';
import { BrowserNetworkGuard } from './browser-network-guard';
import { FetchFailure, PAGE_TYPES, TransientFetchFailure, type GuardPolicy } from './guarded-http-client';
import type { CrawlRequest, ShardCrawler } from './shard-crawler';

/** Pages rendered at once per shard: a tab costs far more than a socket. */
export const BROWSER_MAX_CONCURRENCY = 2;

/** Debian's Chromium, headless, with the background traffic it would make on its own switched off. */
export const CHROMIUM_ARGS: readonly string[] = Object.freeze([
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-default-apps',
  '--disable-extensions',
  '--no-first-run',
  '--mute-audio',
  // WebRTC could send UDP around the proxy; keep it to proxied connections.
  '--webrtc-ip-handling-policy=disable_non_proxied_udp',
]);

/** After `load`, how long to wait for the network to go quiet so script-inserted content is there. */
const SETTLE_MS = 3_000;

/** Fails fast, before anything is fetched, when this machine cannot render. */
export async function assertChromiumAvailable(chromiumPath: string): Promise<void> {
  try {
    await access(chromiumPath, constants.X_OK);
  } catch {
    throw new BrowserUnavailableError(`render 'browser' needs Chromium at ${chromiumPath} (CHROMIUM_PATH): not found or not executable (Debian: apt-get install chromium)`);
  }
}

export type SharedCrawlerOptions = Pick<
  PlaywrightCrawlerOptions,
  | 'log'
  | 'useSessionPool'
  | 'persistCookiesPerSession'
  | 'retryOnBlocked'
  | 'respectRobotsTxtFile'
  | 'maxRequestRetries'
  | 'minConcurrency'
  | 'maxConcurrency'
  | 'navigationTimeoutSecs'
  | 'requestHandlerTimeoutSecs'
  | 'statusMessageLoggingInterval'
  | 'autoscaledPoolOptions'
  | 'statisticsOptions'
  | 'preNavigationHooks'
  | 'errorHandler'
  | 'failedRequestHandler'
>;

export interface BrowserCrawlerInput {
  /** Retries, concurrency, budget/politeness hook and failure reporting, as for the HTTP crawler. */
  shared: SharedCrawlerOptions;
  /** The engine's handler of one document (extraction, links, onPage). */
  onDocument(request: CrawlRequest, $: CheerioAPI, status: number, bytes: number): Promise<void>;
  chromiumPath: string;
  userAgent: string;
  policy: GuardPolicy;
  /** Aborted on pause, stop and time-out: open tabs are closed, their pages stay pending. */
  halting: AbortSignal;
  requestTimeoutMs: number;
  maxBodyBytes: number;
  /** Same-site and robots.txt check of a redirect hop; throws a FetchFailure to refuse it. */
  checkRedirect(next: URL): Promise<void>;
  onLog: ShardHooks['onLog'];
}

interface PageState {
  start: string;
  /** Main-frame navigation requests in order (HTTP redirects and script/meta redirects alike). */
  hops: string[];
  checked: number;
}

const PROXY_ERROR_WORDS = /ERR_TUNNEL_CONNECTION_FAILED|ERR_PROXY_CONNECTION_FAILED|ECONNREFUSED|ECONNRESET|Proxy responded with/g;

/** A failed `page.goto` as the engine's failure kinds (and without words Crawlee takes for proxy trouble). */
function navigationFailure(error: unknown, timeoutMs: number): Error {
  const err = error as Error;
  const message = String(err?.message ?? err).split('\n')[0]!;
  if (err?.name === 'TimeoutError') return new TransientFetchFailure('timeout', `no complete response within ${timeoutMs} ms`);
  if (/Download is starting/i.test(message)) return new FetchFailure('not_html', 'the server sent a download, not a page');
  if (/ERR_BLOCKED_BY_CLIENT/.test(message)) return new FetchFailure('ssrf_blocked', 'the browser refused the navigation');
  const code = /net::(ERR_[A-Z_]+)/.exec(message)?.[1];
  const readable = code ? `navigation failed (${code})` : message;
  return new TransientFetchFailure('network', readable.replace(PROXY_ERROR_WORDS, 'connection failed'));
}

class GuardedPlaywrightCrawler extends PlaywrightCrawler implements ShardCrawler {
  private readonly states = new WeakMap<Page, PageState>();
  private readonly openPages = new Set<Page>();

  constructor(
    options: PlaywrightCrawlerOptions,
    config: Configuration,
    private readonly input: BrowserCrawlerInput,
    private readonly guard: BrowserNetworkGuard,
  ) {
    super(options, config);
    input.halting.addEventListener('abort', () => this.closeOpenPages(), { once: true });
  }

  /** Called by Crawlee from the browser pool's page hook, before the page navigates. */
  async preparePage(page: Page): Promise<void> {
    this.openPages.add(page);
    page.once('close', () => this.openPages.delete(page));
    if (this.input.halting.aborted) {
      this.closeOpenPages();
      return;
    }
    await this.guard.install(page.context());
  }

  private closeOpenPages(): void {
    for (const page of this.openPages) void page.close().catch(() => undefined);
    this.openPages.clear();
  }

  protected override async _navigationHandler(context: PlaywrightCrawlingContext, gotoOptions: { timeout?: number }): Promise<Response | null> {
    const page = context.page as Page;
    const state: PageState = { start: context.request.url, hops: [], checked: 0 };
    this.states.set(page, state);
    page.on('request', (request: BrowserRequest) => {
      try {
        if (request.isNavigationRequest() && request.frame() === page.mainFrame()) state.hops.push(request.url());
      } catch {
        // Requests of service workers have no frame; they are not navigations of this page.
      }
    });
    const timeoutMs = Math.min(gotoOptions.timeout ?? this.input.requestTimeoutMs, this.input.requestTimeoutMs);
    let response: Response | null;
    try {
      response = await page.goto(context.request.url, { timeout: timeoutMs, waitUntil: 'load' });
    } catch (error) {
      await this.checkHops(state);
      throw navigationFailure(error, timeoutMs);
    }
    await this.checkHops(state);
    if (!response) throw new TransientFetchFailure('network', 'the navigation produced no response');
    this.checkResponse(response);
    return response;
  }

  /**
   * The redirect chain of the page, as the HTTP client checks it hop by hop: at most
   * CRAWL_CAPS.redirects hops, http(s) only, each allowed by the SSRF policy (the proxy has already
   * refused the forbidden ones), on the site and allowed by robots.txt. Playwright does not route
   * redirect hops, so this runs after them; script and meta redirects are caught the same way.
   */
  private async checkHops(state: PageState): Promise<void> {
    const first = this.refusedByProxy(state.start);
    if (first) throw new FetchFailure('ssrf_blocked', first);
    for (let i = Math.max(1, state.checked); i < state.hops.length; i++) {
      state.checked = i + 1;
      const raw = state.hops[i]!;
      if (raw === state.hops[i - 1]) continue;
      if (i > CRAWL_CAPS.redirects) throw new FetchFailure('http_error', `more than ${CRAWL_CAPS.redirects} redirects`);
      let next: URL;
      try {
        next = new URL(raw);
      } catch {
        throw new FetchFailure('http_error', `invalid redirect location ${JSON.stringify(raw).slice(0, 200)}`);
      }
      if (next.protocol !== 'http:' && next.protocol !== 'https:') throw new FetchFailure('ssrf_blocked', `redirect to scheme ${next.protocol} refused`);
      const refused = this.refusedByProxy(raw) ?? (await this.guard.reasonFor(next));
      if (refused) throw new FetchFailure('ssrf_blocked', `redirect to ${next.origin} refused: ${refused}`);
      await this.input.checkRedirect(next);
    }
  }

  private refusedByProxy(raw: string): string | undefined {
    try {
      return this.guard.refusedTarget(new URL(raw));
    } catch {
      return undefined;
    }
  }

  private checkResponse(response: Response): void {
    const status = response.status();
    if (status === 429 || status >= 500) throw new TransientFetchFailure('http_error', `HTTP ${status}`, status);
    if (status >= 300 || status < 200) throw new FetchFailure('http_error', `HTTP ${status}`, status);
    const headers = response.headers();
    const type = headers['content-type']?.split(';')[0]!.trim().toLowerCase();
    if (type && !PAGE_TYPES.has(type)) throw new FetchFailure('not_html', `content type ${type} is not a page`, status);
    const declared = Number(headers['content-length']);
    if (Number.isFinite(declared) && declared > this.input.maxBodyBytes && !headers['content-encoding']) {
      throw new FetchFailure('too_large', `body of ${declared} bytes exceeds ${this.input.maxBodyBytes}`, status);
    }
  }

  /** After load: let scripts finish, re-check where the page went, and extract from the rendered DOM. */
  async renderDocument(context: PlaywrightCrawlingContext): Promise<void> {
    const page = context.page as Page;
    await page.waitForLoadState('networkidle', { timeout: SETTLE_MS }).catch(() => undefined);
    if (this.input.halting.aborted) throw new TransientFetchFailure('network', 'the shard is halting');
    const state = this.states.get(page);
    if (state) await this.checkHops(state);
    const html = await page.content();
    const bytes = Buffer.byteLength(html);
    if (bytes > this.input.maxBodyBytes) throw new FetchFailure('too_large', `rendered document of ${bytes} bytes exceeds ${this.input.maxBodyBytes}`, context.response?.status());
    context.request.loadedUrl = page.url();
    const $ = load(html, { xml: { xmlMode: false, decodeEntities: true } });
    await this.input.onDocument(context.request, $, context.response?.status() ?? 200, bytes);
  }

  override async run(...args: Parameters<PlaywrightCrawler['run']>): ReturnType<PlaywrightCrawler['run']> {
    try {
      return await super.run(...args);
    } catch (error) {
      if ((error as Error)?.name !== 'BrowserLaunchError') throw error;
      const cause = (error as Error & { cause?: unknown }).cause;
      const detail = cause instanceof Error ? cause.message.split('\n')[0] : 'unknown error';
      throw new BrowserUnavailableError(`Chromium at ${this.input.chromiumPath} failed to start: ${detail}`);
    }
  }

  override async teardown(): Promise<void> {
    try {
      await super.teardown();
    } finally {
      await this.guard.close();
    }
  }
}

/**
 * The browser counterpart of the shard's CheerioCrawler: Crawlee's PlaywrightCrawler driving the
 * system Chromium through playwright-core (no browser download), headless, one fresh incognito
 * context per page in a browser whose temporary profile Playwright creates and removes, every
 * request guarded (see BrowserNetworkGuard), images, media and fonts not loaded.
 */
export async function createBrowserCrawler(input: BrowserCrawlerInput, config: Configuration): Promise<ShardCrawler> {
  const guard = new BrowserNetworkGuard(input.policy, (target, reason) => input.onLog('warn', `browser: refused a request to ${target} (${reason})`));
  const proxy = await guard.start();
  let crawler: GuardedPlaywrightCrawler | null = null;
  try {
    crawler = new GuardedPlaywrightCrawler(
      {
        ...input.shared,
        maxSessionRotations: 0,
        headless: true,
        launchContext: {
          launcher: chromium,
          useIncognitoPages: true,
          userAgent: input.userAgent,
          launchOptions: {
            executablePath: input.chromiumPath,
            headless: true,
            chromiumSandbox: false,
            args: [...CHROMIUM_ARGS],
            proxy,
            timeout: 30_000,
            // Crawlee passes the launch options on to every incognito context as its options too.
            ...({ userAgent: input.userAgent, serviceWorkers: 'block', acceptDownloads: false, ignoreHTTPSErrors: true } as object),
          },
        },
        browserPoolOptions: {
          useFingerprints: false,
          retireBrowserAfterPageCount: 200,
          postPageCreateHooks: [async (page) => crawler!.preparePage(page as unknown as Page)],
        },
        requestHandler: async (context) => crawler!.renderDocument(context),
      },
      config,
      input,
      guard,
    );
    return crawler;
  } catch (error) {
    await guard.close();
    throw error;
  }
}
