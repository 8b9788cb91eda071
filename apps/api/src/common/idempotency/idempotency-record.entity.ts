import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/** The first response to an Idempotency-Key, replayed for the same key and body within 24 h. */
@Entity({ name: 'idempotency_record' })
@Index('idempotency_record_expires_at_idx', ['expiresAt'])
export class IdempotencyRecord {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'idempotency_record_pkey' })
  orgId!: string;

  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'idempotency_record_pkey' })
  scope!: string;

  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'idempotency_record_pkey' })
  key!: string;

  @Column({ type: 'text' })
  requestHash!: string;

  @Column({ type: 'integer' })
  statusCode!: number;

  @Column({ type: 'jsonb' })
  response!: unknown;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz' })
  expiresAt!: Date;
}
