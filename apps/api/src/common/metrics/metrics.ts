import { collectDefaultMetrics, Counter, Gauge, Histogram, register, type Metric } from 'prom-client';

/**
 * Every Leadforge metric, in prom-client's default registry (one per process). Metrics are created
 * once per process: the end-to-end tests run several applications in one process, so per-app
 * values (database pools, queue backlogs) come from sources that each app adds and removes.
 */
export const metricsRegistry = register;

function once<T extends Metric>(name: string, create: () => T): T {
  return (register.getSingleMetric(name) as T | undefined) ?? create();
}

if (!register.getSingleMetric('nodejs_eventloop_lag_seconds')) collectDefaultMetrics({ register, eventLoopMonitoringPrecision: 20 });

export const httpRequestDuration = once(
  'leadforge_http_request_duration_seconds',
  () =>
    new Histogram({
      name: 'leadforge_http_request_duration_seconds',
      help: 'HTTP request duration by method, route template (not the raw URL) and status class.',
      labelNames: ['method', 'route', 'status_class'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    }),
);

export const pagesFetched = once('leadforge_pages_fetched_total', () => new Counter({ name: 'leadforge_pages_fetched_total', help: 'Pages fetched by scrape shards.' }));

export const fetchErrors = once(
  'leadforge_fetch_errors_total',
  () => new Counter({ name: 'leadforge_fetch_errors_total', help: 'Pages that could not be fetched or processed, by kind.', labelNames: ['kind'] as const }),
);

export const leadsIngested = once(
  'leadforge_leads_ingested_total',
  () =>
    new Counter({
      name: 'leadforge_leads_ingested_total',
      help: 'Leads from committed shard flushes by outcome: stored (new), duplicate (merged into an existing lead), suppressed (opted out).',
      labelNames: ['outcome'] as const,
    }),
);

export const jobWait = once(
  'leadforge_job_wait_seconds',
  () =>
    new Histogram({
      name: 'leadforge_job_wait_seconds',
      help: 'Time a job waited from when it became runnable until a worker started it, by queue.',
      labelNames: ['queue'] as const,
      buckets: [0.1, 0.5, 1, 2, 5, 10, 30, 60, 300, 900],
    }),
);

export const jobDuration = once(
  'leadforge_job_duration_seconds',
  () =>
    new Histogram({
      name: 'leadforge_job_duration_seconds',
      help: 'Time a job handler ran, by queue and outcome (completed, failed).',
      labelNames: ['queue', 'outcome'] as const,
      buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300, 900],
    }),
);

/** Something measured on scrape, added by each running application. */
export interface PoolSource {
  stats(): { total: number; idle: number; waiting: number };
}

export interface QueueRow {
  queue: string;
  ready: number;
  deferred: number;
  active: number;
  oldestReadySeconds: number;
}

export interface QueueSource {
  rows(): Promise<QueueRow[]>;
}

const poolSources = new Set<PoolSource>();
const queueSources = new Set<QueueSource>();

export function addPoolSource(source: PoolSource): () => void {
  poolSources.add(source);
  return () => poolSources.delete(source);
}

export function addQueueSource(source: QueueSource): () => void {
  queueSources.add(source);
  return () => queueSources.delete(source);
}

const poolGauge = (name: string, help: string, pick: (stats: ReturnType<PoolSource['stats']>) => number): Gauge =>
  once(
    name,
    () =>
      new Gauge({
        name,
        help,
        collect() {
          let sum = 0;
          for (const source of poolSources) sum += pick(source.stats());
          this.set(sum);
        },
      }),
  );

poolGauge('leadforge_db_pool_connections', 'Connections open in the application database pool (idle + in use).', (stats) => stats.total);
poolGauge('leadforge_db_pool_idle', 'Idle connections in the application database pool.', (stats) => stats.idle);
poolGauge('leadforge_db_pool_waiting', 'Queries waiting for a connection from the application database pool.', (stats) => stats.waiting);

async function queueRows(): Promise<QueueRow[]> {
  const merged = new Map<string, QueueRow>();
  for (const source of queueSources) {
    for (const row of await source.rows()) {
      const seen = merged.get(row.queue);
      if (!seen) merged.set(row.queue, { ...row });
      else {
        seen.ready += row.ready;
        seen.deferred += row.deferred;
        seen.active += row.active;
        seen.oldestReadySeconds = Math.max(seen.oldestReadySeconds, row.oldestReadySeconds);
      }
    }
  }
  return [...merged.values()];
}

once(
  'leadforge_queue_jobs',
  () =>
    new Gauge({
      name: 'leadforge_queue_jobs',
      help: 'Jobs per queue and state: ready (runnable now), deferred (retry or start later), active.',
      labelNames: ['queue', 'state'] as const,
      async collect() {
        this.reset();
        for (const row of await queueRows()) {
          this.set({ queue: row.queue, state: 'ready' }, row.ready);
          this.set({ queue: row.queue, state: 'deferred' }, row.deferred);
          this.set({ queue: row.queue, state: 'active' }, row.active);
        }
      },
    }),
);

once(
  'leadforge_queue_oldest_ready_seconds',
  () =>
    new Gauge({
      name: 'leadforge_queue_oldest_ready_seconds',
      help: 'Age of the oldest runnable job not yet started, per queue (0 when none waits).',
      labelNames: ['queue'] as const,
      async collect() {
        this.reset();
        for (const row of await queueRows()) this.set({ queue: row.queue }, row.oldestReadySeconds);
      },
    }),
);

/** `2xx`, `4xx`, ... */
export const statusClass = (status: number): string => `${Math.floor(status / 100)}xx`;
