import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { QUEUE_SCHEMA } from '../queue/queue.service';

/**
 * The smallest UUIDv7 of a moment: every row created at or after it has an id at or above this
 * one, so a time window over a table keyed by UUIDv7 is a range scan of its primary key.
 */
export function uuidv7Floor(moment: Date): string {
  const hex = Math.max(0, moment.getTime()).toString(16).padStart(12, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-0000-0000-000000000000`;
}

export interface PlatformCounts {
  users: { total: number; verified: number; suspended: number; platform_admins: number; new_7d: number };
  orgsByPlan: Array<{ plan: string; orgs: number }>;
  tasksByStatus: Array<{ status: string; tasks: number }>;
  runningNow: number;
  leads: { total: number; last_24h: number };
  creditsConsumed: number;
  queues: Array<{ queue: string; queued: number; active: number }>;
}

/**
 * Platform-wide figures for the admin overview. Every query stays cheap at millions of leads:
 * lead counts come from the analytics rollups (lead_stat_dim / lead_stat_time), time windows over
 * tasks and the ledger are primary-key ranges, and running tasks use the partial active index.
 * Run with a system-scoped manager.
 */
@Injectable()
export class AdminStatsRepository {
  async counts(db: EntityManager, now: Date): Promise<PlatformCounts> {
    const dayAgo = new Date(now.getTime() - 24 * 3_600_000);
    const monthAgo = new Date(now.getTime() - 30 * 24 * 3_600_000);
    const [users] = (await db.query(
      `SELECT count(*)::int AS total,
              count(*) FILTER (WHERE email_verified_at IS NOT NULL)::int AS verified,
              count(*) FILTER (WHERE suspended_at IS NOT NULL)::int AS suspended,
              count(*) FILTER (WHERE is_platform_admin)::int AS platform_admins,
              count(*) FILTER (WHERE created_at >= $1::timestamptz - interval '7 days')::int AS new_7d
         FROM user_account`,
      [now],
    )) as Array<PlatformCounts['users']>;
    const orgsByPlan = (await db.query(
      `SELECT COALESCE(ca.plan, 'free') AS plan, count(*)::int AS orgs
         FROM organization o LEFT JOIN credit_account ca ON ca.org_id = o.id
        GROUP BY 1`,
    )) as PlatformCounts['orgsByPlan'];
    const tasksByStatus = (await db.query(
      `SELECT status, count(*)::int AS tasks FROM scrape_task WHERE id >= $1 AND created_at >= $2 GROUP BY status`,
      [uuidv7Floor(dayAgo), dayAgo],
    )) as PlatformCounts['tasksByStatus'];
    const [running] = (await db.query(`SELECT count(*)::int AS running FROM scrape_task WHERE status = 'running'`)) as Array<{ running: number }>;
    const [leads] = (await db.query(
      `SELECT (SELECT COALESCE(sum(leads), 0) FROM lead_stat_dim)::bigint AS total,
              (SELECT COALESCE(sum(leads), 0) FROM lead_stat_time WHERE bucket >= $1)::bigint AS last_24h`,
      [dayAgo],
    )) as Array<{ total: string; last_24h: string }>;
    const [credits] = (await db.query(
      `SELECT COALESCE(-sum(delta), 0)::bigint AS consumed FROM credit_ledger
        WHERE id >= $1 AND created_at >= $2 AND reason IN ('task_reservation', 'task_settlement', 'task_refund')`,
      [uuidv7Floor(monthAgo), monthAgo],
    )) as Array<{ consumed: string }>;
    return {
      users: users!,
      orgsByPlan,
      tasksByStatus,
      runningNow: running!.running,
      leads: { total: Number(leads!.total), last_24h: Number(leads!.last_24h) },
      creditsConsumed: Number(credits!.consumed),
      queues: await this.queues(db),
    };
  }

  /** Waiting and active jobs per queue of ours (not pg-boss's internal ones); empty until the job system has created its schema. */
  private async queues(db: EntityManager): Promise<PlatformCounts['queues']> {
    const [schema] = (await db.query(`SELECT to_regclass($1) IS NOT NULL AS present`, [`${QUEUE_SCHEMA}.job`])) as Array<{ present: boolean }>;
    if (!schema?.present) return [];
    return (await db.query(
      `SELECT q.name AS queue,
              count(j.id) FILTER (WHERE j.state IN ('created', 'retry'))::int AS queued,
              count(j.id) FILTER (WHERE j.state = 'active')::int AS active
         FROM ${QUEUE_SCHEMA}.queue q
         LEFT JOIN ${QUEUE_SCHEMA}.job j ON j.name = q.name AND j.state < 'completed'
        WHERE q.name NOT LIKE '\\_\\_pgboss\\_\\_%'
        GROUP BY q.name
        ORDER BY q.name`,
    )) as PlatformCounts['queues'];
  }
}
