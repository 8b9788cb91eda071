import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startFixtureServer, type FixtureServer } from '../../../../../test/support/fixture-server';
import { crawlShard } from './shard-crawler';
import { runShard } from '../../../../../test/support/run-shard';
import { urlKey } from './url-filters';

const servers: FixtureServer[] = [];
async function serve(...args: Parameters<typeof startFixtureServer>): Promise<FixtureServer> {
  const server = await startFixtureServer(...args);
  servers.push(server);
  return server;
}
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** A page linking to `links`, with one contact email so extraction has something to find. */
function page(title: string, links: string[], extra = ''): string {
  return `<!doctype html><html lang="en"><head><title>${title}</title></head><body><h1>${title}</h1>
<p>Write to <a href="mailto:office@example.com">office@example.com</a>.</p>${extra}
<ul>${links.map((l) => `<li><a href="${l}">${l}</a></li>`).join('')}</ul></body></html>`;
}

/** /p/0 .. /p/(n-1); /p/i links to /p/(2i+1) and /p/(2i+2): a binary tree, depth of /p/i = floor(log2(i+1)). */
function treeSite(n: number, delayMs = 0) {
  return serve({
    delayMs,
    robotsTxt: null,
    generate: (path) => {
      const m = /^\/p\/(\d+)$/.exec(path);
      if (!m) return null;
      const i = Number(m[1]);
      if (i >= n) return null;
      return page(`Page ${i}`, [2 * i + 1, 2 * i + 2].filter((c) => c < n).map((c) => `/p/${c}`));
    },
  });
}

const pagePaths = (server: FixtureServer): string[] => server.paths().filter((p) => p !== '/robots.txt');

describe('crawlShard: website', () => {
  it('crawls the site, extracts findings and keeps Crawlee storage in memory', async () => {
    const server = await serve({ root: join(__dirname, '../../../../../test/fixtures/sites/harbour-legal') });
    const run = await runShard({ seeds: [server.url('/')], options: { maxDepth: 2 } });
    expect(run.outcome.reason).toBe('completed');
    expect(run.pages.length).toBeGreaterThanOrEqual(5);
    expect(run.outcome.pagesFetched).toBe(run.pages.length);
    const people = run.pages.find((p) => p.url.endsWith('/people.html'));
    expect(people?.findings?.emails.length).toBeGreaterThan(0);
    expect(people?.findings?.url).toBe(server.url('/people.html'));
    expect(new Set(pagePaths(server)).size).toBe(pagePaths(server).length);
    expect(existsSync(join(process.cwd(), 'storage'))).toBe(false);
  });

  it('sends the descriptive User-Agent', async () => {
    const server = await treeSite(3);
    await runShard({ seeds: [server.url('/p/0')], options: { userAgent: 'LeadforgeBot/1.0 (+https://leadforge.test/bot)' } });
    expect(server.requests.length).toBeGreaterThan(0);
    for (const r of server.requests) expect(r.headers['user-agent']).toBe('LeadforgeBot/1.0 (+https://leadforge.test/bot)');
  });

  it('never fetches a page beyond maxDepth', async () => {
    const server = await treeSite(31);
    const run = await runShard({ seeds: [server.url('/p/0')], options: { maxDepth: 2 } });
    // depth 0: p0; 1: p1,p2; 2: p3..p6; depth 3 starts at p7.
    expect(pagePaths(server).sort()).toEqual(['/p/0', '/p/1', '/p/2', '/p/3', '/p/4', '/p/5', '/p/6'].sort());
    expect(Math.max(...run.pages.map((p) => p.depth))).toBe(2);
    expect(run.pages.find((p) => p.url.endsWith('/p/3'))?.discovered).toEqual([]);
  });

  it('maxDepth 0 fetches only the seeds', async () => {
    const server = await treeSite(31);
    await runShard({ seeds: [server.url('/p/0'), server.url('/p/5')], options: { maxDepth: 0 } });
    expect(pagePaths(server).sort()).toEqual(['/p/0', '/p/5']);
  });

  it('stays on the seed site and dedups URLs (fragments, tracking parameters)', async () => {
    const other = await treeSite(3);
    const offSite = `http://localhost:${other.port}/p/0`;
    const routes = {
      '/': page('Home', ['/a#top', '/a?utm_source=x', '/a', offSite, 'mailto:x@example.com', '/file.pdf']),
      '/a': page('A', ['/']),
    };
    const server = await serve({ robotsTxt: null, routes });
    const run = await runShard({ seeds: [server.url('/')] });
    expect(pagePaths(server).sort()).toEqual(['/', '/a']);
    expect(run.pages.find((p) => p.depth === 0)?.discovered).toEqual([{ url: server.url('/a'), depth: 1 }]);
    expect(other.paths()).toEqual([]);

    await runShard({ seeds: [server.url('/')], options: { sameDomain: false } });
    expect(other.paths()).toContain('/p/0');
  });

  it('applies include and exclude globs to discovered links', async () => {
    const server = await serve({
      robotsTxt: null,
      routes: {
        '/': page('Home', ['/team/alice', '/team/bob', '/team/private/x', '/blog/1', '/contact']),
        '/team/alice': page('Alice', []),
        '/team/bob': page('Bob', []),
        '/team/private/x': page('X', []),
        '/blog/1': page('Blog', []),
        '/contact': page('Contact', []),
      },
    });
    await runShard({ seeds: [server.url('/')], options: { include: ['/team/**', '/contact'], exclude: ['/team/private/**'] } });
    expect(pagePaths(server).sort()).toEqual(['/', '/contact', '/team/alice', '/team/bob']);
  });

  it('stops at the page budget with reason budget_exhausted', async () => {
    const server = await treeSite(63);
    const run = await runShard({ seeds: [server.url('/p/0')], options: { maxPages: 5, maxDepth: 5, concurrency: 3 } });
    expect(run.outcome.reason).toBe('budget_exhausted');
    expect(run.pages).toHaveLength(5);
    expect(pagePaths(server)).toHaveLength(5);
  });

  it('reports completed, not budget_exhausted, when the site fits the budget exactly', async () => {
    const server = await treeSite(3);
    const run = await runShard({ seeds: [server.url('/p/0')], options: { maxPages: 3 } });
    expect(run.outcome.reason).toBe('completed');
    expect(run.pages).toHaveLength(3);
  });
});

