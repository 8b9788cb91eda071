import { bool, cleanEnv, num, port, str, url, makeValidator, EnvError, EnvMissingError } from 'envalid';
import { resolve } from 'node:path';
import type { EncryptionKeyring } from '../crypto/secret-box';
import { loadDevelopmentSecrets } from './development-secrets';

export type NodeEnv = 'development' | 'production' | 'test';

/** The one typed view of the environment. Nothing else in the code base reads process.env. */
export interface AppConfig {
  nodeEnv: NodeEnv;
  isProduction: boolean;
  port: number;
  host: string;
  /** Public base URL used in links sent by email. */
  publicUrl: string;
  /** Unset means: start embedded PostgreSQL in `${dataDir}/pg`; main.ts then fills it in. */
  databaseUrl: string | undefined;
  /**
   * Owner role that runs migrations (DATABASE_MIGRATION_URL). Unset means DATABASE_URL migrates too;
   * in embedded mode main.ts fills in the cluster's superuser.
   */
  databaseMigrationUrl: string | undefined;
  /** True when the database is the embedded cluster started by this process. */
  embeddedDatabase: boolean;
  databasePoolSize: number;
  dataDir: string;
  mailUrl: string | undefined;
  mailFrom: string;
  allowPrivateTargets: boolean;
  stripeSecretKey: string | undefined;
  stripeWebhookSecret: string | undefined;
  /** Stripe price ids of the paid plans (STRIPE_PRICE_PRO, STRIPE_PRICE_BUSINESS). */
  stripePrices: { pro: string | undefined; business: string | undefined };
  /** Where the Stripe SDK sends API calls (STRIPE_API_BASE); unset means api.stripe.com. Tests point it at a local fake. */
  stripeApiBase: { protocol: 'http' | 'https'; host: string; port: number } | undefined;
  jwtSecret: string;
  encryptionKey: string;
  /** Key id of ENCRYPTION_KEY, and retired keys that still open values sealed before a rotation. */
  encryptionKeyring: EncryptionKeyring;
  /**
   * The key opt-out hashes are made with. It never changes with a rotation (the hashed values are
   * not stored, so hashes cannot be re-keyed): the key of id `k1`, current or retired.
   */
  suppressionHashKey: string;
  corsOrigins: string[];
  chromiumPath: string;
  workersInProcess: boolean;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  requireEmailVerification: boolean;
  defaultCredits: number;
  /** Bearer token of /metrics (METRICS_TOKEN); unset disables the endpoint. */
  metricsToken: string | undefined;
  /** Port of a worker process's own /metrics listener (METRICS_PORT); unset: none. */
  metricsPort: number | undefined;
  /** How long SIGTERM waits for in-flight requests and running shards (SHUTDOWN_TIMEOUT_MS). */
  shutdownTimeoutMs: number;
  /** How long the API keeps serving with readiness false before it closes its listener (SHUTDOWN_DRAIN_MS). */
  shutdownDrainMs: number;
  trustProxy: boolean;
  /** Directory holding the built admin console (index.html); served at / when present. */
  adminDistDir: string;
  /** First retry delay of a failed webhook delivery; later ones double (WEBHOOK_RETRY_BASE_MS, default one minute). */
  webhookRetryBaseMs: number;
}

export class ConfigValidationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigValidationError';
  }
}

const commaList = makeValidator<string[]>((value) =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0),
);

const secret = makeValidator<string>((value) => {
  if (value.length < 32) throw new EnvError('must be at least 32 characters');
  return value;
});

const stripePriceId = makeValidator<string>((value) => {
  if (!/^price_[A-Za-z0-9]{1,200}$/.test(value)) throw new EnvError('must be a Stripe price id (price_...)');
  return value;
});

/** STRIPE_API_BASE: scheme, host and port only. */
function parseStripeApiBase(value: string | undefined, isProduction: boolean, problems: string[]): AppConfig['stripeApiBase'] {
  if (!value) return undefined;
  const parsed = new URL(value);
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    problems.push('STRIPE_API_BASE: must be an http:// or https:// URL');
    return undefined;
  }
  if ((parsed.pathname !== '/' && parsed.pathname !== '') || parsed.search || parsed.username) {
    problems.push('STRIPE_API_BASE: must be scheme, host and port only (no path, query or credentials)');
    return undefined;
  }
  if (isProduction && parsed.protocol !== 'https:') problems.push('STRIPE_API_BASE: must be https:// when NODE_ENV=production');
  const protocol = parsed.protocol === 'http:' ? 'http' : 'https';
  return { protocol, host: parsed.hostname.replace(/^\[|\]$/g, ''), port: parsed.port ? Number(parsed.port) : protocol === 'http' ? 80 : 443 };
}

const keyId = makeValidator<string>((value) => {
  if (!/^[a-z0-9]{1,16}$/.test(value)) throw new EnvError('must be 1..16 lower-case letters or digits');
  return value;
});

