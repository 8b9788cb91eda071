import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { RetentionTrigger } from './retention-policy.entity';

export interface PolicyRow {
  leads_days: number;
  task_events_days: number;
  updated_at: Date | null;
  last_run_at: Date | null;
  last_run_trigger: RetentionTrigger | null;
  last_leads_deleted: number;
  last_task_events_deleted: number;
}

/** The instants a run or a stats call compares with, fixed once so that both agree. */
export interface Cutoffs {
  /** Leads neither created nor seen since: expired. */
  leads: Date;
  /** Leads soft-deleted before: purged. */
  softDeleted: Date;
  taskEvents: Date;
}

export interface LeadBatch {
  scanned: number;
  deleted: number;
  softDeleted: number;
  /** Keyset position after this batch: created_at as text (microseconds kept) and id. */
  lastCreatedAt: string | null;
  lastId: string | null;
}

export interface RetentionStatsRow {
  leads_total: number;
  leads_expired: number;
  leads_soft_expired: number;
  leads_expiring: number;
  events_total: number;
  events_expired: number;
  events_expiring: number;
}

const ACTIVE_TASK = `EXISTS (SELECT 1 FROM scrape_task t WHERE t.id = e.task_id AND t.status IN ('queued', 'running', 'paused'))`;
const WEEK = `interval '7 days'`;

/**
 * Retention queries. A lead is expired when it was neither created nor seen again within the
 * policy's days (both timestamps before the cutoff), or soft-deleted more than 30 days ago. Both
 * imply `created_at` before the later cutoff, so the delete walks the (org_id, created_at, id)
 * index in key order, at most `limit` rows a statement, and never scans a row twice.
 */
@Injectable()
export class RetentionRepository {
  async policy(db: EntityManager, orgId: string): Promise<PolicyRow | null> {
    const [row] = (await db.query(
      `SELECT leads_days, task_events_days, updated_at, last_run_at, last_run_trigger, last_leads_deleted, last_task_events_deleted
         FROM retention_policy WHERE org_id = $1`,
      [orgId],
    )) as PolicyRow[];
    return row ?? null;
  }

  async setPolicy(db: EntityManager, orgId: string, leadsDays: number, taskEventsDays: number, userId: string | null): Promise<void> {
    await db.query(
      `INSERT INTO retention_policy (org_id, leads_days, task_events_days, updated_at, updated_by) VALUES ($1, $2, $3, now(), $4)
       ON CONFLICT (org_id) DO UPDATE SET leads_days = EXCLUDED.leads_days, task_events_days = EXCLUDED.task_events_days,
         updated_at = EXCLUDED.updated_at, updated_by = EXCLUDED.updated_by`,
      [orgId, leadsDays, taskEventsDays, userId],
    );
  }

  async recordRun(db: EntityManager, orgId: string, at: Date, trigger: RetentionTrigger, leadsDeleted: number, taskEventsDeleted: number): Promise<void> {
    await db.query(
      `INSERT INTO retention_policy (org_id, last_run_at, last_run_trigger, last_leads_deleted, last_task_events_deleted) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (org_id) DO UPDATE SET last_run_at = EXCLUDED.last_run_at, last_run_trigger = EXCLUDED.last_run_trigger,
         last_leads_deleted = EXCLUDED.last_leads_deleted, last_task_events_deleted = EXCLUDED.last_task_events_deleted`,
      [orgId, at, trigger, leadsDeleted, taskEventsDeleted],
    );
  }

