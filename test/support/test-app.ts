import type { DynamicModule, Type } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { createApp } from '../../apps/api/src/app.factory';
import { loadAppConfig, type AppConfig } from '../../apps/api/src/common/config/app-config';
import { createTestDatabase, runtimeUrl } from './test-postgres';

export interface TestApp {
  app: NestFastifyApplication;
  baseUrl: string;
  config: AppConfig;
  /** The runtime role's URL (what the app uses). */
  databaseUrl: string;
  /** The owner's URL of the same database (migrations, test inspection beyond RLS). */
  databaseOwnerUrl: string;
  close(): Promise<void>;
}

export const TEST_SECRETS = {
  JWT_SECRET: 'test-jwt-secret-0123456789abcdef0123456789abcdef',
  ENCRYPTION_KEY: 'test-encryption-key-0123456789abcdef0123456789',
};

/** Boots the real API on its own fresh database and a random loopback port. */
export async function startTestApp(env: Record<string, string> = {}, extraModules: Array<Type | DynamicModule> = []): Promise<TestApp> {
  const database = await createTestDatabase(inject('databaseAdminUrl'), inject('templateDatabase'));
  const dataDir = await mkdtemp(join(tmpdir(), 'leadforge-test-data-'));
  const config = loadAppConfig({
    NODE_ENV: 'test',
    DATABASE_URL: runtimeUrl(database.url, inject('runtimeRolePassword')),
    DATABASE_MIGRATION_URL: database.url,
    DATA_DIR: dataDir,
    ALLOW_PRIVATE_TARGETS: 'true',
    LOG_LEVEL: 'silent',
    ADMIN_DIST_DIR: join(dataDir, 'no-admin'),
    ...TEST_SECRETS,
    ...env,
  });
  const app = await createApp(config, extraModules);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    app,
    baseUrl: `http://127.0.0.1:${port}`,
    config,
    databaseUrl: config.databaseUrl!,
    databaseOwnerUrl: database.url,
    close: async () => {
      await app.close();
      await database.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