/** `k1:<secret>,k2:<secret>`: keys retired by a rotation, kept to open values sealed with them. */
const retiredKeys = makeValidator<Record<string, string>>((value) => {
  const keys: Record<string, string> = {};
  for (const entry of value.split(',').map((item) => item.trim()).filter(Boolean)) {
    const separator = entry.indexOf(':');
    const id = entry.slice(0, separator);
    const secretValue = entry.slice(separator + 1);
    if (separator < 1 || !/^[a-z0-9]{1,16}$/.test(id) || secretValue.length < 32) throw new EnvError('must be a comma-separated list of <key id>:<key of 32+ characters>');
    keys[id] = secretValue;
  }
  return keys;
});

const postgresUrl = makeValidator<string>((value) => {
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw new EnvError('must be a postgres:// URL');
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new EnvError('must be a postgres:// URL');
  }
  return value;
});

/**
 * Reads and validates the environment once. In production a missing secret or database URL stops
 * start-up with every problem listed; in development missing secrets are generated and kept in
 * DATA_DIR so a restart does not log everybody out.
 */
export function loadAppConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const problems: string[] = [];
  const raw = cleanEnv(
    env,
    {
      NODE_ENV: str({ choices: ['development', 'production', 'test'], default: 'development' }),
      PORT: port({ default: 3000 }),
      HOST: str({ default: '0.0.0.0' }),
      PUBLIC_URL: url({ default: undefined }),
      DATABASE_URL: postgresUrl({ default: undefined }),
      DATABASE_MIGRATION_URL: postgresUrl({ default: undefined }),
      DATABASE_POOL_SIZE: num({ default: 10 }),
      DATA_DIR: str({ default: './.data' }),
      MAIL_URL: url({ default: undefined }),
      MAIL_FROM: str({ default: 'Leadforge <no-reply@leadforge.local>' }),
      ALLOW_PRIVATE_TARGETS: bool({ default: false }),
      STRIPE_SECRET_KEY: str({ default: undefined }),
      STRIPE_WEBHOOK_SECRET: str({ default: undefined }),
      STRIPE_PRICE_PRO: stripePriceId({ default: undefined }),
      STRIPE_PRICE_BUSINESS: stripePriceId({ default: undefined }),
      STRIPE_API_BASE: url({ default: undefined }),
      JWT_SECRET: secret({ default: undefined }),
      ENCRYPTION_KEY: secret({ default: undefined }),
      ENCRYPTION_KEY_ID: keyId({ default: 'k1' }),
      ENCRYPTION_KEYS_RETIRED: retiredKeys({ default: {} }),
      CORS_ORIGINS: commaList({ default: [] }),
      CHROMIUM_PATH: str({ default: '/usr/bin/chromium' }),
      WORKERS_IN_PROCESS: bool({ default: undefined }),
      LOG_LEVEL: str({ choices: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], default: undefined }),
      REQUIRE_EMAIL_VERIFICATION: bool({ default: undefined }),
      DEFAULT_CREDITS: num({ default: 1000 }),
      METRICS_TOKEN: str({ default: undefined }),
      METRICS_PORT: port({ default: undefined }),
      SHUTDOWN_TIMEOUT_MS: num({ default: 25_000 }),
      SHUTDOWN_DRAIN_MS: num({ default: undefined }),
      TRUST_PROXY: bool({ default: false }),
      ADMIN_DIST_DIR: str({ default: undefined }),
      WEBHOOK_RETRY_BASE_MS: num({ default: 60_000 }),
    },
    {
      reporter: ({ errors }) => {
        for (const [name, error] of Object.entries(errors)) {
          problems.push(error instanceof EnvMissingError ? `${name} is required` : `${name}: ${error.message}`);
        }
      },
    },
  );

  const nodeEnv = raw.NODE_ENV as NodeEnv;
  const isProduction = nodeEnv === 'production';
  const dataDir = resolve(raw.DATA_DIR);

  if (raw.DATABASE_POOL_SIZE < 1 || raw.DATABASE_POOL_SIZE > 200) problems.push('DATABASE_POOL_SIZE: must be between 1 and 200');
  if (raw.DATABASE_MIGRATION_URL && !raw.DATABASE_URL) problems.push('DATABASE_MIGRATION_URL: needs DATABASE_URL (the runtime role) as well');
  if (raw.DEFAULT_CREDITS < 0) problems.push('DEFAULT_CREDITS: must not be negative');
  if (!Number.isInteger(raw.WEBHOOK_RETRY_BASE_MS) || raw.WEBHOOK_RETRY_BASE_MS < 10 || raw.WEBHOOK_RETRY_BASE_MS > 3_600_000) {
    problems.push('WEBHOOK_RETRY_BASE_MS: must be an integer between 10 and 3600000');
  } else if (isProduction && raw.WEBHOOK_RETRY_BASE_MS < 1_000) problems.push('WEBHOOK_RETRY_BASE_MS: must be at least 1000 when NODE_ENV=production');
  if (raw.METRICS_TOKEN && raw.METRICS_TOKEN.length < 16) problems.push('METRICS_TOKEN: must be at least 16 characters');
  if (raw.METRICS_PORT !== undefined && !raw.METRICS_TOKEN) problems.push('METRICS_PORT: needs METRICS_TOKEN (metrics are only served to a caller presenting it)');
  if (!Number.isInteger(raw.SHUTDOWN_TIMEOUT_MS) || raw.SHUTDOWN_TIMEOUT_MS < 1_000 || raw.SHUTDOWN_TIMEOUT_MS > 600_000) {
    problems.push('SHUTDOWN_TIMEOUT_MS: must be an integer between 1000 and 600000');
  }
  if (raw.SHUTDOWN_DRAIN_MS !== undefined && (!Number.isInteger(raw.SHUTDOWN_DRAIN_MS) || raw.SHUTDOWN_DRAIN_MS < 0 || raw.SHUTDOWN_DRAIN_MS > 120_000)) {
    problems.push('SHUTDOWN_DRAIN_MS: must be an integer between 0 and 120000');
  }
  const stripeApiBase = parseStripeApiBase(raw.STRIPE_API_BASE, isProduction, problems);
  if (isProduction) {
    for (const name of ['JWT_SECRET', 'ENCRYPTION_KEY', 'DATABASE_URL'] as const) {
      if (!raw[name]) problems.push(`${name} is required when NODE_ENV=production`);
    }
    if (raw.ALLOW_PRIVATE_TARGETS) problems.push('ALLOW_PRIVATE_TARGETS must not be true when NODE_ENV=production');
    if (raw.STRIPE_SECRET_KEY && !raw.STRIPE_WEBHOOK_SECRET) problems.push('STRIPE_WEBHOOK_SECRET is required when STRIPE_SECRET_KEY is set in production');
  }
  if (problems.length > 0) throw new ConfigValidationError(problems);

  const generated = isProduction || (raw.JWT_SECRET && raw.ENCRYPTION_KEY) ? undefined : loadDevelopmentSecrets(dataDir);
  const listenPort = raw.PORT;

  return {
    nodeEnv,
    isProduction,
    port: listenPort,
    host: raw.HOST,
    publicUrl: (raw.PUBLIC_URL ?? `http://localhost:${listenPort}`).replace(/\/+$/, ''),
    databaseUrl: raw.DATABASE_URL,
    databaseMigrationUrl: raw.DATABASE_MIGRATION_URL,
    embeddedDatabase: false,
    databasePoolSize: raw.DATABASE_POOL_SIZE,
    dataDir,
    mailUrl: raw.MAIL_URL,
    mailFrom: raw.MAIL_FROM,
    allowPrivateTargets: raw.ALLOW_PRIVATE_TARGETS,
    stripeSecretKey: raw.STRIPE_SECRET_KEY || undefined,
    stripeWebhookSecret: raw.STRIPE_WEBHOOK_SECRET || undefined,
    stripePrices: { pro: raw.STRIPE_PRICE_PRO, business: raw.STRIPE_PRICE_BUSINESS },
    stripeApiBase,
    jwtSecret: raw.JWT_SECRET ?? generated!.jwtSecret,
    encryptionKey: raw.ENCRYPTION_KEY ?? generated!.encryptionKey,
    suppressionHashKey:
      raw.ENCRYPTION_KEY_ID === 'k1' ? (raw.ENCRYPTION_KEY ?? generated!.encryptionKey) : (raw.ENCRYPTION_KEYS_RETIRED.k1 ?? raw.ENCRYPTION_KEY ?? generated!.encryptionKey),
    encryptionKeyring: {
      currentId: raw.ENCRYPTION_KEY_ID,
      current: raw.ENCRYPTION_KEY ?? generated!.encryptionKey,
      retired: Object.fromEntries(Object.entries(raw.ENCRYPTION_KEYS_RETIRED).filter(([id]) => id !== raw.ENCRYPTION_KEY_ID)),
    },
    corsOrigins: raw.CORS_ORIGINS,
    chromiumPath: raw.CHROMIUM_PATH,
    workersInProcess: raw.WORKERS_IN_PROCESS ?? !isProduction,
    logLevel: (raw.LOG_LEVEL ?? (nodeEnv === 'test' ? 'warn' : 'info')) as AppConfig['logLevel'],
    requireEmailVerification: raw.REQUIRE_EMAIL_VERIFICATION ?? isProduction,
    defaultCredits: raw.DEFAULT_CREDITS,
    metricsToken: raw.METRICS_TOKEN || undefined,
    metricsPort: raw.METRICS_PORT,
    shutdownTimeoutMs: raw.SHUTDOWN_TIMEOUT_MS,
    shutdownDrainMs: raw.SHUTDOWN_DRAIN_MS ?? (isProduction ? 5_000 : 0),
    trustProxy: raw.TRUST_PROXY,
    adminDistDir: resolve(raw.ADMIN_DIST_DIR ?? 'dist/admin/browser'),
    webhookRetryBaseMs: raw.WEBHOOK_RETRY_BASE_MS,
  };
}
