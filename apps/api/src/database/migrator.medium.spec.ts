import { Client } from 'pg';
import { describe, expect, inject, it } from 'vitest';
import { MIGRATIONS } from '../../../../migrations';
import { createEmptyDatabase } from '../../../../test/support/test-postgres';
import { runMigrations } from './migrator';

describe('runMigrations', () => {
  it('applies each migration exactly once when several processes start together', async () => {
    const database = await createEmptyDatabase(inject('databaseAdminUrl'));
    try {
      const results = await Promise.all([runMigrations(database.url), runMigrations(database.url), runMigrations(database.url)]);
      const applied = results.flatMap((result) => result.applied);
      expect(applied.sort()).toEqual(MIGRATIONS.map((migration) => migration.name).sort());

      const client = new Client({ connectionString: database.url });
      await client.connect();
      const rows = await client.query<{ name: string }>('SELECT name FROM schema_migrations');
      await client.end();
      expect(rows.rowCount).toBe(MIGRATIONS.length);
    } finally {
      await database.drop();
    }
  });

  it('is a no-op on an up-to-date database', async () => {
    const database = await createEmptyDatabase(inject('databaseAdminUrl'));
    try {
      await runMigrations(database.url);
      expect((await runMigrations(database.url)).applied).toEqual([]);
    } finally {
      await database.drop();
    }
  });
});
