import { Injectable } from '@nestjs/common';
import type { Job } from 'pg-boss';
import { TenantDatabase } from '../database/tenant-database';
import { MailService } from '../mail/mail.service';
import { JobHandler } from '../queue/job-handler.decorator';
import { BillingRepository } from './billing.repository';

export const PAYMENT_FAILED_QUEUE = 'billing.payment-failed-notice';

export interface PaymentFailedNotice {
  orgId: string;
  invoiceId: string;
  /** Smallest currency unit, as Stripe sends it. */
  amountDue: number;
  currency: string;
}

export function formatAmount(amount: number, currency: string): string {
  try {
    const digits = new Intl.NumberFormat('en', { style: 'currency', currency: currency.toUpperCase() }).resolvedOptions().maximumFractionDigits ?? 2;
    return new Intl.NumberFormat('en', { style: 'currency', currency: currency.toUpperCase() }).format(amount / 10 ** digits);
  } catch {
    return `${amount} ${currency.toUpperCase()}`;
  }
}

/**
 * Emails every owner of an organization whose payment failed. Queued by the Stripe event's job in
 * the transaction that marks the event processed, so it is sent once per failed-payment event.
 */
@Injectable()
export class BillingNoticesService {
  constructor(
    private readonly tenant: TenantDatabase,
    private readonly billing: BillingRepository,
    private readonly mail: MailService,
  ) {}

  @JobHandler({ queue: PAYMENT_FAILED_QUEUE, retryLimit: 5, retryDelaySeconds: 30, retryBackoff: true })
  async paymentFailed(job: Job<PaymentFailedNotice>): Promise<void> {
    const { orgId, amountDue, currency } = job.data;
    const { owners, organizationName } = await this.tenant.inOrg(orgId, async (db) => ({
      owners: await this.billing.owners(db, orgId),
      organizationName: await this.billing.organizationName(db, orgId),
    }));
    const link = this.mail.link('billing');
    for (const owner of owners) {
      await this.mail.send('payment-failed', owner.email, { name: owner.name, organizationName, amountDue: formatAmount(amountDue, currency), link });
    }
  }
}
