import { lookup } from 'node:dns/promises';
import { accessSync, constants, existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startFixtureServer, type FixtureServer } from '../../../../../test/support/fixture-server';
import { runShard, type RunOptions } from '../../../../../test/support/run-shard';
import type { ShardInput } from './crawl-options';
import { urlKey } from './url-filters';

/**
 * render 'browser' against live fixture servers with the real Chromium (CHROMIUM_PATH, default
 * /usr/bin/chromium). A machine without it fails here on purpose: CI installs it (apt-get install chromium).
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// A render takes a browser start and a settle wait per page: slower than the HTTP specs.
vi.setConfig({ testTimeout: 30_000 });

beforeAll(() => {
  let usable = true;
  try {
    accessSync(CHROMIUM, constants.X_OK);
  } catch {
    usable = false;
  }
  expect(usable, `Chromium is required for the browser-render tests and was not found at ${CHROMIUM}: install it (apt-get install -y chromium) or set CHROMIUM_PATH`).toBe(true);
});

const servers: FixtureServer[] = [];
async function serve(...args: Parameters<typeof startFixtureServer>): Promise<FixtureServer> {
  const server = await startFixtureServer(...args);
  servers.push(server);
  return server;
}
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

function render(input: Partial<ShardInput> & Pick<ShardInput, 'seeds'>, run: RunOptions = {}) {
  return runShard({ ...input, options: { render: 'browser', ...input.options } }, { ...run, deps: { chromiumPath: CHROMIUM, ...run.deps } });
}

const pagePaths = (server: FixtureServer, prefix = '/'): string[] => server.paths().filter((p) => p !== '/robots.txt' && p.startsWith(prefix));

/** A page whose contact details and one link exist only after its script has fetched them. */
const SCRIPTED_CONTACT = `<!doctype html><html lang="en"><head><title>Contact</title></head><body><h1>Contact us</h1>
<div id="contact">Loading...</div>
<script>
  fetch('/api/contact').then((r) => r.json()).then((d) => {
    document.getElementById('contact').innerHTML =
      '<p>Write to <a href="mailto:' + d.email + '">' + d.email + '</a> or call ' + d.phone + '.</p><a href="/team">Our team</a>';
  });
</script></body></html>`;

function scriptedSite(robotsTxt: string | null = null) {
  return serve({
    robotsTxt,
    routes: {
      '/': SCRIPTED_CONTACT,
      '/api/contact': { body: JSON.stringify({ email: 'sales@harbourlegal.com.au', phone: '+1 503 555 0199' }), contentType: 'application/json' },
      '/team': '<html><body><h1>Team</h1><p>Jane Roe, Director</p></body></html>',
    },
  });
}

/** /p/0 .. /p/(n-1) as a binary tree, links inserted by script: depth of /p/i = floor(log2(i+1)). */
function scriptedTree(n: number, delayMs = 0) {
  return serve({
    delayMs,
    robotsTxt: null,
    generate: (path) => {
      const m = /^\/p\/(\d+)$/.exec(path);
      if (!m || Number(m[1]) >= n) return null;
      const i = Number(m[1]);
      const links = [2 * i + 1, 2 * i + 2].filter((c) => c < n).map((c) => `/p/${c}`);
      return `<html><body><h1>Page ${i}</h1><ul id="l"></ul><script>
        for (const href of ${JSON.stringify(links)}) { const li = document.createElement('li'); li.innerHTML = '<a href="' + href + '">' + href + '</a>'; document.getElementById('l').appendChild(li); }
      </script></body></html>`;
    },
  });
}

