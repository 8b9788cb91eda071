import { HttpStatus, Injectable } from '@nestjs/common';
import type Stripe from 'stripe';
import type { EntityManager } from 'typeorm';
import type { AuthContext } from '../common/auth/auth-context';
import type { AppConfig } from '../common/config/app-config';
import { InjectConfig } from '../common/config/config.module';
import { AppError } from '../common/errors/app-error';
import { IdempotencyService } from '../common/idempotency/idempotency.service';
import { type Page, toPage } from '../common/pagination/page';
import { TenantDatabase } from '../database/tenant-database';
import type { BillingSubscription } from './billing-subscription.entity';
import { BillingRepository } from './billing.repository';
import { NoBillingAccountError, NoSubscriptionError, PlanNotPurchasableError, StripeUnavailableError, SubscriptionExistsError } from './billing-errors';
import type { CreditLedgerEntry } from './credit-ledger-entry.entity';
import { CreditsService, PAYMENT_OVERDUE_STATUSES } from './credits.service';
import { type PaidPlanId, PLANS, type PlanOffer, planOffers, stripePriceIdOf } from './plans';
import { StripeClient } from './stripe.client';
import { ENDED_STATUSES } from './subscription-state';
import { SubscriptionSyncService } from './subscription-sync.service';

export interface SubscriptionStatus {
  plan: PlanOffer;
  status: string | null;
  cancelAtPeriodEnd: boolean;
  currentPeriodEnd: Date | null;
  canceledAt: Date | null;
  /** True while new tasks are refused because a payment is overdue. */
  paymentPastDue: boolean;
  /** Whether payments through Stripe are available on this server. */
  billingConfigured: boolean;
}

export interface LedgerItem {
  id: string;
  delta: number;
  reason: string;
  taskId?: string;
  note?: string;
  balanceAfter: number;
  createdAt: Date;
}

export interface CreditsPage extends Page<LedgerItem> {
  balance: number;
}

const toLedgerItem = (row: CreditLedgerEntry): LedgerItem => ({
  id: row.id,
  delta: row.delta,
  reason: row.reason,
  ...(row.taskId ? { taskId: row.taskId } : {}),
  ...(row.note ? { note: row.note } : {}),
  balanceAfter: row.balanceAfter,
  createdAt: row.createdAt,
});

const isLive = (row: BillingSubscription | null): row is BillingSubscription & { stripeSubscriptionId: string; status: string } =>
  Boolean(row?.stripeSubscriptionId && row.status && !ENDED_STATUSES.includes(row.status));

/** Plans, subscription state, Stripe Checkout and Portal sessions, cancel/resume, and the credit ledger. */
@Injectable()
export class PaymentsService {
  constructor(
    @InjectConfig() private readonly config: AppConfig,
    private readonly tenant: TenantDatabase,
    private readonly billing: BillingRepository,
    private readonly creditsService: CreditsService,
    private readonly stripe: StripeClient,
    private readonly sync: SubscriptionSyncService,
    private readonly idempotency: IdempotencyService,
  ) {}

  plans(): PlanOffer[] {
    return planOffers(this.config);
  }

  async subscriptionStatus(auth: AuthContext): Promise<SubscriptionStatus> {
    return this.tenant.inOrg(auth.orgId, async (db) => this.statusOf(db, auth.orgId));
  }

  async credits(auth: AuthContext, query: { limit: number; cursor?: string }): Promise<CreditsPage> {
    return this.tenant.inOrg(auth.orgId, async (db) => {
      const balance = await this.creditsService.balance(db, auth.orgId);
      const rows = await this.billing.ledger(db, auth.orgId, query.limit, query.cursor);
      return { balance, ...toPage(rows, query.limit, (row) => row.id, toLedgerItem) };
    });
  }

