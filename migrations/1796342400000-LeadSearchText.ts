import type { MigrationInterface, QueryRunner } from 'typeorm';

const SEARCHABLE = 'full_name, job_title, company_name, email, company_domain';

/** Leads filled per statement by the backfill: each batch commits on its own, so no lock is held for long. */
const BACKFILL_BATCH = 5_000;

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
 * Outside a transaction, so that `lead` is never locked for long on an installation with leads:
 * adding the column and the trigger lock it for a moment each, then the stored leads are filled in
 * batches by id, each batch committing on its own (writes meanwhile get their text from the
 * trigger). Every step can run again, so an interrupted run is finished by the next start.
 */
export class LeadSearchText1796342400000 implements MigrationInterface {
  name = 'LeadSearchText1796342400000';
  transaction = false as const;

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION lead_search_text(full_name text, job_title text, company_name text, email text, company_domain text)
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
    await queryRunner.query(`ALTER TABLE lead ADD COLUMN IF NOT EXISTS search_text text`);
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION lead_search_text_set() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        NEW.search_text := lead_search_text(NEW.full_name, NEW.job_title, NEW.company_name, NEW.email, NEW.company_domain);
        RETURN NEW;
      END
      $$`);
    await queryRunner.query(
      `CREATE OR REPLACE TRIGGER lead_search_text BEFORE INSERT OR UPDATE OF ${SEARCHABLE}, search_text ON lead FOR EACH ROW EXECUTE FUNCTION lead_search_text_set()`,
    );
    await this.backfill(queryRunner);
  }

  /**
   * Fills search_text of the stored leads (a filled one is never NULL: concat_ws of nothing is '').
   * Naming the column fires the trigger, which computes it. The owner is subject to the tenant
   * policy (FORCE ROW LEVEL SECURITY), so the backfill reads as the system scope.
   */
  private async backfill(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`SELECT set_config('app.system', 'on', false)`);
    try {
      let after: string | null = null;
      for (;;) {
        const [bound] = (await queryRunner.query(
          `SELECT id FROM lead WHERE ($1::uuid IS NULL OR id > $1::uuid) ORDER BY id OFFSET ${BACKFILL_BATCH - 1} LIMIT 1`,
          [after],
        )) as Array<{ id: string }>;
        await queryRunner.query(
          `UPDATE lead SET search_text = NULL WHERE ($1::uuid IS NULL OR id > $1::uuid) AND ($2::uuid IS NULL OR id <= $2::uuid) AND search_text IS NULL`,
          [after, bound?.id ?? null],
        );
        if (!bound) return;
        after = bound.id;
      }
    } finally {
      await queryRunner.query(`SELECT set_config('app.system', '', false)`);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER IF EXISTS lead_search_text ON lead`);
    await queryRunner.query(`DROP FUNCTION IF EXISTS lead_search_text_set()`);
    await queryRunner.query(`ALTER TABLE lead DROP COLUMN IF EXISTS search_text`);
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION lead_search_terms(full_name text, job_title text, company_name text, email text, company_domain text)
      RETURNS text[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT COALESCE(array_agg(DISTINCT left(w.term, 32)), '{}'::text[])
          FROM regexp_split_to_table(lower(concat_ws(' ', full_name, job_title, company_name, email, company_domain)), '[^[:alnum:]]+') AS w(term)
         WHERE length(w.term) >= 2
      $$`);
    await queryRunner.query(`DROP FUNCTION IF EXISTS lead_search_text(text, text, text, text, text)`);
  }
}
