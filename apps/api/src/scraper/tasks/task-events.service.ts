import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { SqlReader } from '../../database/tenant-database';
import type { TaskEventType } from './task-event.entity';

/** Postgres channel announcing committed task events ({taskId, orgId, seq, type}) to every node. */
export const TASK_EVENTS_CHANNEL = 'leadforge_task_events';
/** Log lines kept per task; later ones are counted but not stored. */
export const MAX_LOG_EVENTS_PER_TASK = 500;

export interface StoredTaskEvent {
  taskId: string;
  seq: number;
  type: TaskEventType;
  at: string;
  payload: Record<string, unknown>;
}

interface EventRow {
  seq: number;
  type: TaskEventType;
  payload: Record<string, unknown>;
  created_at: Date;
}

const toStoredEvent = (taskId: string, row: EventRow): StoredTaskEvent => ({ taskId, seq: row.seq, type: row.type, at: row.created_at.toISOString(), payload: row.payload });

/**
 * Appends task events with a gap-free per-task sequence (taken from the task row, so concurrent
 * writers serialize on it) and announces them with NOTIFY, which Postgres delivers on commit only.
 */
@Injectable()
export class TaskEventsService {
  async append(db: EntityManager, taskId: string, type: TaskEventType, payload: Record<string, unknown>): Promise<StoredTaskEvent | null> {
    const rows = (await db.query(
      `UPDATE scrape_task
          SET last_event_seq = last_event_seq + 1,
              log_event_count = log_event_count + CASE WHEN $2 = 'task.log' THEN 1 ELSE 0 END
        WHERE id = $1 AND ($2 <> 'task.log' OR log_event_count < $3)
        RETURNING last_event_seq AS seq, org_id`,
      [taskId, type, MAX_LOG_EVENTS_PER_TASK],
    )) as [Array<{ seq: number; org_id: string }>, number];
    const row = rows[0][0];
    if (!row) return null;
    const inserted = (await db.query(
      `INSERT INTO task_event (task_id, seq, org_id, type, payload) VALUES ($1, $2, $3, $4, $5::jsonb) RETURNING created_at`,
      [taskId, row.seq, row.org_id, type, JSON.stringify(payload)],
    )) as Array<{ created_at: Date }>;
    await db.query(`SELECT pg_notify($1, $2)`, [TASK_EVENTS_CHANNEL, JSON.stringify({ taskId, orgId: row.org_id, seq: row.seq, type })]);
    return { taskId, seq: row.seq, type, at: inserted[0]!.created_at.toISOString(), payload };
  }

  async list(db: SqlReader, taskId: string, sinceSeq: number, limit: number): Promise<StoredTaskEvent[]> {
    const rows = await db.query<EventRow[]>(
      `SELECT seq, type, payload, created_at FROM task_event WHERE task_id = $1 AND seq > $2 ORDER BY seq LIMIT $3`,
      [taskId, sinceSeq, limit],
    );
    return rows.map((row) => toStoredEvent(taskId, row));
  }

  /**
   * The events of the org's task after `sinceSeq`, or null when the org has no such task: the
   * ownership check and the page are one statement (a task without events yields one row of nulls).
   */
  async listOfOrgTask(db: SqlReader, orgId: string, taskId: string, sinceSeq: number, limit: number): Promise<StoredTaskEvent[] | null> {
    const rows = await db.query<Array<EventRow | { seq: null }>>(
      `SELECT e.seq, e.type, e.payload, e.created_at
         FROM scrape_task t
         LEFT JOIN LATERAL (SELECT e.seq, e.type, e.payload, e.created_at
                              FROM task_event e
                             WHERE e.org_id = $1 AND e.task_id = t.id AND e.seq > $3
                             ORDER BY e.seq
                             LIMIT $4) e ON true
        WHERE t.org_id = $1 AND t.id = $2
        ORDER BY e.seq`,
      [orgId, taskId, sinceSeq, limit],
    );
    if (rows.length === 0) return null;
    return rows.filter((row): row is EventRow => row.seq !== null).map((row) => toStoredEvent(taskId, row));
  }
}
