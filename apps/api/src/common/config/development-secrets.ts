import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface DevelopmentSecrets {
  jwtSecret: string;
  encryptionKey: string;
  databasePassword: string;
  appDatabasePassword: string;
}

const generate = (): string => randomBytes(32).toString('base64url');

/**
 * Secrets generated once per data directory for development and tests, so that a restart keeps
 * sessions and encrypted values readable. Never used when NODE_ENV=production.
 */
export function loadDevelopmentSecrets(dataDir: string): DevelopmentSecrets {
  const file = join(dataDir, 'secrets.json');
  let stored: Partial<DevelopmentSecrets> = {};
  try {
    stored = JSON.parse(readFileSync(file, 'utf8')) as Partial<DevelopmentSecrets>;
  } catch {
    stored = {};
  }
  const secrets: DevelopmentSecrets = {
    jwtSecret: stored.jwtSecret ?? generate(),
    encryptionKey: stored.encryptionKey ?? generate(),
    databasePassword: stored.databasePassword ?? generate(),
    appDatabasePassword: stored.appDatabasePassword ?? generate(),
  };
  if (JSON.stringify(secrets) !== JSON.stringify(stored)) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
  }
  return secrets;
}
