import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from './data-source-options';

/** Arbitrary but fixed: every process that migrates takes this advisory lock first. */
export const MIGRATION_LOCK_KEY = 0x1ead_f09e;

export interface MigrationResult {
  applied: string[];
}

/**
 * Applies pending migrations under a session-level advisory lock, so several processes starting
 * together migrate exactly once: the first applies, the others wait and then find nothing to do.
 */
export async function runMigrations(url: string): Promise<MigrationResult> {
  const dataSource = new DataSource({ ...buildDataSourceOptions({ url, poolSize: 2, applicationName: 'leadforge-migrator' }) });
  await dataSource.initialize();
  const lockRunner = dataSource.createQueryRunner();
  try {
    await lockRunner.connect();
    await lockRunner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      const applied = await dataSource.runMigrations({ transaction: 'each' });
      return { applied: applied.map((migration) => migration.name) };
    } finally {
      await lockRunner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    await lockRunner.release();
    await dataSource.destroy();
  }
}