describe('crawlShard render browser: rendering', () => {
  it('extracts contacts and follows links that only exist after JavaScript runs (and http mode does not see them)', async () => {
    const server = await scriptedSite();
    const run = await render({ seeds: [server.url('/')], options: { maxDepth: 1 } });
    expect(run.failures).toEqual([]);
    expect(run.outcome).toMatchObject({ reason: 'completed', pagesFetched: 2 });
    const home = run.pages.find((p) => p.url === server.url('/'))!;
    expect(home.findings?.emails.map((e) => e.email)).toContain('sales@harbourlegal.com.au');
    expect(home.findings?.phones.length).toBeGreaterThan(0);
    expect(home.discovered).toEqual([{ url: server.url('/team'), depth: 1 }]);
    expect(home.status).toBe(200);
    expect(home.bytes).toBeGreaterThan(SCRIPTED_CONTACT.length);
    expect(run.pages.map((p) => new URL(p.url).pathname).sort()).toEqual(['/', '/team']);
    expect(existsSync(join(process.cwd(), 'storage'))).toBe(false);

    const plain = await runShard({ seeds: [server.url('/')], options: { maxDepth: 1, render: 'http' } });
    expect(plain.pages).toHaveLength(1);
    expect(plain.pages[0]!.findings?.emails ?? []).toEqual([]);
    expect(plain.pages[0]!.discovered).toEqual([]);
  });

  it('sends the descriptive User-Agent on documents and script requests', async () => {
    const server = await scriptedSite();
    await render({ seeds: [server.url('/')], options: { maxDepth: 0, userAgent: 'LeadforgeBot/1.0 (+https://leadforge.test/bot)' } });
    expect(server.paths()).toEqual(expect.arrayContaining(['/', '/api/contact']));
    for (const r of server.requests) expect(r.headers['user-agent']).toBe('LeadforgeBot/1.0 (+https://leadforge.test/bot)');
  });

  it('does not load images, media or fonts', async () => {
    const server = await serve({
      robotsTxt: null,
      routes: {
        '/': `<html><head><style>@font-face { font-family: X; src: url(/font.woff2); } body { font-family: X; }</style></head>
          <body><p>Hello</p><img src="/logo.png"><video src="/clip.mp4" autoplay></video><script src="/app.js"></script></body></html>`,
        '/app.js': { body: 'document.body.insertAdjacentHTML("beforeend", "<p>script ran</p>");', contentType: 'application/javascript' },
      },
    });
    const run = await render({ seeds: [server.url('/')], options: { maxDepth: 0 } });
    expect(run.pages).toHaveLength(1);
    expect(server.paths()).toContain('/app.js');
    for (const heavy of ['/logo.png', '/clip.mp4', '/font.woff2']) expect(server.paths()).not.toContain(heavy);
  });

  it('applies directory selectors to the rendered DOM and paginates', async () => {
    const server = await serve({
      robotsTxt: null,
      generate: (path) => {
        const m = /^\/list(?:\?page=(\d+))?$/.exec(path);
        if (!m) return null;
        const n = Number(m[1] ?? 1);
        if (n > 3) return null;
        const cards = [1, 2].map((k) => ({ name: `Firm ${n}-${k}`, tel: `+1 503 555 0${n}${k}0` }));
        const next = n < 3 ? `/list?page=${n + 1}` : null;
        return `<html><body><div id="root"></div><script>
          const root = document.getElementById('root');
          for (const c of ${JSON.stringify(cards)}) root.insertAdjacentHTML('beforeend', '<div class="card"><h2 class="name">' + c.name + '</h2><span class="tel">' + c.tel + '</span></div>');
          ${next ? `root.insertAdjacentHTML('beforeend', '<a class="next" href="${next}">Next</a>');` : ''}
        </script></body></html>`;
      },
    });
    const selectors = { item: '.card', fields: { name: '.name', phone: '.tel' }, next: 'a.next' };
    const run = await render({ platform: 'directory', seeds: [server.url('/list')], selectors });
    expect(run.outcome.reason).toBe('completed');
    expect(run.pages).toHaveLength(3);
    const first = run.pages.find((p) => p.url === server.url('/list'))!;
    expect(first.records?.map((r) => r.name)).toEqual(['Firm 1-1', 'Firm 1-2']);
    expect(first.nextUrl).toBe(server.url('/list?page=2'));
  });
});

