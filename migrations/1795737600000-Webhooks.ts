import type { MigrationInterface, QueryRunner } from 'typeorm';

const RUNTIME_ROLE = 'leadforge_runtime';
const TENANT_TABLES = ['webhook_endpoint', 'webhook_delivery', 'webhook_delivery_attempt'];

export class Webhooks1795737600000 implements MigrationInterface {
  name = 'Webhooks1795737600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE webhook_endpoint (
        id uuid NOT NULL,
        org_id uuid NOT NULL,
        url text NOT NULL,
        description text,
        events text[] NOT NULL,
        enabled boolean NOT NULL DEFAULT true,
        secret_sealed text NOT NULL,
        previous_secret_sealed text,
        previous_secret_expires_at timestamptz,
        failing_since timestamptz,
        disabled_at timestamptz,
        disabled_reason text,
        created_by_user_id uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT webhook_endpoint_pkey PRIMARY KEY (id),
        CONSTRAINT webhook_endpoint_org_id_fkey FOREIGN KEY (org_id) REFERENCES organization (id) ON DELETE CASCADE,
        CONSTRAINT webhook_endpoint_created_by_user_id_fkey FOREIGN KEY (created_by_user_id) REFERENCES user_account (id) ON DELETE SET NULL
      )`);
    await queryRunner.query(`CREATE INDEX webhook_endpoint_org_id_id_idx ON webhook_endpoint (org_id, id)`);

    await queryRunner.query(`
      CREATE TABLE webhook_delivery (
        id uuid NOT NULL,
        org_id uuid NOT NULL,
        endpoint_id uuid NOT NULL,
        event_type text NOT NULL,
        source_key text,
        payload jsonb NOT NULL,
        status text NOT NULL DEFAULT 'pending',
        attempts integer NOT NULL DEFAULT 0,
        response_status integer,
        duration_ms integer,
        last_error text,
        next_attempt_at timestamptz,
        delivered_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT webhook_delivery_pkey PRIMARY KEY (id),
        CONSTRAINT webhook_delivery_endpoint_id_fkey FOREIGN KEY (endpoint_id) REFERENCES webhook_endpoint (id) ON DELETE CASCADE,
        CONSTRAINT webhook_delivery_status_check CHECK (status IN ('pending', 'succeeded', 'failed'))
      )`);
    await queryRunner.query(`CREATE INDEX webhook_delivery_endpoint_id_id_idx ON webhook_delivery (endpoint_id, id)`);
    await queryRunner.query(`CREATE INDEX webhook_delivery_created_at_idx ON webhook_delivery (created_at)`);
    // One delivery per endpoint and source event, however often the event is announced.
    await queryRunner.query(`CREATE UNIQUE INDEX webhook_delivery_source_key ON webhook_delivery (endpoint_id, source_key) WHERE source_key IS NOT NULL`);

    await queryRunner.query(`
      CREATE TABLE webhook_delivery_attempt (
        id uuid NOT NULL,
        org_id uuid NOT NULL,
        delivery_id uuid NOT NULL,
        attempt integer NOT NULL,
        response_status integer,
        duration_ms integer NOT NULL,
        error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT webhook_delivery_attempt_pkey PRIMARY KEY (id),
        CONSTRAINT webhook_delivery_attempt_delivery_id_fkey FOREIGN KEY (delivery_id) REFERENCES webhook_delivery (id) ON DELETE CASCADE
      )`);
    await queryRunner.query(`CREATE INDEX webhook_delivery_attempt_delivery_id_idx ON webhook_delivery_attempt (delivery_id)`);

    for (const table of TENANT_TABLES) {
      await queryRunner.query(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`);
      await queryRunner.query(`ALTER TABLE ${table} FORCE ROW LEVEL SECURITY`);
      await queryRunner.query(`
        CREATE POLICY ${table}_tenant_isolation ON ${table} FOR ALL
        USING (org_id = app_current_org_id() OR app_is_system())
        WITH CHECK (org_id = app_current_org_id() OR app_is_system())`);
    }
    // Attempts are a log: written once, removed only with their delivery (the cascade runs as the owner).
    await queryRunner.query(`REVOKE UPDATE, DELETE, TRUNCATE ON webhook_delivery_attempt FROM ${RUNTIME_ROLE}`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [...TENANT_TABLES].reverse()) await queryRunner.query(`DROP TABLE ${table}`);
  }
}
