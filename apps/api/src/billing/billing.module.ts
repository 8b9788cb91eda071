import { Global, Module } from '@nestjs/common';
import { BillingNoticesService } from './billing-notices.service';
import { BillingRepository } from './billing.repository';
import { CreditsService } from './credits.service';
import { PaymentsController } from './payments.controller';
import { PaymentsService } from './payments.service';
import { PlanGrantsService } from './plan-grants.service';
import { StripeWebhookService } from './stripe-webhook.service';
import { StripeClient } from './stripe.client';
import { SubscriptionSyncService } from './subscription-sync.service';
import { WebhookRawBody } from './webhook-raw-body';

/** Credits (balance + append-only ledger), plans, and payments through Stripe. */
@Global()
@Module({
  controllers: [PaymentsController],
  providers: [
    CreditsService,
    BillingRepository,
    StripeClient,
    SubscriptionSyncService,
    PlanGrantsService,
    PaymentsService,
    StripeWebhookService,
    BillingNoticesService,
    WebhookRawBody,
  ],
  exports: [CreditsService],
})
export class BillingModule {}
