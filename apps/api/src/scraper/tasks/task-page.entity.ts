import { Check, Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

export const TASK_PAGE_STATES = ['pending', 'fetched', 'failed'] as const;
export type TaskPageState = (typeof TASK_PAGE_STATES)[number];

/**
 * A task's crawl frontier in PostgreSQL: discovered pages (pending) and finished ones (fetched or
 * failed for good). A retried or resumed shard skips finished pages and continues from pending ones.
 */
@Entity({ name: 'task_page' })
@Check('task_page_state_check', `state IN ('pending', 'fetched', 'failed')`)
export class TaskPage {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'task_page_pkey' })
  taskId!: string;

  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'task_page_pkey' })
  urlKey!: string;

  @Column({ type: 'uuid' })
  orgId!: string;

  @Column({ type: 'uuid' })
  shardId!: string;

  @Column({ type: 'text' })
  url!: string;

  @Column({ type: 'smallint' })
  depth!: number;

  @Column({ type: 'text' })
  state!: TaskPageState;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
