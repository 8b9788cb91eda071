import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { QUEUE_SCHEMA } from '../../queue/queue.service';
import { addPoolSource, addQueueSource, httpRequestDuration, type QueueRow, statusClass } from './metrics';

/** Queue figures are read at most this often, however often Prometheus scrapes. */
const QUEUE_STATS_TTL_MS = 5_000;
const QUEUE_STATS_TIMEOUT_MS = 2_000;

/** Times every HTTP response by route template (`/api/v1/tasks/:id`), so ids never become labels. */
@Injectable()
export class HttpMetrics implements OnModuleInit {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    // A worker is an application context: no HTTP adapter.
    const fastify = this.adapterHost.httpAdapter?.getInstance?.() as FastifyInstance | undefined;
    if (!fastify?.addHook) return;
    fastify.addHook('onResponse', (request, reply, done) => {
      httpRequestDuration.observe(
        { method: request.method, route: request.routeOptions?.url ?? '(unmatched)', status_class: statusClass(reply.statusCode) },
        reply.elapsedTime / 1000,
      );
      done();
    });
  }
}

/** The pg Pool behind TypeORM: open, idle and waiting. */
@Injectable()
export class DatabasePoolMetrics implements OnModuleInit, OnApplicationShutdown {
  private remove: (() => void) | undefined;

  constructor(private readonly dataSource: DataSource) {}

  onModuleInit(): void {
    const driver = this.dataSource.driver as unknown as { master?: Pool };
    this.remove = addPoolSource({
      stats: () => {
        const pool = driver.master;
        return pool ? { total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount } : { total: 0, idle: 0, waiting: 0 };
      },
    });
  }

  onApplicationShutdown(): void {
    this.remove?.();
  }
}

/**
 * Backlog per queue from pg-boss's job table, cached so that scrapes stay cheap; while the
 * database is unreachable the last figures are served (the readiness check tells the outage).
 */
@Injectable()
export class QueueMetrics implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Metrics');
  private remove: (() => void) | undefined;
  private cached: { at: number; rows: QueueRow[] } = { at: 0, rows: [] };
  private pending: Promise<QueueRow[]> | undefined;

  constructor(private readonly dataSource: DataSource) {}

  onModuleInit(): void {
    this.remove = addQueueSource({ rows: () => this.rows() });
  }

  onApplicationShutdown(): void {
    this.remove?.();
  }

  rows(): Promise<QueueRow[]> {
    if (Date.now() - this.cached.at < QUEUE_STATS_TTL_MS) return Promise.resolve(this.cached.rows);
    this.pending ??= this.read()
      .then((rows) => {
        this.cached = { at: Date.now(), rows };
        return rows;
      })
      .catch((error: unknown) => {
        this.logger.warn({ err: error }, 'queue figures unavailable; serving the last ones');
        this.cached = { at: Date.now(), rows: this.cached.rows };
        return this.cached.rows;
      })
      .finally(() => {
        this.pending = undefined;
      });
    return this.pending;
  }

  private async read(): Promise<QueueRow[]> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('queue figures timed out')), QUEUE_STATS_TIMEOUT_MS);
    });
    try {
      const rows = (await Promise.race([
        this.dataSource.query(
          `SELECT q.name AS queue,
                  count(j.id) FILTER (WHERE j.state IN ('created', 'retry') AND j.start_after <= now())::int AS ready,
                  count(j.id) FILTER (WHERE j.state IN ('created', 'retry') AND j.start_after > now())::int AS deferred,
                  count(j.id) FILTER (WHERE j.state = 'active')::int AS active,
                  COALESCE(EXTRACT(EPOCH FROM now() - min(j.start_after) FILTER (WHERE j.state IN ('created', 'retry') AND j.start_after <= now())), 0)::float8 AS oldest
             FROM ${QUEUE_SCHEMA}.queue q
             LEFT JOIN ${QUEUE_SCHEMA}.job j ON j.name = q.name AND j.state < 'completed'
            GROUP BY q.name`,
        ),
        timeout,
      ])) as Array<{ queue: string; ready: number; deferred: number; active: number; oldest: number }>;
      return rows.map((row) => ({ queue: row.queue, ready: row.ready, deferred: row.deferred, active: row.active, oldestReadySeconds: row.oldest }));
    } finally {
      clearTimeout(timer);
    }
  }
}
