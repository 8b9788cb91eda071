import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The group role the application's runtime login role is a member of (see docs/auth.md). */
const RUNTIME_ROLE = 'leadforge_runtime';

/** Tenant tables: row-level security keyed on the org set per transaction (TenantDatabase). */
const TENANT_TABLES: Array<{ table: string; orgColumn: string }> = [
  { table: 'organization', orgColumn: 'id' },
  { table: 'membership', orgColumn: 'org_id' },
  { table: 'invitation', orgColumn: 'org_id' },
  { table: 'api_key', orgColumn: 'org_id' },
  { table: 'audit_log', orgColumn: 'org_id' },
];

const READ_WRITE_TABLES = ['rate_limit_counter', 'organization', 'user_account', 'membership', 'invitation', 'auth_session', 'refresh_token', 'auth_token', 'api_key'];

export class Identity1795305600000 implements MigrationInterface {
  name = 'Identity1795305600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE organization (
        id uuid NOT NULL,
        name text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT organization_pkey PRIMARY KEY (id)
      )`);

    await queryRunner.query(`
      CREATE TABLE user_account (
        id uuid NOT NULL,
        email text NOT NULL,
        name text NOT NULL,
        password_hash text NOT NULL,
        email_verified_at timestamptz,
        is_platform_admin boolean NOT NULL DEFAULT false,
        current_org_id uuid,
        password_changed_at timestamptz NOT NULL DEFAULT now(),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT user_account_pkey PRIMARY KEY (id),
        CONSTRAINT user_account_current_org_id_fkey FOREIGN KEY (current_org_id) REFERENCES organization (id) ON DELETE SET NULL
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX user_account_email_key ON user_account (email)`);
    await queryRunner.query(`CREATE INDEX user_account_current_org_id_idx ON user_account (current_org_id)`);

    await queryRunner.query(`
      CREATE TABLE membership (
        org_id uuid NOT NULL,
        user_id uuid NOT NULL,
        role text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT membership_pkey PRIMARY KEY (org_id, user_id),
        CONSTRAINT membership_role_check CHECK (role IN ('owner', 'admin', 'member')),
        CONSTRAINT membership_org_id_fkey FOREIGN KEY (org_id) REFERENCES organization (id) ON DELETE CASCADE,
        CONSTRAINT membership_user_id_fkey FOREIGN KEY (user_id) REFERENCES user_account (id) ON DELETE CASCADE
      )`);
    await queryRunner.query(`CREATE INDEX membership_user_id_idx ON membership (user_id)`);

    await queryRunner.query(`
      CREATE TABLE invitation (
        id uuid NOT NULL,
        org_id uuid NOT NULL,
        email text NOT NULL,
        role text NOT NULL,
        token_hash text NOT NULL,
        invited_by_user_id uuid,
        expires_at timestamptz NOT NULL,
        accepted_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT invitation_pkey PRIMARY KEY (id),
        CONSTRAINT invitation_role_check CHECK (role IN ('admin', 'member')),
        CONSTRAINT invitation_org_id_fkey FOREIGN KEY (org_id) REFERENCES organization (id) ON DELETE CASCADE,
        CONSTRAINT invitation_invited_by_user_id_fkey FOREIGN KEY (invited_by_user_id) REFERENCES user_account (id) ON DELETE SET NULL
      )`);
    await queryRunner.query(`CREATE INDEX invitation_org_id_email_idx ON invitation (org_id, email)`);
    await queryRunner.query(`CREATE UNIQUE INDEX invitation_token_hash_key ON invitation (token_hash)`);

    await queryRunner.query(`
      CREATE TABLE auth_session (
        id uuid NOT NULL,
        user_id uuid NOT NULL,
        user_agent text,
        ip text,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_used_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        revoked_at timestamptz,
        revoked_reason text,
        CONSTRAINT auth_session_pkey PRIMARY KEY (id),
        CONSTRAINT auth_session_user_id_fkey FOREIGN KEY (user_id) REFERENCES user_account (id) ON DELETE CASCADE
      )`);
    await queryRunner.query(`CREATE INDEX auth_session_user_id_idx ON auth_session (user_id)`);
    await queryRunner.query(`CREATE INDEX auth_session_expires_at_idx ON auth_session (expires_at)`);

    await queryRunner.query(`
      CREATE TABLE refresh_token (
        id uuid NOT NULL,
        session_id uuid NOT NULL,
        token_hash text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        rotated_at timestamptz,
        CONSTRAINT refresh_token_pkey PRIMARY KEY (id),
        CONSTRAINT refresh_token_session_id_fkey FOREIGN KEY (session_id) REFERENCES auth_session (id) ON DELETE CASCADE
      )`);
    await queryRunner.query(`CREATE INDEX refresh_token_session_id_idx ON refresh_token (session_id)`);
    await queryRunner.query(`CREATE UNIQUE INDEX refresh_token_token_hash_key ON refresh_token (token_hash)`);

    await queryRunner.query(`
      CREATE TABLE auth_token (
        id uuid NOT NULL,
        user_id uuid NOT NULL,
        purpose text NOT NULL,
        token_hash text NOT NULL,
        expires_at timestamptz NOT NULL,
        used_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT auth_token_pkey PRIMARY KEY (id),
        CONSTRAINT auth_token_purpose_check CHECK (purpose IN ('verify_email', 'reset_password')),
        CONSTRAINT auth_token_user_id_fkey FOREIGN KEY (user_id) REFERENCES user_account (id) ON DELETE CASCADE
      )`);
    await queryRunner.query(`CREATE INDEX auth_token_user_id_purpose_idx ON auth_token (user_id, purpose)`);
    await queryRunner.query(`CREATE UNIQUE INDEX auth_token_token_hash_key ON auth_token (token_hash)`);

    await queryRunner.query(`
      CREATE TABLE api_key (
        id uuid NOT NULL,
        org_id uuid NOT NULL,
        name text NOT NULL,
        prefix text NOT NULL,
        key_hash text NOT NULL,
        created_by_user_id uuid,
        last_used_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT api_key_pkey PRIMARY KEY (id),
        CONSTRAINT api_key_org_id_fkey FOREIGN KEY (org_id) REFERENCES organization (id) ON DELETE CASCADE,
        CONSTRAINT api_key_created_by_user_id_fkey FOREIGN KEY (created_by_user_id) REFERENCES user_account (id) ON DELETE SET NULL
      )`);
    await queryRunner.query(`CREATE INDEX api_key_org_id_idx ON api_key (org_id)`);
    await queryRunner.query(`CREATE UNIQUE INDEX api_key_key_hash_key ON api_key (key_hash)`);

    await queryRunner.query(`
      CREATE TABLE audit_log (
        id uuid NOT NULL,
        org_id uuid,
        actor_user_id uuid,
        actor_api_key_id uuid,
        action text NOT NULL,
        target_type text,
        target_id text,
        ip text,
        user_agent text,
        metadata jsonb NOT NULL DEFAULT '{}'::jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT audit_log_pkey PRIMARY KEY (id)
      )`);
    await queryRunner.query(`CREATE INDEX audit_log_org_id_id_idx ON audit_log (org_id, id)`);
    await queryRunner.query(`CREATE INDEX audit_log_actor_user_id_idx ON audit_log (actor_user_id)`);

    // The per-transaction context the policies read; TenantDatabase sets it with set_config(..., true).
    await queryRunner.query(`
      CREATE FUNCTION app_current_org_id() RETURNS uuid LANGUAGE sql STABLE
      AS $$ SELECT NULLIF(current_setting('app.org_id', true), '')::uuid $$`);
    await queryRunner.query(`
      CREATE FUNCTION app_current_user_id() RETURNS uuid LANGUAGE sql STABLE
      AS $$ SELECT NULLIF(current_setting('app.user_id', true), '')::uuid $$`);
    await queryRunner.query(`
      CREATE FUNCTION app_is_system() RETURNS boolean LANGUAGE sql STABLE
      AS $$ SELECT coalesce(current_setting('app.system', true), '') = 'on' $$`);

    for (const { table, orgColumn } of TENANT_TABLES) {
      await queryRunner.query(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`);
      await queryRunner.query(`ALTER TABLE ${table} FORCE ROW LEVEL SECURITY`);
      await queryRunner.query(`
        CREATE POLICY ${table}_tenant_isolation ON ${table} FOR ALL
        USING (${orgColumn} = app_current_org_id() OR app_is_system())
        WITH CHECK (${orgColumn} = app_current_org_id() OR app_is_system())`);
    }
    // Narrow read-only exceptions, each needing knowledge the caller can only have legitimately:
    // the user's own memberships (to pick an org at login), and the rows matching a secret's hash.
    await queryRunner.query(`CREATE POLICY membership_self_read ON membership FOR SELECT USING (user_id = app_current_user_id())`);
    await queryRunner.query(
      `CREATE POLICY api_key_secret_read ON api_key FOR SELECT USING (key_hash = NULLIF(current_setting('app.api_key_hash', true), ''))`,
    );
    await queryRunner.query(
      `CREATE POLICY invitation_token_read ON invitation FOR SELECT USING (token_hash = NULLIF(current_setting('app.invitation_token_hash', true), ''))`,
    );

    // Erasure of a deleted user's personal data from the append-only log: the one way to change it.
    await queryRunner.query(`
      CREATE FUNCTION audit_log_forget_user(p_user_id uuid) RETURNS integer
      LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public
      AS $$
      DECLARE
        v_count integer;
        v_scope text := coalesce(current_setting('app.system', true), '');
      BEGIN
        -- Row-level security binds the owner too (FORCE): the system scope for this statement, then
        -- the caller's back (an error rolls it back with the transaction). Not a SET clause: only a
        -- superuser may attach a custom setting to a function, and the owner need not be one.
        PERFORM set_config('app.system', 'on', true);
        UPDATE public.audit_log
           SET ip = NULL, user_agent = NULL
         WHERE actor_user_id = p_user_id OR (target_type = 'user' AND target_id = p_user_id::text);
        GET DIAGNOSTICS v_count = ROW_COUNT;
        PERFORM set_config('app.system', v_scope, true);
        RETURN v_count;
      END
      $$`);
    await queryRunner.query(`REVOKE ALL ON FUNCTION audit_log_forget_user(uuid) FROM PUBLIC`);

    // CREATE ROLE needs CREATEROLE; an operator whose migration role lacks it creates the role first.
    await queryRunner.query(`
      DO $$
      BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${RUNTIME_ROLE}') THEN
          CREATE ROLE ${RUNTIME_ROLE} NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
        END IF;
      EXCEPTION WHEN duplicate_object OR unique_violation THEN
        NULL;
      END
      $$`);
    await queryRunner.query(`GRANT USAGE ON SCHEMA public TO ${RUNTIME_ROLE}`);
    await queryRunner.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ${READ_WRITE_TABLES.join(', ')} TO ${RUNTIME_ROLE}`);
    await queryRunner.query(`GRANT SELECT, INSERT ON audit_log TO ${RUNTIME_ROLE}`);
    await queryRunner.query(`GRANT SELECT ON schema_migrations TO ${RUNTIME_ROLE}`);
    await queryRunner.query(`GRANT EXECUTE ON FUNCTION audit_log_forget_user(uuid) TO ${RUNTIME_ROLE}`);
    // Tables of later migrations (created by this same owner role) are readable and writable by the
    // runtime role without a GRANT each; an append-only table revokes UPDATE and DELETE explicitly.
    await queryRunner.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${RUNTIME_ROLE}`);
    await queryRunner.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO ${RUNTIME_ROLE}`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE USAGE, SELECT ON SEQUENCES FROM ${RUNTIME_ROLE}`);
    await queryRunner.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE SELECT, INSERT, UPDATE, DELETE ON TABLES FROM ${RUNTIME_ROLE}`);
    await queryRunner.query(`REVOKE ALL ON schema_migrations, rate_limit_counter FROM ${RUNTIME_ROLE}`);
    await queryRunner.query(`DROP FUNCTION audit_log_forget_user(uuid)`);
    for (const table of ['audit_log', 'api_key', 'auth_token', 'refresh_token', 'auth_session', 'invitation', 'membership', 'user_account', 'organization']) {
      await queryRunner.query(`DROP TABLE ${table}`);
    }
    await queryRunner.query(`DROP FUNCTION app_is_system()`);
    await queryRunner.query(`DROP FUNCTION app_current_user_id()`);
    await queryRunner.query(`DROP FUNCTION app_current_org_id()`);
    await queryRunner.query(`REVOKE USAGE ON SCHEMA public FROM ${RUNTIME_ROLE}`);
  }
}
