import { lookup as systemLookup } from 'node:dns';
import http, { type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { PassThrough, type Readable } from 'node:stream';
import zlib from 'node:zlib';
import { NonRetryableError } from '@crawlee/cheerio';
import type { BaseHttpClient, HttpRequest, HttpResponse, RedirectHandler, ResponseTypes, StreamingHttpResponse } from '@crawlee/cheerio';
import { assertAllowedUrl, BlockedTargetError, createGuardedLookup, type Resolver } from '../../common/network/ssrf-guard';
import type { FailureKind } from './crawl-options';

/** A page failure that retrying cannot fix (SSRF, robots, 4xx, too large, not HTML). */
export class FetchFailure extends NonRetryableError {
  constructor(
    readonly kind: FailureKind,
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'FetchFailure';
  }
}

/** A failure worth retrying with backoff (network error, timeout, 5xx, 429). */
export class TransientFetchFailure extends Error {
  constructor(
    readonly kind: FailureKind,
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'TransientFetchFailure';
  }
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
/** Content types crawled as pages. */
export const PAGE_TYPES: ReadonlySet<string> = new Set(['text/html', 'application/xhtml+xml', 'application/xml', 'text/xml']);

export interface GuardPolicyOptions {
  allowPrivateTargets: boolean;
  allowedPrivateOrigins?: string[];
  resolver?: Resolver;
}

/**
 * The SSRF policy of one shard: a check of every URL before it is contacted (scheme, credentials,
 * every resolved address public) and the DNS lookup used to connect, which refuses non-public
 * answers again so a rebinding resolver cannot slip past the check.
 */
export class GuardPolicy {
  private readonly exempt: Set<string>;
  private readonly guardedLookup: LookupFunction;

  constructor(private readonly options: GuardPolicyOptions) {
    this.exempt = new Set((options.allowedPrivateOrigins ?? []).map((origin) => new URL(origin).origin));
    this.guardedLookup = createGuardedLookup({ allowPrivate: options.allowPrivateTargets }) as unknown as LookupFunction;
  }

  /** True when the address check is lifted for this URL (ALLOW_PRIVATE_TARGETS or an allowed private origin). */
  isExempt(url: URL): boolean {
    return this.options.allowPrivateTargets || this.exempt.has(url.origin);
  }

  async check(url: URL): Promise<void> {
    try {
      await assertAllowedUrl(url, { allowPrivate: this.isExempt(url), resolver: this.options.resolver });
    } catch (error) {
      if (error instanceof BlockedTargetError) throw new FetchFailure('ssrf_blocked', error.message);
      throw error;
    }
  }

  lookupFor(url: URL): LookupFunction {
    return this.isExempt(url) ? (systemLookup as unknown as LookupFunction) : this.guardedLookup;
  }
}

export interface ClientOptions {
  policy: GuardPolicy;
  userAgent: string;
  maxBodyBytes: number;
  maxRedirects: number;
  timeoutMs: number;
  /** Called before following each redirect (after the SSRF check); throw a FetchFailure to refuse it. */
  beforeRedirect?: (next: URL, from: URL) => Promise<void> | void;
  /** Shard-wide abort: stop and time-out end in-flight requests with it. */
  signal?: AbortSignal;
  maxSockets?: number;
}

export interface OpenOptions {
  /** Accept any content type (robots.txt, sitemaps); pages accept HTML/XML only. */
  anyContentType?: boolean;
  /** Resolve for 4xx instead of failing (robots.txt: 404 means no rules). */
  allowErrorStatus?: boolean;
  headers?: Record<string, string | string[] | undefined>;
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface OpenedResponse {
  url: URL;
  redirectUrls: URL[];
  statusCode: number;
  statusMessage?: string;
  headers: IncomingHttpHeaders;
  ip?: string;
  /** Decompressed body, limited to maxBodyBytes and to the request deadline. */
  body: Readable;
}

function contentTypeOf(headers: IncomingHttpHeaders): string | null {
  const raw = headers['content-type'];
  if (!raw) return null;
  return raw.split(';')[0]!.trim().toLowerCase();
}

function decoderFor(encoding: string | undefined): zlib.Gunzip | zlib.Inflate | zlib.BrotliDecompress | null {
  switch ((encoding ?? '').trim().toLowerCase()) {
    case 'gzip':
    case 'x-gzip':
      return zlib.createGunzip();
    case 'deflate':
      return zlib.createInflate();
    case 'br':
      return zlib.createBrotliDecompress();
    default:
      return null;
  }
}

/**
 * The HTTP client of the crawl: node:http(s) with keep-alive agents, redirects followed by hand so
 * that every hop passes the SSRF check, decompression with a cap on the decompressed size, and one
 * deadline that covers redirects and the body. It implements Crawlee's BaseHttpClient, so the
 * crawler's own navigation goes through it too.
 */
export class GuardedHttpClient implements BaseHttpClient {
  private readonly httpAgent: http.Agent;
  private readonly httpsAgent: https.Agent;

  constructor(private readonly options: ClientOptions) {
    const maxSockets = options.maxSockets ?? 16;
    this.httpAgent = new http.Agent({ keepAlive: true, maxSockets });
    // Most small-business sites are crawled for public pages only; a broken chain should not hide them.
    this.httpsAgent = new https.Agent({ keepAlive: true, maxSockets, rejectUnauthorized: false });
  }

  destroy(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }

  async open(target: URL, init: OpenOptions = {}): Promise<OpenedResponse> {
    const timeoutMs = init.timeoutMs ?? this.options.timeoutMs;
    const signals = [this.options.signal, init.signal].filter((s): s is AbortSignal => !!s);
    const abort = new AbortController();
    const onAbort = (): void => abort.abort(new TransientFetchFailure('network', 'the crawl was halted'));
    for (const s of signals) {
      if (s.aborted) throw new TransientFetchFailure('network', 'the crawl was halted');
      s.addEventListener('abort', onAbort, { once: true });
    }
    const timer = setTimeout(() => abort.abort(new TransientFetchFailure('timeout', `no complete response within ${timeoutMs} ms`)), timeoutMs);
    const release = (): void => {
      clearTimeout(timer);
      for (const s of signals) s.removeEventListener('abort', onAbort);
    };

    try {
      const redirectUrls: URL[] = [];
      let url = target;
      for (let hop = 0; ; hop++) {
        await this.options.policy.check(url);
        if (abort.signal.aborted) throw abort.signal.reason;
        const res = await this.requestOnce(url, init.headers ?? {}, abort.signal);
        const status = res.statusCode ?? 0;
        const location = res.headers.location;
        if (REDIRECT_STATUSES.has(status) && location) {
          res.destroy();
          if (hop >= this.options.maxRedirects) throw new FetchFailure('http_error', `more than ${this.options.maxRedirects} redirects`, status);
          let next: URL;
          try {
            next = new URL(location, url);
          } catch {
            throw new FetchFailure('http_error', `invalid redirect location ${JSON.stringify(location).slice(0, 200)}`, status);
          }
          if (next.protocol !== 'http:' && next.protocol !== 'https:') throw new FetchFailure('ssrf_blocked', `redirect to scheme ${next.protocol} refused`);
          await this.options.beforeRedirect?.(next, url);
          redirectUrls.push(next);
          url = next;
          continue;
        }
        if (!init.allowErrorStatus || status >= 500 || status === 429) {
          if (status === 429 || status >= 500) {
            res.destroy();
            throw new TransientFetchFailure('http_error', `HTTP ${status}`, status);
          }
          if (status >= 300 || status < 200) {
            res.destroy();
            throw new FetchFailure('http_error', `HTTP ${status}`, status);
          }
        }
        if (!init.anyContentType) {
          const type = contentTypeOf(res.headers);
          if (type !== null && !PAGE_TYPES.has(type)) {
            res.destroy();
            throw new FetchFailure('not_html', `content type ${type} is not a page`, status);
          }
        }
        const declared = Number(res.headers['content-length']);
        const limit = this.options.maxBodyBytes;
        if (Number.isFinite(declared) && declared > limit && !res.headers['content-encoding']) {
          res.destroy();
          throw new FetchFailure('too_large', `body of ${declared} bytes exceeds ${limit}`, status);
        }
        const body = this.limitedBody(res, abort.signal, limit, release);
        return { url, redirectUrls, statusCode: status, statusMessage: res.statusMessage, headers: res.headers, ip: res.socket?.remoteAddress, body };
      }
    } catch (error) {
      release();
      if (error instanceof FetchFailure || error instanceof TransientFetchFailure) throw error;
      if (abort.signal.aborted && abort.signal.reason instanceof TransientFetchFailure) throw abort.signal.reason;
      const err = error as NodeJS.ErrnoException;
      if (err instanceof BlockedTargetError || err?.name === 'BlockedTargetError') throw new FetchFailure('ssrf_blocked', err.message);
      throw new TransientFetchFailure('network', err?.code ? `${err.code}: ${err.message}` : String(err?.message ?? err));
    }
  }

  private requestOnce(url: URL, headers: Record<string, string | string[] | undefined>, signal: AbortSignal): Promise<IncomingMessage> {
    const isHttps = url.protocol === 'https:';
    return new Promise<IncomingMessage>((resolve, reject) => {
      const req = (isHttps ? https : http).request({
        protocol: url.protocol,
        hostname: url.hostname.replace(/^\[|\]$/g, ''),
        port: url.port || (isHttps ? 443 : 80),
        path: `${url.pathname}${url.search}`,
        method: 'GET',
        agent: isHttps ? this.httpsAgent : this.httpAgent,
        lookup: this.options.policy.lookupFor(url),
        servername: isHttps ? url.hostname.replace(/^\[|\]$/g, '') : undefined,
        signal,
        headers: {
          accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
          'accept-encoding': 'gzip, deflate, br',
          'accept-language': 'en;q=0.9,*;q=0.5',
          ...headers,
          'user-agent': this.options.userAgent,
        },
      });
      req.once('response', resolve);
      req.once('error', (error) => reject(signal.aborted ? signal.reason : error));
      req.end();
    });
  }

  private limitedBody(res: IncomingMessage, signal: AbortSignal, limit: number, release: () => void): Readable {
    const out = new PassThrough();
    const decoder = decoderFor(res.headers['content-encoding'] as string | undefined);
    const source: Readable = decoder ? res.pipe(decoder) : res;
    let received = 0;
    let settled = false;
    const fail = (error: Error): void => {
      if (settled) return;
      settled = true;
      release();
      res.destroy();
      decoder?.destroy();
      out.destroy(error);
    };
    const onAbort = (): void => fail(signal.reason instanceof Error ? signal.reason : new TransientFetchFailure('network', 'aborted'));
    signal.addEventListener('abort', onAbort, { once: true });
    source.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received > limit) return fail(new FetchFailure('too_large', `body exceeds ${limit} bytes`, res.statusCode));
      if (!out.write(chunk)) {
        source.pause();
        out.once('drain', () => source.resume());
      }
    });
    source.once('end', () => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      release();
      out.end();
    });
    source.once('error', (error) => fail(new TransientFetchFailure('network', error.message)));
    res.once('error', (error) => fail(new TransientFetchFailure('network', error.message)));
    res.once('aborted', () => fail(new TransientFetchFailure('network', 'the connection was closed mid-body')));
    out.once('close', () => {
      signal.removeEventListener('abort', onAbort);
      if (!settled) {
        settled = true;
        release();
        res.destroy();
      }
    });
    return out;
  }

  /** Reads a whole (limited) body as text. */
  async text(target: URL, init: OpenOptions = {}): Promise<{ response: OpenedResponse; text: string }> {
    const response = await this.open(target, init);
    const chunks: Buffer[] = [];
    for await (const chunk of response.body) chunks.push(chunk as Buffer);
    return { response, text: Buffer.concat(chunks).toString('utf8') };
  }

  // --- Crawlee BaseHttpClient ---

  /** The shard's timeout wins over a looser one from the caller (Crawlee adds a margin to its own). */
  private timeoutFor(request: HttpRequest<keyof ResponseTypes>): number {
    const asked = request.timeout && 'request' in request.timeout ? request.timeout.request : undefined;
    return Math.min(asked ?? this.options.timeoutMs, this.options.timeoutMs);
  }

  async stream(request: HttpRequest, _onRedirect?: RedirectHandler): Promise<StreamingHttpResponse> {
    const timeout = this.timeoutFor(request);
    const opened = await this.open(new URL(String(request.url)), { headers: request.headers, signal: request.signal, timeoutMs: timeout });
    let transferred = 0;
    opened.body.on('data', (chunk: Buffer) => {
      transferred += chunk.length;
    });
    return {
      stream: opened.body,
      request,
      redirectUrls: opened.redirectUrls,
      url: opened.url.href,
      ip: opened.ip,
      statusCode: opened.statusCode,
      statusMessage: opened.statusMessage,
      headers: opened.headers,
      trailers: {},
      complete: false,
      get downloadProgress() {
        return { percent: 0, transferred };
      },
      get uploadProgress() {
        return { percent: 1, transferred: 0 };
      },
    };
  }

  async sendRequest<TResponseType extends keyof ResponseTypes = 'text'>(request: HttpRequest<TResponseType>): Promise<HttpResponse<TResponseType>> {
    const timeout = this.timeoutFor(request as HttpRequest<keyof ResponseTypes>);
    const opened = await this.open(new URL(String(request.url)), { headers: request.headers, signal: request.signal, timeoutMs: timeout, anyContentType: true, allowErrorStatus: true });
    const chunks: Buffer[] = [];
    for await (const chunk of opened.body) chunks.push(chunk as Buffer);
    const buffer = Buffer.concat(chunks);
    const type = request.responseType ?? 'text';
    const body = (type === 'buffer' ? buffer : type === 'json' ? JSON.parse(buffer.toString('utf8')) : buffer.toString('utf8')) as ResponseTypes[TResponseType];
    return {
      body,
      request,
      redirectUrls: opened.redirectUrls,
      url: opened.url.href,
      ip: opened.ip,
      statusCode: opened.statusCode,
      statusMessage: opened.statusMessage,
      headers: opened.headers,
      trailers: {},
      complete: true,
    };
  }
}
