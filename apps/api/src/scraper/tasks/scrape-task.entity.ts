import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { Organization } from '../../orgs/organization.entity';
import type { CrawlFilters, DirectorySelectorsInput, TaskOptions } from './task-options';

export const TASK_PLATFORMS = ['website', 'directory', 'sitemap'] as const;
export type TaskPlatform = (typeof TASK_PLATFORMS)[number];

export const TASK_STATUSES = ['queued', 'running', 'paused', 'completed', 'failed', 'cancelled', 'timed_out'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];
/** Statuses that still hold credits and a concurrency slot. */
export const ACTIVE_TASK_STATUSES: readonly TaskStatus[] = ['queued', 'running', 'paused'];
export const FINAL_TASK_STATUSES: readonly TaskStatus[] = ['completed', 'failed', 'cancelled', 'timed_out'];

@Entity({ name: 'scrape_task' })
@Index('scrape_task_org_id_id_idx', ['orgId', 'id'])
@Index('scrape_task_active_idx', ['status', 'orgId'], { where: `status IN ('queued', 'running', 'paused')` })
@Check('scrape_task_platform_check', `platform IN ('website', 'directory', 'sitemap')`)
@Check('scrape_task_status_check', `status IN ('queued', 'running', 'paused', 'completed', 'failed', 'cancelled', 'timed_out')`)
@Check('scrape_task_credits_check', `credits_charged >= 0 AND credits_charged <= credits_reserved`)
export class ScrapeTask {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'scrape_task_pkey' })
  id!: string;

  @Column({ type: 'uuid' })
  orgId!: string;

  @ManyToOne(() => Organization, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'org_id', foreignKeyConstraintName: 'scrape_task_org_id_fkey' })
  organization?: Organization;

  /** Null when an API key started it, or after the user was deleted. */
  @Column({ type: 'uuid', nullable: true })
  createdBy!: string | null;

  @Column({ type: 'uuid', nullable: true })
  apiKeyId!: string | null;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  platform!: TaskPlatform;

  @Column({ type: 'text' })
  status!: TaskStatus;

  @Column({ type: 'jsonb' })
  seeds!: string[];

  @Column({ type: 'jsonb' })
  options!: TaskOptions;

  @Column({ type: 'jsonb', nullable: true })
  selectors!: DirectorySelectorsInput | null;

  @Column({ type: 'jsonb', nullable: true })
  filters!: CrawlFilters | null;

  @Column({ type: 'text' })
  leadObjective!: string;

  @Column({ type: 'integer', default: 0 })
  pagesQueued!: number;

  @Column({ type: 'integer', default: 0 })
  pagesFetched!: number;

  @Column({ type: 'integer', default: 0 })
  pagesFailed!: number;

  @Column({ type: 'integer', default: 0 })
  leadsFound!: number;

  @Column({ type: 'integer', default: 0 })
  leadsStored!: number;

  @Column({ type: 'integer', default: 0 })
  duplicates!: number;

  @Column({ type: 'integer', default: 0 })
  suppressed!: number;

  @Column({ type: 'integer' })
  creditsReserved!: number;

  @Column({ type: 'integer', default: 0 })
  creditsCharged!: number;

  @Column({ type: 'text', nullable: true })
  error!: string | null;

  /** Last per-task event sequence number handed out (events start at 1). */
  @Column({ type: 'integer', default: 0 })
  lastEventSeq!: number;

  @Column({ type: 'integer', default: 0 })
  logEventCount!: number;

  /** Wall-time cap: past it the task ends as timed_out. Set when the task starts running. */
  @Column({ type: 'timestamptz', nullable: true })
  deadlineAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  startedAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  finishedAt!: Date | null;

  /** When unused credits went back to the balance; set exactly once. */
  @Column({ type: 'timestamptz', nullable: true })
  settledAt!: Date | null;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
