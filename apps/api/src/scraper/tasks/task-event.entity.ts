import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

export const TASK_EVENT_TYPES = ['task.status', 'task.progress', 'task.log', 'task.leads'] as const;
export type TaskEventType = (typeof TASK_EVENT_TYPES)[number];

/** Every task event, persisted with its per-task sequence number so clients can replay. */
@Entity({ name: 'task_event' })
@Index('task_event_created_at_idx', ['createdAt'])
export class TaskEvent {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'task_event_pkey' })
  taskId!: string;

  @PrimaryColumn({ type: 'integer', primaryKeyConstraintName: 'task_event_pkey' })
  seq!: number;

  @Column({ type: 'uuid' })
  orgId!: string;

  @Column({ type: 'text' })
  type!: TaskEventType;

  @Column({ type: 'jsonb' })
  payload!: Record<string, unknown>;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
