import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The group role the application's runtime login role is a member of (Identity migration). */
const RUNTIME_ROLE = 'leadforge_runtime';

/** The live leads' counts of a statement's transition table(s), as signed deltas (`sign` is +1 or -1). */
const STAT_SOURCE = (table: string, sign: string): string => `SELECT org_id, created_at, status, platform, business_type, job_level, confidence, email, phones, ${sign} AS delta FROM ${table} WHERE deleted_at IS NULL`;

/** Appends the deltas of one statement's rows (`source`, see STAT_SOURCE) to both rollups. */
const statInserts = (source: string): string => `
  INSERT INTO lead_stat_dim (org_id, status, platform, business_type, job_level, confidence_bucket, has_email, has_phone, leads, confidence_sum)
  SELECT d.org_id, d.status, d.platform, d.business_type, d.job_level, least(d.confidence / 10, 9), d.email IS NOT NULL, d.phones <> '[]'::jsonb,
         sum(d.delta), sum(d.delta * d.confidence)
    FROM (${source}) d
   GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
  HAVING sum(d.delta) <> 0 OR sum(d.delta * d.confidence) <> 0;
  INSERT INTO lead_stat_time (org_id, bucket, leads)
  SELECT d.org_id, date_bin('15 minutes', d.created_at, TIMESTAMPTZ '2000-01-01 00:00:00+00'), sum(d.delta)
    FROM (${source}) d
   GROUP BY 1, 2
  HAVING sum(d.delta) <> 0;`;

/** Updated rows (old o, new n) whose searchable text changed. */
const CHANGED = `old_rows o JOIN new_rows n ON n.id = o.id AND (n.full_name IS DISTINCT FROM o.full_name OR n.job_title IS DISTINCT FROM o.job_title
  OR n.company_name IS DISTINCT FROM o.company_name OR n.email IS DISTINCT FROM o.email OR n.company_domain IS DISTINCT FROM o.company_domain)`;

/**
 * Leads at a million rows per org (docs/leads.md, "Indexes and plans").
 *
 * - The row-level security helpers are PARALLEL SAFE (they read transaction-local settings, which
 *   parallel workers inherit): a query calling an unsafe function never gets a parallel plan, and
 *   the tenant policy puts them in every query on a tenant table.
 * - Analytics of a whole org read two small per-org rollups instead of a million rows: counts per
 *   combination of the dimensions the analytics group by (`lead_stat_dim`) and per quarter hour of
 *   created_at (`lead_stat_time`; every time zone's offset is a multiple of 15 minutes, so local
 *   days, weeks and months are unions of quarter hours). Statement-level triggers append signed
 *   deltas (one row per group and statement, never an update of a shared counter, so concurrent
 *   ingests of one org never wait on each other); the maintenance job folds them together.
 * - The search terms are kept by statement-level triggers (one set-based INSERT per statement
 *   instead of a PL/pgSQL call and an INSERT per lead).
 */
