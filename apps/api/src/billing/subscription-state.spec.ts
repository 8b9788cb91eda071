import type Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { loadAppConfig } from '../common/config/app-config';
import { planOfStripePrice, planOffers } from './plans';
import { effectivePlan, grantsCredits, replacesStored, stateOf, subscriptionIdOfInvoice } from './subscription-state';

const config = { stripePrices: { pro: 'price_pro', business: 'price_business' }, stripeSecretKey: 'sk_test_x' };
const at = (seconds: number): Date => new Date(seconds * 1000);

function subscription(patch: Partial<{ id: string; status: string; created: number; price: string; periodEnd: number; cancelAtPeriodEnd: boolean }> = {}): Stripe.Subscription {
  return {
    id: patch.id ?? 'sub_1',
    status: patch.status ?? 'active',
    created: patch.created ?? 1_000,
    cancel_at_period_end: patch.cancelAtPeriodEnd ?? false,
    canceled_at: null,
    items: { data: [{ price: { id: patch.price ?? 'price_pro' }, current_period_end: patch.periodEnd ?? 5_000 }] },
  } as unknown as Stripe.Subscription;
}

describe('plans', () => {
  it('map Stripe price ids to paid plans, and nothing else', () => {
    expect(planOfStripePrice(config, 'price_pro')).toBe('pro');
    expect(planOfStripePrice(config, 'price_business')).toBe('business');
    expect(planOfStripePrice(config, 'price_other')).toBeUndefined();
    expect(planOfStripePrice({ stripePrices: { pro: undefined, business: undefined } }, undefined)).toBeUndefined();
  });

  it('are purchasable only with a secret key and a price', () => {
    expect(planOffers(config).map((plan) => plan.purchasable)).toEqual([false, true, true]);
    expect(planOffers({ ...config, stripeSecretKey: undefined }).map((plan) => plan.purchasable)).toEqual([false, false, false]);
    expect(planOffers({ stripePrices: { pro: 'price_pro', business: undefined }, stripeSecretKey: 'sk' }).map((plan) => plan.purchasable)).toEqual([false, true, false]);
  });
});

describe('subscription state', () => {
  it('applies the paid plan while active, trialing, past_due or unpaid, and free otherwise', () => {
    for (const status of ['active', 'trialing', 'past_due', 'unpaid']) expect(effectivePlan(config, subscription({ status }))).toBe('pro');
    for (const status of ['canceled', 'incomplete', 'incomplete_expired', 'paused']) expect(effectivePlan(config, subscription({ status }))).toBe('free');
    expect(effectivePlan(config, subscription({ price: 'price_unknown' }))).toBe('free');
  });

  it('reads the period end from the items (current API versions)', () => {
    expect(stateOf(subscription({ periodEnd: 9_000, cancelAtPeriodEnd: true }))).toMatchObject({ currentPeriodEnd: at(9_000), cancelAtPeriodEnd: true, stripePriceId: 'price_pro' });
  });

  it('lets the current subscription always update, a newer live one replace it, and an ended one never replace a live one', () => {
    const stored = { stripeSubscriptionId: 'sub_1', status: 'active', subscriptionCreatedAt: at(1_000) };
    expect(replacesStored(null, subscription())).toBe(true);
    expect(replacesStored({ stripeSubscriptionId: null, status: null, subscriptionCreatedAt: null }, subscription())).toBe(true);
    expect(replacesStored(stored, subscription({ status: 'canceled' }))).toBe(true);
    expect(replacesStored(stored, subscription({ id: 'sub_old', status: 'canceled', created: 500 }))).toBe(false);
    expect(replacesStored(stored, subscription({ id: 'sub_old', status: 'active', created: 500 }))).toBe(false);
    expect(replacesStored(stored, subscription({ id: 'sub_new', status: 'active', created: 2_000 }))).toBe(true);
    const ended = { ...stored, status: 'canceled' };
    expect(replacesStored(ended, subscription({ id: 'sub_new', status: 'active', created: 500 }))).toBe(true);
    expect(replacesStored(ended, subscription({ id: 'sub_old', status: 'canceled', created: 500 }))).toBe(false);
  });

  it('finds the subscription of an invoice in parent.subscription_details, or on older payloads on the invoice', () => {
    expect(subscriptionIdOfInvoice({ parent: { subscription_details: { subscription: 'sub_a' } } } as unknown as Stripe.Invoice)).toBe('sub_a');
    expect(subscriptionIdOfInvoice({ parent: null, subscription: { id: 'sub_b' } } as unknown as Stripe.Invoice)).toBe('sub_b');
    expect(subscriptionIdOfInvoice({ parent: null } as unknown as Stripe.Invoice)).toBeNull();
  });

  it('grants credits for the first invoice, renewals and paid plan changes only', () => {
    expect(grantsCredits({ billing_reason: 'subscription_create', amount_paid: 0 })).toBe(true);
    expect(grantsCredits({ billing_reason: 'subscription_cycle', amount_paid: 2900 })).toBe(true);
    expect(grantsCredits({ billing_reason: 'subscription_update', amount_paid: 1200 })).toBe(true);
    expect(grantsCredits({ billing_reason: 'subscription_update', amount_paid: 0 })).toBe(false);
    expect(grantsCredits({ billing_reason: 'manual', amount_paid: 2900 })).toBe(false);
  });
});

describe('Stripe configuration', () => {
  const base = { DATA_DIR: '/tmp/leadforge-billing-config', JWT_SECRET: 'j'.repeat(40), ENCRYPTION_KEY: 'e'.repeat(40) };
  const production = { ...base, NODE_ENV: 'production', DATABASE_URL: 'postgres://u:p@db/leadforge' };

  it('reads price ids and the API base', () => {
    const config = loadAppConfig({ ...base, STRIPE_PRICE_PRO: 'price_123', STRIPE_API_BASE: 'http://127.0.0.1:12111' });
    expect(config.stripePrices).toEqual({ pro: 'price_123', business: undefined });
    expect(config.stripeApiBase).toEqual({ protocol: 'http', host: '127.0.0.1', port: 12111 });
    expect(loadAppConfig(base).stripeApiBase).toBeUndefined();
  });

  it('rejects malformed price ids and API bases, plain http and a missing webhook secret in production', () => {
    expect(() => loadAppConfig({ ...base, STRIPE_PRICE_BUSINESS: 'prod_123' })).toThrow(/STRIPE_PRICE_BUSINESS/);
    expect(() => loadAppConfig({ ...base, STRIPE_API_BASE: 'http://127.0.0.1:1/v1' })).toThrow(/STRIPE_API_BASE/);
    expect(() => loadAppConfig({ ...base, STRIPE_API_BASE: 'ftp://stripe.test' })).toThrow(/STRIPE_API_BASE/);
    expect(() => loadAppConfig({ ...production, STRIPE_API_BASE: 'http://stripe-mock:12111' })).toThrow(/STRIPE_API_BASE/);
    expect(() => loadAppConfig({ ...production, STRIPE_SECRET_KEY: 'sk_live_x' })).toThrow(/STRIPE_WEBHOOK_SECRET/);
    expect(loadAppConfig({ ...production, STRIPE_SECRET_KEY: 'sk_live_x', STRIPE_WEBHOOK_SECRET: 'whsec_x' }).stripeSecretKey).toBe('sk_live_x');
  });
});