describe('crawlShard: robots.txt', () => {
  const site = {
    '/': page('Home', ['/public', '/private/secret', '/private/other']),
    '/public': page('Public', []),
    '/private/secret': page('Secret', []),
    '/private/other': page('Other', []),
  };

  it('never fetches disallowed pages and reports them', async () => {
    const server = await serve({ robotsTxt: 'User-agent: *\nDisallow: /private/\n', routes: site });
    const run = await runShard({ seeds: [server.url('/')] });
    expect(pagePaths(server).sort()).toEqual(['/', '/public']);
    expect(run.failures.map((f) => [new URL(f.url).pathname, f.kind, f.attempts]).sort()).toEqual([
      ['/private/other', 'blocked_by_robots', 0],
      ['/private/secret', 'blocked_by_robots', 0],
    ]);
  });

  it('matches the group of our own token over *', async () => {
    const server = await serve({ robotsTxt: 'User-agent: *\nDisallow:\n\nUser-agent: LeadforgeBot\nDisallow: /public\n', routes: site });
    await runShard({ seeds: [server.url('/')] });
    expect(pagePaths(server)).not.toContain('/public');
    expect(pagePaths(server)).toContain('/private/secret');
  });

  it('a disallowed seed is not fetched either', async () => {
    const server = await serve({ robotsTxt: 'User-agent: *\nDisallow: /\n', routes: site });
    const run = await runShard({ seeds: [server.url('/')] });
    expect(pagePaths(server)).toEqual([]);
    expect(run.failures.map((f) => f.kind)).toEqual(['blocked_by_robots']);
  });

  it('respectRobots: false ignores robots.txt and does not even fetch it', async () => {
    const server = await serve({ robotsTxt: 'User-agent: *\nDisallow: /\n', routes: site });
    await runShard({ seeds: [server.url('/')], options: { respectRobots: false } });
    expect(server.paths()).not.toContain('/robots.txt');
    expect(pagePaths(server)).toHaveLength(4);
  });

  it('honours crawl-delay between request starts', async () => {
    const server = await serve({ robotsTxt: 'User-agent: *\nCrawl-delay: 0.25\n', routes: site });
    const run = await runShard({ seeds: [server.url('/')], options: { concurrency: 4 } });
    expect(run.logs.some((l) => l.message.includes('crawl delay of 250 ms'))).toBe(true);
    const starts = server.requests.filter((r) => r.path !== '/robots.txt').map((r) => r.at);
    expect(starts).toHaveLength(4);
    for (let i = 1; i < starts.length; i++) expect(starts[i]! - starts[i - 1]!).toBeGreaterThanOrEqual(230);
  });

  it('treats a robots.txt server error as disallow-all', async () => {
    const server = await serve({ routes: { ...site, '/robots.txt': { status: 503, body: 'down' } } });
    const run = await runShard({ seeds: [server.url('/')] });
    expect(pagePaths(server)).toEqual([]);
    expect(run.failures[0]?.kind).toBe('blocked_by_robots');
  });
});

