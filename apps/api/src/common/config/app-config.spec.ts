import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigValidationError, loadAppConfig } from './app-config';

const dirs: string[] = [];
const tempDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'leadforge-config-'));
  dirs.push(dir);
  return dir;
};

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('loadAppConfig', () => {
  it('takes the metrics and shutdown settings, with a drain only in production by default', () => {
    const production = { NODE_ENV: 'production', DATABASE_URL: 'postgres://u:p@db/leadforge', JWT_SECRET: 'j'.repeat(40), ENCRYPTION_KEY: 'e'.repeat(40) };
    expect(loadAppConfig(production)).toMatchObject({ metricsToken: undefined, metricsPort: undefined, shutdownTimeoutMs: 25_000, shutdownDrainMs: 5_000 });
    expect(loadAppConfig({ DATA_DIR: tempDir() })).toMatchObject({ shutdownDrainMs: 0 });
    expect(
      loadAppConfig({ ...production, METRICS_TOKEN: 'm'.repeat(20), METRICS_PORT: '9464', SHUTDOWN_TIMEOUT_MS: '5000', SHUTDOWN_DRAIN_MS: '0' }),
    ).toMatchObject({ metricsToken: 'm'.repeat(20), metricsPort: 9464, shutdownTimeoutMs: 5_000, shutdownDrainMs: 0 });
  });

  it('refuses a short METRICS_TOKEN, METRICS_PORT without a token, and shutdown timings out of range', () => {
    expect(() => loadAppConfig({ DATA_DIR: tempDir(), METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN/);
    expect(() => loadAppConfig({ DATA_DIR: tempDir(), METRICS_PORT: '9464' })).toThrow(/METRICS_PORT: needs METRICS_TOKEN/);
    expect(() => loadAppConfig({ DATA_DIR: tempDir(), SHUTDOWN_TIMEOUT_MS: '10' })).toThrow(/SHUTDOWN_TIMEOUT_MS/);
    expect(() => loadAppConfig({ DATA_DIR: tempDir(), SHUTDOWN_DRAIN_MS: '-1' })).toThrow(/SHUTDOWN_DRAIN_MS/);
  });

  it('refuses to start in production without JWT_SECRET, ENCRYPTION_KEY and DATABASE_URL, naming each', () => {
    let caught: unknown;
    try {
      loadAppConfig({ NODE_ENV: 'production', DATA_DIR: tempDir() });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigValidationError);
    const message = (caught as Error).message;
    for (const name of ['JWT_SECRET', 'ENCRYPTION_KEY', 'DATABASE_URL']) expect(message).toContain(name);
  });

  it('refuses ALLOW_PRIVATE_TARGETS in production', () => {
    expect(() =>
      loadAppConfig({
        NODE_ENV: 'production',
        DATABASE_URL: 'postgres://u:p@db/leadforge',
        JWT_SECRET: 'j'.repeat(40),
        ENCRYPTION_KEY: 'e'.repeat(40),
        ALLOW_PRIVATE_TARGETS: 'true',
      }),
    ).toThrow(/ALLOW_PRIVATE_TARGETS/);
  });

  it('rejects malformed values with the variable name', () => {
    expect(() => loadAppConfig({ PORT: 'eighty', DATA_DIR: tempDir() })).toThrow(/PORT/);
    expect(() => loadAppConfig({ DATABASE_URL: 'mysql://x/y', DATA_DIR: tempDir() })).toThrow(/DATABASE_URL/);
    expect(() => loadAppConfig({ JWT_SECRET: 'short', DATA_DIR: tempDir() })).toThrow(/JWT_SECRET/);
  });

  it('generates development secrets once and keeps them across restarts', () => {
    const dataDir = tempDir();
    const first = loadAppConfig({ DATA_DIR: dataDir });
    const second = loadAppConfig({ DATA_DIR: dataDir });
    expect(first.jwtSecret.length).toBeGreaterThanOrEqual(32);
    expect(second.jwtSecret).toBe(first.jwtSecret);
    expect(second.encryptionKey).toBe(first.encryptionKey);
    expect(first.jwtSecret).not.toBe(first.encryptionKey);
    expect(readFileSync(join(dataDir, 'secrets.json'), 'utf8')).toContain(first.jwtSecret);
  });

  it('applies documented defaults', () => {
    const config = loadAppConfig({ DATA_DIR: tempDir() });
    expect(config).toMatchObject({
      port: 3000,
      nodeEnv: 'development',
      databaseUrl: undefined,
      allowPrivateTargets: false,
      workersInProcess: true,
      requireEmailVerification: false,
      defaultCredits: 1000,
      corsOrigins: [],
      chromiumPath: '/usr/bin/chromium',
    });
  });

  it('parses CORS_ORIGINS as a comma-separated allowlist', () => {
    const config = loadAppConfig({ DATA_DIR: tempDir(), CORS_ORIGINS: 'https://a.example, https://b.example,,' });
    expect(config.corsOrigins).toEqual(['https://a.example', 'https://b.example']);
  });

  it('keeps opt-out hashes on the k1 key across an encryption key rotation', () => {
    const original = 'o'.repeat(40);
    const rotated = 'n'.repeat(40);
    const before = loadAppConfig({ DATA_DIR: tempDir(), ENCRYPTION_KEY: original, JWT_SECRET: 'j'.repeat(40) });
    expect(before.encryptionKeyring).toEqual({ currentId: 'k1', current: original, retired: {} });
    expect(before.suppressionHashKey).toBe(original);
    const after = loadAppConfig({ DATA_DIR: tempDir(), ENCRYPTION_KEY: rotated, ENCRYPTION_KEY_ID: 'k2', ENCRYPTION_KEYS_RETIRED: `k1:${original}`, JWT_SECRET: 'j'.repeat(40) });
    expect(after.encryptionKeyring).toEqual({ currentId: 'k2', current: rotated, retired: { k1: original } });
    expect(after.suppressionHashKey).toBe(original);
    expect(() => loadAppConfig({ DATA_DIR: tempDir(), ENCRYPTION_KEYS_RETIRED: 'k1:short' })).toThrow(/ENCRYPTION_KEYS_RETIRED/);
    expect(() => loadAppConfig({ DATA_DIR: tempDir(), ENCRYPTION_KEY_ID: 'Key One' })).toThrow(/ENCRYPTION_KEY_ID/);
  });
});

