import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { crawlShard } from '../../apps/api/src/scraper/crawl/shard-crawler';
import { BENCH_CONCURRENCY, BENCH_PAGES, median, runBareCheerio, startBenchSite, type RunFigures } from './scrape-baseline';

/**
 * The crawl engine (fetch + robots + link discovery + extraction, no database) against a bare
 * CheerioCrawler (fetch + parse only) on the same generated loopback site at the same concurrency.
 * The engine discovers the site from / by following links; the bare crawler is handed every URL.
 */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

async function runEngine(seed: string, total: number): Promise<RunFigures & { emails: number }> {
  let pages = 0;
  let emails = 0;
  const started = performance.now();
  const outcome = await crawlShard(
    { taskId: 'bench', shardId: 'bench', platform: 'website', seeds: [seed], options: { maxPages: total + 1, maxDepth: 5, concurrency: BENCH_CONCURRENCY, wallTimeMs: 10 * 60_000 } },
    {
      isVisited: () => false,
      onPage: async (page) => {
        pages++;
        emails += page.findings?.emails.length ?? 0;
      },
      onPageFailed: async (failure) => {
        throw new Error(`bench page failed: ${failure.url} ${failure.kind} ${failure.message}`);
      },
      onLog: () => undefined,
      control: () => 'run',
    },
    { allowPrivateTargets: true, chromiumPath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' },
  );
  const seconds = (performance.now() - started) / 1000;
  // The site's pages plus its /impressum, linked from every page.
  if (outcome.reason !== 'completed' || pages !== total + 1) throw new Error(`engine run incomplete: ${JSON.stringify(outcome)}`);
  return { pages, seconds, pagesPerSecond: pages / seconds, emails };
}

async function main(): Promise<void> {
  const site = await startBenchSite(BENCH_PAGES);
  try {
    const bare: number[] = [];
    const engine: number[] = [];
    let emails = 0;
    // Warm-up of both paths (JIT, sockets) on a slice of the site.
    await runBareCheerio(site.urls.slice(0, 200));
    process.stdout.write(`site: ${BENCH_PAGES} pages, ${(site.averageBytes / 1024).toFixed(1)} KB average, concurrency ${BENCH_CONCURRENCY}, ${cpus().length} CPUs, ${ROUNDS} rounds\n`);
    for (let round = 0; round < ROUNDS; round++) {
      // Alternate the order so neither side always runs on a warmer process.
      const order = round % 2 === 0 ? (['bare', 'engine'] as const) : (['engine', 'bare'] as const);
      for (const which of order) {
        if (which === 'bare') {
          const r = await runBareCheerio(site.urls);
          bare.push(r.pagesPerSecond);
          process.stdout.write(`  round ${round + 1} bare CheerioCrawler : ${r.pagesPerSecond.toFixed(1)} pages/s (${r.pages} pages in ${r.seconds.toFixed(2)} s)\n`);
        } else {
          const r = await runEngine(site.urls[0]!, BENCH_PAGES);
          engine.push(r.pagesPerSecond);
          emails = r.emails;
          process.stdout.write(`  round ${round + 1} crawl engine        : ${r.pagesPerSecond.toFixed(1)} pages/s (${r.pages} pages in ${r.seconds.toFixed(2)} s, ${r.emails} emails)\n`);
        }
      }
    }
    const b = median(bare);
    const e = median(engine);
    process.stdout.write(`\nbare CheerioCrawler (fetch + parse)          median ${b.toFixed(1)} pages/s\n`);
    process.stdout.write(`crawl engine (fetch + robots + links + extract) median ${e.toFixed(1)} pages/s (${emails} emails per run)\n`);
    process.stdout.write(`ratio engine / bare: ${(e / b).toFixed(2)}\n`);
  } finally {
    await site.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
