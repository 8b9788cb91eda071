import { Injectable, Logger } from '@nestjs/common';
import type { Job } from 'pg-boss';
import type Stripe from 'stripe';
import type { EntityManager } from 'typeorm';
import type { AppConfig } from '../common/config/app-config';
import { InjectConfig } from '../common/config/config.module';
import { TenantDatabase } from '../database/tenant-database';
import { JobHandler } from '../queue/job-handler.decorator';
import { QueueService } from '../queue/queue.service';
import { BillingNotConfiguredError, InvalidStripeSignatureError, StripeUnavailableError } from './billing-errors';
import { PAYMENT_FAILED_QUEUE, type PaymentFailedNotice } from './billing-notices.service';
import { BillingRepository } from './billing.repository';
import { PlanGrantsService } from './plan-grants.service';
import { planOfStripePrice } from './plans';
import { StripeClient } from './stripe.client';
import { customerIdOf, grantsCredits, priceIdOf, subscriptionIdOfInvoice } from './subscription-state';
import { SubscriptionSyncService } from './subscription-sync.service';

export const HANDLED_EVENT_TYPES = new Set<string>([
  'checkout.session.completed',
  'customer.subscription.created',
  'customer.subscription.updated',
  'customer.subscription.deleted',
  'invoice.paid',
  'invoice.payment_failed',
]);

/** Stripe retries for three days; events are kept a while longer to recognise late duplicates. */
const EVENT_RETENTION_DAYS = 30;

export const STRIPE_EVENT_QUEUE = 'billing.stripe-event';

export interface StripeEventJob {
  eventId: string;
}

export interface WebhookOutcome {
  received: true;
  /** True when this event id was recorded before (a retry or a concurrent duplicate): nothing was done. */
  duplicate: boolean;
  /** False for event types Leadforge does not act on, and for customers it does not know when the event arrives. */
  handled: boolean;
}

/**
 * Stripe webhooks. The request only verifies the event (signature over the raw body, default
 * 5-minute tolerance) and, in one short transaction, records it by id with ON CONFLICT DO NOTHING
 * and queues its processing job: the delivery that inserts the row queues the one job, every other
 * one (a retry, or a concurrent duplicate waiting on the key) does nothing. The job applies the
 * effects and marks the event processed in one transaction. Order does not matter: the job re-reads
 * the subscription from Stripe under the organization's billing row lock and stores its current
 * state, so an invoice.paid that overtakes customer.subscription.created finds the subscription anyway.
 */
@Injectable()
export class StripeWebhookService {
  private readonly logger = new Logger(StripeWebhookService.name);

  constructor(
    @InjectConfig() private readonly config: AppConfig,
    private readonly stripe: StripeClient,
    private readonly tenant: TenantDatabase,
    private readonly billing: BillingRepository,
    private readonly sync: SubscriptionSyncService,
    private readonly grants: PlanGrantsService,
    private readonly queue: QueueService,
  ) {}

  async receive(rawBody: Buffer | undefined, signature: string | undefined): Promise<WebhookOutcome> {
    if (!this.stripe.configured || !this.config.stripeWebhookSecret) {
      throw new BillingNotConfiguredError('Stripe webhooks are not configured on this server (STRIPE_SECRET_KEY or STRIPE_WEBHOOK_SECRET is not set).');
    }
    if (!rawBody || !signature) throw new InvalidStripeSignatureError();
    let event: Stripe.Event;
    try {
      event = this.stripe.constructEvent(rawBody, signature);
    } catch {
      throw new InvalidStripeSignatureError();
    }
    if (!HANDLED_EVENT_TYPES.has(event.type)) return { received: true, duplicate: false, handled: false };

    const customerId = customerIdOf(event.data.object);
    return this.tenant.asSystem(async (db) => {
      const orgId = customerId ? await this.billing.orgOfCustomerSystem(db, customerId) : null;
      const recorded = await this.billing.recordEvent(db, { id: event.id, type: event.type, created: event.created, object: event.data.object }, orgId);
      if (!recorded) return { received: true, duplicate: true, handled: true };
      const job: StripeEventJob = { eventId: event.id };
      await this.queue.sendInTransaction(db, STRIPE_EVENT_QUEUE, job);
      return { received: true, duplicate: false, handled: orgId !== null };
    });
  }

