import { describe, expect, it } from 'vitest';
import { ConfigValidationError, loadAppConfig } from '../common/config/app-config';

const base = { NODE_ENV: 'test', JWT_SECRET: 'j'.repeat(32), ENCRYPTION_KEY: 'e'.repeat(32), DATABASE_URL: 'postgres://u@127.0.0.1/db' };

describe('WEBHOOK_RETRY_BASE_MS', () => {
  it('defaults to one minute and accepts short delays outside production (tests)', () => {
    expect(loadAppConfig(base).webhookRetryBaseMs).toBe(60_000);
    expect(loadAppConfig({ ...base, WEBHOOK_RETRY_BASE_MS: '100' }).webhookRetryBaseMs).toBe(100);
  });

  it('refuses nonsense, and sub-second delays in production', () => {
    expect(() => loadAppConfig({ ...base, WEBHOOK_RETRY_BASE_MS: '5' })).toThrow(ConfigValidationError);
    expect(() => loadAppConfig({ ...base, WEBHOOK_RETRY_BASE_MS: '1.5' })).toThrow(/WEBHOOK_RETRY_BASE_MS/);
    expect(() => loadAppConfig({ ...base, NODE_ENV: 'production', WEBHOOK_RETRY_BASE_MS: '100' })).toThrow(/at least 1000 when NODE_ENV=production/);
    expect(loadAppConfig({ ...base, NODE_ENV: 'production', WEBHOOK_RETRY_BASE_MS: '30000' }).webhookRetryBaseMs).toBe(30_000);
  });
});
