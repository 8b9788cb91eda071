import { Check, Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';
import type { SuppressionKind } from './suppression-hash';

/**
 * The global opt-out list (migrations/1795478400000-Leads.ts): one keyed HMAC per opted-out email,
 * profile URL or domain (suppression-hash.ts), never the value. Not tenant data: it holds in every org.
 */
@Entity({ name: 'suppression' })
@Index('suppression_kind_value_hash_key', ['kind', 'valueHash'], { unique: true })
@Check('suppression_kind_check', `kind IN ('email', 'profile_url', 'domain')`)
@Check('suppression_value_hash_check', `octet_length(value_hash) = 32`)
export class Suppression {
  /** UUIDv7. */
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'suppression_pkey' })
  id!: string;

  @Column({ type: 'text' })
  kind!: SuppressionKind;

  /** HMAC-SHA256 of `kind:normalized value` under the suppression key (32 bytes). */
  @Column({ type: 'bytea' })
  valueHash!: Buffer;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
