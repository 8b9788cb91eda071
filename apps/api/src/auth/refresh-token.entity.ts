import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { AuthSession } from './session.entity';

/** Every refresh token ever issued in a session; a rotated one presented again betrays theft. */
@Entity({ name: 'refresh_token' })
@Index('refresh_token_session_id_idx', ['sessionId'])
@Index('refresh_token_token_hash_key', ['tokenHash'], { unique: true })
export class RefreshToken {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'refresh_token_pkey' })
  id!: string;

  @Column({ type: 'uuid' })
  sessionId!: string;

  @ManyToOne(() => AuthSession, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'session_id', foreignKeyConstraintName: 'refresh_token_session_id_fkey' })
  session?: AuthSession;

  @Column({ type: 'text' })
  tokenHash!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  rotatedAt!: Date | null;
}
