import type { BusinessType, DegreeType, Department, EducationLevel, JobLevel, LeadObjective, Socials } from '@leadforge/contracts';
import { Check, Column, CreateDateColumn, DeleteDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { Organization } from '../orgs/organization.entity';
import { ScrapeTask } from '../scraper/tasks/scrape-task.entity';
import type { LeadAddress, LeadConfidenceReason, LeadKind, LeadPhone, LeadPlatform, LeadSource, LeadStatus } from './lead.types';

/**
 * A person or company found by a task (DESIGN.md §6). One row per (org, dedupKey): repeat sightings
 * merge into it (see merge.ts and lead-upsert.sql.ts). Row-level security keys on org_id.
 *
 * Indexes are deliberately few, each one costs every ingest: the dedup key (the upsert's conflict
 * target), (org_id, created_at DESC, id DESC) for the default list order and its keyset cursor, and
 * task_id (filter by task, and the ON DELETE SET NULL of the task foreign key). The read side adds
 * sort, filter and analytics indexes and the search-term table (migrations/1795564800000-LeadsQuery.ts).
 */
@Entity({ name: 'lead' })
@Index('lead_org_id_dedup_key_key', ['orgId', 'dedupKey'], { unique: true })
@Index('lead_org_id_created_at_id_idx', ['orgId', 'createdAt', 'id'])
@Index('lead_task_id_idx', ['taskId'])
@Index('lead_org_id_confidence_id_idx', ['orgId', 'confidence', 'id'])
@Index('lead_org_id_business_type_idx', ['orgId', 'businessType', 'createdAt', 'id'])
@Index('lead_org_id_job_level_idx', ['orgId', 'jobLevel', 'createdAt', 'id'])
// Expression and covering indexes TypeORM cannot describe: migrations/1795564800000-LeadsQuery.ts.
@Index('lead_org_id_company_sort_idx', { synchronize: false })
@Index('lead_org_id_analytics_idx', { synchronize: false })
@Check('lead_kind_check', `kind IN ('person', 'company')`)
@Check('lead_status_check', `status IN ('new', 'contacted', 'qualified', 'disqualified')`)
@Check('lead_confidence_check', `confidence BETWEEN 0 AND 100`)
export class Lead {
  /** UUIDv7. */
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'lead_pkey' })
  id!: string;

  @Column({ type: 'uuid' })
  orgId!: string;

  @ManyToOne(() => Organization, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'org_id', foreignKeyConstraintName: 'lead_org_id_fkey' })
  organization?: Organization;

  @Column({ type: 'text' })
  kind!: LeadKind;

  /** `e:<email>` | `p:<profile url>` | `n:<domain>|<name>` | `c:<domain>` | `b:<name>|<phone or city>` (dedup-key.ts). */
  @Column({ type: 'text' })
  dedupKey!: string;

  @Column({ type: 'text', nullable: true })
  fullName!: string | null;

  @Column({ type: 'text', nullable: true })
  firstName!: string | null;

  @Column({ type: 'text', nullable: true })
  lastName!: string | null;

  @Column({ type: 'text', nullable: true })
  jobTitle!: string | null;

  @Column({ type: 'text', nullable: true })
  jobLevel!: JobLevel | null;

  @Column({ type: 'text', nullable: true })
  department!: Department | null;

  @Column({ type: 'text', nullable: true })
  email!: string | null;

  @Column({ type: 'jsonb', default: () => "'[]'" })
  phones!: LeadPhone[];

  @Column({ type: 'text', nullable: true })
  companyName!: string | null;

  @Column({ type: 'text', nullable: true })
  companyDomain!: string | null;

  @Column({ type: 'text', nullable: true })
  website!: string | null;

  @Column({ type: 'text', nullable: true })
  businessType!: BusinessType | null;

  @Column({ type: 'text', nullable: true })
  industry!: string | null;

  @Column({ type: 'jsonb', nullable: true })
  address!: LeadAddress | null;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  socials!: Socials;

  @Column({ type: 'text', nullable: true })
  profileUrl!: string | null;

  @Column({ type: 'text', nullable: true })
  educationLevel!: EducationLevel | null;

  @Column({ type: 'text', nullable: true })
  degreeType!: DegreeType | null;

  @Column({ type: 'text', nullable: true })
  leadObjective!: LeadObjective | null;

  @Column({ type: 'smallint', default: 0 })
  confidence!: number;

  @Column({ type: 'jsonb', default: () => "'[]'" })
  confidenceReasons!: LeadConfidenceReason[];

  /** Every sighting `{url, taskId, seenAt}`, one per (url, task), oldest first, at most 100. */
  @Column({ type: 'jsonb', default: () => "'[]'" })
  sources!: LeadSource[];

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  tags!: string[];

  @Column({ type: 'text', default: 'new' })
  status!: LeadStatus;

  @Column({ type: 'text', nullable: true })
  notes!: string | null;

  @Column({ type: 'text', nullable: true })
  platform!: LeadPlatform | null;

  /** The first task that found the lead (a merge keeps it); null once that task is deleted. */
  @Column({ type: 'uuid', nullable: true })
  taskId!: string | null;

  @ManyToOne(() => ScrapeTask, { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'task_id', foreignKeyConstraintName: 'lead_task_id_fkey' })
  task?: ScrapeTask | null;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  firstSeenAt!: Date;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  lastSeenAt!: Date;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  /** The user who created the lead by hand; null for leads found by a task. No foreign key: audit data outlives users. */
  @Column({ type: 'uuid', nullable: true })
  createdBy!: string | null;

  /** Changed by user edits only; a merge from a later sighting moves lastSeenAt instead. */
  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;

  @Column({ type: 'uuid', nullable: true })
  updatedBy!: string | null;

  /**
   * lead_search_text() of the row (name, title, company, email, domain, lower-cased), kept by the
   * lead_search_text trigger on every write: what a search walking the leads tests (lead-query.ts).
   */
  @Column({ type: 'text', nullable: true, select: false, insert: false, update: false })
  searchText!: string | null;

  /** Soft delete: TypeORM's find methods skip the row; ingest leaves it deleted (see lead-upsert.sql.ts). */
  @DeleteDateColumn({ type: 'timestamptz', nullable: true })
  deletedAt!: Date | null;
}
