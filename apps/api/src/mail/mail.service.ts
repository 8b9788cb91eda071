import { Injectable } from '@nestjs/common';
import type { AppConfig } from '../common/config/app-config';
import { InjectConfig } from '../common/config/config.module';
import { SecretBox } from '../common/crypto/secret-box';
import { QueueService } from '../queue/queue.service';
import type { EmailTemplate, EmailVariables } from './templates/templates';

export const EMAIL_QUEUE = 'email.send';

/** The queued job: recipient and variables (links carry tokens) sealed with AES-256-GCM. */
export interface EmailJob {
  template: EmailTemplate;
  sealed: string;
}

export interface SealedEmail<T extends EmailTemplate = EmailTemplate> {
  to: string;
  variables: EmailVariables[T];
}

export const mailSecretBox = (config: AppConfig): SecretBox => new SecretBox(config.encryptionKeyring, 'mail');

/** Producers call this; the email leaves from a queue job with retries, never inside a request. */
@Injectable()
export class MailService {
  private readonly box: SecretBox;

  constructor(
    private readonly queue: QueueService,
    @InjectConfig() private readonly config: AppConfig,
  ) {
    this.box = mailSecretBox(config);
  }

  /** An absolute link into the console (PUBLIC_URL). */
  link(path: string, params: Record<string, string> = {}): string {
    const url = new URL(path, `${this.config.publicUrl}/`);
    for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
    return url.toString();
  }

  async send<T extends EmailTemplate>(template: T, to: string, variables: EmailVariables[T]): Promise<void> {
    const payload: SealedEmail<T> = { to, variables };
    const job: EmailJob = { template, sealed: this.box.seal(JSON.stringify(payload)) };
    await this.queue.send(EMAIL_QUEUE, job);
  }
}
