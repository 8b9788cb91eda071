import { Injectable } from '@nestjs/common';
import { type EntityManager, In } from 'typeorm';
import type { SqlReader } from '../../database/tenant-database';
import { ACTIVE_TASK_STATUSES, ScrapeTask, type TaskStatus } from './scrape-task.entity';

export interface TaskListFilter {
  status?: TaskStatus[];
  cursor?: string;
  limit: number;
}

/**
 * Every column of scrape_task under its ScrapeTask property name, so that a row read with it is
 * what TypeORM hydrates for the entity (timestamps as Date, jsonb parsed, integers as numbers).
 */
const TASK_COLUMNS = `t.id, t.org_id AS "orgId", t.created_by AS "createdBy", t.api_key_id AS "apiKeyId", t.name, t.platform, t.status,
  t.seeds, t.options, t.selectors, t.filters, t.lead_objective AS "leadObjective", t.pages_queued AS "pagesQueued",
  t.pages_fetched AS "pagesFetched", t.pages_failed AS "pagesFailed", t.leads_found AS "leadsFound", t.leads_stored AS "leadsStored",
  t.duplicates, t.suppressed, t.credits_reserved AS "creditsReserved", t.credits_charged AS "creditsCharged", t.error,
  t.last_event_seq AS "lastEventSeq", t.log_event_count AS "logEventCount", t.deadline_at AS "deadlineAt", t.created_at AS "createdAt",
  t.started_at AS "startedAt", t.finished_at AS "finishedAt", t.settled_at AS "settledAt", t.updated_at AS "updatedAt"`;

/** Task queries, always filtered by the caller's org (RLS is the second wall). */
@Injectable()
export class TasksRepository {
  /** Within a change's transaction, optionally locking the row. */
  async find(db: EntityManager, orgId: string, taskId: string, lock = false): Promise<ScrapeTask | null> {
    return db.findOne(ScrapeTask, { where: { id: taskId, orgId }, ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}) });
  }

  /** For read-only requests: one statement, so one round trip through `TenantDatabase.reader`. */
  async read(db: SqlReader, orgId: string, taskId: string): Promise<ScrapeTask | null> {
    const [task] = await db.query<ScrapeTask[]>(`SELECT ${TASK_COLUMNS} FROM scrape_task t WHERE t.org_id = $1 AND t.id = $2`, [orgId, taskId]);
    return task ?? null;
  }

  /** Newest first (UUIDv7 ids), `limit + 1` rows; an empty status list filters nothing. */
  async list(db: SqlReader, orgId: string, filter: TaskListFilter): Promise<ScrapeTask[]> {
    return db.query<ScrapeTask[]>(
      `SELECT ${TASK_COLUMNS}
         FROM scrape_task t
        WHERE t.org_id = $1 AND ($2::text[] IS NULL OR t.status = ANY ($2::text[])) AND ($3::uuid IS NULL OR t.id < $3::uuid)
        ORDER BY t.id DESC
        LIMIT $4`,
      [orgId, filter.status?.length ? filter.status : null, filter.cursor ?? null, filter.limit + 1],
    );
  }

  async countActive(db: EntityManager, orgId: string): Promise<number> {
    return db.count(ScrapeTask, { where: { orgId, status: In([...ACTIVE_TASK_STATUSES]) } });
  }
}