describe('crawlShard: limits and failures', () => {
  it('aborts bodies over maxBodyBytes, with and without Content-Length, and after decompression', async () => {
    const server = await serve({
      robotsTxt: null,
      routes: {
        '/': page('Home', ['/big', '/big-chunked', '/bomb', '/small']),
        '/big': { bytes: 300_000 },
        '/big-chunked': { bytes: 300_000, chunked: true },
        '/bomb': { bytes: 3_000_000, gzip: true },
        '/small': page('Small', []),
      },
    });
    const run = await runShard({ seeds: [server.url('/')], options: { maxBodyBytes: 100_000 } });
    expect(run.pages.map((p) => new URL(p.url).pathname).sort()).toEqual(['/', '/small']);
    expect(run.failures.map((f) => [new URL(f.url).pathname, f.kind]).sort()).toEqual([
      ['/big', 'too_large'],
      ['/big-chunked', 'too_large'],
      ['/bomb', 'too_large'],
    ]);
    expect(server.hits('/big-chunked')).toBe(1);
  });

  it('reports 4xx without retrying and 5xx after retries; skips non-HTML', async () => {
    const server = await serve({
      robotsTxt: null,
      routes: {
        '/': page('Home', ['/missing', '/broken', '/data']),
        '/broken': { status: 500, body: 'oops' },
        '/data': { body: '{}', contentType: 'application/json' },
      },
    });
    const run = await runShard({ seeds: [server.url('/')], options: { maxRetries: 1 } });
    expect(server.hits('/missing')).toBe(1);
    expect(server.hits('/broken')).toBe(2);
    const byPath = Object.fromEntries(run.failures.map((f) => [new URL(f.url).pathname, f]));
    expect(byPath['/missing']).toMatchObject({ kind: 'http_error', status: 404, attempts: 1 });
    expect(byPath['/broken']).toMatchObject({ kind: 'http_error', status: 500, attempts: 2 });
    expect(byPath['/data']).toMatchObject({ kind: 'not_html' });
  });

  it('times a slow page out per request', async () => {
    const server = await serve({ robotsTxt: null, routes: { '/': page('Home', ['/slow']), '/slow': { body: page('Slow', []), delayMs: 3_000 } } });
    const run = await runShard({ seeds: [server.url('/')], options: { requestTimeoutMs: 300, maxRetries: 0 } });
    expect(run.failures).toEqual([expect.objectContaining({ kind: 'timeout' })]);
    expect(run.elapsedMs).toBeLessThan(1_000);
  });

  it('ends with timed_out when the wall time is spent', async () => {
    const server = await treeSite(255, 200);
    const run = await runShard({ seeds: [server.url('/p/0')], options: { wallTimeMs: 800, maxDepth: 5, concurrency: 2 } });
    expect(run.outcome.reason).toBe('timed_out');
    expect(run.elapsedMs).toBeLessThan(2_000);
    expect(run.pages.length).toBeGreaterThan(0);
    expect(run.pages.length).toBeLessThan(20);
  });

  it('follows a same-site redirect and reports the final URL', async () => {
    const server = await serve({ robotsTxt: null, routes: { '/': { redirect: '/home' }, '/home': page('Home', []) } });
    const run = await runShard({ seeds: [server.url('/')] });
    expect(run.pages).toHaveLength(1);
    expect(run.pages[0]).toMatchObject({ url: server.url('/'), finalUrl: server.url('/home'), status: 200 });
  });

  it('rethrows a failing onPage hook after halting', async () => {
    const server = await treeSite(15);
    await expect(
      runShard({ seeds: [server.url('/p/0')], options: { maxDepth: 4 } }, {
        onPage: async () => {
          throw new Error('database down');
        },
      }),
    ).rejects.toThrow('database down');
  });
});

