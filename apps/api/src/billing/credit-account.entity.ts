import { Check, Column, Entity, JoinColumn, ManyToOne, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { Organization } from '../orgs/organization.entity';
import type { PlanId } from './plans';

/** An organization's credit balance; always equal to the sum of its ledger, never below zero. */
@Entity({ name: 'credit_account' })
@Check('credit_account_balance_check', `balance >= 0`)
@Check('credit_account_plan_check', `plan IN ('free', 'pro', 'business')`)
export class CreditAccount {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'credit_account_pkey' })
  orgId!: string;

  @ManyToOne(() => Organization, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'org_id', foreignKeyConstraintName: 'credit_account_org_id_fkey' })
  organization?: Organization;

  @Column({ type: 'bigint', transformer: { to: (value: number) => value, from: (value: string) => Number(value) } })
  balance!: number;

  /** The plan whose limits apply (concurrent tasks, pages per seed, seats, monthly grant). */
  @Column({ type: 'text', default: 'free' })
  plan!: PlanId;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
