import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Job } from 'pg-boss';
import { afterEach, describe, expect, it } from 'vitest';
import { TEST_SECRETS } from '../../../../test/support/test-app';
import { loadAppConfig } from '../common/config/app-config';
import { MailSender } from './mail.sender';
import { type EmailJob, mailSecretBox } from './mail.service';

describe('MailSender without MAIL_URL', () => {
  let dataDir: string | undefined;
  afterEach(async () => {
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('writes each email as an .eml file in DATA_DIR/outbox, readable by its owner only', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'leadforge-outbox-'));
    const config = loadAppConfig({ NODE_ENV: 'test', DATA_DIR: dataDir, ...TEST_SECRETS });
    const sender = new MailSender(config);
    const sealed = mailSecretBox(config).seal(JSON.stringify({ to: 'ada@example.com', variables: { name: 'Ada', link: 'https://app.example/verify?token=t1' } }));

    await sender.deliver({ id: 'job-1', data: { template: 'verify-email', sealed } } as Job<EmailJob>);
    await sender.onModuleDestroy();

    const files = await readdir(join(dataDir, 'outbox'));
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/-job-1\.eml$/);
    const message = await readFile(join(dataDir, 'outbox', files[0]!), 'utf8');
    expect(message).toContain('To: ada@example.com');
    expect(message).toContain('X-Leadforge-Template: verify-email');
    expect(message).toContain('https://app.example/verify?token=3Dt1'); // quoted-printable '='
    expect((await stat(join(dataDir, 'outbox', files[0]!))).mode & 0o777).toBe(0o600);
  });
});
