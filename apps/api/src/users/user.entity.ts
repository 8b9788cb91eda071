import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { Organization } from '../orgs/organization.entity';

/** An account. Not tenant data: a user may belong to several organizations (see Membership). */
@Entity({ name: 'user_account' })
@Index('user_account_email_key', ['email'], { unique: true })
@Index('user_account_current_org_id_idx', ['currentOrgId'])
export class User {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'user_account_pkey' })
  id!: string;

  /** Stored trimmed and lower-cased, so the unique index is case-insensitive. */
  @Column({ type: 'text' })
  email!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  passwordHash!: string;

  @Column({ type: 'timestamptz', nullable: true })
  emailVerifiedAt!: Date | null;

  @Column({ type: 'boolean', default: false })
  isPlatformAdmin!: boolean;

  /** The organization the user acts for after login; the newest accepted invitation switches it. */
  @Column({ type: 'uuid', nullable: true })
  currentOrgId!: string | null;

  @ManyToOne(() => Organization, { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'current_org_id', foreignKeyConstraintName: 'user_account_current_org_id_fkey' })
  currentOrg?: Organization | null;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  passwordChangedAt!: Date;

  /** Set while a platform administrator has suspended the account: no sign-in, no access token accepted. */
  @Column({ type: 'timestamptz', nullable: true })
  suspendedAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
