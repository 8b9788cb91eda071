import { performance } from 'node:perf_hooks';
import { CheerioCrawler, Configuration, Log, LogLevel } from '@crawlee/cheerio';
import { startFixtureServer, type FixtureServer } from '../support/fixture-server';

/**
 * Shared pieces of the scraping benchmarks: a generated site of realistic ~45 KB pages on loopback,
 * and the reference a full crawl is measured against: a bare CheerioCrawler that only fetches and
 * parses, at the same concurrency.
 */

export const BENCH_PAGES = 2000;
export const BENCH_CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);

const FIRST = ['Anna', 'Ben', 'Clara', 'David', 'Elena', 'Farid', 'Grace', 'Hugo', 'Ines', 'Jonas', 'Kara', 'Liam', 'Mia', 'Noah', 'Olga', 'Paul'];
const LAST = ['Schmidt', 'Okafor', 'Lindqvist', 'Moreau', 'Tanaka', 'Rossi', 'Novak', 'García', 'Keller', 'Brennan', 'Haddad', 'Kowalski'];
const TITLES = ['Chief Executive Officer', 'Head of Sales', 'Marketing Manager', 'Senior Software Engineer', 'VP Operations', 'Office Manager', 'Account Executive', 'Director of Finance'];
const WORDS =
  'logistics consulting software platform customers quality delivery regional partners service support project planning data security cloud warehouse freight compliance training growth strategy'.split(' ');

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
}

/** Children of page i in a 10-ary tree over 0..total-1, so a crawl from / reaches every page. */
export function childrenOf(i: number, total: number): number[] {
  const out: number[] = [];
  for (let k = 1; k <= 10; k++) if (i * 10 + k < total) out.push(i * 10 + k);
  return out;
}

export function benchPath(i: number): string {
  return i === 0 ? '/' : `/page/${i}`;
}

/** A company page of about 45 KB: navigation, team cards with contacts, prose, JSON-LD, footer. */
export function benchPage(i: number, total: number): string {
  const r = rng(i + 7);
  const pick = <T,>(xs: T[]): T => xs[Math.floor(r() * xs.length)]!;
  const sentence = (n: number): string => Array.from({ length: n }, () => pick(WORDS)).join(' ');
  const nav = Array.from({ length: 30 }, (_, k) => `<li class="nav-item"><a class="nav-link" href="${benchPath((i + k * 37) % total)}">${pick(WORDS)} ${k}</a></li>`).join('\n');
  const team = Array.from({ length: 6 }, (_, k) => {
    const first = pick(FIRST);
    const last = pick(LAST);
    const phone = `+49 30 ${String(1000000 + Math.floor(r() * 8999999))}`;
    return `<div class="team-card col-md-4" data-index="${k}"><img src="/img/${i}-${k}.jpg" alt="${first} ${last}" width="120" height="120">
<h3 class="team-name">${first} ${last}</h3><p class="team-title">${pick(TITLES)}</p>
<p><a href="mailto:${first.toLowerCase()}.${last.toLowerCase()}@northwind-${i % 50}.de">${first.toLowerCase()}.${last.toLowerCase()}@northwind-${i % 50}.de</a></p>
<p class="phone"><a href="tel:${phone.replace(/ /g, '')}">${phone}</a></p></div>`;
  }).join('\n');
  const prose = Array.from({ length: 100 }, () => `<p class="lead-text">${sentence(40)}.</p>`).join('\n');
  const children = childrenOf(i, total)
    .map((c) => `<li><a href="${benchPath(c)}">Section ${c}: ${sentence(3)}</a></li>`)
    .join('\n');
  const jsonLd = JSON.stringify({
    '@context': 'https://schema.org',
    '@type': 'Organization',
    name: `Northwind ${i % 50} GmbH`,
    url: `https://northwind-${i % 50}.example`,
    telephone: '+49 30 1234567',
    address: { '@type': 'PostalAddress', streetAddress: 'Hauptstraße 5', addressLocality: 'Berlin', postalCode: '10115', addressCountry: 'DE' },
  });
  const style = Array.from({ length: 40 }, (_, k) => `.c${k}{margin:${k}px;padding:${k % 7}px;color:#${(k * 99991).toString(16).slice(0, 6).padEnd(6, '0')}}`).join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Northwind ${i} – ${sentence(4)}</title>
<meta name="description" content="${sentence(20)}"><style>${style}</style>
<script type="application/ld+json">${jsonLd}</script></head><body>
<header><nav><ul class="nav">${nav}</ul></nav></header>
<main><h1>${sentence(5)}</h1>
<section class="team"><h2>Our team</h2><div class="row">${team}</div></section>
<section class="content">${prose}</section>
<section class="more"><h2>More</h2><ul>${children}</ul></section></main>
<footer><p>Northwind ${i % 50} GmbH · Hauptstraße 5 · 10115 Berlin · Tel. +49 30 1234567 · info@northwind-${i % 50}.de</p>
<p><a href="https://www.linkedin.com/company/northwind-${i % 50}">LinkedIn</a> <a href="/impressum">Impressum</a></p></footer>
</body></html>`;
}

export interface BenchSite {
  server: FixtureServer;
  urls: string[];
  averageBytes: number;
  close(): Promise<void>;
}

/** Pre-renders the pages (so serving costs little CPU) and serves them on 127.0.0.1. */
export async function startBenchSite(total = BENCH_PAGES): Promise<BenchSite> {
  const bodies = Array.from({ length: total }, (_, i) => Buffer.from(benchPage(i, total)));
  const routes: Record<string, { body: Buffer; contentType: string }> = {};
  bodies.forEach((body, i) => {
    routes[benchPath(i)] = { body, contentType: 'text/html; charset=utf-8' };
  });
  routes['/impressum'] = { body: Buffer.from(benchPage(total, total)), contentType: 'text/html; charset=utf-8' };
  const server = await startFixtureServer({ robotsTxt: 'User-agent: *\nDisallow: /private/\n', routes });
  return {
    server,
    urls: bodies.map((_, i) => server.url(benchPath(i))),
    averageBytes: bodies.reduce((n, b) => n + b.length, 0) / total,
    close: () => server.close(),
  };
}

export interface RunFigures {
  pages: number;
  seconds: number;
  pagesPerSecond: number;
}

/** Fetch + parse only: a stock CheerioCrawler given every URL up front, storage in memory. */
export async function runBareCheerio(urls: string[], concurrency = BENCH_CONCURRENCY): Promise<RunFigures> {
  let pages = 0;
  let links = 0;
  const crawler = new CheerioCrawler(
    {
      minConcurrency: concurrency,
      maxConcurrency: concurrency,
      maxRequestRetries: 0,
      log: new Log({ level: LogLevel.OFF }),
      statusMessageLoggingInterval: 3600,
      autoscaledPoolOptions: { loggingIntervalSecs: null },
      requestHandler: async ({ $ }) => {
        links += $('a[href]').length;
        pages++;
      },
    },
    new Configuration({ persistStorage: false }),
  );
  await crawler.addRequests(urls.map((url) => ({ url })), { waitForAllRequestsToBeAdded: true });
  const started = performance.now();
  await crawler.run();
  const seconds = (performance.now() - started) / 1000;
  if (links === 0) throw new Error('the bare crawler parsed no links');
  return { pages, seconds, pagesPerSecond: pages / seconds };
}

export const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
