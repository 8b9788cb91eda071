import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { User } from '../users/user.entity';

export type AuthTokenPurpose = 'verify_email' | 'reset_password';

/** Single-use emailed tokens (email verification, password reset), stored as SHA-256 hashes. */
@Entity({ name: 'auth_token' })
@Index('auth_token_user_id_purpose_idx', ['userId', 'purpose'])
@Index('auth_token_token_hash_key', ['tokenHash'], { unique: true })
@Check('auth_token_purpose_check', `purpose IN ('verify_email', 'reset_password')`)
export class AuthToken {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'auth_token_pkey' })
  id!: string;

  @Column({ type: 'uuid' })
  userId!: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'auth_token_user_id_fkey' })
  user?: User;

  @Column({ type: 'text' })
  purpose!: AuthTokenPurpose;

  @Column({ type: 'text' })
  tokenHash!: string;

  @Column({ type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  usedAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
