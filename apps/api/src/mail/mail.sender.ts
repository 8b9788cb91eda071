import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Transporter } from 'nodemailer';
import type { Job } from 'pg-boss';
import type { AppConfig } from '../common/config/app-config';
import { InjectConfig } from '../common/config/config.module';
import type { SecretBox } from '../common/crypto/secret-box';
import { JobHandler } from '../queue/job-handler.decorator';
import { EMAIL_QUEUE, type EmailJob, mailSecretBox, type SealedEmail } from './mail.service';
import { EMAIL_TEMPLATES, renderEmail } from './templates/templates';

/**
 * Works the email queue: SMTP when MAIL_URL is set, otherwise .eml files in DATA_DIR/outbox. A
 * failed send throws, and pg-boss retries it with backoff. nodemailer is loaded with the first email,
 * so a process that never works this queue (an API-only node) never loads it.
 */
@Injectable()
export class MailSender implements OnModuleDestroy {
  private readonly logger = new Logger(MailSender.name);
  private readonly box: SecretBox;
  private transport: Promise<Transporter> | undefined;
  private readonly outbox: string | undefined;

  constructor(@InjectConfig() private readonly config: AppConfig) {
    this.box = mailSecretBox(config);
    if (!config.mailUrl) this.outbox = join(config.dataDir, 'outbox');
  }

  private transporter(): Promise<Transporter> {
    this.transport ??= import('nodemailer').then(({ createTransport }) =>
      this.config.mailUrl ? createTransport(this.config.mailUrl) : createTransport({ streamTransport: true, buffer: true, newline: 'windows' }),
    );
    return this.transport;
  }

  @JobHandler({ queue: EMAIL_QUEUE, retryLimit: 6, retryDelaySeconds: 10, retryBackoff: true, batchSize: 5, pollingIntervalSeconds: 1 })
  async deliver(job: Job<EmailJob>): Promise<void> {
    const { template, sealed } = job.data;
    if (!EMAIL_TEMPLATES.includes(template)) throw new Error(`unknown email template ${String(template)}`);
    const { to, variables } = JSON.parse(this.box.open(sealed)) as SealedEmail;
    const rendered = renderEmail(template, variables as never);
    const info = (await (await this.transporter()).sendMail({
      from: this.config.mailFrom,
      to,
      subject: rendered.subject,
      text: rendered.text,
      html: rendered.html,
      headers: { 'X-Leadforge-Template': template },
    })) as { message?: Buffer | string; messageId?: string };

    if (this.outbox) {
      await mkdir(this.outbox, { recursive: true, mode: 0o700 });
      const file = join(this.outbox, `${new Date().toISOString().replace(/[:.]/g, '-')}-${job.id}.eml`);
      await writeFile(file, info.message ?? '', { mode: 0o600 });
      this.logger.log({ template, jobId: job.id, file }, 'email written to the outbox (MAIL_URL is not set)');
    } else {
      this.logger.log({ template, jobId: job.id, messageId: info.messageId }, 'email sent');
    }
  }

  async onModuleDestroy(): Promise<void> {
    (await this.transport)?.close();
  }
}
