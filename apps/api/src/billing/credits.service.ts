import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { AppConfig } from '../common/config/app-config';
import { InjectConfig } from '../common/config/config.module';
import { newId } from '../common/ids';
import { InsufficientCreditsError, PaymentPastDueError } from './credit-errors';
import { CreditLedgerEntry, type LedgerReason } from './credit-ledger-entry.entity';

/** Subscription statuses in which new tasks are refused until the invoice is paid. */
export const PAYMENT_OVERDUE_STATUSES: readonly string[] = ['past_due', 'unpaid'];

export interface LedgerWrite {
  orgId: string;
  delta: number;
  reason: LedgerReason;
  taskId?: string | null;
  createdBy?: string | null;
  note?: string | null;
  reference?: string | null;
}

/**
 * Credit balance and ledger. Every change is one UPDATE of the balance (never below zero, by the
 * WHERE clause and a CHECK) and one append-only ledger row with the balance after it, in the
 * caller's transaction: the balance always equals the ledger's sum.
 */
@Injectable()
export class CreditsService {
  constructor(@InjectConfig() private readonly config: AppConfig) {}

  /** Creates the account with the default grant the first time an organization needs it. */
  async ensureAccount(db: EntityManager, orgId: string): Promise<void> {
    const created = (await db.query(
      `INSERT INTO credit_account (org_id, balance) VALUES ($1, $2) ON CONFLICT (org_id) DO NOTHING RETURNING balance`,
      [orgId, this.config.defaultCredits],
    )) as Array<{ balance: string }>;
    if (created.length > 0) {
      await this.appendLedger(db, { orgId, delta: this.config.defaultCredits, reason: 'initial_grant', note: 'Credits of a new organization' }, this.config.defaultCredits);
    }
  }

  /** Locks the account row for the rest of the transaction (serializes an org's starts) and returns the balance. */
  async lockAccount(db: EntityManager, orgId: string): Promise<number> {
    await this.ensureAccount(db, orgId);
    const rows = (await db.query(`SELECT balance FROM credit_account WHERE org_id = $1 FOR UPDATE`, [orgId])) as Array<{ balance: string }>;
    return Number(rows[0]!.balance);
  }

  async balance(db: EntityManager, orgId: string): Promise<number> {
    await this.ensureAccount(db, orgId);
    const rows = (await db.query(`SELECT balance FROM credit_account WHERE org_id = $1`, [orgId])) as Array<{ balance: string }>;
    return Number(rows[0]!.balance);
  }

  /** Takes `amount` credits or throws 402 insufficient_credits with the balance; atomic under concurrency. */
  async debit(db: EntityManager, write: LedgerWrite & { delta: number }): Promise<number> {
    const amount = -write.delta;
    if (amount < 0) throw new Error('debit takes a negative delta');
    await this.ensureAccount(db, write.orgId);
    const rows = (await db.query(
      `UPDATE credit_account SET balance = balance - $2, updated_at = now() WHERE org_id = $1 AND balance >= $2 RETURNING balance`,
      [write.orgId, amount],
    )) as [Array<{ balance: string }>, number];
    const updated = rows[0];
    if (updated.length === 0) {
      const current = await this.balance(db, write.orgId);
      throw new InsufficientCreditsError(current, amount);
    }
    const balanceAfter = Number(updated[0]!.balance);
    await this.appendLedger(db, write, balanceAfter);
    return balanceAfter;
  }

  /** Gives credits (settlement refunds, grants, purchases). */
  async credit(db: EntityManager, write: LedgerWrite): Promise<number> {
    if (write.delta <= 0) throw new Error('credit takes a positive delta');
    await this.ensureAccount(db, write.orgId);
    const rows = (await db.query(`UPDATE credit_account SET balance = balance + $2, updated_at = now() WHERE org_id = $1 RETURNING balance`, [
      write.orgId,
      write.delta,
    ])) as [Array<{ balance: string }>, number];
    const balanceAfter = Number(rows[0][0]!.balance);
    await this.appendLedger(db, write, balanceAfter);
    return balanceAfter;
  }

  /**
   * Refuses new scrape tasks while the subscription's payment is overdue (402 payment_past_due).
   * Called by the scraper in the transaction that starts a task.
   */
  async assertTasksAllowed(db: EntityManager, orgId: string): Promise<void> {
    const rows = (await db.query(`SELECT status FROM billing_subscription WHERE org_id = $1`, [orgId])) as Array<{ status: string | null }>;
    const status = rows[0]?.status;
    if (status && PAYMENT_OVERDUE_STATUSES.includes(status)) throw new PaymentPastDueError(status);
  }

  private async appendLedger(db: EntityManager, write: LedgerWrite, balanceAfter: number): Promise<void> {
    await db.insert(CreditLedgerEntry, {
      id: newId(),
      orgId: write.orgId,
      delta: write.delta,
      reason: write.reason,
      taskId: write.taskId ?? null,
      balanceAfter,
      createdBy: write.createdBy ?? null,
      note: write.note ?? null,
      reference: write.reference ?? null,
    });
  }
}
