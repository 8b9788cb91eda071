import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { User } from '../users/user.entity';
import { Organization } from './organization.entity';

export const ORG_ROLES = ['owner', 'admin', 'member'] as const;
export type OrgRole = (typeof ORG_ROLES)[number];

@Entity({ name: 'membership' })
@Index('membership_user_id_idx', ['userId'])
@Check('membership_role_check', `role IN ('owner', 'admin', 'member')`)
export class Membership {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'membership_pkey' })
  orgId!: string;

  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'membership_pkey' })
  userId!: string;

  @Column({ type: 'text' })
  role!: OrgRole;

  @ManyToOne(() => Organization, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'org_id', foreignKeyConstraintName: 'membership_org_id_fkey' })
  organization?: Organization;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'membership_user_id_fkey' })
  user?: User;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
