import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Tables of the leads domain whose tenant policy is evaluated once per row of the big scans. */
const LEAD_TABLES = ['lead', 'lead_search_term', 'lead_stat_dim', 'lead_stat_time'];

const INIT_PLAN_CHECK = '(org_id = (SELECT app_current_org_id()) OR (SELECT app_is_system()))';
const PER_ROW_CHECK = '(org_id = app_current_org_id() OR app_is_system())';

/**
 * Leads at a million rows per org, second pass (docs/leads.md, "Performance").
 *
 * - The tenant policies of the lead tables read the org setting once per statement: wrapped in a
 *   scalar subquery, `app_current_org_id()` and `app_is_system()` become init plans, so each row
 *   costs a uuid comparison instead of two `current_setting()` calls and a uuid parse (up to a third
 *   of a search's or a walk's time). Same rows, same checks.
 * - `lead_csv_cell()` (the CSV export's formula escaping, run for every text cell that COPY writes)
 *   is no longer STRICT and tests the first character with ascii(): a STRICT SQL function whose body
 *   is not strict itself is never inlined, so every cell paid a function call. Inlined, it is a
 *   CASE expression; NULL still yields NULL (ascii(NULL) IN (...) is NULL, so the ELSE branch).
 *
 * - The search terms of inserted leads are written in key order and without ON CONFLICT: an
 *   inserted lead has a new id, so its terms cannot exist yet, and the speculative insertion that
 *   ON CONFLICT costs per term is skipped; key order keeps consecutive inserts on the same b-tree
 *   pages. (Updates and deletes keep lead_search_terms_apply() of LeadsPerformance.)
 *
 * The ingest's staging table is a temporary table each session creates itself (lead-upsert.sql.ts):
 * nothing to migrate.
 */
export class LeadsIngest1796083200000 implements MigrationInterface {
  name = 'LeadsIngest1796083200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const table of LEAD_TABLES) {
      await queryRunner.query(`ALTER POLICY ${table}_tenant_isolation ON ${table} USING ${INIT_PLAN_CHECK} WITH CHECK ${INIT_PLAN_CHECK}`);
    }
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION lead_csv_cell(value text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT CASE WHEN ascii(value) IN (61, 43, 45, 64, 9, 13) AND value !~ '^\\+[0-9]{4,15}( \\+[0-9]{4,15})*$' THEN '''' || value ELSE value END
      $$`);
    await queryRunner.query(`
      CREATE FUNCTION lead_search_terms_add() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO lead_search_term (org_id, term, lead_id)
        SELECT n.org_id, t.term, n.id
          FROM new_rows n, unnest(lead_search_terms(n.full_name, n.job_title, n.company_name, n.email, n.company_domain)) AS t(term)
         ORDER BY 1, 2, 3;
        RETURN NULL;
      END
      $$`);
    await queryRunner.query(`DROP TRIGGER lead_search_terms_insert ON lead`);
    await queryRunner.query(
      `CREATE TRIGGER lead_search_terms_insert AFTER INSERT ON lead REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION lead_search_terms_add()`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER lead_search_terms_insert ON lead`);
    await queryRunner.query(
      `CREATE TRIGGER lead_search_terms_insert AFTER INSERT ON lead REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION lead_search_terms_apply()`,
    );
    await queryRunner.query(`DROP FUNCTION lead_search_terms_add()`);
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION lead_csv_cell(value text) RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
        SELECT CASE WHEN left(value, 1) IN ('=', '+', '-', '@', chr(9), chr(13)) AND value !~ '^\\+[0-9]{4,15}( \\+[0-9]{4,15})*$' THEN '''' || value ELSE value END
      $$`);
    for (const table of LEAD_TABLES) {
      await queryRunner.query(`ALTER POLICY ${table}_tenant_isolation ON ${table} USING ${PER_ROW_CHECK} WITH CHECK ${PER_ROW_CHECK}`);
    }
  }
}
