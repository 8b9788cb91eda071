import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { User } from '../users/user.entity';
import { Organization } from './organization.entity';

export const INVITABLE_ROLES = ['admin', 'member'] as const;
export type InvitableRole = (typeof INVITABLE_ROLES)[number];

@Entity({ name: 'invitation' })
@Index('invitation_org_id_email_idx', ['orgId', 'email'])
@Index('invitation_token_hash_key', ['tokenHash'], { unique: true })
@Check('invitation_role_check', `role IN ('admin', 'member')`)
export class Invitation {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'invitation_pkey' })
  id!: string;

  @Column({ type: 'uuid' })
  orgId!: string;

  @ManyToOne(() => Organization, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'org_id', foreignKeyConstraintName: 'invitation_org_id_fkey' })
  organization?: Organization;

  @Column({ type: 'text' })
  email!: string;

  @Column({ type: 'text' })
  role!: InvitableRole;

  /** SHA-256 of the token mailed to the invitee; the token itself is never stored. */
  @Column({ type: 'text' })
  tokenHash!: string;

  @Column({ type: 'uuid', nullable: true })
  invitedByUserId!: string | null;

  @ManyToOne(() => User, { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'invited_by_user_id', foreignKeyConstraintName: 'invitation_invited_by_user_id_fkey' })
  invitedBy?: User | null;

  @Column({ type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  acceptedAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
