import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { ScrapeTask } from './scrape-task.entity';

export const SHARD_STATUSES = ['queued', 'running', 'paused', 'completed', 'failed', 'cancelled'] as const;
export type ShardStatus = (typeof SHARD_STATUSES)[number];

/** One seed host of a task: the unit of work a queue job carries. */
@Entity({ name: 'task_shard' })
@Index('task_shard_task_id_position_key', ['taskId', 'position'], { unique: true })
@Index('task_shard_running_idx', ['heartbeatAt'], { where: `status = 'running'` })
@Check('task_shard_status_check', `status IN ('queued', 'running', 'paused', 'completed', 'failed', 'cancelled')`)
export class TaskShard {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'task_shard_pkey' })
  id!: string;

  @Column({ type: 'uuid' })
  taskId!: string;

  @ManyToOne(() => ScrapeTask, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'task_id', foreignKeyConstraintName: 'task_shard_task_id_fkey' })
  task?: ScrapeTask;

  @Column({ type: 'uuid' })
  orgId!: string;

  @Column({ type: 'integer' })
  position!: number;

  @Column({ type: 'text' })
  host!: string;

  @Column({ type: 'jsonb' })
  seeds!: string[];

  @Column({ type: 'text' })
  status!: ShardStatus;

  /** Pages this shard may fetch in all (its share of the task's maxPages x seeds). */
  @Column({ type: 'integer' })
  budget!: number;

  @Column({ type: 'integer', default: 0 })
  pagesFetched!: number;

  @Column({ type: 'integer', default: 0 })
  pagesFailed!: number;

  @Column({ type: 'integer', default: 0 })
  attempts!: number;

  /** Bumped whenever the shard is queued again (resume, recovery): a job of an older generation exits. */
  @Column({ type: 'integer', default: 0 })
  generation!: number;

  @Column({ type: 'text', nullable: true })
  lastError!: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  heartbeatAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  finishedAt!: Date | null;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
