import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { CreditsService } from '../../billing/credits.service';
import { QueueService } from '../../queue/queue.service';
import { toTaskProgress } from '../dto/task.response';
import { FINAL_TASK_STATUSES, ScrapeTask, type TaskStatus } from './scrape-task.entity';
import { TaskEventsService } from './task-events.service';
import { TaskShard } from './task-shard.entity';

export const SHARD_QUEUE = 'scrape.shard';

export interface ShardJobData {
  taskId: string;
  orgId: string;
  shardId: string;
  generation: number;
}

/**
 * Task state transitions shared by the HTTP service and the shard runner: ending a task, and
 * settling its credits exactly once when no shard runs any more (charge = pages fetched, the rest
 * back to the balance; a failure of ours refunds everything).
 */
@Injectable()
export class TaskLifecycle {
  constructor(
    private readonly credits: CreditsService,
    private readonly events: TaskEventsService,
    private readonly queue: QueueService,
  ) {}

  /** Queues a shard again (new generation, so any older job of it exits) and sends its job. */
  async enqueueShard(db: EntityManager, shard: Pick<TaskShard, 'id' | 'taskId' | 'orgId'>, startAfterSeconds = 0): Promise<void> {
    const rows = (await db.query(
      `UPDATE task_shard SET status = 'queued', generation = generation + 1, updated_at = now() WHERE id = $1 RETURNING generation`,
      [shard.id],
    )) as [Array<{ generation: number }>, number];
    const generation = rows[0][0]!.generation;
    const data: ShardJobData = { taskId: shard.taskId, orgId: shard.orgId, shardId: shard.id, generation };
    await this.queue.sendInTransaction(db, SHARD_QUEUE, data, startAfterSeconds > 0 ? { startAfter: startAfterSeconds } : {});
  }

  /** Moves an active task to a final status and settles it if no shard is running. */
  async finish(db: EntityManager, taskId: string, status: TaskStatus, error: string | null = null): Promise<boolean> {
    if (!FINAL_TASK_STATUSES.includes(status)) throw new Error(`${status} is not a final status`);
    const updated = (await db.query(
      `UPDATE scrape_task SET status = $2, error = COALESCE($3, error), finished_at = now(), updated_at = now()
        WHERE id = $1 AND status IN ('queued', 'running', 'paused') RETURNING id`,
      [taskId, status, error],
    )) as [unknown[], number];
    if (updated[1] === 0) return false;
    await db.query(
      `UPDATE task_shard SET status = 'cancelled', finished_at = now(), updated_at = now() WHERE task_id = $1 AND status IN ('queued', 'paused')`,
      [taskId],
    );
    // Clients following progress see the final counters (100% for a completed task) before the status.
    const ended = await db.findOneOrFail(ScrapeTask, { where: { id: taskId } });
    await this.events.append(db, taskId, 'task.progress', { ...toTaskProgress(ended) });
    await this.events.append(db, taskId, 'task.status', { status, ...(error ? { error } : {}) });
    await this.settleIfIdle(db, taskId);
    return true;
  }

  /** Settles a finished task once no shard is running any more. Idempotent. */
  async settleIfIdle(db: EntityManager, taskId: string): Promise<void> {
    const task = await db.findOne(ScrapeTask, { where: { id: taskId }, lock: { mode: 'pessimistic_write' } });
    if (!task || task.settledAt || !FINAL_TASK_STATUSES.includes(task.status)) return;
    const running = await db.count(TaskShard, { where: { taskId, status: 'running' } });
    if (running > 0) return;
    // A task that failed through our fault costs nothing.
    const charged = task.status === 'failed' ? 0 : Math.min(task.pagesFetched, task.creditsReserved);
    const refund = task.creditsReserved - charged;
    await db.query(`UPDATE scrape_task SET credits_charged = $2, settled_at = now(), updated_at = now() WHERE id = $1`, [taskId, charged]);
    if (refund > 0) {
      const balance = await this.credits.credit(db, {
        orgId: task.orgId,
        delta: refund,
        reason: task.status === 'failed' ? 'task_refund' : 'task_settlement',
        taskId,
        note: `${charged} of ${task.creditsReserved} reserved credits used`,
      });
      await db.query(`SELECT pg_notify('leadforge_credits', $1)`, [JSON.stringify({ orgId: task.orgId, balance })]);
    }
  }
}
