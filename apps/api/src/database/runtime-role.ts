import { Client } from 'pg';

/** Group role that migrations grant table privileges to (created by the Identity migration). */
export const RUNTIME_GROUP_ROLE = 'leadforge_runtime';
/** Login role the app connects as when it manages the cluster itself (embedded mode, tests). */
export const RUNTIME_LOGIN_ROLE = 'leadforge_app';

export interface RuntimeRoleOptions {
  /** URL of a superuser (or CREATEROLE) connection to the application's database. */
  adminUrl: string;
  password: string;
  role?: string;
  /**
   * Schemas the runtime role must own although another role created them (a data directory from
   * before the two-role set-up, where the queue schema was created by the superuser).
   */
  adoptSchemas?: string[];
}

async function adoptSchema(client: Client, schema: string, role: string): Promise<void> {
  const owner = await client.query<{ owner: string }>('SELECT pg_get_userbyid(nspowner) AS owner FROM pg_namespace WHERE nspname = $1', [schema]);
  if (owner.rowCount === 0 || owner.rows[0]!.owner === role) return;
  const objects = await client.query<{ statement: string }>(
    `SELECT format('ALTER %s %s OWNER TO %I', CASE c.relkind WHEN 'S' THEN 'SEQUENCE' WHEN 'v' THEN 'VIEW' ELSE 'TABLE' END, c.oid::regclass, $2::text) AS statement
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relkind IN ('r', 'p', 'v', 'S')
     UNION ALL
     SELECT format('ALTER ROUTINE %s OWNER TO %I', p.oid::regprocedure, $2::text)
       FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = $1
     UNION ALL
     SELECT format('ALTER TYPE %I.%I OWNER TO %I', n.nspname, t.typname, $2::text)
       FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
      WHERE n.nspname = $1 AND t.typtype IN ('e', 'd') `,
    [schema, role],
  );
  await client.query(`ALTER SCHEMA ${client.escapeIdentifier(schema)} OWNER TO ${client.escapeIdentifier(role)}`);
  for (const { statement } of objects.rows) await client.query(statement);
}

/**
 * Creates (or resets the password of) the login role the application runs as: not a superuser,
 * not an owner, no BYPASSRLS, so row-level security applies to every query it makes. Its table
 * privileges come from membership in the group role the migrations grant to. It may create
 * schemas in the database because pg-boss creates and owns its own. Returns the runtime URL.
 */
export async function ensureRuntimeRole(options: RuntimeRoleOptions): Promise<string> {
  const role = options.role ?? RUNTIME_LOGIN_ROLE;
  const client = new Client({ connectionString: options.adminUrl });
  await client.connect();
  try {
    const identifier = client.escapeIdentifier(role);
    const password = client.escapeLiteral(options.password);
    const exists = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role]);
    const attributes = `LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS INHERIT PASSWORD ${password}`;
    if (exists.rowCount === 0) {
      try {
        await client.query(`CREATE ROLE ${identifier} ${attributes}`);
      } catch (error) {
        // Another process of the same cluster created it in the meantime.
        if ((error as { code?: string }).code !== '42710' && (error as { code?: string }).code !== '23505') throw error;
      }
    }
    await client.query(`ALTER ROLE ${identifier} ${attributes}`);
    await client.query(`GRANT ${client.escapeIdentifier(RUNTIME_GROUP_ROLE)} TO ${identifier}`);
    const database = (await client.query<{ name: string }>('SELECT current_database() AS name')).rows[0]!.name;
    await client.query(`GRANT CONNECT, CREATE ON DATABASE ${client.escapeIdentifier(database)} TO ${identifier}`);
    for (const schema of options.adoptSchemas ?? []) await adoptSchema(client, schema, role);
  } finally {
    await client.end();
  }
  const url = new URL(options.adminUrl);
  url.username = encodeURIComponent(role);
  url.password = encodeURIComponent(options.password);
  return url.toString();
}

export interface RoleSafety {
  role: string;
  superuser: boolean;
  bypassRls: boolean;
  ownsTenantTables: boolean;
}

/** What makes row-level security void for a role: superuser, BYPASSRLS, or owning the tables. */
export async function inspectRole(query: (sql: string) => Promise<Array<Record<string, unknown>>>): Promise<RoleSafety> {
  const [row] = await query(`
    SELECT current_user AS role, r.rolsuper AS superuser, r.rolbypassrls AS bypass_rls,
           EXISTS (SELECT 1 FROM pg_tables t WHERE t.schemaname = 'public' AND t.tablename = 'organization' AND t.tableowner = current_user) AS owns_tenant_tables
      FROM pg_roles r WHERE r.rolname = current_user`);
  return {
    role: String(row!.role),
    superuser: row!.superuser === true,
    bypassRls: row!.bypass_rls === true,
    ownsTenantTables: row!.owns_tenant_tables === true,
  };
}
