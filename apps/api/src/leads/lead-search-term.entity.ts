import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Organization } from '../orgs/organization.entity';

/**
 * One word of a lead's name, title, company, email or domain (lower-cased, at most 32 characters),
 * written by statement-level triggers on `lead` (migrations/1795996800000-LeadsPerformance.ts); the application only reads
 * it, for full-text `q` as a b-tree prefix range that row-level security lets the planner use.
 */
@Entity({ name: 'lead_search_term' })
export class LeadSearchTerm {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'lead_search_term_pkey' })
  orgId!: string;

  @ManyToOne(() => Organization, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'org_id', foreignKeyConstraintName: 'lead_search_term_org_id_fkey' })
  organization?: Organization;

  @PrimaryColumn({ type: 'text', collation: 'C', primaryKeyConstraintName: 'lead_search_term_pkey' })
  term!: string;

  /** No foreign key: the delete trigger removes a lead's terms (see the migration). */
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'lead_search_term_pkey' })
  leadId!: string;
}
