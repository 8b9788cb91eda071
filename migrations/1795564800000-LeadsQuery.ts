import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What listing, searching, counting and exporting a million leads of one org needs (docs/leads.md).
 *
 * Row-level security shapes this design: the runtime role reads `lead` through the tenant policy, and
 * Postgres only turns a caller's condition into an index condition when its operator is leakproof
 * (otherwise the policy must run first). Equality and range comparisons of text, uuid, integers and
 * timestamps are leakproof; `@@` (full text), `LIKE`/`%` (pg_trgm), `@>`/`&&` (arrays) and `->>`
 * (jsonb) are not, so a GIN index over a tsvector or trigrams would never be used by the app.
 * Full-text `q` therefore searches a term table with a plain b-tree: one row per distinct word of a
 * lead's name, title, company, email and domain, kept in step by triggers, and a word prefix is a
 * leakproof range `term >= 'jan' AND term < 'jan' || U+10FFFF` on (org_id, term).
 *
 * Every index leads with org_id: one org's rows are contiguous and an org with 1M leads never reads
 * another org's entries.
 */
export class LeadsQuery1795564800000 implements MigrationInterface {
  name = 'LeadsQuery1795564800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // Sort orders besides the existing (org_id, created_at DESC, id DESC), each with its keyset tiebreak.
    await queryRunner.query(`CREATE INDEX lead_org_id_confidence_id_idx ON lead (org_id, confidence DESC, id DESC)`);
    await queryRunner.query(`CREATE INDEX lead_org_id_company_sort_idx ON lead (org_id, (COALESCE(company_name, '')), id)`);
    // The two category filters of the lists (and their counts); created_at keeps one value's scan in list order.
    await queryRunner.query(`CREATE INDEX lead_org_id_business_type_idx ON lead (org_id, business_type, created_at DESC, id DESC)`);
    await queryRunner.query(`CREATE INDEX lead_org_id_job_level_idx ON lead (org_id, job_level, created_at DESC, id DESC)`);
    // Analytics: index-only scans over the columns the counts read (see docs/leads.md, "Analytics").
    await queryRunner.query(
      `CREATE INDEX lead_org_id_analytics_idx ON lead (org_id, created_at) INCLUDE (status, confidence, platform, business_type, job_level) WHERE deleted_at IS NULL`,
    );

    // Words of the searchable fields, lower-cased, split at anything that is not a letter or digit.
    await queryRunner.query(`
      CREATE FUNCTION lead_search_terms(full_name text, job_title text, company_name text, email text, company_domain text)
      RETURNS text[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT COALESCE(array_agg(DISTINCT left(w.term, 32)), '{}'::text[])
          FROM regexp_split_to_table(lower(concat_ws(' ', full_name, job_title, company_name, email, company_domain)), '[^[:alnum:]]+') AS w(term)
         WHERE length(w.term) >= 2
      $$`);
    await queryRunner.query(`
      CREATE TABLE lead_search_term (
        org_id uuid NOT NULL,
        term text COLLATE "C" NOT NULL,
        lead_id uuid NOT NULL,
        CONSTRAINT lead_search_term_pkey PRIMARY KEY (org_id, term, lead_id),
        CONSTRAINT lead_search_term_org_id_fkey FOREIGN KEY (org_id) REFERENCES organization (id) ON DELETE CASCADE
      )`);
    await queryRunner.query(`ALTER TABLE lead_search_term ENABLE ROW LEVEL SECURITY`);
    await queryRunner.query(`ALTER TABLE lead_search_term FORCE ROW LEVEL SECURITY`);
    await queryRunner.query(`
      CREATE POLICY lead_search_term_tenant_isolation ON lead_search_term FOR ALL
      USING (org_id = app_current_org_id() OR app_is_system())
      WITH CHECK (org_id = app_current_org_id() OR app_is_system())`);

    // No foreign key to lead and no index on lead_id: the old terms of a row are recomputed from OLD
    // and removed through the primary key, which keeps ingest at one b-tree per term.
    await queryRunner.query(`
      CREATE FUNCTION lead_search_terms_sync() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') THEN
          DELETE FROM lead_search_term
           WHERE org_id = OLD.org_id AND lead_id = OLD.id
             AND term = ANY (lead_search_terms(OLD.full_name, OLD.job_title, OLD.company_name, OLD.email, OLD.company_domain));
        END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') THEN
          INSERT INTO lead_search_term (org_id, term, lead_id)
          SELECT NEW.org_id, t.term, NEW.id
            FROM unnest(lead_search_terms(NEW.full_name, NEW.job_title, NEW.company_name, NEW.email, NEW.company_domain)) AS t(term)
          ON CONFLICT DO NOTHING;
        END IF;
        RETURN NULL;
      END
      $$`);
    await queryRunner.query(`CREATE TRIGGER lead_search_terms_insert AFTER INSERT ON lead FOR EACH ROW EXECUTE FUNCTION lead_search_terms_sync()`);
    await queryRunner.query(`
      CREATE TRIGGER lead_search_terms_update AFTER UPDATE OF full_name, job_title, company_name, email, company_domain ON lead FOR EACH ROW
      WHEN (OLD.full_name IS DISTINCT FROM NEW.full_name OR OLD.job_title IS DISTINCT FROM NEW.job_title
            OR OLD.company_name IS DISTINCT FROM NEW.company_name OR OLD.email IS DISTINCT FROM NEW.email
            OR OLD.company_domain IS DISTINCT FROM NEW.company_domain)
      EXECUTE FUNCTION lead_search_terms_sync()`);
    await queryRunner.query(`CREATE TRIGGER lead_search_terms_delete AFTER DELETE ON lead FOR EACH ROW EXECUTE FUNCTION lead_search_terms_sync()`);

    // Leads stored before this migration, of every org: the system scope, because row-level security
    // binds the owner too (FORCE) unless it is a superuser. Local to this migration's transaction.
    await queryRunner.query(`SELECT set_config('app.system', 'on', true)`);
    await queryRunner.query(`
      INSERT INTO lead_search_term (org_id, term, lead_id)
      SELECT l.org_id, t.term, l.id
        FROM lead l, unnest(lead_search_terms(l.full_name, l.job_title, l.company_name, l.email, l.company_domain)) AS t(term)
      ON CONFLICT DO NOTHING`);
    await queryRunner.query(`SELECT set_config('app.system', '', true)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER lead_search_terms_delete ON lead`);
    await queryRunner.query(`DROP TRIGGER lead_search_terms_update ON lead`);
    await queryRunner.query(`DROP TRIGGER lead_search_terms_insert ON lead`);
    await queryRunner.query(`DROP FUNCTION lead_search_terms_sync()`);
    await queryRunner.query(`DROP TABLE lead_search_term`);
    await queryRunner.query(`DROP FUNCTION lead_search_terms(text, text, text, text, text)`);
    await queryRunner.query(`DROP INDEX lead_org_id_analytics_idx`);
    await queryRunner.query(`DROP INDEX lead_org_id_job_level_idx`);
    await queryRunner.query(`DROP INDEX lead_org_id_business_type_idx`);
    await queryRunner.query(`DROP INDEX lead_org_id_company_sort_idx`);
    await queryRunner.query(`DROP INDEX lead_org_id_confidence_id_idx`);
  }
}
