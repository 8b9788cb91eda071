import { Client } from 'pg';
import { expect, inject } from 'vitest';
import { databaseUrl } from './test-postgres';

/** A superuser connection to a test app's database, for checks and set-up that bypass the API. */
export async function ownerClient(appDatabaseUrl: string): Promise<Client> {
  const name = new URL(appDatabaseUrl).pathname.slice(1);
  const client = new Client({ connectionString: databaseUrl(inject('databaseAdminUrl'), name) });
  await client.connect();
  return client;
}

/** The credit invariant: every balance equals its ledger's sum and none is negative. */
export async function expectLedgerInvariant(appDatabaseUrl: string): Promise<void> {
  const client = await ownerClient(appDatabaseUrl);
  try {
    const rows = await client.query<{ org_id: string; balance: string; ledger_sum: string | null; negative_after: string }>(
      `SELECT a.org_id, a.balance, (SELECT sum(delta) FROM credit_ledger l WHERE l.org_id = a.org_id) AS ledger_sum,
              (SELECT count(*) FROM credit_ledger l WHERE l.org_id = a.org_id AND l.balance_after < 0) AS negative_after
         FROM credit_account a`,
    );
    for (const row of rows.rows) {
      expect(Number(row.balance), `org ${row.org_id} balance`).toBeGreaterThanOrEqual(0);
      expect(Number(row.ledger_sum ?? 0), `org ${row.org_id}: balance must equal the ledger sum`).toBe(Number(row.balance));
      expect(Number(row.negative_after)).toBe(0);
    }
  } finally {
    await client.end();
  }
}