describe('crawlShard: pause, resume and stop', () => {
  it('pauses within a second, then a resumed run completes without refetching', async () => {
    const server = await treeSite(31, 150);
    const seeds = [server.url('/p/0')];
    const options = { maxDepth: 5, concurrency: 2 };
    let pausedAt = 0;
    const first = await runShard({ seeds, options }, {
      control: (pages) => {
        if (pages.length >= 5) {
          pausedAt ||= Date.now();
          return 'pause';
        }
        return 'run';
      },
    });
    const returnedAt = Date.now();
    expect(first.outcome.reason).toBe('paused');
    expect(returnedAt - pausedAt).toBeLessThan(1_000);
    expect(first.pages.length).toBeGreaterThanOrEqual(5);
    expect(first.pages.length).toBeLessThan(31);
    // Nothing fetched after the pause returned.
    const requestsAtPause = server.requests.length;
    await new Promise((r) => setTimeout(r, 300));
    expect(server.requests.length).toBe(requestsAtPause);

    // What an orchestrator persists: done keys, and the frontier of discovered links.
    const visited = new Set(first.pages.map((p) => p.urlKey));
    const frontier = first.pages.flatMap((p) => p.discovered).filter((d) => !visited.has(urlKey(d.url)));
    server.reset();
    const second = await runShard({ seeds, options, frontier }, { visited });
    expect(second.outcome.reason).toBe('completed');
    expect(second.outcome.pagesSkipped).toBeGreaterThan(0);
    const secondPaths = pagePaths(server);
    expect(new Set(secondPaths).size).toBe(secondPaths.length);
    for (const p of first.pages) expect(secondPaths).not.toContain(new URL(p.url).pathname);
    expect(first.pages.length + second.pages.length).toBe(31);
  });

  it('stops within a second even while requests are in flight on a slow site', async () => {
    const server = await treeSite(31, 2_000);
    let stopAt = 0;
    const run = await runShard({ seeds: [server.url('/p/0')], options: { maxDepth: 5, concurrency: 2 } }, {
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
    // The cut-off requests are pending, not failed.
    expect(run.failures).toEqual([]);
    expect(run.outcome.pagesPending).toBeGreaterThan(0);
  });

  it('a stop requested before the start fetches nothing', async () => {
    const server = await treeSite(3);
    const run = await runShard({ seeds: [server.url('/p/0')] }, { control: () => 'stop' });
    expect(run.outcome.reason).toBe('stopped');
    expect(pagePaths(server)).toEqual([]);
  });
});

describe('crawlShard: directory', () => {
  function directorySite(pages: number) {
    return serve({
      robotsTxt: null,
      generate: (path) => {
        const m = /^\/list(?:\?page=(\d+))?$/.exec(path);
        if (!m) return null;
        const n = Number(m[1] ?? 1);
        if (n > pages) return null;
        const items = [1, 2, 3]
          .map((k) => `<div class="card"><h2 class="name">Firm ${n}-${k}</h2><span class="tel">+1 503 555 0${n}${k}0</span><a class="site" href="https://firm${n}${k}.example">site</a></div>`)
          .join('');
        const next = n < pages ? `<a rel="next" class="next" href="/list?page=${n + 1}">Next</a>` : '';
        return `<html><body>${items}${next}<a href="/about">About</a></body></html>`;
      },
    });
  }
  const selectors = { item: '.card', fields: { name: '.name', phone: '.tel', website: 'a.site@href' }, next: 'a.next' };

  it('follows next-page links past maxDepth and returns records', async () => {
    const server = await directorySite(7);
    const run = await runShard({ platform: 'directory', seeds: [server.url('/list')], selectors, options: { maxDepth: 1 } });
    expect(run.outcome.reason).toBe('completed');
    expect(run.pages).toHaveLength(7);
    expect(pagePaths(server)).not.toContain('/about');
    const first = run.pages.find((p) => p.url === server.url('/list'))!;
    expect(first.records).toHaveLength(3);
    expect(first.records![0]).toMatchObject({ name: 'Firm 1-1', website: 'https://firm11.example/' });
    expect(first.nextUrl).toBe(server.url('/list?page=2'));
  });

  it('stops paginating at the budget', async () => {
    const server = await directorySite(10);
    const run = await runShard({ platform: 'directory', seeds: [server.url('/list')], selectors, options: { maxPages: 3 } });
    expect(run.outcome.reason).toBe('budget_exhausted');
    expect(pagePaths(server)).toEqual(['/list', '/list?page=2', '/list?page=3']);
  });
});

describe('crawlShard: sitemap', () => {
  it('seeds from robots.txt Sitemap lines, sitemap indexes and gzipped sitemaps; fetches those pages only', async () => {
    const { gzipSync } = await import('node:zlib');
    let origin = '';
    const urlset = (paths: string[]) =>
      `<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">${paths.map((p) => `<url><loc>${origin}${p}</loc></url>`).join('')}</urlset>`;
    const server = await serve({
      generate: (path) => {
        if (path === '/robots.txt') return { body: `User-agent: *\nDisallow: /hidden\nSitemap: ${origin}/sitemap-index.xml\n`, contentType: 'text/plain' };
        if (path === '/sitemap-index.xml')
          return {
            body: `<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap><loc>${origin}/sm-1.xml</loc></sitemap><sitemap><loc>${origin}/sm-2.xml.gz</loc></sitemap></sitemapindex>`,
            contentType: 'application/xml',
          };
        if (path === '/sm-1.xml') return { body: urlset(['/a', '/b', '/hidden', '/a#dup']), contentType: 'application/xml' };
        if (path === '/sm-2.xml.gz') return { body: gzipSync(urlset(['/c', '/logo.png'])), contentType: 'application/gzip' };
        if (['/a', '/b', '/c', '/hidden'].includes(path)) return page(path, ['/not-in-sitemap']);
        return null;
      },
    });
    origin = server.origin;
    const run = await runShard({ platform: 'sitemap', seeds: [server.url('/')], options: { maxDepth: 3 } });
    expect(run.pages.map((p) => new URL(p.url).pathname).sort()).toEqual(['/a', '/b', '/c']);
    expect(run.pages.every((p) => p.depth === 0 && p.findings)).toBe(true);
    expect(pagePaths(server)).not.toContain('/not-in-sitemap');
    expect(pagePaths(server)).not.toContain('/hidden');
    expect(server.paths()).toContain('/sitemap.xml');
  });
});

describe('crawlShard: input validation', () => {
  it('refuses render browser on a machine without Chromium, before fetching anything', async () => {
    await expect(
      crawlShard(
        { taskId: 't', shardId: 's', platform: 'website', seeds: ['https://example.com/'], options: { render: 'browser' } },
        { isVisited: () => false, onPage: async () => {}, onPageFailed: async () => {}, onLog: () => {}, control: () => 'run' },
        { allowPrivateTargets: false, chromiumPath: '/nonexistent/chromium' },
      ),
    ).rejects.toMatchObject({ code: 'browser_unavailable', message: expect.stringContaining('CHROMIUM_PATH') });
  });

  it('refuses a directory shard without selectors', async () => {
    await expect(runShard({ platform: 'directory', seeds: ['https://example.com/'] })).rejects.toMatchObject({ code: 'crawl_config_invalid' });
  });
});

