import { DataSource } from 'typeorm';
import { expect, inject, vi } from 'vitest';
import { createTestDatabase, runtimeUrl } from './test-postgres';
import { buildDataSourceOptions } from '../../apps/api/src/database/data-source-options';
import { TenantDatabase } from '../../apps/api/src/database/tenant-database';

export interface TenantTestDatabases {
  /** The migration role: seeds rows without row-level security. */
  owner: DataSource;
  /** The runtime role, as the application connects. */
  runtime: DataSource;
  tenant: TenantDatabase;
  close(): Promise<void>;
}

/** A fresh database from the migrated template, connected as its owner (migrations, seeding; the tenant policy is not in the way). */
export async function openOwnerTestDatabase(poolSize = 2): Promise<{ dataSource: DataSource; close(): Promise<void> }> {
  const database = await createTestDatabase(inject('databaseAdminUrl'), inject('templateDatabase'));
  const dataSource = new DataSource(buildDataSourceOptions({ url: database.url, poolSize }));
  await dataSource.initialize();
  return {
    dataSource,
    close: async () => {
      await dataSource.destroy();
      await database.drop();
    },
  };
}

/** A fresh database from the migrated template, with an owner connection to seed it and the application's TenantDatabase. */
export async function openTenantTestDatabases(): Promise<TenantTestDatabases> {
  const database = await createTestDatabase(inject('databaseAdminUrl'), inject('templateDatabase'));
  const owner = new DataSource(buildDataSourceOptions({ url: database.url, poolSize: 1 }));
  const runtime = new DataSource(buildDataSourceOptions({ url: runtimeUrl(database.url, inject('runtimeRolePassword')), poolSize: 2 }));
  await Promise.all([owner.initialize(), runtime.initialize()]);
  return {
    owner,
    runtime,
    tenant: new TenantDatabase(runtime),
    close: async () => {
      await runtime.destroy();
      await owner.destroy();
      await database.drop();
    },
  };
}

/** Runs a read and expects it to take one statement through `readOnce` (one round trip) and no scoped transaction. */
export async function inOneRoundTrip<T>(tenant: TenantDatabase, read: () => Promise<T>): Promise<T> {
  const reads = vi.spyOn(tenant, 'readOnce');
  const transactions = vi.spyOn(tenant, 'run');
  try {
    const result = await read();
    expect(reads).toHaveBeenCalledTimes(1);
    expect(transactions).not.toHaveBeenCalled();
    return result;
  } finally {
    reads.mockRestore();
    transactions.mockRestore();
  }
}
