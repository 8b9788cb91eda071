import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { AppConfig } from '../../common/config/app-config';
import { InjectConfig } from '../../common/config/config.module';
import { TenantDatabase } from '../../database/tenant-database';
import { JobHandler } from '../../queue/job-handler.decorator';
import { TaskLifecycle } from '../tasks/task-lifecycle.service';
import { STALE_HEARTBEAT_SECONDS } from './shard-claim';

/** Abandoned for this long with no job able to pick it up, a running shard is queued again. */
const ABANDONED_AFTER_SECONDS = 90;

/**
 * Makes sure no task stays "running" forever: at start-up and every minute it re-queues shards
 * whose worker died (no heartbeat), ends tasks past their wall time, settles ended tasks whose
 * settlement was interrupted, and drops expired idempotency records.
 */
@Injectable()
export class TaskRecovery implements OnApplicationBootstrap {
  private readonly logger = new Logger(TaskRecovery.name);

  constructor(
    @InjectConfig() private readonly config: AppConfig,
    private readonly tenant: TenantDatabase,
    private readonly lifecycle: TaskLifecycle,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.workersInProcess) return;
    await this.recover().catch((error: unknown) => this.logger.error({ err: error }, 'recovery at start-up failed'));
  }

  @JobHandler({ queue: 'maintenance.tasks', schedule: '* * * * *', retryLimit: 1 })
  async recover(): Promise<{ requeued: number; timedOut: number; settled: number }> {
    return this.tenant.asSystem(async (db) => {
      const abandoned = (await db.query(
        `SELECT s.id, s.task_id, s.org_id FROM task_shard s JOIN scrape_task t ON t.id = s.task_id
          WHERE s.status = 'running' AND t.status IN ('queued', 'running')
            AND (s.heartbeat_at IS NULL OR s.heartbeat_at < now() - make_interval(secs => $1))
          FOR UPDATE OF s SKIP LOCKED`,
        [Math.max(ABANDONED_AFTER_SECONDS, STALE_HEARTBEAT_SECONDS)],
      )) as Array<{ id: string; task_id: string; org_id: string }>;
      for (const shard of abandoned) await this.lifecycle.enqueueShard(db, { id: shard.id, taskId: shard.task_id, orgId: shard.org_id });

      const overdue = (await db.query(
        `SELECT id FROM scrape_task WHERE status IN ('queued', 'running') AND deadline_at < now() - interval '30 seconds' FOR UPDATE SKIP LOCKED`,
      )) as Array<{ id: string }>;
      for (const task of overdue) await this.lifecycle.finish(db, task.id, 'timed_out', 'The task reached its wall-time limit.');

      const unsettled = (await db.query(
        `SELECT t.id FROM scrape_task t
          WHERE t.settled_at IS NULL AND t.status IN ('completed', 'failed', 'cancelled', 'timed_out')
            AND NOT EXISTS (SELECT 1 FROM task_shard s WHERE s.task_id = t.id AND s.status = 'running'
                              AND s.heartbeat_at > now() - make_interval(secs => $1))`,
        [ABANDONED_AFTER_SECONDS],
      )) as Array<{ id: string }>;
      for (const task of unsettled) {
        await db.query(`UPDATE task_shard SET status = 'cancelled', heartbeat_at = NULL, updated_at = now() WHERE task_id = $1 AND status = 'running'`, [task.id]);
        await this.lifecycle.settleIfIdle(db, task.id);
      }

      await db.query(`DELETE FROM idempotency_record WHERE expires_at < now()`);
      if (abandoned.length + overdue.length + unsettled.length > 0) {
        this.logger.log({ requeued: abandoned.length, timedOut: overdue.length, settled: unsettled.length }, 'recovered tasks');
      }
      return { requeued: abandoned.length, timedOut: overdue.length, settled: unsettled.length };
    });
  }
}
