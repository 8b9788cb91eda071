import type { EntityManager } from 'typeorm';
import { ScrapeTask } from '../tasks/scrape-task.entity';
import { TaskShard } from '../tasks/task-shard.entity';

/** A shard whose heartbeat is older than this is taken to be abandoned by a dead worker. */
export const STALE_HEARTBEAT_SECONDS = 20;

export type ClaimResult =
  | { kind: 'claimed'; shard: TaskShard; task: ScrapeTask; firstStart: boolean }
  | { kind: 'obsolete'; why: string }
  | { kind: 'busy' };

/**
 * Takes a shard for this worker: only the job of its current generation, only while the task is
 * active, and only if nobody holds it (or its holder stopped sending heartbeats). Marks a queued
 * task running on its first shard.
 */
export async function claimShard(db: EntityManager, shardId: string, generation: number): Promise<ClaimResult> {
  const rows = (await db.query(
    `UPDATE task_shard s
        SET status = 'running', attempts = s.attempts + 1, heartbeat_at = now(), updated_at = now()
       FROM scrape_task t
      WHERE s.id = $1 AND s.generation = $2 AND t.id = s.task_id AND t.status IN ('queued', 'running')
        AND (s.status = 'queued' OR (s.status = 'running' AND (s.heartbeat_at IS NULL OR s.heartbeat_at < now() - make_interval(secs => $3))))
      RETURNING s.id, s.task_id`,
    [shardId, generation, STALE_HEARTBEAT_SECONDS],
  )) as [Array<{ id: string; task_id: string }>, number];
  const row = rows[0][0];
  if (!row) {
    const current = (await db.query(
      `SELECT s.status, s.generation, s.heartbeat_at, t.status AS task_status FROM task_shard s JOIN scrape_task t ON t.id = s.task_id WHERE s.id = $1`,
      [shardId],
    )) as Array<{ status: string; generation: number; task_status: string }>;
    const state = current[0];
    if (!state) return { kind: 'obsolete', why: 'the shard no longer exists' };
    if (state.generation !== generation) return { kind: 'obsolete', why: 'a newer job of this shard exists' };
    if (state.status === 'running' && (state.task_status === 'queued' || state.task_status === 'running')) return { kind: 'busy' };
    return { kind: 'obsolete', why: `shard ${state.status}, task ${state.task_status}` };
  }

  const started = (await db.query(
    `UPDATE scrape_task
        SET status = 'running', started_at = now(), updated_at = now(),
            deadline_at = now() + make_interval(secs => (options->>'maxWallTimeSeconds')::int)
      WHERE id = $1 AND status = 'queued' RETURNING id`,
    [row.task_id],
  )) as [unknown[], number];
  const shard = await db.findOneOrFail(TaskShard, { where: { id: row.id } });
  const task = await db.findOneOrFail(ScrapeTask, { where: { id: row.task_id } });
  return { kind: 'claimed', firstStart: started[1] > 0, shard, task };
}
