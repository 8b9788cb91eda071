import type { MigrationInterface, QueryRunner } from 'typeorm';

const SEARCHABLE = 'full_name, job_title, company_name, email, company_domain';

/** The triggers a backfill of `search_text` would fire for nothing (it changes neither the rollups' dimensions nor the terms). */
const UPDATE_TRIGGERS = ['lead_stat_update', 'lead_search_terms_update'];

/**
 * Leads keep their searchable text, lower-cased, in `search_text` (docs/leads.md, "Search").
 *
 * A search whose words are all common walks the org's leads in list order and tests each one's
 * text; building that text (concat_ws and lower() of five columns) was half of a walk's time. Now
 * it is computed once per write by a BEFORE trigger and read as a column. The trigger (rather than
 * a generated column) keeps the entity layer out of it and recomputes on any write that names a
 * searchable column or search_text itself, so the stored text cannot drift from the row.
 *
 * `lead_search_text()` is the one definition of that text: the term index (lead_search_terms) splits
 * the same string into its words.
 *
 * On an installation with leads the backfill rewrites every lead once, inside this migration's
 * transaction (about a minute per million leads on 2 cores); reads go on, writes to `lead` wait.
 */
export class LeadSearchText1796342400000 implements MigrationInterface {
  name = 'LeadSearchText1796342400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION lead_search_text(full_name text, job_title text, company_name text, email text, company_domain text)
      RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT lower(concat_ws(' ', full_name, job_title, company_name, email, company_domain))
      $$`);
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION lead_search_terms(full_name text, job_title text, company_name text, email text, company_domain text)
      RETURNS text[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT COALESCE(array_agg(DISTINCT left(w.term, 32)), '{}'::text[])
          FROM regexp_split_to_table(lead_search_text(full_name, job_title, company_name, email, company_domain), '[^[:alnum:]]+') AS w(term)
         WHERE length(w.term) >= 2
      $$`);
    await queryRunner.query(`ALTER TABLE lead ADD COLUMN search_text text`);
    await queryRunner.query(`
      CREATE FUNCTION lead_search_text_set() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        NEW.search_text := lead_search_text(NEW.full_name, NEW.job_title, NEW.company_name, NEW.email, NEW.company_domain);
        RETURN NEW;
      END
      $$`);
    await queryRunner.query(
      `CREATE TRIGGER lead_search_text BEFORE INSERT OR UPDATE OF ${SEARCHABLE}, search_text ON lead FOR EACH ROW EXECUTE FUNCTION lead_search_text_set()`,
    );
    for (const trigger of UPDATE_TRIGGERS) await queryRunner.query(`ALTER TABLE lead DISABLE TRIGGER ${trigger}`);
    // Naming search_text fires the trigger, which computes it.
    await queryRunner.query(`UPDATE lead SET search_text = NULL`);
    for (const trigger of UPDATE_TRIGGERS) await queryRunner.query(`ALTER TABLE lead ENABLE TRIGGER ${trigger}`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER lead_search_text ON lead`);
    await queryRunner.query(`DROP FUNCTION lead_search_text_set()`);
    await queryRunner.query(`ALTER TABLE lead DROP COLUMN search_text`);
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION lead_search_terms(full_name text, job_title text, company_name text, email text, company_domain text)
      RETURNS text[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT COALESCE(array_agg(DISTINCT left(w.term, 32)), '{}'::text[])
          FROM regexp_split_to_table(lower(concat_ws(' ', full_name, job_title, company_name, email, company_domain)), '[^[:alnum:]]+') AS w(term)
         WHERE length(w.term) >= 2
      $$`);
    await queryRunner.query(`DROP FUNCTION lead_search_text(text, text, text, text, text)`);
  }
}