  /** One statement: the next `limit` leads in (created_at, id) order that could be expired; deletes those that are. */
  async deleteLeadBatch(db: EntityManager, orgId: string, cutoffs: Cutoffs, after: { createdAt: string; id: string } | null, limit: number): Promise<LeadBatch> {
    const [row] = (await db.query(
      `WITH scanned AS (
         SELECT id, created_at, last_seen_at, deleted_at FROM lead
          WHERE org_id = $1 AND created_at < $2
            AND ($3::timestamptz IS NULL OR (created_at, id) > ($3::timestamptz, $4::uuid))
          ORDER BY created_at, id
          LIMIT $6
       ), doomed AS (
         SELECT id, (deleted_at < $2) AS soft FROM scanned
          WHERE deleted_at < $2 OR (created_at < $5 AND last_seen_at < $5)
       ), deleted AS (
         DELETE FROM lead l USING doomed d WHERE l.org_id = $1 AND l.id = d.id RETURNING d.soft
       ), last AS (
         SELECT created_at, id FROM scanned ORDER BY created_at DESC, id DESC LIMIT 1
       )
       SELECT (SELECT count(*) FROM scanned)::int AS scanned,
              (SELECT count(*) FROM deleted)::int AS deleted,
              (SELECT count(*) FROM deleted WHERE soft)::int AS soft_deleted,
              (SELECT created_at::text FROM last) AS last_created_at,
              (SELECT id FROM last) AS last_id`,
      [orgId, cutoffs.softDeleted, after?.createdAt ?? null, after?.id ?? null, cutoffs.leads, limit],
    )) as Array<{ scanned: number; deleted: number; soft_deleted: number; last_created_at: string | null; last_id: string | null }>;
    return { scanned: row!.scanned, deleted: row!.deleted, softDeleted: row!.soft_deleted, lastCreatedAt: row!.last_created_at, lastId: row!.last_id };
  }

  /** One statement: up to `limit` expired task events of finished tasks (a live task keeps its replay). */
  async deleteTaskEventBatch(db: EntityManager, orgId: string, cutoff: Date, limit: number): Promise<number> {
    const [, count] = (await db.query(
      `WITH doomed AS (
         SELECT e.task_id, e.seq FROM task_event e
          WHERE e.org_id = $1 AND e.created_at < $2 AND NOT ${ACTIVE_TASK}
          LIMIT $3
       )
       DELETE FROM task_event e USING doomed d WHERE e.org_id = $1 AND e.task_id = d.task_id AND e.seq = d.seq`,
      [orgId, cutoff, limit],
    )) as [unknown, number];
    return count;
  }

  /** Counts under the same definitions as the deletes, at the same cutoffs. */
  async stats(db: EntityManager, orgId: string, cutoffs: Cutoffs): Promise<RetentionStatsRow> {
    const [row] = (await db.query(
      `SELECT
         (SELECT count(*) FROM lead l WHERE l.org_id = $1)::int AS leads_total,
         (SELECT count(*) FROM lead l WHERE l.org_id = $1
            AND (l.deleted_at < $2 OR (l.created_at < $3 AND l.last_seen_at < $3)))::int AS leads_expired,
         (SELECT count(*) FROM lead l WHERE l.org_id = $1 AND l.deleted_at < $2)::int AS leads_soft_expired,
         (SELECT count(*) FROM lead l WHERE l.org_id = $1
            AND NOT (coalesce(l.deleted_at < $2, false) OR (l.created_at < $3 AND l.last_seen_at < $3))
            AND (l.deleted_at < $2::timestamptz + ${WEEK} OR (l.created_at < $3::timestamptz + ${WEEK} AND l.last_seen_at < $3::timestamptz + ${WEEK})))::int AS leads_expiring,
         (SELECT count(*) FROM task_event e WHERE e.org_id = $1)::int AS events_total,
         (SELECT count(*) FROM task_event e WHERE e.org_id = $1 AND e.created_at < $4 AND NOT ${ACTIVE_TASK})::int AS events_expired,
         (SELECT count(*) FROM task_event e WHERE e.org_id = $1 AND e.created_at >= $4 AND e.created_at < $4::timestamptz + ${WEEK})::int AS events_expiring`,
      [orgId, cutoffs.softDeleted, cutoffs.leads, cutoffs.taskEvents],
    )) as RetentionStatsRow[];
    return row!;
  }
}
