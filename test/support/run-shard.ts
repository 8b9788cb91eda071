import { crawlShard } from '../../apps/api/src/scraper/crawl/shard-crawler';
import type { ControlSignal, CrawlDeps, CrawledPage, PageFailure, ShardInput, ShardOutcome } from '../../apps/api/src/scraper/crawl/crawl-options';

export interface ShardRun {
  outcome: ShardOutcome;
  pages: CrawledPage[];
  failures: PageFailure[];
  logs: Array<{ level: string; message: string }>;
  elapsedMs: number;
}

export interface RunOptions {
  visited?: Set<string>;
  /** Called on every poll with the pages seen so far. */
  control?: (pages: CrawledPage[]) => ControlSignal;
  onPage?: (page: CrawledPage) => Promise<void>;
  deps?: Partial<CrawlDeps>;
}

/** Runs one shard with hooks that record everything (tests and benchmarks). */
export async function runShard(input: Partial<ShardInput> & Pick<ShardInput, 'seeds'>, run: RunOptions = {}): Promise<ShardRun> {
  const pages: CrawledPage[] = [];
  const failures: PageFailure[] = [];
  const logs: Array<{ level: string; message: string }> = [];
  const started = Date.now();
  const outcome = await crawlShard(
    { taskId: 't1', shardId: 's1', platform: 'website', ...input },
    {
      isVisited: (key) => run.visited?.has(key) ?? false,
      onPage: async (page) => {
        pages.push(page);
        await run.onPage?.(page);
      },
      onPageFailed: async (failure) => {
        failures.push(failure);
      },
      onLog: (level, message) => logs.push({ level, message }),
      control: () => run.control?.(pages) ?? 'run',
    },
    { allowPrivateTargets: true, chromiumPath: '/usr/bin/chromium', ...run.deps },
  );
  return { outcome, pages, failures, logs, elapsedMs: Date.now() - started };
}
