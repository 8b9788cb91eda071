import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The group role the application's runtime login role is a member of (Identity migration). */
const RUNTIME_ROLE = 'leadforge_runtime';

/**
 * Leads (DESIGN.md §6) and the global opt-out list (§8). Runs after the Scraper migration:
 * lead.task_id references scrape_task.
 */
export class Leads1795478400000 implements MigrationInterface {
  name = 'Leads1795478400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE lead (
        id uuid NOT NULL,
        org_id uuid NOT NULL,
        kind text NOT NULL,
        dedup_key text NOT NULL,
        full_name text,
        first_name text,
        last_name text,
        job_title text,
        job_level text,
        department text,
        email text,
        phones jsonb NOT NULL DEFAULT '[]'::jsonb,
        company_name text,
        company_domain text,
        website text,
        business_type text,
        industry text,
        address jsonb,
        socials jsonb NOT NULL DEFAULT '{}'::jsonb,
        profile_url text,
        education_level text,
        degree_type text,
        lead_objective text,
        confidence smallint NOT NULL DEFAULT 0,
        confidence_reasons jsonb NOT NULL DEFAULT '[]'::jsonb,
        sources jsonb NOT NULL DEFAULT '[]'::jsonb,
        tags text[] NOT NULL DEFAULT '{}'::text[],
        status text NOT NULL DEFAULT 'new',
        notes text,
        platform text,
        task_id uuid,
        first_seen_at timestamptz NOT NULL DEFAULT now(),
        last_seen_at timestamptz NOT NULL DEFAULT now(),
        created_at timestamptz NOT NULL DEFAULT now(),
        created_by uuid,
        updated_at timestamptz NOT NULL DEFAULT now(),
        updated_by uuid,
        deleted_at timestamptz,
        CONSTRAINT lead_pkey PRIMARY KEY (id),
        CONSTRAINT lead_kind_check CHECK (kind IN ('person', 'company')),
        CONSTRAINT lead_status_check CHECK (status IN ('new', 'contacted', 'qualified', 'disqualified')),
        CONSTRAINT lead_confidence_check CHECK (confidence BETWEEN 0 AND 100),
        CONSTRAINT lead_org_id_fkey FOREIGN KEY (org_id) REFERENCES organization (id) ON DELETE CASCADE,
        CONSTRAINT lead_task_id_fkey FOREIGN KEY (task_id) REFERENCES scrape_task (id) ON DELETE SET NULL
      )`);
    // The ingest's conflict target; also what makes two concurrent tasks converge on one row.
    await queryRunner.query(`CREATE UNIQUE INDEX lead_org_id_dedup_key_key ON lead (org_id, dedup_key)`);
    // Default list order (newest first) and its keyset cursor (created_at, id).
    await queryRunner.query(`CREATE INDEX lead_org_id_created_at_id_idx ON lead (org_id, created_at DESC, id DESC)`);
    // Leads of a task; also keeps ON DELETE SET NULL of the task foreign key from scanning the table.
    await queryRunner.query(`CREATE INDEX lead_task_id_idx ON lead (task_id)`);

    await queryRunner.query(`ALTER TABLE lead ENABLE ROW LEVEL SECURITY`);
    await queryRunner.query(`ALTER TABLE lead FORCE ROW LEVEL SECURITY`);
    await queryRunner.query(`
      CREATE POLICY lead_tenant_isolation ON lead FOR ALL
      USING (org_id = app_current_org_id() OR app_is_system())
      WITH CHECK (org_id = app_current_org_id() OR app_is_system())`);
    await queryRunner.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON lead TO ${RUNTIME_ROLE}`);

    // Global, not per org: an opt-out holds in every org. Keyed hashes only (legal/suppression-hash.ts).
    await queryRunner.query(`
      CREATE TABLE suppression (
        id uuid NOT NULL,
        kind text NOT NULL,
        value_hash bytea NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT suppression_pkey PRIMARY KEY (id),
        CONSTRAINT suppression_kind_check CHECK (kind IN ('email', 'profile_url', 'domain')),
        CONSTRAINT suppression_value_hash_check CHECK (octet_length(value_hash) = 32)
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX suppression_kind_value_hash_key ON suppression (kind, value_hash)`);
    // An entry is added or withdrawn, never edited.
    await queryRunner.query(`GRANT SELECT, INSERT, DELETE ON suppression TO ${RUNTIME_ROLE}`);
    await queryRunner.query(`REVOKE UPDATE ON suppression FROM ${RUNTIME_ROLE}`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE suppression`);
    await queryRunner.query(`DROP TABLE lead`);
  }
}
