import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { ConfigValidationError, loadAppConfig } from '../common/config/app-config';
import { resealStoredSecrets } from '../common/crypto/secret-rotation';
import { buildDataSourceOptions } from '../database/data-source-options';
import { TenantDatabase } from '../database/tenant-database';

/**
 * `npm run secrets:rotate`: after setting a new ENCRYPTION_KEY with a new ENCRYPTION_KEY_ID and
 * moving the old key to ENCRYPTION_KEYS_RETIRED (`<old id>:<old key>`), re-seals every stored
 * secret under the new key. Afterwards the retired key can be removed.
 */
async function main(): Promise<void> {
  const config = loadAppConfig();
  const url = config.databaseMigrationUrl ?? config.databaseUrl;
  if (!url) throw new Error('DATABASE_URL (or DATABASE_MIGRATION_URL) is required');
  const dataSource = new DataSource(buildDataSourceOptions({ url, poolSize: 2, applicationName: 'leadforge-rotate-secrets' }));
  await dataSource.initialize();
  try {
    const results = await new TenantDatabase(dataSource).asSystem((db) => resealStoredSecrets(db, config.encryptionKeyring));
    for (const result of results) process.stdout.write(`${result.table}.${result.column}: ${result.resealed} re-sealed with key ${config.encryptionKeyring.currentId}\n`);
  } finally {
    await dataSource.destroy();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof ConfigValidationError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
