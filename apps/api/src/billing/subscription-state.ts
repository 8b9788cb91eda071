import type Stripe from 'stripe';
import type { AppConfig } from '../common/config/app-config';
import type { SubscriptionState } from './billing.repository';
import { type PlanId, planOfStripePrice } from './plans';

/** Statuses in which the subscription is over and the organization is back on the free plan. */
export const ENDED_STATUSES: readonly string[] = ['canceled', 'incomplete_expired'];
/** Statuses in which the paid plan's limits apply (past_due/unpaid: limits kept, new tasks refused). */
export const PAID_STATUSES: readonly string[] = ['active', 'trialing', 'past_due', 'unpaid'];

const idOf = (value: string | { id: string } | null | undefined): string | null => (value == null ? null : typeof value === 'string' ? value : value.id);
const fromUnix = (seconds: number | null | undefined): Date | null => (seconds == null ? null : new Date(seconds * 1000));

export function priceIdOf(subscription: Stripe.Subscription): string | null {
  return subscription.items.data[0]?.price?.id ?? null;
}

export function stateOf(subscription: Stripe.Subscription): SubscriptionState {
  const periodEnds = subscription.items.data.map((item) => item.current_period_end).filter((value): value is number => typeof value === 'number');
  return {
    stripeSubscriptionId: subscription.id,
    status: subscription.status,
    stripePriceId: priceIdOf(subscription),
    cancelAtPeriodEnd: subscription.cancel_at_period_end,
    currentPeriodEnd: periodEnds.length > 0 ? fromUnix(Math.max(...periodEnds)) : null,
    canceledAt: fromUnix(subscription.canceled_at),
    subscriptionCreatedAt: fromUnix(subscription.created),
  };
}

/** The plan whose limits apply while the organization has this subscription. */
export function effectivePlan(config: Pick<AppConfig, 'stripePrices'>, subscription: Pick<Stripe.Subscription, 'status'> & { items: Stripe.Subscription['items'] }): PlanId {
  if (!PAID_STATUSES.includes(subscription.status)) return 'free';
  return planOfStripePrice(config, priceIdOf(subscription as Stripe.Subscription)) ?? 'free';
}

/**
 * Whether a subscription read from Stripe may overwrite what is stored. One subscription per
 * organization is current: the same one always updates (its state was just re-read, so it is the
 * newest); another one replaces it only when the stored one has ended or is older and both are live;
 * an ended subscription never replaces a live one (a late event of an old subscription).
 */
export function replacesStored(stored: Pick<SubscriptionState, 'stripeSubscriptionId' | 'status' | 'subscriptionCreatedAt'> | null, subscription: Pick<Stripe.Subscription, 'id' | 'status' | 'created'>): boolean {
  if (!stored?.stripeSubscriptionId || stored.stripeSubscriptionId === subscription.id) return true;
  const storedLive = stored.status !== null && !ENDED_STATUSES.includes(stored.status);
  const incomingLive = !ENDED_STATUSES.includes(subscription.status);
  const newer = (stored.subscriptionCreatedAt?.getTime() ?? 0) <= subscription.created * 1000;
  if (!storedLive) return incomingLive || newer;
  return incomingLive && newer;
}

export function subscriptionIdOfInvoice(invoice: Stripe.Invoice): string | null {
  const fromParent = idOf(invoice.parent?.subscription_details?.subscription);
  if (fromParent) return fromParent;
  // Older API versions put it on the invoice itself.
  return idOf((invoice as unknown as { subscription?: string | { id: string } | null }).subscription);
}

/** Invoices that start a paid month: the first one, each renewal, and a paid change of plan. */
export function grantsCredits(invoice: Pick<Stripe.Invoice, 'billing_reason' | 'amount_paid'>): boolean {
  if (invoice.billing_reason === 'subscription_create' || invoice.billing_reason === 'subscription_cycle') return true;
  return invoice.billing_reason === 'subscription_update' && invoice.amount_paid > 0;
}

export function customerIdOf(object: unknown): string | null {
  const customer = (object as { customer?: string | { id: string } | null } | null)?.customer;
  return idOf(customer);
}
