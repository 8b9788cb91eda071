import type { LookupFunction } from 'node:net';
import type { BrowserContext, Route, WebSocketRoute } from 'playwright-core';
import { RequestError, Server } from 'proxy-chain';
import { FetchFailure, type GuardPolicy } from './guarded-http-client';

/** Resource types a render never needs for extraction; aborted for speed. */
export const BLOCKED_RESOURCE_TYPES: ReadonlySet<string> = new Set(['image', 'media', 'font']);

const MAX_CACHED_VERDICTS = 2_000;

const bare = (hostname: string): string => hostname.replace(/^\[|\]$/g, '');
const hostPart = (hostname: string): string => (bare(hostname).includes(':') ? `[${bare(hostname)}]` : bare(hostname));

/**
 * The SSRF guard of a browser render, in two layers:
 *
 * 1. Every request the pages make (documents, frames, scripts, fetch/XHR, workers, beacons) passes
 *    a context-wide route that refuses non-http(s) schemes and runs `assertAllowedUrl` (through the
 *    shard's GuardPolicy, so ALLOW_PRIVATE_TARGETS and the allowed private origins apply); WebSockets
 *    pass the same check through `routeWebSocket`.
 * 2. Chromium reaches the network only through a local proxy (proxy-chain) owned by this shard, with
 *    loopback not bypassed. The proxy checks every connection again and connects with the guarded DNS
 *    lookup, so the address connected to is the address checked. It covers what routes cannot see:
 *    redirect hops (Playwright does not route them), preconnects, and a host name that re-resolves
 *    to a private address after the route check (DNS rebinding).
 *
 * Residual risk (docs/scraping.md): UDP is not proxied (WebRTC is limited to proxied connections by a
 * launch flag, and DNS prefetch sends lookups, not requests); Chromium's own background traffic is
 * switched off by launch flags, not guarded; the proxy listens on 127.0.0.1 without credentials for
 * the life of a shard, but only forwards to targets the policy allows.
 */
export class BrowserNetworkGuard {
  private proxy: Server | null = null;
  private readonly verdicts = new Map<string, Promise<string | null>>();
  private readonly refusedHosts = new Map<string, string>();
  private readonly reported = new Set<string>();

  constructor(
    private readonly policy: GuardPolicy,
    private readonly onRefused: (target: string, reason: string) => void,
  ) {}

  /** Starts the proxy; returns Playwright's `proxy` launch option. */
  async start(): Promise<{ server: string; bypass: string }> {
    const proxy = new Server({
      port: 0,
      host: '127.0.0.1',
      verbose: false,
      prepareRequestFunction: async ({ hostname, port, isHttp, request }) => {
        const target = this.proxyTarget(hostname, port, isHttp, request.url);
        const reason = target ? await this.reasonFor(target) : 'not a valid target';
        const key = `${hostPart(hostname)}:${port}`;
        if (reason || !target) {
          this.refuse(key, key, reason ?? 'not a valid target');
          throw new RequestError(`target refused: ${reason}`, 403);
        }
        return { dnsLookup: this.recordingLookup(this.policy.lookupFor(target), key) as never };
      },
    });
    // proxy-chain reports client resets as errors; they are the browser closing tabs.
    proxy.on('requestFailed', () => undefined);
    await proxy.listen();
    this.proxy = proxy;
    // '<-loopback>' removes Chromium's implicit bypass, so 127.0.0.1 and localhost go through the proxy too.
    return { server: `http://127.0.0.1:${proxy.port}`, bypass: '<-loopback>' };
  }

  async close(): Promise<void> {
    const proxy = this.proxy;
    this.proxy = null;
    await proxy?.close(true).catch(() => undefined);
  }

  /** Routes every request and WebSocket of a browser context through the checks. */
  async install(context: BrowserContext): Promise<void> {
    await context.route('**/*', (route) => this.onRoute(route));
    await context.routeWebSocket(/.*/, (ws) => this.onWebSocket(ws));
  }