  /**
   * A Stripe Checkout session for a paid plan. The organization's Stripe customer is created once
   * (and stored); with an Idempotency-Key the first response is replayed and the key is passed on
   * to Stripe, so a retried request never opens a second session.
   */
  async createCheckout(auth: AuthContext, plan: PaidPlanId, idempotencyKey?: string): Promise<{ url: string; sessionId: string }> {
    const priceId = stripePriceIdOf(this.config, plan);
    const stripe = this.stripe.api;
    if (!priceId) throw new PlanNotPurchasableError(plan);
    return this.tenant.inOrg(auth.orgId, async (db) => {
      const work = async () => {
        await this.lockBilling(db, auth.orgId);
        const existing = await this.billing.find(db, auth.orgId, true);
        if (isLive(existing)) throw new SubscriptionExistsError(existing.status);
        const customerId = existing?.stripeCustomerId ?? (await this.createCustomer(db, auth));
        const session = await this.call(() =>
          stripe.checkout.sessions.create(
            {
              mode: 'subscription',
              customer: customerId,
              client_reference_id: auth.orgId,
              line_items: [{ price: priceId, quantity: 1 }],
              success_url: `${this.config.publicUrl}/billing?checkout=success&session_id={CHECKOUT_SESSION_ID}`,
              cancel_url: `${this.config.publicUrl}/billing?checkout=cancelled`,
              metadata: { orgId: auth.orgId, plan },
              subscription_data: { metadata: { orgId: auth.orgId, plan } },
            },
            idempotencyKey ? { idempotencyKey: `leadforge:checkout:${auth.orgId}:${idempotencyKey}` } : {},
          ),
        );
        if (!session.url) throw new StripeUnavailableError(new Error('Checkout session without url'));
        return { statusCode: HttpStatus.OK, body: { url: session.url, sessionId: session.id } };
      };
      if (!idempotencyKey) return (await work()).body;
      const result = await this.idempotency.run(db, { orgId: auth.orgId, name: 'payments.create-checkout', key: idempotencyKey, requestBody: { plan } }, work);
      return result.body;
    });
  }

  async portal(auth: AuthContext): Promise<{ url: string }> {
    const stripe = this.stripe.api;
    const stored = await this.tenant.inOrg(auth.orgId, (db) => this.billing.find(db, auth.orgId));
    if (!stored) throw new NoBillingAccountError();
    const session = await this.call(() => stripe.billingPortal.sessions.create({ customer: stored.stripeCustomerId, return_url: `${this.config.publicUrl}/billing` }));
    return { url: session.url };
  }

  /** Cancels at the end of the paid period; until then the plan stays and `resume` undoes it. */
  async cancel(auth: AuthContext): Promise<SubscriptionStatus> {
    return this.setCancelAtPeriodEnd(auth, true);
  }

  async resume(auth: AuthContext): Promise<SubscriptionStatus> {
    return this.setCancelAtPeriodEnd(auth, false);
  }

  private async setCancelAtPeriodEnd(auth: AuthContext, cancel: boolean): Promise<SubscriptionStatus> {
    const stripe = this.stripe.api;
    return this.tenant.inOrg(auth.orgId, async (db) => {
      await this.lockBilling(db, auth.orgId);
      const stored = await this.billing.find(db, auth.orgId, true);
      if (!isLive(stored)) throw new NoSubscriptionError();
      if (stored.cancelAtPeriodEnd !== cancel) {
        const subscription = await this.call(() => stripe.subscriptions.update(stored.stripeSubscriptionId, { cancel_at_period_end: cancel }));
        await this.sync.apply(db, stored, subscription);
      }
      return this.statusOf(db, auth.orgId);
    });
  }

  private async statusOf(db: EntityManager, orgId: string): Promise<SubscriptionStatus> {
    await this.creditsService.ensureAccount(db, orgId);
    const plan = await this.billing.planOf(db, orgId);
    const stored = await this.billing.find(db, orgId);
    const offer = planOffers(this.config).find((candidate) => candidate.id === plan) ?? { ...PLANS.free, stripePriceId: null, purchasable: false };
    return {
      plan: offer,
      status: stored?.status ?? null,
      cancelAtPeriodEnd: stored?.cancelAtPeriodEnd ?? false,
      currentPeriodEnd: stored?.currentPeriodEnd ?? null,
      canceledAt: stored?.canceledAt ?? null,
      paymentPastDue: Boolean(stored?.status && PAYMENT_OVERDUE_STATUSES.includes(stored.status)),
      billingConfigured: this.stripe.configured,
    };
  }

  /** Serializes an organization's billing changes without holding its credit account. */
  private async lockBilling(db: EntityManager, orgId: string): Promise<void> {
    await db.query(`SELECT pg_advisory_xact_lock(hashtextextended('billing:' || $1, 0))`, [orgId]);
  }

  private async createCustomer(db: EntityManager, auth: AuthContext): Promise<string> {
    const name = await this.billing.organizationName(db, auth.orgId);
    const email = auth.userId ? await this.billing.userEmail(db, auth.orgId, auth.userId) : undefined;
    // The key makes a retry after a failed commit get the same customer back from Stripe.
    const customer = await this.call(() =>
      this.stripe.api.customers.create({ name, ...(email ? { email } : {}), metadata: { orgId: auth.orgId } }, { idempotencyKey: `leadforge:customer:${auth.orgId}` }),
    );
    await this.billing.insertCustomer(db, auth.orgId, customer.id);
    return customer.id;
  }

  private async call<T>(request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      if (error instanceof AppError) throw error;
      throw new StripeUnavailableError(error);
    }
  }
}

