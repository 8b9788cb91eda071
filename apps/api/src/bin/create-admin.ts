import 'reflect-metadata';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { DataSource } from 'typeorm';
import { ConfigValidationError, loadAppConfig } from '../common/config/app-config';
import { loadDevelopmentSecrets } from '../common/config/development-secrets';
import { AppError } from '../common/errors/app-error';
import { buildDataSourceOptions } from '../database/data-source-options';
import { type EmbeddedPostgresHandle, startEmbeddedPostgres } from '../database/embedded-postgres';
import { runMigrations } from '../database/migrator';
import { ensureRuntimeRole } from '../database/runtime-role';
import { QUEUE_SCHEMA } from '../queue/queue.service';
import { createOrPromoteAdmin } from '../users/platform-admins';

const USAGE = `Usage: npm run admin:create -- --email <address> [--name <full name>] [--password-stdin]

Makes the account a platform administrator; creates it (email verified) when the address is new,
asking for its password (or reading it from stdin with --password-stdin).`;

const write = (text: string): void => void process.stdout.write(`${text}\n`);

async function readPasswordFromStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

/** Asks without echoing what is typed. */
function askHidden(question: string): Promise<string> {
  return new Promise((resolve) => {
    const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
    const mutable = rl as unknown as { _writeToOutput: (text: string) => void; output: NodeJS.WritableStream };
    mutable._writeToOutput = (text: string) => {
      if (text.includes(question)) mutable.output.write(text);
    };
    rl.question(question, (answer) => {
      rl.close();
      process.stdout.write('\n');
      resolve(answer);
    });
  });
}

async function promptPassword(): Promise<string> {
  if (!process.stdin.isTTY) throw new Error('no terminal to ask for the password: pass --password-stdin and pipe it in');
  const first = await askHidden('Password for the new account: ');
  const second = await askHidden('Repeat the password: ');
  if (first !== second) throw new Error('the passwords differ');
  return first;
}

/** The embedded cluster of `npm start`: the running one when the server is up, else started here. */
async function embeddedDatabase(dataDir: string): Promise<{ adminUrl: string; handle?: EmbeddedPostgresHandle }> {
  const secrets = loadDevelopmentSecrets(dataDir);
  const directory = join(dataDir, 'pg');
  const pidFile = join(directory, 'postmaster.pid');
  if (existsSync(pidFile)) {
    const [pidLine, , , portLine] = readFileSync(pidFile, 'utf8').split('\n');
    const pid = Number(pidLine);
    let alive = false;
    try {
      process.kill(pid, 0);
      alive = true;
    } catch {
      alive = false;
    }
    if (alive && Number(portLine) > 0) return { adminUrl: `postgres://postgres:${encodeURIComponent(secrets.databasePassword)}@127.0.0.1:${Number(portLine)}/leadforge` };
  }
  const handle = await startEmbeddedPostgres({ directory, password: secrets.databasePassword, database: 'leadforge' });
  return { adminUrl: handle.url, handle };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { email: { type: 'string' }, name: { type: 'string' }, 'password-stdin': { type: 'boolean', default: false }, help: { type: 'boolean', default: false } },
  });
  if (values.help || !values.email) {
    write(USAGE);
    process.exit(values.help ? 0 : 2);
  }

  const config = loadAppConfig();
  let handle: EmbeddedPostgresHandle | undefined;
  let runtimeUrl: string;
  if (config.databaseUrl) {
    await runMigrations(config.databaseMigrationUrl ?? config.databaseUrl);
    runtimeUrl = config.databaseUrl;
  } else {
    const embedded = await embeddedDatabase(config.dataDir);
    handle = embedded.handle;
    await runMigrations(embedded.adminUrl);
    runtimeUrl = await ensureRuntimeRole({ adminUrl: embedded.adminUrl, password: loadDevelopmentSecrets(config.dataDir).appDatabasePassword, adoptSchemas: [QUEUE_SCHEMA] });
  }

  const dataSource = new DataSource(buildDataSourceOptions({ url: runtimeUrl, poolSize: 2, applicationName: 'leadforge-admin-cli' }));
  await dataSource.initialize();
  try {
    const outcome = await createOrPromoteAdmin(dataSource, {
      email: values.email,
      name: values.name,
      password: values['password-stdin'] ? readPasswordFromStdin : promptPassword,
    });
    if (outcome.kind === 'already_admin') write(`${values.email} is a platform administrator already.`);
    if (outcome.kind === 'promoted') write(`${values.email} is now a platform administrator.`);
    if (outcome.kind === 'created') write(`Created ${values.email} as a platform administrator (email verified). Sign in at ${config.publicUrl}.`);
  } finally {
    await dataSource.destroy();
    await handle?.stop();
  }
}

main().catch((error: unknown) => {
  if (error instanceof ConfigValidationError) process.stderr.write(`${error.message}\n`);
  else if (error instanceof AppError) process.stderr.write(`${error.message}\n`);
  else process.stderr.write(`admin:create failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