export class LeadsPerformance1795996800000 implements MigrationInterface {
  name = 'LeadsPerformance1795996800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const fn of ['app_current_org_id()', 'app_current_user_id()', 'app_is_system()']) {
      await queryRunner.query(`ALTER FUNCTION ${fn} PARALLEL SAFE`);
    }

    await queryRunner.query(`
      CREATE TABLE lead_stat_dim (
        org_id uuid NOT NULL,
        status text NOT NULL,
        platform text,
        business_type text,
        job_level text,
        confidence_bucket smallint NOT NULL,
        has_email boolean NOT NULL,
        has_phone boolean NOT NULL,
        leads integer NOT NULL,
        confidence_sum bigint NOT NULL,
        CONSTRAINT lead_stat_dim_org_id_fkey FOREIGN KEY (org_id) REFERENCES organization (id) ON DELETE CASCADE
      )`);
    await queryRunner.query(`CREATE INDEX lead_stat_dim_org_id_idx ON lead_stat_dim (org_id)`);
    await queryRunner.query(`
      CREATE TABLE lead_stat_time (
        org_id uuid NOT NULL,
        bucket timestamptz NOT NULL,
        leads integer NOT NULL,
        CONSTRAINT lead_stat_time_org_id_fkey FOREIGN KEY (org_id) REFERENCES organization (id) ON DELETE CASCADE
      )`);
    await queryRunner.query(`CREATE INDEX lead_stat_time_org_id_bucket_idx ON lead_stat_time (org_id, bucket)`);
    for (const table of ['lead_stat_dim', 'lead_stat_time']) {
      await queryRunner.query(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`);
      await queryRunner.query(`ALTER TABLE ${table} FORCE ROW LEVEL SECURITY`);
      await queryRunner.query(`
        CREATE POLICY ${table}_tenant_isolation ON ${table} FOR ALL
        USING (org_id = app_current_org_id() OR app_is_system())
        WITH CHECK (org_id = app_current_org_id() OR app_is_system())`);
      await queryRunner.query(`GRANT SELECT, INSERT, DELETE ON ${table} TO ${RUNTIME_ROLE}`);
      await queryRunner.query(`REVOKE UPDATE ON ${table} FROM ${RUNTIME_ROLE}`);
    }

    await queryRunner.query(`
      CREATE FUNCTION lead_stat_apply() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          ${statInserts(STAT_SOURCE('new_rows', '1'))}
        ELSIF TG_OP = 'DELETE' THEN
          ${statInserts(STAT_SOURCE('old_rows', '-1'))}
        ELSE
          ${statInserts(`${STAT_SOURCE('old_rows', '-1')} UNION ALL ${STAT_SOURCE('new_rows', '1')}`)}
        END IF;
        RETURN NULL;
      END
      $$`);
    await queryRunner.query(`CREATE TRIGGER lead_stat_insert AFTER INSERT ON lead REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION lead_stat_apply()`);
    await queryRunner.query(
      `CREATE TRIGGER lead_stat_update AFTER UPDATE ON lead REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION lead_stat_apply()`,
    );
    await queryRunner.query(`CREATE TRIGGER lead_stat_delete AFTER DELETE ON lead REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION lead_stat_apply()`);

    // Folds an org's deltas into one row per group; concurrent folds are safe (a row is deleted once).
    await queryRunner.query(`
      CREATE FUNCTION lead_stat_compact(target_org uuid) RETURNS void LANGUAGE sql AS $$
        WITH gone AS (DELETE FROM lead_stat_dim WHERE org_id = target_org RETURNING *)
        INSERT INTO lead_stat_dim (org_id, status, platform, business_type, job_level, confidence_bucket, has_email, has_phone, leads, confidence_sum)
        SELECT org_id, status, platform, business_type, job_level, confidence_bucket, has_email, has_phone, sum(leads), sum(confidence_sum)
          FROM gone GROUP BY 1, 2, 3, 4, 5, 6, 7, 8 HAVING sum(leads) <> 0 OR sum(confidence_sum) <> 0;
        WITH gone AS (DELETE FROM lead_stat_time WHERE org_id = target_org RETURNING *)
        INSERT INTO lead_stat_time (org_id, bucket, leads)
        SELECT org_id, bucket, sum(leads) FROM gone GROUP BY 1, 2 HAVING sum(leads) <> 0;
      $$`);

    // Search terms: the same rows as the per-row triggers of LeadsQuery wrote, one statement at a time.
    await queryRunner.query(`DROP TRIGGER lead_search_terms_insert ON lead`);
    await queryRunner.query(`DROP TRIGGER lead_search_terms_update ON lead`);
    await queryRunner.query(`DROP TRIGGER lead_search_terms_delete ON lead`);
    await queryRunner.query(`
      CREATE FUNCTION lead_search_terms_apply() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          INSERT INTO lead_search_term (org_id, term, lead_id)
          SELECT n.org_id, t.term, n.id
            FROM new_rows n, unnest(lead_search_terms(n.full_name, n.job_title, n.company_name, n.email, n.company_domain)) AS t(term)
          ON CONFLICT DO NOTHING;
        ELSIF TG_OP = 'DELETE' THEN
          DELETE FROM lead_search_term s
           USING (SELECT o.org_id, o.id, t.term FROM old_rows o, unnest(lead_search_terms(o.full_name, o.job_title, o.company_name, o.email, o.company_domain)) AS t(term)) AS gone
           WHERE s.org_id = gone.org_id AND s.term = gone.term AND s.lead_id = gone.id;
        ELSE
          -- Only the terms that differ, of rows whose searchable text changed (most updates are merges that leave it alone).
          DELETE FROM lead_search_term s
           USING (SELECT o.org_id, o.id, t.term FROM ${CHANGED}, unnest(lead_search_terms(o.full_name, o.job_title, o.company_name, o.email, o.company_domain)) AS t(term)
                  EXCEPT
                  SELECT n.org_id, n.id, t.term FROM ${CHANGED}, unnest(lead_search_terms(n.full_name, n.job_title, n.company_name, n.email, n.company_domain)) AS t(term)) AS gone
           WHERE s.org_id = gone.org_id AND s.term = gone.term AND s.lead_id = gone.id;
          INSERT INTO lead_search_term (org_id, term, lead_id)
          SELECT n.org_id, t.term, n.id FROM ${CHANGED}, unnest(lead_search_terms(n.full_name, n.job_title, n.company_name, n.email, n.company_domain)) AS t(term)
          ON CONFLICT DO NOTHING;
        END IF;
        RETURN NULL;
      END
      $$`);
    await queryRunner.query(
      `CREATE TRIGGER lead_search_terms_insert AFTER INSERT ON lead REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION lead_search_terms_apply()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER lead_search_terms_update AFTER UPDATE ON lead REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION lead_search_terms_apply()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER lead_search_terms_delete AFTER DELETE ON lead REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION lead_search_terms_apply()`,
    );

    // escapeFormula() of apps/api/src/export/formula-escape.ts, for the CSV export that COPY writes.
    await queryRunner.query(`
      CREATE FUNCTION lead_csv_cell(value text) RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
        SELECT CASE WHEN left(value, 1) IN ('=', '+', '-', '@', chr(9), chr(13)) AND value !~ '^\\+[0-9]{4,15}( \\+[0-9]{4,15})*$' THEN '''' || value ELSE value END
      $$`);

    // Leads stored before this migration, of every org: the system scope, because row-level security
    // binds the owner too (FORCE) unless it is a superuser. Local to this migration's transaction.
    await queryRunner.query(`SELECT set_config('app.system', 'on', true)`);
    await queryRunner.query(`
      INSERT INTO lead_stat_dim (org_id, status, platform, business_type, job_level, confidence_bucket, has_email, has_phone, leads, confidence_sum)
      SELECT org_id, status, platform, business_type, job_level, least(confidence / 10, 9), email IS NOT NULL, phones <> '[]'::jsonb, count(*), sum(confidence)
        FROM lead WHERE deleted_at IS NULL GROUP BY 1, 2, 3, 4, 5, 6, 7, 8`);
    await queryRunner.query(`
      INSERT INTO lead_stat_time (org_id, bucket, leads)
      SELECT org_id, date_bin('15 minutes', created_at, TIMESTAMPTZ '2000-01-01 00:00:00+00'), count(*)
        FROM lead WHERE deleted_at IS NULL GROUP BY 1, 2`);
    await queryRunner.query(`SELECT set_config('app.system', '', true)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER lead_search_terms_delete ON lead`);
    await queryRunner.query(`DROP TRIGGER lead_search_terms_update ON lead`);
    await queryRunner.query(`DROP TRIGGER lead_search_terms_insert ON lead`);
    await queryRunner.query(`DROP FUNCTION lead_search_terms_apply()`);
    await queryRunner.query(`CREATE TRIGGER lead_search_terms_insert AFTER INSERT ON lead FOR EACH ROW EXECUTE FUNCTION lead_search_terms_sync()`);
    await queryRunner.query(`
      CREATE TRIGGER lead_search_terms_update AFTER UPDATE OF full_name, job_title, company_name, email, company_domain ON lead FOR EACH ROW
      WHEN (OLD.full_name IS DISTINCT FROM NEW.full_name OR OLD.job_title IS DISTINCT FROM NEW.job_title
            OR OLD.company_name IS DISTINCT FROM NEW.company_name OR OLD.email IS DISTINCT FROM NEW.email
            OR OLD.company_domain IS DISTINCT FROM NEW.company_domain)
      EXECUTE FUNCTION lead_search_terms_sync()`);
    await queryRunner.query(`CREATE TRIGGER lead_search_terms_delete AFTER DELETE ON lead FOR EACH ROW EXECUTE FUNCTION lead_search_terms_sync()`);
    await queryRunner.query(`DROP FUNCTION lead_csv_cell(text)`);
    await queryRunner.query(`DROP FUNCTION lead_stat_compact(uuid)`);
    await queryRunner.query(`DROP TRIGGER lead_stat_delete ON lead`);
    await queryRunner.query(`DROP TRIGGER lead_stat_update ON lead`);
    await queryRunner.query(`DROP TRIGGER lead_stat_insert ON lead`);
    await queryRunner.query(`DROP FUNCTION lead_stat_apply()`);
    await queryRunner.query(`DROP TABLE lead_stat_time`);
    await queryRunner.query(`DROP TABLE lead_stat_dim`);
    for (const fn of ['app_current_org_id()', 'app_current_user_id()', 'app_is_system()']) {
      await queryRunner.query(`ALTER FUNCTION ${fn} PARALLEL UNSAFE`);
    }
  }
}
