import { Check, Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/** An email opt-out waiting for its mailed link: the address's keyed hash and the token's SHA-256 only. */
@Entity({ name: 'opt_out_request' })
@Index('opt_out_request_token_hash_key', ['tokenHash'], { unique: true })
@Index('opt_out_request_value_hash_created_at_idx', ['valueHash', 'createdAt'])
@Index('opt_out_request_expires_at_idx', ['expiresAt'])
@Check('opt_out_request_value_hash_check', `octet_length(value_hash) = 32`)
export class OptOutRequest {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'opt_out_request_pkey' })
  id!: string;

  /** The same keyed hash the suppression row gets on confirmation (kind `email`). */
  @Column({ type: 'bytea' })
  valueHash!: Buffer;

  @Column({ type: 'text' })
  tokenHash!: string;

  @Column({ type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  confirmedAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
