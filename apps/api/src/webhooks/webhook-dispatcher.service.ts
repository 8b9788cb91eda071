import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import type { Job } from 'pg-boss';
import type { EntityManager } from 'typeorm';
import type { AppConfig } from '../common/config/app-config';
import { InjectConfig } from '../common/config/config.module';
import type { SecretBox } from '../common/crypto/secret-box';
import { newId } from '../common/ids';
import { TenantDatabase } from '../database/tenant-database';
import { MailService } from '../mail/mail.service';
import { JobHandler } from '../queue/job-handler.decorator';
import { QueueService } from '../queue/queue.service';
import { nextRetryDelayMs, parseRetryAfter } from './retry-schedule';
import type { WebhookDelivery } from './webhook-delivery.entity';
import type { WebhookEndpoint } from './webhook-endpoint.entity';
import { PING_EVENT_TYPE } from './webhook-events';
import { type PostOutcome, WebhookHttpClient } from './webhook-http';
import { DELIVER_QUEUE, type DeliverJob } from './webhook-queues';
import { signWebhook, webhookSecretBox } from './webhook-signing';
import { WebhooksRepository } from './webhooks.repository';

interface DisabledNotice {
  url: string;
  reason: string;
}

/** What one attempt's outcome means for the delivery and its endpoint. */
export type AttemptVerdict =
  | { kind: 'succeeded' }
  | { kind: 'gone' }
  | { kind: 'retry'; delayMs: number }
  | { kind: 'failed' };

/**
 * 2xx succeeds; 410 Gone disables the endpoint; anything else (3xx included: redirects are not
 * followed, no response, timeouts) is retried on the backoff schedule, or after the receiver's
 * Retry-After on 429/503, until the attempts are used up. Pings and redeliveries are tried once.
 */
export function judgeAttempt(outcome: Pick<PostOutcome, 'status' | 'headers'>, attempt: number, manual: boolean, retryBaseMs: number): AttemptVerdict {
  if (outcome.status !== null && outcome.status >= 200 && outcome.status < 300) return { kind: 'succeeded' };
  if (outcome.status === 410) return { kind: 'gone' };
  if (manual) return { kind: 'failed' };
  const scheduled = nextRetryDelayMs(attempt, retryBaseMs);
  if (scheduled === null) return { kind: 'failed' };
  const retryAfter = outcome.status === 429 || outcome.status === 503 ? parseRetryAfter(outcome.headers['retry-after']) : undefined;
  return { kind: 'retry', delayMs: retryAfter ?? scheduled };
}

/** Sends deliveries, records every attempt, schedules retries and disables endpoints that keep failing. */
@Injectable()
export class WebhookDispatcher implements OnModuleDestroy {
  private readonly logger = new Logger(WebhookDispatcher.name);
  private readonly box: SecretBox;
  private readonly http: WebhookHttpClient;

  constructor(
    private readonly tenant: TenantDatabase,
    private readonly webhooks: WebhooksRepository,
    private readonly queue: QueueService,
    private readonly mail: MailService,
    @InjectConfig() private readonly config: AppConfig,
  ) {
    this.box = webhookSecretBox(config);
    this.http = new WebhookHttpClient(config.allowPrivateTargets);
  }

  // Retries are scheduled by the handler itself (backoff, Retry-After); pg-boss only retries a job whose worker died.
  @JobHandler({ queue: DELIVER_QUEUE, retryLimit: 2, retryDelaySeconds: 30, retryBackoff: true, expireInSeconds: 120, pollingIntervalSeconds: 0.5, batchSize: 5, localConcurrency: 4 })
  async deliver(job: Job<DeliverJob>): Promise<void> {
    const { orgId, deliveryId, attempt } = job.data;
    const prepared = await this.tenant.inOrg(orgId, async (db) => {
      const delivery = await this.webhooks.findDelivery(db, orgId, deliveryId);
      if (!delivery || delivery.status !== 'pending' || delivery.attempts + 1 !== attempt) return null;
      const endpoint = await this.webhooks.findEndpoint(db, orgId, delivery.endpointId);
      if (!endpoint) return null;
      if (!endpoint.enabled && delivery.eventType !== PING_EVENT_TYPE) {
        await this.webhooks.updateDelivery(db, orgId, deliveryId, { status: 'failed', nextAttemptAt: null, lastError: 'the endpoint is disabled' });
        return null;
      }
      return { delivery, endpoint };
    });
    if (!prepared) return;

    const body = JSON.stringify(prepared.delivery.payload);
    const headers = signWebhook(prepared.delivery.id, new Date(), body, this.secretsOf(prepared.endpoint));
    const outcome = await this.http.post(prepared.endpoint.url, body, { ...headers });
    const notice = await this.tenant.inOrg(orgId, (db) => this.record(db, job.data, outcome));
    if (notice) await this.notifyDisabled(orgId, notice);
  }

