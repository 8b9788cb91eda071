import { Check, Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Organization } from '../orgs/organization.entity';

export type RetentionTrigger = 'schedule' | 'manual';

/** An org's retention periods and its last cleanup; an org without a row has the defaults. */
@Entity({ name: 'retention_policy' })
@Check('retention_policy_leads_days_check', `leads_days BETWEEN 30 AND 3650`)
@Check('retention_policy_task_events_days_check', `task_events_days BETWEEN 7 AND 365`)
@Check('retention_policy_last_run_trigger_check', `last_run_trigger IN ('schedule', 'manual')`)
export class RetentionPolicy {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'retention_policy_pkey' })
  orgId!: string;

  @ManyToOne(() => Organization, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'org_id', foreignKeyConstraintName: 'retention_policy_org_id_fkey' })
  organization?: Organization;

  @Column({ type: 'integer', default: 365 })
  leadsDays!: number;

  @Column({ type: 'integer', default: 90 })
  taskEventsDays!: number;

  /** When the policy was last set; null while the org keeps the defaults (the row may exist for the last-run columns). */
  @Column({ type: 'timestamptz', nullable: true })
  updatedAt!: Date | null;

  @Column({ type: 'uuid', nullable: true })
  updatedBy!: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  lastRunAt!: Date | null;

  @Column({ type: 'text', nullable: true })
  lastRunTrigger!: RetentionTrigger | null;

  @Column({ type: 'integer', default: 0 })
  lastLeadsDeleted!: number;

  @Column({ type: 'integer', default: 0 })
  lastTaskEventsDeleted!: number;
}
