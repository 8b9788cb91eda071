import type { AppConfig } from '../common/config/app-config';

export const PLAN_IDS = ['free', 'pro', 'business'] as const;
export type PlanId = (typeof PLAN_IDS)[number];
export type PaidPlanId = Exclude<PlanId, 'free'>;
export const PAID_PLAN_IDS: PaidPlanId[] = ['pro', 'business'];

export interface PlanLimits {
  id: PlanId;
  name: string;
  /** Credits granted each month (one credit = one page fetched). */
  monthlyCredits: number;
  /** Tasks queued, running or paused at once. */
  concurrentTasks: number;
  /** Largest `options.maxPages` (pages per seed) a task may ask for. */
  maxPagesPerSeed: number;
  seats: number;
  /**
   * Whether credits left at the next monthly grant are kept. When false the grant first expires
   * what is left (a `credit_expiry` ledger row), so the balance starts the month at `monthlyCredits`.
   */
  creditsRollOver: boolean;
}

/** The plan catalogue: the scraper reads these limits through `credit_account.plan`. */
export const PLANS: Record<PlanId, PlanLimits> = {
  free: { id: 'free', name: 'Free', monthlyCredits: 1_000, concurrentTasks: 2, maxPagesPerSeed: 200, seats: 3, creditsRollOver: false },
  pro: { id: 'pro', name: 'Pro', monthlyCredits: 25_000, concurrentTasks: 5, maxPagesPerSeed: 2_000, seats: 10, creditsRollOver: false },
  business: { id: 'business', name: 'Business', monthlyCredits: 150_000, concurrentTasks: 20, maxPagesPerSeed: 10_000, seats: 50, creditsRollOver: true },
};

export interface PlanOffer extends PlanLimits {
  /** The Stripe price of a paid plan (STRIPE_PRICE_PRO / STRIPE_PRICE_BUSINESS); null for free or when unset. */
  stripePriceId: string | null;
  /** Whether create-checkout can sell this plan now (Stripe configured and the price id set). */
  purchasable: boolean;
}

export function stripePriceIdOf(config: Pick<AppConfig, 'stripePrices'>, plan: PlanId): string | null {
  return plan === 'free' ? null : (config.stripePrices[plan] ?? null);
}

/** The paid plan a Stripe price id sells, or undefined for a price this deployment does not know. */
export function planOfStripePrice(config: Pick<AppConfig, 'stripePrices'>, priceId: string | null | undefined): PaidPlanId | undefined {
  if (!priceId) return undefined;
  return PAID_PLAN_IDS.find((plan) => config.stripePrices[plan] === priceId);
}

export function planOffers(config: Pick<AppConfig, 'stripePrices' | 'stripeSecretKey'>): PlanOffer[] {
  return PLAN_IDS.map((id) => {
    const stripePriceId = stripePriceIdOf(config, id);
    return { ...PLANS[id], stripePriceId, purchasable: Boolean(stripePriceId && config.stripeSecretKey) };
  });
}
