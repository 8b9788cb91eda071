import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * Every Stripe event Leadforge acts on, by Stripe's id. The webhook inserts the row (ON CONFLICT
 * DO NOTHING) and queues its processing job in one transaction, so an event is processed by one
 * job; the job applies the effects and sets `processedAt` in one transaction.
 */
@Entity({ name: 'stripe_event' })
@Index('stripe_event_received_at_idx', ['receivedAt'])
export class StripeEvent {
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'stripe_event_pkey' })
  id!: string;

  @Column({ type: 'text' })
  type!: string;

  /** Null when the event names no customer of ours; only system scope sees such rows. */
  @Column({ type: 'uuid', nullable: true })
  orgId!: string | null;

  @Column({ type: 'timestamptz' })
  stripeCreatedAt!: Date;

  /** The event's `data.object`, as Stripe sent it (signature-checked). */
  @Column({ type: 'jsonb' })
  object!: Record<string, unknown>;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  receivedAt!: Date;

  /** When the job applied the event's effects; null until then. */
  @Column({ type: 'timestamptz', nullable: true })
  processedAt!: Date | null;
}
