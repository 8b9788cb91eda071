import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Organization } from '../orgs/organization.entity';
import { User } from '../users/user.entity';

@Entity({ name: 'api_key' })
@Index('api_key_org_id_idx', ['orgId'])
@Index('api_key_key_hash_key', ['keyHash'], { unique: true })
export class ApiKey {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'api_key_pkey' })
  id!: string;

  @Column({ type: 'uuid' })
  orgId!: string;

  @ManyToOne(() => Organization, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'org_id', foreignKeyConstraintName: 'api_key_org_id_fkey' })
  organization?: Organization;

  @Column({ type: 'text' })
  name!: string;

  /** The first characters of the key (`lf_` + 8), shown in lists so a key can be recognised. */
  @Column({ type: 'text' })
  prefix!: string;

  /** SHA-256 of the whole key; the key has 256 bits of entropy, so no slow hash is needed. */
  @Column({ type: 'text' })
  keyHash!: string;

  @Column({ type: 'uuid', nullable: true })
  createdByUserId!: string | null;

  @ManyToOne(() => User, { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'created_by_user_id', foreignKeyConstraintName: 'api_key_created_by_user_id_fkey' })
  createdBy?: User | null;

  @Column({ type: 'timestamptz', nullable: true })
  lastUsedAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
