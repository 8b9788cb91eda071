import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openOwnerTestDatabase } from '../test/support/tenant-test-databases';

let database: Awaited<ReturnType<typeof openOwnerTestDatabase>>;
let dataSource: DataSource;

beforeAll(async () => {
  database = await openOwnerTestDatabase();
  ({ dataSource } = database);
});

afterAll(async () => {
  await database?.close();
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
    const scratch = await openOwnerTestDatabase();
    const scratchSource = scratch.dataSource;
    try {
      const count = scratchSource.migrations.length;
      for (let index = 0; index < count; index += 1) await scratchSource.undoLastMigration({ transaction: 'each' });
      expect(await scratchSource.showMigrations()).toBe(true);
      await scratchSource.runMigrations({ transaction: 'each' });
      expect(await scratchSource.showMigrations()).toBe(false);
    } finally {
      await scratch.close();
    }
  });
});