describe('crawlShard render browser: the HTTP contract', () => {
  it('respects robots.txt for seeds and script-inserted links', async () => {
    const server = await scriptedSite('User-agent: *\nDisallow: /team\n');
    const run = await render({ seeds: [server.url('/')] });
    expect(pagePaths(server)).not.toContain('/team');
    expect(run.pages.map((p) => new URL(p.url).pathname)).toEqual(['/']);
    expect(run.failures.map((f) => [new URL(f.url).pathname, f.kind, f.attempts])).toEqual([['/team', 'blocked_by_robots', 0]]);

    const closed = await scriptedSite('User-agent: *\nDisallow: /\n');
    const refused = await render({ seeds: [closed.url('/')] });
    expect(pagePaths(closed)).toEqual([]);
    expect(refused.failures.map((f) => f.kind)).toEqual(['blocked_by_robots']);
  });

  it('never renders a page beyond maxDepth and stops at the budget', async () => {
    const server = await scriptedTree(15);
    const run = await render({ seeds: [server.url('/p/0')], options: { maxDepth: 1 } });
    expect(pagePaths(server, '/p/').sort()).toEqual(['/p/0', '/p/1', '/p/2']);
    expect(Math.max(...run.pages.map((p) => p.depth))).toBe(1);
    expect(run.pages.find((p) => p.url.endsWith('/p/1'))?.discovered).toEqual([]);

    server.reset();
    const budget = await render({ seeds: [server.url('/p/0')], options: { maxPages: 2, maxDepth: 5 } });
    expect(budget.outcome.reason).toBe('budget_exhausted');
    expect(budget.pages).toHaveLength(2);
    expect(pagePaths(server, '/p/')).toHaveLength(2);
  });

  it('reports 4xx and non-HTML like the HTTP path', async () => {
    const server = await serve({
      robotsTxt: null,
      routes: {
        '/': '<html><body><a href="/missing">m</a><a href="/data">d</a></body></html>',
        '/data': { body: '{}', contentType: 'application/json' },
      },
    });
    const run = await render({ seeds: [server.url('/')], options: { maxRetries: 0 } });
    const byPath = Object.fromEntries(run.failures.map((f) => [new URL(f.url).pathname, f]));
    expect(byPath['/missing']).toMatchObject({ kind: 'http_error', status: 404, attempts: 1 });
    expect(byPath['/data']).toMatchObject({ kind: 'not_html' });
    expect(run.pages).toHaveLength(1);
  });

  it('pauses within a second, then a resumed run completes without refetching', async () => {
    const server = await scriptedTree(9, 150);
    const seeds = [server.url('/p/0')];
    const options = { maxDepth: 5, concurrency: 2 };
    let pausedAt = 0;
    const first = await render({ seeds, options }, {
      control: (pages) => {
        if (pages.length >= 3) {
          pausedAt ||= Date.now();
          return 'pause';
        }
        return 'run';
      },
    });
    expect(first.outcome.reason).toBe('paused');
    expect(Date.now() - pausedAt).toBeLessThan(1_000);
    expect(first.pages.length).toBeGreaterThanOrEqual(3);
    expect(first.pages.length).toBeLessThan(9);
    expect(first.failures).toEqual([]);
    const requestsAtPause = server.requests.length;
    await new Promise((r) => setTimeout(r, 300));
    expect(server.requests.length).toBe(requestsAtPause);

    const visited = new Set(first.pages.map((p) => p.urlKey));
    const frontier = first.pages.flatMap((p) => p.discovered).filter((d) => !visited.has(urlKey(d.url)));
    server.reset();
    const second = await render({ seeds, options, frontier }, { visited });
    expect(second.outcome.reason).toBe('completed');
    for (const p of first.pages) expect(pagePaths(server)).not.toContain(new URL(p.url).pathname);
    expect(first.pages.length + second.pages.length).toBe(9);
  });

  it('stops within a second while pages are loading', async () => {
    const server = await scriptedTree(15, 1_500);
    let stopAt = 0;
    const run = await render({ seeds: [server.url('/p/0')], options: { maxDepth: 5, concurrency: 2 } }, {
      control: (pages) => {
        if (pages.length >= 1) {
          stopAt ||= Date.now();
          return 'stop';
        }
        return 'run';
      },
    });
    expect(run.outcome.reason).toBe('stopped');
    expect(Date.now() - stopAt).toBeLessThan(1_000);
    expect(run.pages).toHaveLength(1);
    expect(run.failures).toEqual([]);
    expect(run.outcome.pagesPending).toBeGreaterThan(0);
  });

  it('ends with timed_out within a second of the wall time', async () => {
    const server = await scriptedTree(63, 300);
    const run = await render({ seeds: [server.url('/p/0')], options: { wallTimeMs: 4_000, maxDepth: 5 } });
    expect(run.outcome.reason).toBe('timed_out');
    expect(run.elapsedMs).toBeLessThan(5_000);
    expect(run.pages.length).toBeGreaterThan(0);
    expect(run.pages.length).toBeLessThan(20);
    expect(run.failures).toEqual([]);
  });

  it('fails with a clear error when Chromium is missing (before fetching anything) or does not start', async () => {
    const server = await scriptedSite();
    await expect(render({ seeds: [server.url('/')] }, { deps: { chromiumPath: '/nonexistent/chromium' } })).rejects.toMatchObject({
      code: 'browser_unavailable',
      message: expect.stringContaining('/nonexistent/chromium'),
    });
    expect(server.requests).toEqual([]);
    // Present but not a working browser: the launch failure rejects the shard instead of failing its pages.
    await expect(render({ seeds: [server.url('/')] }, { deps: { chromiumPath: '/bin/false' } })).rejects.toMatchObject({
      code: 'browser_unavailable',
      message: expect.stringContaining('failed to start'),
    });
  });
});

