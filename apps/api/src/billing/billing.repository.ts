import { Injectable } from '@nestjs/common';
import { type EntityManager, LessThan } from 'typeorm';
import { BillingSubscription } from './billing-subscription.entity';
import { CreditLedgerEntry } from './credit-ledger-entry.entity';
import type { PlanId } from './plans';
import { StripeEvent } from './stripe-event.entity';

/** The subscription columns that are re-read from Stripe. */
export type SubscriptionState = Pick<
  BillingSubscription,
  'stripeSubscriptionId' | 'status' | 'stripePriceId' | 'cancelAtPeriodEnd' | 'currentPeriodEnd' | 'canceledAt' | 'subscriptionCreatedAt'
>;

export interface OwnerContact {
  email: string;
  name: string;
}

/**
 * Billing queries. Org-scoped methods take the org id and filter by it; the two `*System`
 * methods run in system scope (webhook routing by Stripe customer, the monthly free grant).
 */
@Injectable()
export class BillingRepository {
  find(db: EntityManager, orgId: string, lock = false): Promise<BillingSubscription | null> {
    return db.findOne(BillingSubscription, { where: { orgId }, ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}) });
  }

  async insertCustomer(db: EntityManager, orgId: string, stripeCustomerId: string): Promise<void> {
    await db.query(`INSERT INTO billing_subscription (org_id, stripe_customer_id) VALUES ($1, $2) ON CONFLICT (org_id) DO NOTHING`, [orgId, stripeCustomerId]);
  }

  async saveState(db: EntityManager, orgId: string, state: SubscriptionState): Promise<void> {
    await db.update(BillingSubscription, { orgId }, { ...state, syncedAt: new Date() });
  }

  async setPlan(db: EntityManager, orgId: string, plan: PlanId): Promise<void> {
    await db.query(`UPDATE credit_account SET plan = $2, updated_at = now() WHERE org_id = $1 AND plan IS DISTINCT FROM $2`, [orgId, plan]);
  }

  async planOf(db: EntityManager, orgId: string): Promise<PlanId> {
    const rows = (await db.query(`SELECT plan FROM credit_account WHERE org_id = $1`, [orgId])) as Array<{ plan: PlanId }>;
    return rows[0]?.plan ?? 'free';
  }

  /** System scope: which organization a Stripe customer belongs to. */
  async orgOfCustomerSystem(db: EntityManager, stripeCustomerId: string): Promise<string | null> {
    const rows = (await db.query(`SELECT org_id FROM billing_subscription WHERE stripe_customer_id = $1`, [stripeCustomerId])) as Array<{ org_id: string }>;
    return rows[0]?.org_id ?? null;
  }

  /**
   * Records an event: true for the first transaction to insert it. A concurrent duplicate waits on
   * the primary key until the first commits (then gets false) or rolls back (then records it).
   */
  async recordEvent(db: EntityManager, event: { id: string; type: string; created: number; object: unknown }, orgId: string | null): Promise<boolean> {
    const rows = (await db.query(
      `INSERT INTO stripe_event (id, type, org_id, stripe_created_at, object) VALUES ($1, $2, $3, to_timestamp($4), $5::jsonb) ON CONFLICT (id) DO NOTHING RETURNING id`,
      [event.id, event.type, orgId, event.created, JSON.stringify(event.object)],
    )) as unknown[];
    return rows.length > 0;
  }

  /** System scope: a recorded event, locked until the transaction ends. */
  lockEventSystem(db: EntityManager, eventId: string): Promise<StripeEvent | null> {
    return db.findOne(StripeEvent, { where: { id: eventId }, lock: { mode: 'pessimistic_write' } });
  }

  /** System scope: names the organization of an event recorded before its customer was known. */
  async setEventOrgSystem(db: EntityManager, eventId: string, orgId: string): Promise<void> {
    await db.update(StripeEvent, { id: eventId }, { orgId });
  }

  async markEventProcessed(db: EntityManager, eventId: string): Promise<void> {
    await db.update(StripeEvent, { id: eventId }, { processedAt: new Date() });
  }

  /** Processed events received more than `olderThanDays` ago; unprocessed ones stay for inspection. */
  async purgeEventsSystem(db: EntityManager, olderThanDays: number): Promise<number> {
    const result = (await db.query(`DELETE FROM stripe_event WHERE received_at < now() - make_interval(days => $1) AND processed_at IS NOT NULL`, [
      olderThanDays,
    ])) as [unknown[], number];
    return result[1];
  }

  async hasPlanGrant(db: EntityManager, orgId: string, reference: string): Promise<boolean> {
    const rows = (await db.query(`SELECT 1 FROM credit_ledger WHERE org_id = $1 AND reason = 'plan_grant' AND reference = $2`, [orgId, reference])) as unknown[];
    return rows.length > 0;
  }

  /** System scope: free-plan organizations created before `createdBefore` without the grant `reference` yet. */
  async freeOrgsWithoutGrantSystem(db: EntityManager, reference: string, createdBefore: Date): Promise<string[]> {
    const rows = (await db.query(
      `SELECT a.org_id FROM credit_account a JOIN organization o ON o.id = a.org_id
        WHERE a.plan = 'free' AND o.created_at < $2
          AND NOT EXISTS (SELECT 1 FROM credit_ledger l WHERE l.org_id = a.org_id AND l.reason = 'plan_grant' AND l.reference = $1)
        ORDER BY a.org_id`,
      [reference, createdBefore],
    )) as Array<{ org_id: string }>;
    return rows.map((row) => row.org_id);
  }

  /** Ledger rows, newest first (keyset over UUIDv7 ids). */
  ledger(db: EntityManager, orgId: string, limit: number, cursor?: string): Promise<CreditLedgerEntry[]> {
    return db.find(CreditLedgerEntry, {
      where: { orgId, ...(cursor ? { id: LessThan(cursor) } : {}) },
      order: { id: 'DESC' },
      take: limit + 1,
    });
  }

  async owners(db: EntityManager, orgId: string): Promise<OwnerContact[]> {
    return (await db.query(
      `SELECT u.email, u.name FROM membership m JOIN user_account u ON u.id = m.user_id WHERE m.org_id = $1 AND m.role = 'owner' ORDER BY u.email`,
      [orgId],
    )) as OwnerContact[];
  }

  async organizationName(db: EntityManager, orgId: string): Promise<string> {
    const rows = (await db.query(`SELECT name FROM organization WHERE id = $1`, [orgId])) as Array<{ name: string }>;
    return rows[0]?.name ?? '';
  }

  async userEmail(db: EntityManager, orgId: string, userId: string): Promise<string | undefined> {
    const rows = (await db.query(`SELECT u.email FROM membership m JOIN user_account u ON u.id = m.user_id WHERE m.org_id = $1 AND m.user_id = $2`, [
      orgId,
      userId,
    ])) as Array<{ email: string }>;
    return rows[0]?.email;
  }
}
