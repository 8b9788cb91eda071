import type { TestProject } from 'vitest/node';
import { startTestPostgres, type TestPostgres } from './test-postgres';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseAdminUrl: string;
    templateDatabase: string;
    runtimeRolePassword: string;
  }
}

// The medium and e2e projects share one server per run.
const shared = globalThis as typeof globalThis & { __leadforgePostgres?: Promise<TestPostgres>; __leadforgePostgresUsers?: number };

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  shared.__leadforgePostgres ??= startTestPostgres();
  shared.__leadforgePostgresUsers = (shared.__leadforgePostgresUsers ?? 0) + 1;
  const postgres = await shared.__leadforgePostgres;
  project.provide('databaseAdminUrl', postgres.adminUrl);
  project.provide('templateDatabase', postgres.templateDatabase);
  project.provide('runtimeRolePassword', postgres.runtimeRolePassword);
  return async () => {
    shared.__leadforgePostgresUsers = (shared.__leadforgePostgresUsers ?? 1) - 1;
    if (shared.__leadforgePostgresUsers === 0) {
      delete shared.__leadforgePostgres;
      await postgres.stop();
    }
  };
}