describe('crawlShard render browser: SSRF guard on every request the browser makes (ALLOW_PRIVATE_TARGETS off)', () => {
  let machine: string | null = null;
  const PUBLIC_IP = '93.184.215.14';
  beforeAll(async () => {
    const name = hostname();
    const address = await lookup(name).catch(() => null);
    machine = address && /^127\./.test(address.address) ? name : null;
  });
  // The pre-request check resolves `machine` to a public address; the system DNS the proxy connects with says loopback.
  const resolver = async (host: string): Promise<string[]> => (host === machine ? [PUBLIC_IP] : []);

  /** A page that reaches for `target` in every way a page can; `target` is an origin without trailing slash. */
  function greedyPage(target: string, extra = ''): string {
    const ws = target.replace(/^http/, 'ws');
    return `<!doctype html><html><head><title>Greedy</title>
      <link rel="stylesheet" href="${target}/style.css"><link rel="preconnect" href="${target}">
      <script src="${target}/script.js"></script></head><body>
      <p>Write to <a href="mailto:office@harbourlegal.com.au">office@harbourlegal.com.au</a>.</p>
      <img src="${target}/img.png"><iframe src="${target}/frame"></iframe>
      <script>
        fetch('${target}/fetch').catch(() => {});
        fetch('/bounce').catch(() => {});
        navigator.sendBeacon('${target}/beacon', 'x');
        try { new WebSocket('${ws}/ws'); } catch (e) {}
        new Worker(URL.createObjectURL(new Blob(["fetch('${target}/worker').catch(() => {})"], { type: 'text/javascript' })));
      </script>${extra}</body></html>`;
  }

  it('refuses fetch, script, stylesheet, iframe, image, beacon, worker, WebSocket and redirects to another local server and to 169.254.169.254', async () => {
    const other = await serve({ robotsTxt: null, generate: () => '<html><body>internal</body></html>' });
    const site = await serve({ robotsTxt: null, routes: {} });
    const metadata = 'http://169.254.169.254';
    const rebinding = machine ? `http://${machine}:${other.port}` : null;
    site.setRoute('/', greedyPage(other.origin, greedyPage(metadata).replace(/^[\s\S]*<body>|<\/body>[\s\S]*$/g, '') + (rebinding ? `<iframe src="${rebinding}/rebound"></iframe>` : '')));
    site.setRoute('/bounce', { redirect: `${other.origin}/bounced` });
    site.setRoute('/to-other', { redirect: `${other.origin}/landing` });
    site.setRoute('/to-metadata', { redirect: `${metadata}/latest/meta-data/` });
    site.setRoute('/to-localhost', { redirect: `http://localhost:${other.port}/landing` });
    site.setRoute('/links', '<html><body><a href="/to-other">a</a><a href="/to-metadata">b</a><a href="/to-localhost">c</a></body></html>');

    const run = await render(
      { seeds: [site.url('/'), site.url('/links')], options: { sameDomain: false, maxRetries: 0, maxDepth: 1 } },
      { deps: { allowPrivateTargets: false, allowedPrivateOrigins: [site.origin], resolver } },
    );
    // The allowed origin itself was rendered: the guard is on, not everything is simply unreachable.
    expect(run.pages.map((p) => new URL(p.url).pathname).sort()).toEqual(['/', '/links']);
    expect(run.pages.find((p) => p.url === site.url('/'))?.findings?.emails.map((e) => e.email)).toContain('office@harbourlegal.com.au');
    expect(site.paths()).toEqual(expect.arrayContaining(['/', '/bounce', '/links', '/to-other', '/to-metadata', '/to-localhost']));
    expect(other.requests).toEqual([]);
    expect(run.failures.map((f) => [new URL(f.url).pathname, f.kind]).sort()).toEqual([
      ['/to-localhost', 'ssrf_blocked'],
      ['/to-metadata', 'ssrf_blocked'],
      ['/to-other', 'ssrf_blocked'],
    ]);
    const refusals = run.logs.filter((l) => l.message.startsWith('browser: refused')).map((l) => l.message);
    expect(refusals.some((m) => m.includes(other.origin))).toBe(true);
    expect(refusals.some((m) => m.includes('169.254.169.254'))).toBe(true);
    if (rebinding) expect(refusals.some((m) => m.includes(`${machine}:${other.port}`))).toBe(true);
  });

  it('control: with private targets allowed the same page does reach the other server', async () => {
    const other = await serve({ robotsTxt: null, generate: () => '<html><body>internal</body></html>' });
    const site = await serve({ robotsTxt: null, routes: { '/': greedyPage(other.origin), '/bounce': { redirect: `${other.origin}/bounced` } } });
    await render({ seeds: [site.url('/')], options: { sameDomain: false, maxDepth: 0 } }, { deps: { allowPrivateTargets: true } });
    expect(other.paths()).toEqual(expect.arrayContaining(['/script.js', '/style.css', '/frame', '/fetch', '/bounced', '/worker']));
    // Images are not loaded at all in a render, guard or no guard.
    expect(other.paths()).not.toContain('/img.png');
  });

  it('refuses a file:// seed and a private seed without starting a request', async () => {
    const other = await serve({ robotsTxt: null, generate: () => '<html><body>internal</body></html>' });
    const run = await render({ seeds: ['file:///etc/passwd'] }, { deps: { allowPrivateTargets: false, resolver } });
    expect(run.failures.map((f) => [f.kind, f.attempts])).toEqual([['ssrf_blocked', 0]]);
    const loopback = await render({ seeds: [other.url('/')] }, { deps: { allowPrivateTargets: false, resolver } });
    expect(loopback.failures.map((f) => f.kind)).toEqual(['ssrf_blocked']);
    expect(other.requests).toEqual([]);
  });

  it('a script or meta redirect off the site is not extracted', async () => {
    const other = await serve({ robotsTxt: null, generate: () => '<html><body><a href="mailto:leak@internal.test">x</a></body></html>' });
    const site = await serve({
      robotsTxt: null,
      routes: { '/': `<html><body><script>location.href = '${other.url('/away')}';</script></body></html>` },
    });
    const run = await render({ seeds: [site.url('/')], options: { maxRetries: 0 } }, { deps: { allowPrivateTargets: false, allowedPrivateOrigins: [site.origin], resolver } });
    expect(other.requests).toEqual([]);
    expect(run.pages).toEqual([]);
    expect(run.failures.map((f) => f.kind)).toEqual(['ssrf_blocked']);
  });
});
