import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { User } from '../users/user.entity';

/**
 * One login on one device: the family of every refresh token rotated from that login. Revoking
 * it ends the family, and the access tokens issued for it stop working at once.
 */
@Entity({ name: 'auth_session' })
@Index('auth_session_user_id_idx', ['userId'])
@Index('auth_session_expires_at_idx', ['expiresAt'])
export class AuthSession {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'auth_session_pkey' })
  id!: string;

  @Column({ type: 'uuid' })
  userId!: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'auth_session_user_id_fkey' })
  user?: User;

  @Column({ type: 'text', nullable: true })
  userAgent!: string | null;

  @Column({ type: 'text', nullable: true })
  ip!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  lastUsedAt!: Date;

  @Column({ type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;

  @Column({ type: 'text', nullable: true })
  revokedReason!: string | null;
}