  /**
   * Applies a recorded event. The event row stays locked until the transaction ends and is marked
   * processed in it, so a second run (a retry after a crash) finds it processed and does nothing.
   * A Stripe failure rolls everything back and the job is retried with backoff.
   */
  @JobHandler({ queue: STRIPE_EVENT_QUEUE, retryLimit: 8, retryDelaySeconds: 30, retryBackoff: true, pollingIntervalSeconds: 1, localConcurrency: 2 })
  async processJob(job: Job<StripeEventJob>): Promise<void> {
    await this.process(job.data.eventId);
  }

  async process(eventId: string): Promise<void> {
    await this.tenant.asSystem(async (db) => {
      const stored = await this.billing.lockEventSystem(db, eventId);
      if (!stored) {
        this.logger.warn({ eventId }, 'Stripe event to process is not recorded (purged?)');
        return;
      }
      if (stored.processedAt) return;
      const customerId = customerIdOf(stored.object);
      // The customer may have been stored after the event arrived (a checkout committing just then).
      const orgId = stored.orgId ?? (customerId ? await this.billing.orgOfCustomerSystem(db, customerId) : null);
      if (!orgId) {
        this.logger.warn({ eventId, type: stored.type, customer: customerId }, 'Stripe event for an unknown customer recorded and ignored');
        await this.billing.markEventProcessed(db, eventId);
        return;
      }
      if (!stored.orgId) await this.billing.setEventOrgSystem(db, eventId, orgId);
      // From here on the transaction sees only this organization's rows.
      await TenantDatabase.setScope(db, { orgId });
      await this.apply(db, orgId, { id: stored.id, type: stored.type, data: { object: stored.object } } as unknown as Stripe.Event);
      await this.billing.markEventProcessed(db, eventId);
    });
  }

  private async apply(db: EntityManager, orgId: string, event: Stripe.Event): Promise<void> {
    const stored = await this.billing.find(db, orgId, true);
    if (!stored) return;
    switch (event.type) {
      case 'checkout.session.completed': {
        const session = event.data.object;
        const subscriptionId = typeof session.subscription === 'string' ? session.subscription : (session.subscription?.id ?? null);
        if (session.mode === 'subscription' && subscriptionId) await this.sync.apply(db, stored, await this.retrieve(subscriptionId));
        return;
      }
      case 'customer.subscription.created':
      case 'customer.subscription.updated':
      case 'customer.subscription.deleted':
        await this.sync.apply(db, stored, await this.retrieve(event.data.object.id));
        return;
      case 'invoice.paid': {
        const invoice = event.data.object;
        const subscriptionId = subscriptionIdOfInvoice(invoice);
        if (!subscriptionId) return;
        const subscription = await this.retrieve(subscriptionId);
        await this.sync.apply(db, stored, subscription);
        const plan = planOfStripePrice(this.config, priceIdOf(subscription));
        if (plan && grantsCredits(invoice)) await this.grants.grant(db, orgId, plan, invoice.id);
        return;
      }
      case 'invoice.payment_failed': {
        const invoice = event.data.object;
        const subscriptionId = subscriptionIdOfInvoice(invoice);
        if (subscriptionId) await this.sync.apply(db, stored, await this.retrieve(subscriptionId));
        const notice: PaymentFailedNotice = { orgId, invoiceId: invoice.id, amountDue: invoice.amount_due, currency: invoice.currency };
        await this.queue.sendInTransaction(db, PAYMENT_FAILED_QUEUE, notice);
        return;
      }
      default:
        return;
    }
  }

  private async retrieve(subscriptionId: string): Promise<Stripe.Subscription> {
    try {
      return await this.stripe.api.subscriptions.retrieve(subscriptionId);
    } catch (error) {
      throw new StripeUnavailableError(error);
    }
  }

  @JobHandler({ queue: 'billing.stripe-events.purge', schedule: '40 3 * * *', retryLimit: 1 })
  async purgeOldEvents(): Promise<void> {
    const deleted = await this.tenant.asSystem((db) => this.billing.purgeEventsSystem(db, EVENT_RETENTION_DAYS));
    if (deleted > 0) this.logger.log({ deleted }, 'old Stripe events purged');
  }
}