  private secretsOf(endpoint: WebhookEndpoint): string[] {
    const secrets = [this.box.open(endpoint.secretSealed)];
    if (endpoint.previousSecretSealed && endpoint.previousSecretExpiresAt && endpoint.previousSecretExpiresAt > new Date()) {
      secrets.push(this.box.open(endpoint.previousSecretSealed));
    }
    return secrets;
  }

  /** Records the attempt and its consequences; returns what to tell the admins when the endpoint got disabled. */
  private async record(db: EntityManager, job: DeliverJob, outcome: PostOutcome): Promise<DisabledNotice | null> {
    const { orgId, deliveryId, attempt } = job;
    const delivery = await this.webhooks.findDelivery(db, orgId, deliveryId, true);
    // Another worker recorded this attempt already (a job retried after its worker died).
    if (!delivery || delivery.status !== 'pending' || delivery.attempts + 1 !== attempt) return null;
    const endpoint = await this.webhooks.findEndpoint(db, orgId, delivery.endpointId, true);
    if (!endpoint) return null;

    const error = outcome.error ?? (outcome.status !== null && (outcome.status < 200 || outcome.status >= 300) ? `HTTP ${outcome.status}` : null);
    await this.webhooks.insertAttempt(db, { id: newId(), orgId, deliveryId, attempt, responseStatus: outcome.status, durationMs: outcome.durationMs, error });
    const isPing = delivery.eventType === PING_EVENT_TYPE;
    const verdict = judgeAttempt(outcome, attempt, Boolean(job.manual) || isPing, this.config.webhookRetryBaseMs);
    const base: Partial<Omit<WebhookDelivery, 'payload'>> = { attempts: attempt, responseStatus: outcome.status, durationMs: outcome.durationMs, lastError: error };

    switch (verdict.kind) {
      case 'succeeded':
        await this.webhooks.updateDelivery(db, orgId, deliveryId, { ...base, status: 'succeeded', deliveredAt: new Date(), nextAttemptAt: null });
        if (endpoint.failingSince) await this.webhooks.updateEndpoint(db, orgId, endpoint.id, { failingSince: null });
        return null;
      case 'gone':
        await this.webhooks.updateDelivery(db, orgId, deliveryId, { ...base, status: 'failed', nextAttemptAt: null });
        return this.disable(db, endpoint, 'it answered 410 Gone');
      case 'retry': {
        const next = new Date(Date.now() + verdict.delayMs);
        await this.webhooks.updateDelivery(db, orgId, deliveryId, { ...base, nextAttemptAt: next });
        await this.webhooks.markFailing(db, orgId, endpoint.id);
        await this.queue.sendInTransaction(db, DELIVER_QUEUE, { orgId, deliveryId, attempt: attempt + 1 } satisfies DeliverJob, { startAfter: next });
        return null;
      }
      case 'failed': {
        await this.webhooks.updateDelivery(db, orgId, deliveryId, { ...base, status: 'failed', nextAttemptAt: null });
        if (isPing || job.manual) return null;
        const failingSince = await this.webhooks.markFailing(db, orgId, endpoint.id);
        const firstAttemptAt = (await this.webhooks.firstAttemptAt(db, orgId, deliveryId)) ?? new Date();
        // Every attempt of this delivery (about three days of them) failed, and nothing succeeded since the first.
        if (failingSince.getTime() <= firstAttemptAt.getTime()) {
          const days = Math.max(1, Math.round((Date.now() - failingSince.getTime()) / 86_400_000));
          return this.disable(db, endpoint, `every delivery failed for ${days === 1 ? 'a day' : `${days} days`} (last error: ${error ?? 'unknown'})`);
        }
        return null;
      }
    }
  }

  private async disable(db: EntityManager, endpoint: WebhookEndpoint, reason: string): Promise<DisabledNotice | null> {
    if (!endpoint.enabled) return null;
    await this.webhooks.updateEndpoint(db, endpoint.orgId, endpoint.id, { enabled: false, disabledAt: new Date(), disabledReason: reason.slice(0, 500) });
    this.logger.warn({ orgId: endpoint.orgId, endpointId: endpoint.id, reason }, 'webhook endpoint disabled');
    return { url: endpoint.url, reason };
  }

  private async notifyDisabled(orgId: string, notice: DisabledNotice): Promise<void> {
    const { admins, organizationName } = await this.tenant.inOrg(orgId, async (db) => ({
      admins: await this.webhooks.admins(db, orgId),
      organizationName: await this.webhooks.organizationName(db, orgId),
    }));
    const link = this.mail.link('webhooks');
    for (const admin of admins) {
      await this.mail.send('webhook-disabled', admin.email, { name: admin.name, organizationName, url: notice.url, reason: notice.reason, link });
    }
  }

  onModuleDestroy(): void {
    this.http.close();
  }
}
