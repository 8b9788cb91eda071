import type { LeadObjective } from '@leadforge/contracts';
import { type BeforeApplicationShutdown, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { Job } from 'pg-boss';
import type { EntityManager } from 'typeorm';
import type { AppConfig } from '../../common/config/app-config';
import { InjectConfig } from '../../common/config/config.module';
import { isDatabaseUnavailable } from '../../common/errors/database-errors';
import { fetchErrors, leadsIngested, pagesFetched } from '../../common/metrics/metrics';
import { TenantDatabase } from '../../database/tenant-database';
import { LeadIngestService } from '../../leads/lead-ingest.service';
import { JobHandler } from '../../queue/job-handler.decorator';
import type { ControlSignal, CrawledPage, PageFailure, ShardOutcome } from '../crawl/crawl-options';
import { TASK_LIMITS } from '../tasks/task-options';
import { ScrapeTask } from '../tasks/scrape-task.entity';
import { TaskEventsService } from '../tasks/task-events.service';
import { SHARD_QUEUE, type ShardJobData, TaskLifecycle } from '../tasks/task-lifecycle.service';
import type { TaskShard } from '../tasks/task-shard.entity';
import { PageBatch } from './page-batch';
import { claimShard } from './shard-claim';

const FLUSH_EVERY_MS = 500;
/** A flush starts in the background at this many pages; the crawl keeps going meanwhile. */
const FLUSH_AT_PAGES = 100;
/** Past this many pages waiting for the database the crawl waits (back-pressure, bounded memory). */
const MAX_BUFFERED_PAGES = 400;
const CONTROL_REFRESH_MS = 500;
const PROGRESS_EVENT_MIN_GAP_MS = 250;
const SHARD_RETRY_LIMIT = 4;
/** How long a flush keeps retrying while the database is unreachable before the shard gives up (and is retried). */
const FLUSH_RETRY_WINDOW_MS = 120_000;
const FLUSH_RETRY_MAX_DELAY_MS = 5_000;

type CrawlEngine = typeof import('../crawl/shard-crawler');
let crawlEngine: Promise<CrawlEngine> | undefined;

/**
 * The crawl engine (Crawlee, robots and sitemap handling, the extraction pool) is loaded by the
 * processes that take shard jobs and by no other: an API-only process (WORKERS_IN_PROCESS=false)
 * never pays for it.
 */
function loadCrawlEngine(): Promise<CrawlEngine> {
  crawlEngine ??= import('../crawl/shard-crawler.js').catch((error: unknown) => {
    crawlEngine = undefined;
    throw error;
  });
  return crawlEngine;
}

/** Thrown so that the queue retries the job later: another worker still holds the shard. */
class ShardBusyError extends Error {
  constructor(shardId: string) {
    super(`shard ${shardId} is held by a live worker; retrying later`);
  }
}

interface RunState {
  task: ScrapeTask;
  shard: TaskShard;
  control: ControlSignal;
  timedOut: boolean;
  lastProgressEventAt: number;
}

/**
 * Runs one shard job: claims the shard, crawls it with the engine, and every few hundred
 * milliseconds writes what it found in one transaction (leads, frontier, counters, events). Pause
 * and stop are read from the task row; the job's heartbeat lets the queue retry a shard whose
 * worker died, and the retry skips the pages already done.
 */
@Injectable()
export class ShardRunner implements OnApplicationBootstrap, OnModuleDestroy, BeforeApplicationShutdown {
  private readonly logger = new Logger(ShardRunner.name);
  /** Set at shutdown: running shards stop at their next checkpoint and go back to the queue for another worker. */
  private releasing = false;
  private readonly running = new Set<Promise<void>>();

  constructor(
    @InjectConfig() private readonly config: AppConfig,
    private readonly tenant: TenantDatabase,
    private readonly lifecycle: TaskLifecycle,
    private readonly events: TaskEventsService,
    private readonly ingest: LeadIngestService,
  ) {}

  /** A process that runs jobs loads the engine at start, as before: a broken install fails the boot, not the first shard. */
  async onApplicationBootstrap(): Promise<void> {
    if (this.config.workersInProcess) await loadCrawlEngine();
  }

  @JobHandler({ queue: SHARD_QUEUE, heartbeatSeconds: 10, retryLimit: SHARD_RETRY_LIMIT, retryDelaySeconds: 5, retryBackoff: true, expireInSeconds: 24 * 3600, localConcurrency: 2 })
  async run(job: Job<ShardJobData>): Promise<void> {
    const work = this.runJob(job);
    this.running.add(work);
    try {
      await work;
    } finally {
      this.running.delete(work);
    }
  }

  private async runJob(job: Job<ShardJobData>): Promise<void> {
    const { orgId, shardId, generation } = job.data;
    const engine = await loadCrawlEngine();
    const claim = await this.tenant.inOrg(orgId, (db) => claimShard(db, shardId, generation));
    if (claim.kind === 'busy') throw new ShardBusyError(shardId);
    if (claim.kind === 'obsolete') return;
    // Which process runs which shard (the log line carries pid and hostname): the trail an
    // operator follows after a worker dies mid-shard.
    this.logger.log({ taskId: claim.task.id, shardId, attempt: claim.shard.attempts, jobId: job.id }, 'shard claimed');
    if (claim.firstStart) await this.tenant.inOrg(orgId, (db) => this.events.append(db, claim.task.id, 'task.status', { status: 'running' }).then(() => undefined));

    const state: RunState = { task: claim.task, shard: claim.shard, control: 'run', timedOut: false, lastProgressEventAt: 0 };
    try {
      const outcome = await this.crawl(engine, state);
      await this.finishShard(state, outcome);
    } catch (error) {
      await this.failShard(state, error, job.retryCount >= SHARD_RETRY_LIMIT);
      throw error;
    }
  }

  private async crawl({ crawlShard }: CrawlEngine, state: RunState): Promise<ShardOutcome> {
    const { task, shard } = state;
    const pages = (await this.tenant.inOrg(task.orgId, (db) =>
      db.query(`SELECT url_key, url, depth, state FROM task_page WHERE task_id = $1 AND shard_id = $2`, [task.id, shard.id]),
    )) as Array<{ url_key: string; url: string; depth: number; state: string }>;
    const finished = new Set(pages.filter((page) => page.state !== 'pending').map((page) => page.url_key));
    const frontier = pages.filter((page) => page.state === 'pending').map((page) => ({ url: page.url, depth: page.depth }));

    const batch = new PageBatch();
    let flushing: Promise<void> = Promise.resolve();
    let flushQueued = false;
    // A background flush that failed lost its pages from this run: the next hook call rethrows,
    // which halts the crawl so the job is retried and those pages are fetched again.
    let flushError: unknown;
    const flush = (): Promise<void> => {
      if (flushQueued) return flushing;
      flushQueued = true;
      flushing = flushing
        .then(() => {
          flushQueued = false;
          return this.flush(state, batch);
        })
        .catch((error: unknown) => {
          flushError ??= error;
        });
      return flushing;
    };
    const afterPage = async (): Promise<void> => {
      if (flushError) throw flushError;
      if (batch.size >= MAX_BUFFERED_PAGES) await flush();
      else if (batch.size >= FLUSH_AT_PAGES) void flush();
      if (flushError) throw flushError;
    };
    const refresh = setInterval(() => void this.refreshControl(state).catch((error: unknown) => this.logger.warn({ err: error }, 'control refresh failed')), CONTROL_REFRESH_MS);
    const ticker = setInterval(() => {
      if (!batch.empty && Date.now() - batch.startedAt >= FLUSH_EVERY_MS) void flush();
    }, FLUSH_EVERY_MS / 2);

    const deadline = task.deadlineAt ? task.deadlineAt.getTime() : Date.now() + task.options.maxWallTimeSeconds * 1000;
    try {
      const outcome = await crawlShard(
        {
          taskId: task.id,
          shardId: shard.id,
          platform: task.platform,
          seeds: shard.seeds,
          frontier,
          selectors: task.selectors ?? undefined,
          options: {
            maxPages: Math.max(0, shard.budget - shard.pagesFetched),
            maxDepth: task.options.maxDepth,
            sameDomain: task.options.sameDomain,
            respectRobots: task.options.respectRobots,
            render: task.options.render,
            include: task.options.include,
            exclude: task.options.exclude,
            concurrency: task.options.concurrency,
            delayMs: task.options.delayMs,
            requestTimeoutMs: task.options.requestTimeoutMs,
            maxBodyBytes: TASK_LIMITS.maxBodyBytes,
            wallTimeMs: Math.max(0, deadline - Date.now()),
          },
        },
        {
          isVisited: (urlKey) => finished.has(urlKey),
          onPage: async (page: CrawledPage) => {
            pagesFetched.inc();
            batch.pages.push(page);
            await afterPage();
          },
          onPageFailed: async (failure: PageFailure) => {
            fetchErrors.inc({ kind: failure.kind });
            batch.failures.push(failure);
            await afterPage();
          },
          onLog: (level, message) => {
            if (batch.logs.length < 50) batch.logs.push({ level, message });
          },
          control: () => (this.releasing && state.control === 'run' ? 'pause' : state.control),
        },
        { allowPrivateTargets: this.config.allowPrivateTargets, chromiumPath: this.config.chromiumPath },
      );
      await flush();
      if (flushError) throw flushError;
      if (outcome.reason === 'timed_out' || Date.now() >= deadline) state.timedOut = true;
      return outcome;
    } finally {
      clearInterval(refresh);
      clearInterval(ticker);
      await flushing.catch(() => undefined);
    }
  }

  /** Reads pause/stop/deadline from the task and renews the shard's heartbeat. */
  private async refreshControl(state: RunState): Promise<void> {
    const rows = (await this.tenant.inOrg(state.task.orgId, async (db) => {
      await db.query(`UPDATE task_shard SET heartbeat_at = now() WHERE id = $1 AND status = 'running'`, [state.shard.id]);
      return db.query(`SELECT status, deadline_at < now() AS overdue FROM scrape_task WHERE id = $1`, [state.task.id]);
    })) as Array<{ status: string; overdue: boolean | null }>;
    const row = rows[0];
    if (!row || ['cancelled', 'completed', 'failed', 'timed_out'].includes(row.status)) state.control = 'stop';
    else if (row.status === 'paused') state.control = 'pause';
    else if (row.overdue) {
      state.timedOut = true;
      state.control = 'stop';
    } else state.control = 'run';
  }

  /**
   * Writes what the batch holds. While the database is unreachable the same items are retried with
   * backoff (the crawl waits once MAX_BUFFERED_PAGES are buffered) instead of being dropped.
   */
  private async flush(state: RunState, batch: PageBatch): Promise<void> {
    if (batch.empty) return;
    const drained = batch.drain();
    const startedAt = Date.now();
    let delayMs = 250;
    for (let attempt = 0; ; attempt += 1) {
      try {
        // The connection can drop after COMMIT reached the server: then the pages are recorded already.
        if (attempt > 0 && (await this.alreadyRecorded(state, drained.pages, drained.failures))) return;
        await this.writeBatch(state, drained);
        return;
      } catch (error) {
        if (!isDatabaseUnavailable(error) || Date.now() - startedAt > FLUSH_RETRY_WINDOW_MS) throw error;
        if (attempt === 0) this.logger.warn({ taskId: state.task.id, shardId: state.shard.id }, 'database unreachable; holding the batch and retrying');
        await new Promise((resolveDelay) => setTimeout(resolveDelay, delayMs));
        delayMs = Math.min(FLUSH_RETRY_MAX_DELAY_MS, delayMs * 2);
      }
    }
  }

  private async alreadyRecorded(state: RunState, pages: CrawledPage[], failures: PageFailure[]): Promise<boolean> {
    const keys = [...pages.map((page) => page.urlKey), ...failures.map((failure) => failure.urlKey)];
    if (keys.length === 0) return false;
    const rows = (await this.tenant.inOrg(state.task.orgId, (db) =>
      db.query(`SELECT count(*)::int AS n FROM task_page WHERE task_id = $1 AND url_key = ANY($2::text[]) AND state <> 'pending'`, [state.task.id, keys]),
    )) as Array<{ n: number }>;
    if (rows[0]!.n < keys.length) return false;
    state.shard.pagesFetched += pages.length;
    state.shard.pagesFailed += failures.length;
    return true;
  }

  /** One transaction: leads, frontier, counters, heartbeat and the events that tell clients about them. */
  private async writeBatch(state: RunState, drained: ReturnType<PageBatch['drain']>): Promise<void> {
    const { pages, failures, logs } = drained;
    const { task, shard } = state;
    let ingested: { stored: number; duplicates: number; suppressed: number } | undefined;
    await this.tenant.inOrg(task.orgId, async (db) => {
      const result = await this.ingest.ingestInTransaction(db, {
        orgId: task.orgId,
        taskId: task.id,
        platform: task.platform,
        leadObjective: task.leadObjective as LeadObjective,
        filters: task.filters ?? undefined,
        pages: pages.map((page) => ({ url: page.finalUrl, fetchedAt: page.fetchedAt, findings: page.findings, records: page.records })),
      });
      ingested = result;
      const newlyQueued = await this.recordPages(db, state, pages, failures);
      const fetched = pages.length;
      const failed = failures.length;
      await db.query(
        `UPDATE task_shard SET pages_fetched = pages_fetched + $2, pages_failed = pages_failed + $3, heartbeat_at = now(), updated_at = now() WHERE id = $1`,
        [shard.id, fetched, failed],
      );
      const counters = (await db.query(
        `UPDATE scrape_task
            SET pages_fetched = pages_fetched + $2, pages_failed = pages_failed + $3, pages_queued = pages_queued + $4,
                leads_found = leads_found + $5, leads_stored = leads_stored + $6, duplicates = duplicates + $7, suppressed = suppressed + $8,
                credits_charged = LEAST(credits_reserved, pages_fetched + $2), updated_at = now()
          WHERE id = $1
          RETURNING pages_queued, pages_fetched, pages_failed, leads_found, leads_stored, duplicates, suppressed, credits_reserved, started_at`,
        [task.id, fetched, failed, newlyQueued, result.found, result.stored, result.duplicates, result.suppressed],
      )) as [Array<Record<string, number | Date | null>>, number];
      if (result.leads.length > 0) await this.events.append(db, task.id, 'task.leads', { leads: result.leads });
      for (const log of logs) await this.events.append(db, task.id, 'task.log', { level: log.level, message: log.message });
      for (const failure of failures) {
        if (failure.kind !== 'blocked_by_robots') await this.events.append(db, task.id, 'task.log', { level: 'warn', message: `${failure.kind}: ${failure.url}` });
      }
      if (Date.now() - state.lastProgressEventAt >= PROGRESS_EVENT_MIN_GAP_MS) {
        state.lastProgressEventAt = Date.now();
        const row = counters[0][0]!;
        await this.events.append(db, task.id, 'task.progress', progressPayload(row));
      }
    });
    shard.pagesFetched += pages.length;
    shard.pagesFailed += failures.length;
    if (ingested) {
      leadsIngested.inc({ outcome: 'stored' }, ingested.stored);
      leadsIngested.inc({ outcome: 'duplicate' }, ingested.duplicates);
      leadsIngested.inc({ outcome: 'suppressed' }, ingested.suppressed);
    }
  }

  /** Marks finished pages and adds newly discovered ones to the frontier; returns how many are new. */
  private async recordPages(db: EntityManager, state: RunState, pages: CrawledPage[], failures: PageFailure[]): Promise<number> {
    const { task, shard } = state;
    const finished = [
      ...pages.map((page) => ({ key: page.urlKey, url: page.url, depth: page.depth, state: 'fetched' })),
      ...failures.map((failure) => ({ key: failure.urlKey, url: failure.url, depth: failure.depth, state: 'failed' })),
    ];
    const discovered = pages.flatMap((page) => page.discovered.map((entry) => ({ url: entry.url, depth: entry.depth })));
    if (finished.length > 0) {
      await db.query(
        `INSERT INTO task_page (task_id, url_key, org_id, shard_id, url, depth, state)
         SELECT $1, f.key, $2, $3, f.url, f.depth, f.state FROM jsonb_to_recordset($4::jsonb) AS f(key text, url text, depth smallint, state text)
         ON CONFLICT (task_id, url_key) DO UPDATE SET state = EXCLUDED.state, updated_at = now()`,
        [task.id, task.orgId, shard.id, JSON.stringify(finished)],
      );
    }
    if (discovered.length === 0) return 0;
    const inserted = (await db.query(
      `INSERT INTO task_page (task_id, url_key, org_id, shard_id, url, depth, state)
       SELECT $1, d.url, $2, $3, d.url, d.depth, 'pending' FROM jsonb_to_recordset($4::jsonb) AS d(url text, depth smallint)
       ON CONFLICT (task_id, url_key) DO NOTHING RETURNING 1`,
      [task.id, task.orgId, shard.id, JSON.stringify(discovered)],
    )) as unknown[];
    return inserted.length;
  }

  /** Shutdown (SIGTERM): the queue takes no new jobs, and running crawls halt at their next checkpoint. */
  onModuleDestroy(): void {
    this.releasing = true;
  }

  /** Before the database pools close: wait (up to SHUTDOWN_TIMEOUT_MS) for running shards to flush and release. */
  async beforeApplicationShutdown(): Promise<void> {
    this.releasing = true;
    if (this.running.size === 0) return;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolveTimeout) => {
      timer = setTimeout(resolveTimeout, this.config.shutdownTimeoutMs);
    });
    await Promise.race([Promise.allSettled([...this.running]), timeout]);
    clearTimeout(timer);
  }

  /**
   * A shard halted by this worker's shutdown, with everything it fetched flushed: queued again under a
   * new generation, so another worker resumes it without refetching done pages. Not when the task
   * itself was paused or ended meanwhile: then the usual bookkeeping applies.
   */
  private async release(state: RunState): Promise<boolean> {
    const { task, shard } = state;
    return this.tenant.inOrg(task.orgId, async (db) => {
      const rows = (await db.query(`SELECT status FROM scrape_task WHERE id = $1 FOR UPDATE`, [task.id])) as Array<{ status: string }>;
      if (rows[0]?.status !== 'running') return false;
      await this.lifecycle.enqueueShard(db, shard);
      await this.events.append(db, task.id, 'task.log', { level: 'info', message: 'A worker is shutting down; another one continues this part of the crawl.' });
      return true;
    });
  }

  private async finishShard(state: RunState, outcome: ShardOutcome): Promise<void> {
    const { task, shard } = state;
    if (outcome.reason === 'paused' && this.releasing && !state.timedOut && (await this.release(state))) {
      this.logger.log({ taskId: task.id, shardId: shard.id }, 'shard released for another worker');
      return;
    }
    await this.tenant.inOrg(task.orgId, async (db) => {
      const shardStatus = outcome.reason === 'paused' ? 'paused' : outcome.reason === 'stopped' && !state.timedOut ? 'cancelled' : 'completed';
      await db.query(
        `UPDATE task_shard SET status = $2, heartbeat_at = NULL, finished_at = CASE WHEN $2 = 'paused' THEN NULL ELSE now() END, updated_at = now()
          WHERE id = $1 AND status = 'running'`,
        [shard.id, shardStatus],
      );
      if (state.timedOut) {
        await this.lifecycle.finish(db, task.id, 'timed_out', 'The task reached its wall-time limit.');
      } else {
        const open = (await db.query(`SELECT count(*)::int AS open FROM task_shard WHERE task_id = $1 AND status IN ('queued', 'running', 'paused')`, [
          task.id,
        ])) as Array<{ open: number }>;
        if (open[0]!.open === 0) await this.lifecycle.finish(db, task.id, 'completed');
      }
      await this.lifecycle.settleIfIdle(db, task.id);
    });
  }

  /** A crash of ours: the queue retries the shard; after the last retry the task fails and is refunded. */
  private async failShard(state: RunState, error: unknown, final: boolean): Promise<void> {
    const message = error instanceof Error ? error.message : String(error);
    this.logger.error({ err: error, taskId: state.task.id, shardId: state.shard.id, final }, 'shard failed');
    await this.tenant
      .inOrg(state.task.orgId, async (db) => {
        await db.query(`UPDATE task_shard SET status = $2, last_error = $3, heartbeat_at = NULL, updated_at = now() WHERE id = $1 AND status = 'running'`, [
          state.shard.id,
          final ? 'failed' : 'queued',
          message.slice(0, 500),
        ]);
        if (final) await this.lifecycle.finish(db, state.task.id, 'failed', 'The task failed on our side; its credits were refunded.');
        else await this.events.append(db, state.task.id, 'task.log', { level: 'warn', message: 'A worker error interrupted part of the crawl; it is being retried.' });
      })
      .catch((cleanupError: unknown) => this.logger.error({ err: cleanupError }, 'could not record the shard failure'));
  }
}

function progressPayload(row: Record<string, number | Date | null>): Record<string, unknown> {
  const startedAt = row.started_at instanceof Date ? row.started_at.getTime() : Date.now();
  const fetched = Number(row.pages_fetched);
  const failed = Number(row.pages_failed);
  const queued = Number(row.pages_queued);
  const budget = Number(row.credits_reserved);
  const target = Math.max(1, Math.min(budget, Math.max(queued, fetched + failed)));
  const seconds = Math.max(0.001, (Date.now() - startedAt) / 1000);
  const pagesPerSecond = Math.round((fetched / seconds) * 100) / 100;
  return {
    pagesQueued: queued,
    pagesFetched: fetched,
    pagesFailed: failed,
    leadsFound: Number(row.leads_found),
    leadsStored: Number(row.leads_stored),
    duplicates: Number(row.duplicates),
    suppressed: Number(row.suppressed),
    percent: Math.min(99, Math.floor(((fetched + failed) / target) * 100)),
    pagesPerSecond,
    etaSeconds: pagesPerSecond > 0 ? Math.ceil(Math.max(0, target - fetched - failed) / pagesPerSecond) : null,
  };
}
