import type { MigrationInterface, QueryRunner } from 'typeorm';

const RUNTIME_ROLE = 'leadforge_runtime';
const TENANT_TABLES = ['scrape_task', 'task_shard', 'task_page', 'task_event', 'credit_account', 'credit_ledger', 'idempotency_record'];

export class Scraper1795392000000 implements MigrationInterface {
  name = 'Scraper1795392000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE scrape_task (
        id uuid NOT NULL,
        org_id uuid NOT NULL,
        created_by uuid,
        api_key_id uuid,
        name text NOT NULL,
        platform text NOT NULL,
        status text NOT NULL,
        seeds jsonb NOT NULL,
        options jsonb NOT NULL,
        selectors jsonb,
        filters jsonb,
        lead_objective text NOT NULL,
        pages_queued integer NOT NULL DEFAULT 0,
        pages_fetched integer NOT NULL DEFAULT 0,
        pages_failed integer NOT NULL DEFAULT 0,
        leads_found integer NOT NULL DEFAULT 0,
        leads_stored integer NOT NULL DEFAULT 0,
        duplicates integer NOT NULL DEFAULT 0,
        suppressed integer NOT NULL DEFAULT 0,
        credits_reserved integer NOT NULL,
        credits_charged integer NOT NULL DEFAULT 0,
        error text,
        last_event_seq integer NOT NULL DEFAULT 0,
        log_event_count integer NOT NULL DEFAULT 0,
        deadline_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        started_at timestamptz,
        finished_at timestamptz,
        settled_at timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT scrape_task_pkey PRIMARY KEY (id),
        CONSTRAINT scrape_task_org_id_fkey FOREIGN KEY (org_id) REFERENCES organization (id) ON DELETE CASCADE,
        CONSTRAINT scrape_task_platform_check CHECK (platform IN ('website', 'directory', 'sitemap')),
        CONSTRAINT scrape_task_status_check CHECK (status IN ('queued', 'running', 'paused', 'completed', 'failed', 'cancelled', 'timed_out')),
        CONSTRAINT scrape_task_credits_check CHECK (credits_charged >= 0 AND credits_charged <= credits_reserved)
      )`);
    await queryRunner.query(`CREATE INDEX scrape_task_org_id_id_idx ON scrape_task (org_id, id)`);
    await queryRunner.query(`CREATE INDEX scrape_task_active_idx ON scrape_task (status, org_id) WHERE status IN ('queued', 'running', 'paused')`);

    await queryRunner.query(`
      CREATE TABLE task_shard (
        id uuid NOT NULL,
        task_id uuid NOT NULL,
        org_id uuid NOT NULL,
        position integer NOT NULL,
        host text NOT NULL,
        seeds jsonb NOT NULL,
        status text NOT NULL,
        budget integer NOT NULL,
        pages_fetched integer NOT NULL DEFAULT 0,
        pages_failed integer NOT NULL DEFAULT 0,
        attempts integer NOT NULL DEFAULT 0,
        generation integer NOT NULL DEFAULT 0,
        last_error text,
        heartbeat_at timestamptz,
        finished_at timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT task_shard_pkey PRIMARY KEY (id),
        CONSTRAINT task_shard_task_id_fkey FOREIGN KEY (task_id) REFERENCES scrape_task (id) ON DELETE CASCADE,
        CONSTRAINT task_shard_status_check CHECK (status IN ('queued', 'running', 'paused', 'completed', 'failed', 'cancelled'))
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX task_shard_task_id_position_key ON task_shard (task_id, position)`);
    await queryRunner.query(`CREATE INDEX task_shard_running_idx ON task_shard (heartbeat_at) WHERE status = 'running'`);

    await queryRunner.query(`
      CREATE TABLE task_page (
        task_id uuid NOT NULL,
        url_key text NOT NULL,
        org_id uuid NOT NULL,
        shard_id uuid NOT NULL,
        url text NOT NULL,
        depth smallint NOT NULL,
        state text NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT task_page_pkey PRIMARY KEY (task_id, url_key),
        CONSTRAINT task_page_state_check CHECK (state IN ('pending', 'fetched', 'failed'))
      )`);

    await queryRunner.query(`
      CREATE TABLE task_event (
        task_id uuid NOT NULL,
        seq integer NOT NULL,
        org_id uuid NOT NULL,
        type text NOT NULL,
        payload jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT task_event_pkey PRIMARY KEY (task_id, seq)
      )`);
    await queryRunner.query(`CREATE INDEX task_event_created_at_idx ON task_event (created_at)`);

    await queryRunner.query(`
      CREATE TABLE credit_account (
        org_id uuid NOT NULL,
        balance bigint NOT NULL,
        plan text NOT NULL DEFAULT 'free',
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT credit_account_pkey PRIMARY KEY (org_id),
        CONSTRAINT credit_account_org_id_fkey FOREIGN KEY (org_id) REFERENCES organization (id) ON DELETE CASCADE,
        CONSTRAINT credit_account_balance_check CHECK (balance >= 0),
        CONSTRAINT credit_account_plan_check CHECK (plan IN ('free', 'pro', 'business'))
      )`);

    await queryRunner.query(`
      CREATE TABLE credit_ledger (
        id uuid NOT NULL,
        org_id uuid NOT NULL,
        delta integer NOT NULL,
        reason text NOT NULL,
        task_id uuid,
        balance_after bigint NOT NULL,
        created_by uuid,
        note text,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT credit_ledger_pkey PRIMARY KEY (id),
        CONSTRAINT credit_ledger_reason_check CHECK (reason IN ('initial_grant', 'task_reservation', 'task_settlement', 'task_refund', 'plan_grant', 'purchase', 'admin_adjustment')),
        CONSTRAINT credit_ledger_balance_after_check CHECK (balance_after >= 0)
      )`);
    await queryRunner.query(`CREATE INDEX credit_ledger_org_id_id_idx ON credit_ledger (org_id, id)`);
    await queryRunner.query(`CREATE INDEX credit_ledger_task_id_idx ON credit_ledger (task_id)`);

    await queryRunner.query(`
      CREATE TABLE idempotency_record (
        org_id uuid NOT NULL,
        scope text NOT NULL,
        key text NOT NULL,
        request_hash text NOT NULL,
        status_code integer NOT NULL,
        response jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        CONSTRAINT idempotency_record_pkey PRIMARY KEY (org_id, scope, key)
      )`);
    await queryRunner.query(`CREATE INDEX idempotency_record_expires_at_idx ON idempotency_record (expires_at)`);

    for (const table of TENANT_TABLES) {
      await queryRunner.query(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`);
      await queryRunner.query(`ALTER TABLE ${table} FORCE ROW LEVEL SECURITY`);
      await queryRunner.query(`
        CREATE POLICY ${table}_tenant_isolation ON ${table} FOR ALL
        USING (org_id = app_current_org_id() OR app_is_system())
        WITH CHECK (org_id = app_current_org_id() OR app_is_system())`);
    }
    // The ledger is append-only for the application (default privileges granted UPDATE/DELETE).
    await queryRunner.query(`REVOKE UPDATE, DELETE, TRUNCATE ON credit_ledger FROM ${RUNTIME_ROLE}`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['idempotency_record', 'credit_ledger', 'credit_account', 'task_event', 'task_page', 'task_shard', 'scrape_task']) {
      await queryRunner.query(`DROP TABLE ${table}`);
    }
  }
}
