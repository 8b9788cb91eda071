import { Global, Module } from '@nestjs/common';
import { CreditsService } from './credits.service';

/** Credits (balance + append-only ledger) and plans; payments through Stripe build on it. */
@Global()
@Module({
  providers: [CreditsService],
  exports: [CreditsService],
})
export class BillingModule {}
