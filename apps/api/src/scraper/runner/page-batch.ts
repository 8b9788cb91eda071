import type { CrawledPage, PageFailure } from '../crawl/crawl-options';

/** What a shard has seen since the last flush to the database. */
export class PageBatch {
  pages: CrawledPage[] = [];
  failures: PageFailure[] = [];
  logs: Array<{ level: string; message: string }> = [];
  startedAt = Date.now();

  get size(): number {
    return this.pages.length + this.failures.length;
  }

  get empty(): boolean {
    return this.size === 0 && this.logs.length === 0;
  }

  /** Hands the collected items over and starts a new batch. */
  drain(): { pages: CrawledPage[]; failures: PageFailure[]; logs: Array<{ level: string; message: string }> } {
    const drained = { pages: this.pages, failures: this.failures, logs: this.logs };
    this.pages = [];
    this.failures = [];
    this.logs = [];
    this.startedAt = Date.now();
    return drained;
  }
}
