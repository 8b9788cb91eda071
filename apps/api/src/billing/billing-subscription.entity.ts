import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { Organization } from '../orgs/organization.entity';

/**
 * An organization's Stripe customer and the last known state of its subscription, as re-read
 * from Stripe. The plan whose limits apply stays in `credit_account.plan`, updated together.
 */
@Entity({ name: 'billing_subscription' })
@Index('billing_subscription_stripe_customer_id_key', ['stripeCustomerId'], { unique: true })
@Index('billing_subscription_stripe_subscription_id_idx', ['stripeSubscriptionId'])
export class BillingSubscription {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'billing_subscription_pkey' })
  orgId!: string;

  @ManyToOne(() => Organization, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'org_id', foreignKeyConstraintName: 'billing_subscription_org_id_fkey' })
  organization?: Organization;

  /** Created once per organization, at its first checkout. */
  @Column({ type: 'text' })
  stripeCustomerId!: string;

  @Column({ type: 'text', nullable: true })
  stripeSubscriptionId!: string | null;

  /** Stripe's subscription status (active, trialing, past_due, unpaid, canceled, incomplete, ...). */
  @Column({ type: 'text', nullable: true })
  status!: string | null;

  @Column({ type: 'text', nullable: true })
  stripePriceId!: string | null;

  @Column({ type: 'boolean', default: false })
  cancelAtPeriodEnd!: boolean;

  @Column({ type: 'timestamptz', nullable: true })
  currentPeriodEnd!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  canceledAt!: Date | null;

  /** Stripe's `created` of the subscription: a newer live subscription replaces an older one. */
  @Column({ type: 'timestamptz', nullable: true })
  subscriptionCreatedAt!: Date | null;

  /** When the state above was last read from Stripe. */
  @Column({ type: 'timestamptz', nullable: true })
  syncedAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
