import type { MigrationInterface, QueryRunner } from 'typeorm';

const LEDGER_REASONS_BEFORE = `'initial_grant', 'task_reservation', 'task_settlement', 'task_refund', 'plan_grant', 'purchase', 'admin_adjustment'`;

export class Billing1795651200000 implements MigrationInterface {
  name = 'Billing1795651200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE billing_subscription (
        org_id uuid NOT NULL,
        stripe_customer_id text NOT NULL,
        stripe_subscription_id text,
        status text,
        stripe_price_id text,
        cancel_at_period_end boolean NOT NULL DEFAULT false,
        current_period_end timestamptz,
        canceled_at timestamptz,
        subscription_created_at timestamptz,
        synced_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT billing_subscription_pkey PRIMARY KEY (org_id),
        CONSTRAINT billing_subscription_org_id_fkey FOREIGN KEY (org_id) REFERENCES organization (id) ON DELETE CASCADE
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX billing_subscription_stripe_customer_id_key ON billing_subscription (stripe_customer_id)`);
    await queryRunner.query(`CREATE INDEX billing_subscription_stripe_subscription_id_idx ON billing_subscription (stripe_subscription_id)`);

    await queryRunner.query(`
      CREATE TABLE stripe_event (
        id text NOT NULL,
        type text NOT NULL,
        org_id uuid,
        stripe_created_at timestamptz NOT NULL,
        object jsonb NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now(),
        processed_at timestamptz,
        CONSTRAINT stripe_event_pkey PRIMARY KEY (id)
      )`);
    await queryRunner.query(`CREATE INDEX stripe_event_received_at_idx ON stripe_event (received_at)`);

    // Grants name what they are for (invoice id, free:YYYY-MM); one grant per reference and org.
    await queryRunner.query(`ALTER TABLE credit_ledger ADD COLUMN reference text`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX credit_ledger_plan_grant_key ON credit_ledger (org_id, reference) WHERE reason = 'plan_grant' AND reference IS NOT NULL`,
    );
    await queryRunner.query(`ALTER TABLE credit_ledger DROP CONSTRAINT credit_ledger_reason_check`);
    await queryRunner.query(`ALTER TABLE credit_ledger ADD CONSTRAINT credit_ledger_reason_check CHECK (reason IN (${LEDGER_REASONS_BEFORE}, 'credit_expiry'))`);

    for (const table of ['billing_subscription', 'stripe_event']) {
      await queryRunner.query(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`);
      await queryRunner.query(`ALTER TABLE ${table} FORCE ROW LEVEL SECURITY`);
      await queryRunner.query(`
        CREATE POLICY ${table}_tenant_isolation ON ${table} FOR ALL
        USING (org_id = app_current_org_id() OR app_is_system())
        WITH CHECK (org_id = app_current_org_id() OR app_is_system())`);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE stripe_event`);
    await queryRunner.query(`DROP TABLE billing_subscription`);
    await queryRunner.query(`ALTER TABLE credit_ledger DROP CONSTRAINT credit_ledger_reason_check`);
    await queryRunner.query(`ALTER TABLE credit_ledger ADD CONSTRAINT credit_ledger_reason_check CHECK (reason IN (${LEDGER_REASONS_BEFORE})) NOT VALID`);
    await queryRunner.query(`DROP INDEX credit_ledger_plan_grant_key`);
    await queryRunner.query(`ALTER TABLE credit_ledger DROP COLUMN reference`);
  }
}
