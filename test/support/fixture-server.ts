import { readFile, stat } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { gzipSync } from 'node:zlib';

/** How one path answers. Anything not set falls back to the server's defaults. */
export interface FixtureRoute {
  status?: number;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** 302 (or `status`) to this Location; may point at another host or port. */
  redirect?: string;
  /** Delay before this response (on top of the server-wide delay). */
  delayMs?: number;
  /** Send a generated HTML body of about this many bytes. */
  bytes?: number;
  /** Stream the body without Content-Length (so a size cap cannot rely on the header). */
  chunked?: boolean;
  /** Gzip the body (Content-Encoding: gzip). */
  gzip?: boolean;
  /** Content-Type; default by extension, text/html for extensionless paths. */
  contentType?: string;
}

export type RouteSpec = string | FixtureRoute;

export interface FixtureServerOptions {
  /** A directory to serve: `/` -> index.html, `/about` -> about.html or about/index.html. */
  root?: string;
  /** Fixed routes by path (with query string when the query matters); win over `root`. */
  routes?: Record<string, RouteSpec>;
  /** Generated routes, asked when no fixed route matched; null means "not here". */
  generate?: (path: string) => RouteSpec | null;
  /** robots.txt body; null -> 404. Default: the root's robots.txt if any, else 404. */
  robotsTxt?: string | null;
  /** Delay of every response (a deliberately slow site). */
  delayMs?: number;
  host?: string;
}

export interface RecordedRequest {
  path: string;
  method: string;
  headers: IncomingHttpHeaders;
  at: number;
}

export interface FixtureServer {
  readonly origin: string;
  readonly port: number;
  readonly host: string;
  url(path: string): string;
  /** Every request received, in order. */
  readonly requests: RecordedRequest[];
  paths(): string[];
  hits(path: string): number;
  /** Changes the server-wide delay (e.g. slow down mid-test). */
  setDelay(ms: number): void;
  setRoute(path: string, route: RouteSpec): void;
  reset(): void;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.xml': 'application/xml',
  '.txt': 'text/plain; charset=utf-8',
  '.json': 'application/json',
  '.css': 'text/css',
  '.js': 'application/javascript',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.pdf': 'application/pdf',
  '.gz': 'application/gzip',
};

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** An HTML page of about `bytes` bytes (ASCII). */
export function paddedHtml(bytes: number, title = 'Large page'): string {
  const head = `<!doctype html><html><head><title>${title}</title></head><body><h1>${title}</h1>`;
  const tail = '</body></html>';
  const para = '<p>Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt.</p>\n';
  const n = Math.max(0, Math.ceil((bytes - head.length - tail.length) / para.length));
  return head + para.repeat(n) + tail;
}

function toRoute(spec: RouteSpec): FixtureRoute {
  return typeof spec === 'string' ? { body: spec } : spec;
}

/**
 * A static website on 127.0.0.1 (random port) for crawler tests and benchmarks: serves a fixture
 * directory and/or fixed and generated routes, can be slow, redirect, fail and send huge bodies,
 * and records every request so a test can assert what was and was not fetched.
 */
export async function startFixtureServer(options: FixtureServerOptions = {}): Promise<FixtureServer> {
  const host = options.host ?? '127.0.0.1';
  const routes = new Map<string, RouteSpec>(Object.entries(options.routes ?? {}));
  const requests: RecordedRequest[] = [];
  let delayMs = options.delayMs ?? 0;
  const root = options.root ? resolve(options.root) : null;

  const fromRoot = async (path: string): Promise<FixtureRoute | null> => {
    if (!root) return null;
    const clean = decodeURIComponent(path.split('?')[0]!);
    const candidates = clean.endsWith('/') ? [`${clean}index.html`] : [clean, `${clean}.html`, `${clean}/index.html`];
    for (const candidate of candidates) {
      const file = normalize(join(root, candidate));
      if (file !== root && !file.startsWith(root + sep)) return null;
      const info = await stat(file).catch(() => null);
      if (info?.isFile()) return { body: await readFile(file), contentType: TYPES[extname(file)] ?? 'application/octet-stream' };
    }
    return null;
  };

  const lookup = async (path: string): Promise<FixtureRoute | null> => {
    const bare = path.split('?')[0]!;
    const fixed = routes.get(path) ?? routes.get(bare);
    if (fixed !== undefined) return toRoute(fixed);
    if (bare === '/robots.txt' && options.robotsTxt !== undefined) return options.robotsTxt === null ? null : { body: options.robotsTxt, contentType: 'text/plain' };
    const generated = options.generate?.(path);
    if (generated) return toRoute(generated);
    return fromRoot(path);
  };

  const send = async (res: ServerResponse, route: FixtureRoute, path: string): Promise<void> => {
    if (route.redirect) {
      res.writeHead(route.status ?? 302, { location: route.redirect, ...route.headers });
      res.end();
      return;
    }
    let body: Buffer = Buffer.isBuffer(route.body) ? route.body : Buffer.from(route.body ?? (route.bytes ? paddedHtml(route.bytes) : ''));
    const bare = path.split('?')[0]!;
    const headers: Record<string, string> = {
      'content-type': route.contentType ?? TYPES[extname(bare)] ?? 'text/html; charset=utf-8',
      ...route.headers,
    };
    if (route.gzip) {
      body = gzipSync(body);
      headers['content-encoding'] = 'gzip';
    }
    if (!route.chunked) headers['content-length'] = String(body.length);
    res.writeHead(route.status ?? 200, headers);
    if (!route.chunked) {
      res.end(body);
      return;
    }
    const chunk = 64 * 1024;
    for (let offset = 0; offset < body.length; offset += chunk) {
      if (res.destroyed) return;
      if (!res.write(body.subarray(offset, offset + chunk))) await new Promise((r) => res.once('drain', r));
    }
    res.end();
  };

  const server: Server = createServer((req, res) => {
    const path = req.url ?? '/';
    requests.push({ path, method: req.method ?? 'GET', headers: req.headers, at: Date.now() });
    void (async () => {
      const route = await lookup(path);
      const wait = delayMs + (route?.delayMs ?? 0);
      if (wait > 0) await sleep(wait);
      if (res.destroyed) return;
      if (!route) {
        res.writeHead(404, { 'content-type': 'text/html' });
        res.end('<html><body>not found</body></html>');
        return;
      }
      await send(res, route, path);
    })().catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  server.keepAliveTimeout = 10_000;
  await new Promise<void>((r) => server.listen(0, host, r));
  const { port } = server.address() as AddressInfo;
  const origin = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  return {
    origin,
    port,
    host,
    url: (path) => new URL(path, origin).href,
    requests,
    paths: () => requests.map((r) => r.path),
    hits: (path) => requests.filter((r) => r.path === path).length,
    setDelay: (ms) => {
      delayMs = ms;
    },
    setRoute: (path, route) => {
      routes.set(path, route);
    },
    reset: () => {
      requests.length = 0;
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
