import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { WebhookEndpoint } from './webhook-endpoint.entity';

export const DELIVERY_STATUSES = ['pending', 'succeeded', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/**
 * One message to one endpoint: the signed envelope is fixed at creation, so every retry and a
 * redelivery send the same bytes under the same `webhook-id` (the delivery id).
 */
@Entity({ name: 'webhook_delivery' })
@Index('webhook_delivery_endpoint_id_id_idx', ['endpointId', 'id'])
@Index('webhook_delivery_created_at_idx', ['createdAt'])
@Index('webhook_delivery_source_key', ['endpointId', 'sourceKey'], { unique: true, where: 'source_key IS NOT NULL' })
@Check('webhook_delivery_status_check', `status IN ('pending', 'succeeded', 'failed')`)
export class WebhookDelivery {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'webhook_delivery_pkey' })
  id!: string;

  @Column({ type: 'uuid' })
  orgId!: string;

  @Column({ type: 'uuid' })
  endpointId!: string;

  @ManyToOne(() => WebhookEndpoint, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'endpoint_id', foreignKeyConstraintName: 'webhook_delivery_endpoint_id_fkey' })
  endpoint?: WebhookEndpoint;

  /** A WebhookEventType, or `webhook.ping`. */
  @Column({ type: 'text' })
  eventType!: string;

  /** The task event it came from (`<taskId>:<seq>`); null for pings. */
  @Column({ type: 'text', nullable: true })
  sourceKey!: string | null;

  @Column({ type: 'jsonb' })
  payload!: Record<string, unknown>;

  @Column({ type: 'text', default: 'pending' })
  status!: DeliveryStatus;

  @Column({ type: 'integer', default: 0 })
  attempts!: number;

  @Column({ type: 'integer', nullable: true })
  responseStatus!: number | null;

  @Column({ type: 'integer', nullable: true })
  durationMs!: number | null;

  @Column({ type: 'text', nullable: true })
  lastError!: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  nextAttemptAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  deliveredAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
