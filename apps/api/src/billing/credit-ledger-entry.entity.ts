import { Check, Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

export const LEDGER_REASONS = ['initial_grant', 'task_reservation', 'task_settlement', 'task_refund', 'plan_grant', 'purchase', 'admin_adjustment', 'credit_expiry'] as const;
export type LedgerReason = (typeof LEDGER_REASONS)[number];

/**
 * Append-only: the runtime role may INSERT and SELECT, nothing else. `taskId` is a plain
 * reference (no foreign key), so entries outlive the tasks they mention.
 */
@Entity({ name: 'credit_ledger' })
@Index('credit_ledger_org_id_id_idx', ['orgId', 'id'])
@Index('credit_ledger_task_id_idx', ['taskId'])
@Index('credit_ledger_plan_grant_key', ['orgId', 'reference'], { unique: true, where: `reason = 'plan_grant' AND reference IS NOT NULL` })
@Check('credit_ledger_reason_check', `reason IN ('initial_grant', 'task_reservation', 'task_settlement', 'task_refund', 'plan_grant', 'purchase', 'admin_adjustment', 'credit_expiry')`)
@Check('credit_ledger_balance_after_check', `balance_after >= 0`)
export class CreditLedgerEntry {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'credit_ledger_pkey' })
  id!: string;

  @Column({ type: 'uuid' })
  orgId!: string;

  @Column({ type: 'integer' })
  delta!: number;

  @Column({ type: 'text' })
  reason!: LedgerReason;

  @Column({ type: 'uuid', nullable: true })
  taskId!: string | null;

  @Column({ type: 'bigint', transformer: { to: (value: number) => value, from: (value: string) => Number(value) } })
  balanceAfter!: number;

  @Column({ type: 'uuid', nullable: true })
  createdBy!: string | null;

  @Column({ type: 'text', nullable: true })
  note!: string | null;

  /**
   * What a grant is for: the Stripe invoice id, or `free:YYYY-MM` for the monthly free grant.
   * Unique per org among plan grants, so a grant can never be given twice.
   */
  @Column({ type: 'text', nullable: true })
  reference!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
