import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from '../apps/api/src/database/data-source-options';
import { createTestDatabase } from '../test/support/test-postgres';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let dataSource: DataSource;

beforeAll(async () => {
  database = await createTestDatabase(inject('databaseAdminUrl'), inject('templateDatabase'));
  dataSource = new DataSource(buildDataSourceOptions({ url: database.url, poolSize: 2 }));
  await dataSource.initialize();
});

afterAll(async () => {
  await dataSource?.destroy();
  await database?.drop();
});

describe('entities and migrations', () => {
  it('agree: after every migration the entities need no schema change', async () => {
    const pending = await dataSource.driver.createSchemaBuilder().log();
    const statements = pending.upQueries.map((query) => query.query);
    expect(statements, `entities differ from migrations; write a migration for:\n${statements.join(';\n')}`).toEqual([]);
  });

  it('leave nothing pending', async () => {
    expect(await dataSource.showMigrations()).toBe(false);
  });

  it('can be reverted and re-applied', async () => {
    const scratch = await createTestDatabase(inject('databaseAdminUrl'), inject('templateDatabase'));
    const scratchSource = new DataSource(buildDataSourceOptions({ url: scratch.url, poolSize: 2 }));
    await scratchSource.initialize();
    try {
      const count = scratchSource.migrations.length;
      for (let index = 0; index < count; index += 1) await scratchSource.undoLastMigration({ transaction: 'each' });
      expect(await scratchSource.showMigrations()).toBe(true);
      await scratchSource.runMigrations({ transaction: 'each' });
      expect(await scratchSource.showMigrations()).toBe(false);
    } finally {
      await scratchSource.destroy();
      await scratch.drop();
    }
  });
});
