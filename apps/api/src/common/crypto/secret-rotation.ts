import type { EntityManager } from 'typeorm';
import { type EncryptionKeyring, SecretBox } from './secret-box';

/** Every column that holds a sealed secret, with the purpose its key is derived for. */
export const SEALED_COLUMNS: ReadonlyArray<{ table: string; key: string; columns: string[]; purpose: string }> = [
  { table: 'webhook_endpoint', key: 'id', columns: ['secret_sealed', 'previous_secret_sealed'], purpose: 'webhooks' },
];

export interface RotationResult {
  table: string;
  column: string;
  resealed: number;
}

/**
 * Re-seals every stored secret that was sealed with a retired key under the current key id, in
 * batches, so the retired key can then be dropped from ENCRYPTION_KEYS_RETIRED. Runs in the
 * caller's transaction with system scope (it touches every organization).
 */
export async function resealStoredSecrets(db: EntityManager, keyring: EncryptionKeyring, batchSize = 500): Promise<RotationResult[]> {
  const results: RotationResult[] = [];
  for (const { table, key, columns, purpose } of SEALED_COLUMNS) {
    const box = new SecretBox(keyring, purpose);
    for (const column of columns) {
      let resealed = 0;
      let after = '';
      for (;;) {
        const rows = (await db.query(
          `SELECT ${key}::text AS id, ${column} AS sealed FROM ${table} WHERE ${column} IS NOT NULL AND ${key}::text > $1 ORDER BY ${key}::text LIMIT $2`,
          [after, batchSize],
        )) as Array<{ id: string; sealed: string }>;
        if (rows.length === 0) break;
        for (const row of rows) {
          if (!box.isStale(row.sealed)) continue;
          await db.query(`UPDATE ${table} SET ${column} = $2 WHERE ${key}::text = $1`, [row.id, box.reseal(row.sealed)]);
          resealed += 1;
        }
        after = rows.at(-1)!.id;
      }
      results.push({ table, column, resealed });
    }
  }
  return results;
}
