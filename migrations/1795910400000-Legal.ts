import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Legal (DESIGN.md §8): pending email opt-outs and per-org retention policies. The opt-out list
 * itself (`suppression`) is in the Leads migration; the append-only audit log in Identity.
 */
export class Legal1795910400000 implements MigrationInterface {
  name = 'Legal1795910400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // An email opt-out waiting for its mailed link: the keyed hash of the address and the SHA-256 of
    // the link's token, never the address. Global like `suppression`; reached only through the token.
    await queryRunner.query(`
      CREATE TABLE opt_out_request (
        id uuid NOT NULL,
        value_hash bytea NOT NULL,
        token_hash text NOT NULL,
        expires_at timestamptz NOT NULL,
        confirmed_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT opt_out_request_pkey PRIMARY KEY (id),
        CONSTRAINT opt_out_request_value_hash_check CHECK (octet_length(value_hash) = 32)
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX opt_out_request_token_hash_key ON opt_out_request (token_hash)`);
    // "A link was mailed to this address a moment ago": no second email (no mail bombing through us).
    await queryRunner.query(`CREATE INDEX opt_out_request_value_hash_created_at_idx ON opt_out_request (value_hash, created_at)`);
    await queryRunner.query(`CREATE INDEX opt_out_request_expires_at_idx ON opt_out_request (expires_at)`);

    await queryRunner.query(`
      CREATE TABLE retention_policy (
        org_id uuid NOT NULL,
        leads_days integer NOT NULL DEFAULT 365,
        task_events_days integer NOT NULL DEFAULT 90,
        updated_at timestamptz,
        updated_by uuid,
        last_run_at timestamptz,
        last_run_trigger text,
        last_leads_deleted integer NOT NULL DEFAULT 0,
        last_task_events_deleted integer NOT NULL DEFAULT 0,
        CONSTRAINT retention_policy_pkey PRIMARY KEY (org_id),
        CONSTRAINT retention_policy_org_id_fkey FOREIGN KEY (org_id) REFERENCES organization (id) ON DELETE CASCADE,
        CONSTRAINT retention_policy_leads_days_check CHECK (leads_days BETWEEN 30 AND 3650),
        CONSTRAINT retention_policy_task_events_days_check CHECK (task_events_days BETWEEN 7 AND 365),
        CONSTRAINT retention_policy_last_run_trigger_check CHECK (last_run_trigger IN ('schedule', 'manual'))
      )`);
    await queryRunner.query(`ALTER TABLE retention_policy ENABLE ROW LEVEL SECURITY`);
    await queryRunner.query(`ALTER TABLE retention_policy FORCE ROW LEVEL SECURITY`);
    await queryRunner.query(`
      CREATE POLICY retention_policy_tenant_isolation ON retention_policy FOR ALL
      USING (org_id = app_current_org_id() OR app_is_system())
      WITH CHECK (org_id = app_current_org_id() OR app_is_system())`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE retention_policy`);
    await queryRunner.query(`DROP TABLE opt_out_request`);
  }
}
