import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { WebhookDelivery } from './webhook-delivery.entity';

/** One HTTP attempt of a delivery. Append-only for the runtime role. */
@Entity({ name: 'webhook_delivery_attempt' })
@Index('webhook_delivery_attempt_delivery_id_idx', ['deliveryId'])
export class WebhookDeliveryAttempt {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'webhook_delivery_attempt_pkey' })
  id!: string;

  @Column({ type: 'uuid' })
  orgId!: string;

  @Column({ type: 'uuid' })
  deliveryId!: string;

  @ManyToOne(() => WebhookDelivery, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'delivery_id', foreignKeyConstraintName: 'webhook_delivery_attempt_delivery_id_fkey' })
  delivery?: WebhookDelivery;

  @Column({ type: 'integer' })
  attempt!: number;

  @Column({ type: 'integer', nullable: true })
  responseStatus!: number | null;

  @Column({ type: 'integer' })
  durationMs!: number;

  @Column({ type: 'text', nullable: true })
  error!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
