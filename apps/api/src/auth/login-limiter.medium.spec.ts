import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DataSource } from 'typeorm';
import { createTestDatabase, runtimeUrl } from '../../../../test/support/test-postgres';
import { AppError } from '../common/errors/app-error';
import { PostgresThrottlerStorage } from '../common/throttling/postgres-throttler.storage';
import { buildDataSourceOptions } from '../database/data-source-options';
import { ACCOUNT_FAILURE_LIMIT, IP_FAILURE_LIMIT, LoginLimiter } from './login-limiter';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let dataSource: DataSource;
let limiter: LoginLimiter;

beforeAll(async () => {
  database = await createTestDatabase(inject('databaseAdminUrl'), inject('templateDatabase'));
  dataSource = new DataSource(buildDataSourceOptions({ url: runtimeUrl(database.url, inject('runtimeRolePassword')), poolSize: 2 }));
  await dataSource.initialize();
  limiter = new LoginLimiter(new PostgresThrottlerStorage(dataSource), dataSource);
});

afterAll(async () => {
  await dataSource?.destroy();
  await database?.drop();
});

async function refusal(email: string, ip: string): Promise<AppError | undefined> {
  try {
    await limiter.assertAllowed(email, ip);
    return undefined;
  } catch (error) {
    return error as AppError;
  }
}

describe('LoginLimiter', () => {
  it('locks an account after repeated failures, whatever IPs they come from, until a success clears it', async () => {
    for (let attempt = 0; attempt < ACCOUNT_FAILURE_LIMIT - 1; attempt += 1) {
      expect(await refusal('victim@example.com', `198.51.100.${attempt}`)).toBeUndefined();
      await limiter.recordFailure('victim@example.com', `198.51.100.${attempt}`);
    }
    expect(await refusal('victim@example.com', '203.0.113.1')).toBeUndefined();
    await limiter.recordFailure('victim@example.com', '203.0.113.1');

    const locked = await refusal('victim@example.com', '203.0.113.99');
    expect(locked?.code).toBe('too_many_login_failures');
    expect(locked?.status).toBe(429);
    expect(Number(locked?.headers['Retry-After'])).toBeGreaterThan(14 * 60);
    expect(await refusal('someone-else@example.com', '203.0.113.99')).toBeUndefined();

    await limiter.clearAccount('victim@example.com');
    expect(await refusal('victim@example.com', '203.0.113.99')).toBeUndefined();
  });

  it('locks a client IP that fails across many accounts', async () => {
    for (let attempt = 0; attempt < IP_FAILURE_LIMIT; attempt += 1) await limiter.recordFailure(`user${attempt}@example.com`, '192.0.2.50');
    expect((await refusal('fresh@example.com', '192.0.2.50'))?.code).toBe('too_many_login_failures');
    expect(await refusal('fresh@example.com', '192.0.2.51')).toBeUndefined();
  });

  it('keys counters by a hash, never by the email address', async () => {
    const keys = (await dataSource.query(`SELECT key FROM rate_limit_counter`)) as Array<{ key: string }>;
    expect(keys.length).toBeGreaterThan(0);
    expect(JSON.stringify(keys)).not.toContain('@example.com');
  });
});
