import { Injectable, Logger } from '@nestjs/common';
import type Stripe from 'stripe';
import type { EntityManager } from 'typeorm';
import type { AppConfig } from '../common/config/app-config';
import { InjectConfig } from '../common/config/config.module';
import type { BillingSubscription } from './billing-subscription.entity';
import { BillingRepository } from './billing.repository';
import { CreditsService } from './credits.service';
import type { PlanId } from './plans';
import { effectivePlan, replacesStored, stateOf } from './subscription-state';

/**
 * Stores a subscription's state as just read from Stripe and sets the organization's plan. The
 * caller holds the billing row's lock (FOR UPDATE) from before it read the subscription until it
 * commits, so syncs of one organization are serial and the last one wrote the newest state.
 */
@Injectable()
export class SubscriptionSyncService {
  private readonly logger = new Logger(SubscriptionSyncService.name);

  constructor(
    @InjectConfig() private readonly config: AppConfig,
    private readonly billing: BillingRepository,
    private readonly credits: CreditsService,
  ) {}

  /** Returns the plan now in force, or null when the subscription was not applied (an older one). */
  async apply(db: EntityManager, stored: BillingSubscription, subscription: Stripe.Subscription): Promise<PlanId | null> {
    if (!replacesStored(stored, subscription)) {
      this.logger.log({ orgId: stored.orgId, subscription: subscription.id, current: stored.stripeSubscriptionId }, 'older subscription left as it is');
      return null;
    }
    const plan = effectivePlan(this.config, subscription);
    const state = stateOf(subscription);
    if (plan === 'free' && state.status && !['canceled', 'incomplete_expired', 'incomplete'].includes(state.status)) {
      this.logger.warn({ orgId: stored.orgId, price: state.stripePriceId }, 'subscription price matches no configured plan; the free plan applies');
    }
    await this.billing.saveState(db, stored.orgId, state);
    await this.credits.ensureAccount(db, stored.orgId);
    await this.billing.setPlan(db, stored.orgId, plan);
    Object.assign(stored, state);
    return plan;
  }
}
