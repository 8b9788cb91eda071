import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { TenantDatabase } from '../database/tenant-database';
import { JobHandler } from '../queue/job-handler.decorator';
import { BillingRepository } from './billing.repository';
import { CreditsService } from './credits.service';
import { PLANS, type PlanId } from './plans';

export const FREE_GRANT_QUEUE = 'billing.free-monthly-grants';

/** `free:YYYY-MM` (UTC): the reference of a month's free grant. */
export function freeGrantReference(at: Date): string {
  return `free:${at.toISOString().slice(0, 7)}`;
}

const monthStart = (at: Date): Date => new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1));

/**
 * Monthly plan grants. A grant is one `plan_grant` ledger row whose reference (an invoice id, or
 * `free:YYYY-MM`) is unique per organization, checked under the account's row lock and backed by a
 * unique index: a grant is never given twice. Plans without roll-over first expire what is left.
 */
@Injectable()
export class PlanGrantsService {
  private readonly logger = new Logger(PlanGrantsService.name);

  constructor(
    private readonly tenant: TenantDatabase,
    private readonly credits: CreditsService,
    private readonly billing: BillingRepository,
  ) {}

  /** Returns false when the reference was granted before (or `onlyIfPlan` no longer holds). */
  async grant(db: EntityManager, orgId: string, plan: PlanId, reference: string, options: { onlyIfPlan?: PlanId } = {}): Promise<boolean> {
    const balance = await this.credits.lockAccount(db, orgId);
    if (options.onlyIfPlan && (await this.billing.planOf(db, orgId)) !== options.onlyIfPlan) return false;
    if (await this.billing.hasPlanGrant(db, orgId, reference)) return false;
    const limits = PLANS[plan];
    if (!limits.creditsRollOver && balance > 0) {
      await this.credits.debit(db, { orgId, delta: -balance, reason: 'credit_expiry', note: `Unused credits expire at the monthly ${limits.name} grant` });
    }
    const after = await this.credits.credit(db, { orgId, delta: limits.monthlyCredits, reason: 'plan_grant', reference, note: `${limits.name} plan, monthly credits` });
    await db.query(`SELECT pg_notify('leadforge_credits', $1)`, [JSON.stringify({ orgId, balance: after })]);
    return true;
  }

  /**
   * The free plan's monthly grant, for every free organization created before this month. Runs
   * daily so a missed day catches up; the reference makes it once per organization and month.
   */
  @JobHandler({ queue: FREE_GRANT_QUEUE, schedule: '10 0 * * *', retryLimit: 3, retryDelaySeconds: 60 })
  async runFreeGrants(): Promise<void> {
    await this.grantFreeMonth(new Date());
  }

  async grantFreeMonth(at: Date): Promise<number> {
    const reference = freeGrantReference(at);
    const orgIds = await this.tenant.asSystem((db) => this.billing.freeOrgsWithoutGrantSystem(db, reference, monthStart(at)));
    let granted = 0;
    for (const orgId of orgIds) {
      if (await this.tenant.inOrg(orgId, (db) => this.grant(db, orgId, 'free', reference, { onlyIfPlan: 'free' }))) granted += 1;
    }
    if (granted > 0) this.logger.log({ reference, granted }, 'free monthly credits granted');
    return granted;
  }
}