  /** Null when the URL may be contacted, else why not. Cached per origin for the shard. */
  reasonFor(url: URL): Promise<string | null> {
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return Promise.resolve(`scheme ${url.protocol} is not allowed`);
    if (url.username || url.password) return Promise.resolve('credentials in URLs are not allowed');
    const key = url.origin;
    let verdict = this.verdicts.get(key);
    if (!verdict) {
      if (this.verdicts.size >= MAX_CACHED_VERDICTS) this.verdicts.clear();
      verdict = this.policy.check(url).then(
        () => null,
        (error: unknown) => (error instanceof FetchFailure ? error.message : `refused: ${(error as Error)?.message ?? String(error)}`),
      );
      this.verdicts.set(key, verdict);
    }
    return verdict;
  }

  /** Why the proxy refused this URL's host and port (at the check or at connect time), if it did. */
  refusedTarget(url: URL): string | undefined {
    const port = url.port || (url.protocol === 'https:' || url.protocol === 'wss:' ? '443' : '80');
    return this.refusedHosts.get(`${hostPart(url.hostname)}:${port}`);
  }

  private async onRoute(route: Route): Promise<void> {
    const request = route.request();
    try {
      let url: URL | null = null;
      try {
        url = new URL(request.url());
      } catch {
        url = null;
      }
      if (!url) return await route.abort('blockedbyclient');
      if (BLOCKED_RESOURCE_TYPES.has(request.resourceType())) return await route.abort('blockedbyclient');
      const reason = await this.reasonFor(url);
      if (reason) {
        this.refuse(null, url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : url.protocol, reason);
        return await route.abort('blockedbyclient');
      }
      await route.continue();
    } catch {
      // The page or its context closed while the request waited (halt, page done): nothing to do.
    }
  }

  private async onWebSocket(ws: WebSocketRoute): Promise<void> {
    let reason: string | null;
    let origin = ws.url();
    try {
      const url = new URL(ws.url());
      if (url.protocol !== 'ws:' && url.protocol !== 'wss:') reason = `scheme ${url.protocol} is not allowed`;
      else {
        const asHttp = new URL(url.href.replace(/^ws/i, 'http'));
        origin = asHttp.origin;
        reason = await this.reasonFor(asHttp);
      }
    } catch {
      reason = 'not a valid URL';
    }
    try {
      if (reason) {
        this.refuse(null, origin, reason);
        await ws.close({ code: 1008, reason: 'refused' });
        return;
      }
      ws.connectToServer();
    } catch {
      // The page closed meanwhile.
    }
  }

  /** The URL a proxy request is judged as. A CONNECT has no scheme: an allowed private http origin on the same host:port (ws://) counts. */
  private proxyTarget(hostname: string, port: number, isHttp: boolean, requestUrl: string | undefined): URL | null {
    try {
      if (isHttp && requestUrl) return new URL(requestUrl);
      const asHttp = new URL(`http://${hostPart(hostname)}:${port}/`);
      return this.policy.isExempt(asHttp) ? asHttp : new URL(`https://${hostPart(hostname)}:${port}/`);
    } catch {
      return null;
    }
  }

  private recordingLookup(lookup: LookupFunction, key: string): LookupFunction {
    return ((hostname: string, options: unknown, callback?: (...args: unknown[]) => void) => {
      const done = (typeof options === 'function' ? options : callback) as (...args: unknown[]) => void;
      const settings = typeof options === 'function' ? {} : options;
      (lookup as (h: string, o: unknown, cb: (...args: unknown[]) => void) => void)(hostname, settings, (error: unknown, ...rest: unknown[]) => {
        if (error && (error as Error).name === 'BlockedTargetError') this.refuse(key, key, (error as Error).message);
        done(error, ...rest);
      });
    }) as LookupFunction;
  }

  private refuse(hostAndPort: string | null, target: string, reason: string): void {
    if (hostAndPort) this.refusedHosts.set(hostAndPort, reason);
    if (this.reported.has(target)) return;
    this.reported.add(target);
    this.onRefused(target, reason);
  }
}
