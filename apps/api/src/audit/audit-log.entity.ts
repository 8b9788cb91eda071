import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/** Flat facts about an event; never an email address, a name or a secret. */
export type AuditMetadata = Record<string, string | number | boolean | null>;

/**
 * Append-only: the runtime role may INSERT and SELECT, nothing else. No foreign keys, so events
 * outlive the users and organizations they mention; rows never hold an email address or a name.
 */
@Entity({ name: 'audit_log' })
@Index('audit_log_org_id_id_idx', ['orgId', 'id'])
@Index('audit_log_actor_user_id_idx', ['actorUserId'])
export class AuditLog {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'audit_log_pkey' })
  id!: string;

  /** Null for events outside any organization (e.g. a failed login for an unknown email). */
  @Column({ type: 'uuid', nullable: true })
  orgId!: string | null;

  @Column({ type: 'uuid', nullable: true })
  actorUserId!: string | null;

  @Column({ type: 'uuid', nullable: true })
  actorApiKeyId!: string | null;

  @Column({ type: 'text' })
  action!: string;

  @Column({ type: 'text', nullable: true })
  targetType!: string | null;

  @Column({ type: 'text', nullable: true })
  targetId!: string | null;

  @Column({ type: 'text', nullable: true })
  ip!: string | null;

  @Column({ type: 'text', nullable: true })
  userAgent!: string | null;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  metadata!: AuditMetadata;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
