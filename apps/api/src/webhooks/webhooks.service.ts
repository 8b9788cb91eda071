import { HttpStatus, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { AuthContext } from '../common/auth/auth-context';
import type { AppConfig } from '../common/config/app-config';
import { InjectConfig } from '../common/config/config.module';
import type { SecretBox } from '../common/crypto/secret-box';
import { AppError, NotFoundError } from '../common/errors/app-error';
import { newId } from '../common/ids';
import { assertAllowedUrl, BlockedTargetError } from '../common/network/ssrf-guard';
import { type Page, toPage } from '../common/pagination/page';
import { AuditService } from '../audit/audit.service';
import { TenantDatabase } from '../database/tenant-database';
import { QueueService } from '../queue/queue.service';
import type { CreateWebhookRequest, UpdateWebhookRequest, WebhookDeliveryResponse, WebhookResponse, WebhookWithSecretResponse } from './dto/webhooks.dto';
import type { WebhookEndpoint } from './webhook-endpoint.entity';
import { pingEnvelope } from './webhook-events';
import { generateWebhookSecret, webhookSecretBox } from './webhook-signing';
import { DELIVER_QUEUE, type DeliverJob } from './webhook-queues';
import { type WebhookAttemptView, type WebhookDeliveryView, type WebhookEndpointView, WebhooksRepository } from './webhooks.repository';

/** Endpoints per organization. */
export const MAX_WEBHOOKS_PER_ORG = 20;
const DEFAULT_OVERLAP_HOURS = 24;

export const toWebhookResponse = (endpoint: WebhookEndpointView): WebhookResponse => ({
  id: endpoint.id,
  url: endpoint.url,
  description: endpoint.description,
  events: endpoint.events,
  enabled: endpoint.enabled,
  disabledAt: endpoint.disabledAt,
  disabledReason: endpoint.disabledReason,
  previousSecretExpiresAt: endpoint.previousSecretExpiresAt && endpoint.previousSecretExpiresAt > new Date() ? endpoint.previousSecretExpiresAt : null,
  failingSince: endpoint.failingSince,
  createdAt: endpoint.createdAt,
  updatedAt: endpoint.updatedAt,
});

const toDeliveryResponse = (delivery: WebhookDeliveryView, attempts: WebhookAttemptView[]): WebhookDeliveryResponse => ({
  id: delivery.id,
  endpointId: delivery.endpointId,
  eventType: delivery.eventType,
  status: delivery.status,
  attempts: delivery.attempts,
  responseStatus: delivery.responseStatus,
  durationMs: delivery.durationMs,
  lastError: delivery.lastError,
  nextAttemptAt: delivery.nextAttemptAt,
  deliveredAt: delivery.deliveredAt,
  createdAt: delivery.createdAt,
  payload: delivery.payload,
  attemptLog: attempts.map((attempt) => ({
    attempt: attempt.attempt,
    responseStatus: attempt.responseStatus,
    durationMs: attempt.durationMs,
    error: attempt.error,
    createdAt: attempt.createdAt,
  })),
});

const webhookNotFound = (): AppError => new NotFoundError('Webhook');

/** Managing endpoints (owners and admins), their delivery log, redelivery and pings. */
@Injectable()
export class WebhooksService {
  private readonly box: SecretBox;

  constructor(
    private readonly tenant: TenantDatabase,
    private readonly webhooks: WebhooksRepository,
    private readonly queue: QueueService,
    @InjectConfig() private readonly config: AppConfig,
    private readonly audit: AuditService,
  ) {
    this.box = webhookSecretBox(config);
  }

  async create(auth: AuthContext, body: CreateWebhookRequest): Promise<WebhookWithSecretResponse> {
    const url = await this.checkedUrl(body.url);
    const secret = generateWebhookSecret();
    const endpoint = await this.tenant.inOrg(auth.orgId, async (db) => {
      await db.query(`SELECT 1 FROM organization WHERE id = $1 FOR UPDATE`, [auth.orgId]);
      if ((await this.webhooks.countEndpoints(db, auth.orgId)) >= MAX_WEBHOOKS_PER_ORG) {
        throw new AppError('webhook_limit_reached', HttpStatus.CONFLICT, `An organization can have at most ${MAX_WEBHOOKS_PER_ORG} webhook endpoints`, {
          extensions: { limit: MAX_WEBHOOKS_PER_ORG },
        });
      }
      const id = newId();
      await this.audit.record(db, { action: 'webhook.created', orgId: auth.orgId, actorUserId: auth.userId, actorApiKeyId: auth.apiKeyId, target: { type: 'webhook', id } });
      return this.webhooks.insertEndpoint(db, {
        id,
        orgId: auth.orgId,
        url,
        description: body.description?.trim() || null,
        events: body.events,
        enabled: body.enabled ?? true,
        secretSealed: this.box.seal(secret),
        createdByUserId: auth.userId,
      });
    });
    return { ...toWebhookResponse(endpoint), secret };
  }

  // list, get and deliveries read with one statement each: one round trip with its scope (TenantDatabase.reader).
  async list(auth: AuthContext, limit: number, cursor?: string): Promise<Page<WebhookResponse>> {
    const rows = await this.webhooks.listEndpoints(this.tenant.reader({ orgId: auth.orgId }), auth.orgId, limit, cursor);
    return toPage(rows, limit, (row) => row.id, toWebhookResponse);
  }

  async get(auth: AuthContext, id: string): Promise<WebhookResponse> {
    const endpoint = await this.webhooks.findEndpointView(this.tenant.reader({ orgId: auth.orgId }), auth.orgId, id);
    if (!endpoint) throw webhookNotFound();
    return toWebhookResponse(endpoint);
  }

  async update(auth: AuthContext, id: string, body: UpdateWebhookRequest): Promise<WebhookResponse> {
    const url = body.url === undefined ? undefined : await this.checkedUrl(body.url);
    return this.tenant.inOrg(auth.orgId, async (db) => {
      const endpoint = await this.endpointOrFail(db, auth.orgId, id, true);
      const patch: Partial<WebhookEndpoint> = {};
      if (url !== undefined) patch.url = url;
      if (body.events !== undefined) patch.events = body.events;
      if (body.description !== undefined) patch.description = body.description?.trim() || null;
      if (body.enabled === true && !endpoint.enabled) Object.assign(patch, { enabled: true, disabledAt: null, disabledReason: null, failingSince: null });
      if (body.enabled === false && endpoint.enabled) Object.assign(patch, { enabled: false, disabledAt: new Date(), disabledReason: 'disabled by a user' });
      if (Object.keys(patch).length > 0) await this.webhooks.updateEndpoint(db, auth.orgId, id, patch);
      return toWebhookResponse((await this.webhooks.findEndpoint(db, auth.orgId, id))!);
    });
  }

  async remove(auth: AuthContext, id: string): Promise<void> {
    await this.tenant.inOrg(auth.orgId, async (db) => {
      if (!(await this.webhooks.deleteEndpoint(db, auth.orgId, id))) throw webhookNotFound();
      await this.audit.record(db, { action: 'webhook.deleted', orgId: auth.orgId, actorUserId: auth.userId, actorApiKeyId: auth.apiKeyId, target: { type: 'webhook', id } });
    });
  }

  /** A new secret; the current one keeps signing (a second signature) for `overlapHours`. */
  async rotateSecret(auth: AuthContext, id: string, overlapHours = DEFAULT_OVERLAP_HOURS): Promise<WebhookWithSecretResponse> {
    const secret = generateWebhookSecret();
    const endpoint = await this.tenant.inOrg(auth.orgId, async (db) => {
      const current = await this.endpointOrFail(db, auth.orgId, id, true);
      await this.webhooks.updateEndpoint(db, auth.orgId, id, {
        secretSealed: this.box.seal(secret),
        previousSecretSealed: overlapHours > 0 ? current.secretSealed : null,
        previousSecretExpiresAt: overlapHours > 0 ? new Date(Date.now() + overlapHours * 3_600_000) : null,
      });
      await this.audit.record(db, {
        action: 'webhook.secret_rotated',
        orgId: auth.orgId,
        actorUserId: auth.userId,
        actorApiKeyId: auth.apiKeyId,
        target: { type: 'webhook', id },
        metadata: { overlapHours },
      });
      return (await this.webhooks.findEndpoint(db, auth.orgId, id))!;
    });
    return { ...toWebhookResponse(endpoint), secret };
  }

  async deliveries(auth: AuthContext, endpointId: string, limit: number, cursor?: string): Promise<Page<WebhookDeliveryResponse>> {
    const rows = await this.webhooks.listDeliveriesOfEndpoint(this.tenant.reader({ orgId: auth.orgId }), auth.orgId, endpointId, limit, cursor);
    if (!rows) throw webhookNotFound();
    return toPage(rows, limit, (row) => row.id, (row) => toDeliveryResponse(row, row.attemptLog));
  }

  /** Sends a finished delivery once more (same webhook-id and body); no automatic retries follow. */
  async redeliver(auth: AuthContext, endpointId: string, deliveryId: string): Promise<WebhookDeliveryResponse> {
    return this.tenant.inOrg(auth.orgId, async (db) => {
      const endpoint = await this.endpointOrFail(db, auth.orgId, endpointId);
      const delivery = await this.webhooks.findDelivery(db, auth.orgId, deliveryId, true);
      if (!delivery || delivery.endpointId !== endpoint.id) throw new NotFoundError('Delivery');
      if (!endpoint.enabled) throw new AppError('webhook_disabled', HttpStatus.CONFLICT, 'The endpoint is disabled; enable it before redelivering');
      if (delivery.status === 'pending') throw new AppError('delivery_in_progress', HttpStatus.CONFLICT, 'The delivery is still being attempted');
      await this.webhooks.updateDelivery(db, auth.orgId, delivery.id, { status: 'pending', nextAttemptAt: new Date() });
      await this.enqueue(db, { orgId: auth.orgId, deliveryId: delivery.id, attempt: delivery.attempts + 1, manual: true });
      return this.deliveryView(db, auth.orgId, delivery.id);
    });
  }

  /** Queues a `webhook.ping` message (sent even while the endpoint is disabled, to test a receiver). */
  async ping(auth: AuthContext, endpointId: string): Promise<WebhookDeliveryResponse> {
    return this.tenant.inOrg(auth.orgId, async (db) => {
      await this.endpointOrFail(db, auth.orgId, endpointId);
      const id = newId();
      await this.webhooks.insertDeliveryOnce(db, { id, orgId: auth.orgId, endpointId, eventType: 'webhook.ping', sourceKey: null, payload: { ...pingEnvelope(endpointId, new Date().toISOString()) } });
      await this.enqueue(db, { orgId: auth.orgId, deliveryId: id, attempt: 1, manual: true });
      return this.deliveryView(db, auth.orgId, id);
    });
  }

  private async enqueue(db: EntityManager, job: DeliverJob): Promise<void> {
    await this.queue.sendInTransaction(db, DELIVER_QUEUE, job);
  }

  private async deliveryView(db: EntityManager, orgId: string, id: string): Promise<WebhookDeliveryResponse> {
    const delivery = (await this.webhooks.findDelivery(db, orgId, id))!;
    return toDeliveryResponse(delivery, await this.webhooks.attemptsOf(db, orgId, [id]));
  }

  private async endpointOrFail(db: EntityManager, orgId: string, id: string, lock = false): Promise<WebhookEndpoint> {
    const endpoint = await this.webhooks.findEndpoint(db, orgId, id, lock);
    if (!endpoint) throw webhookNotFound();
    return endpoint;
  }

  /** The SSRF guard at registration (it runs again at every delivery, on the address connected to). */
  private async checkedUrl(url: string): Promise<string> {
    try {
      const parsed = await assertAllowedUrl(url, { allowPrivate: this.config.allowPrivateTargets });
      if (this.config.isProduction && parsed.protocol !== 'https:') throw new BlockedTargetError(url, 'only https:// receivers are accepted');
      return parsed.href;
    } catch (error) {
      if (!(error instanceof BlockedTargetError)) throw error;
      throw new AppError('webhook_url_not_allowed', HttpStatus.UNPROCESSABLE_ENTITY, `The webhook URL is not allowed: ${error.reason}`, {
        errors: [{ field: 'url', message: error.reason }],
      });
    }
  }
}
