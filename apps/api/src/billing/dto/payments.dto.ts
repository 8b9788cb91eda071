import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { LEDGER_REASONS } from '../credit-ledger-entry.entity';
import { PAID_PLAN_IDS, type PaidPlanId, PLAN_IDS } from '../plans';

export class CreateCheckoutRequest {
  @ApiProperty({ enum: PAID_PLAN_IDS, description: 'The paid plan to buy.' })
  @IsIn(PAID_PLAN_IDS)
  plan!: PaidPlanId;
}

export class CheckoutSessionResponse {
  @ApiProperty({ description: 'Stripe Checkout page to send the browser to.', example: 'https://checkout.stripe.com/c/pay/cs_test_a1b2' })
  url!: string;

  @ApiProperty({ example: 'cs_test_a1b2' })
  sessionId!: string;
}

export class PortalSessionResponse {
  @ApiProperty({ description: 'Stripe Customer Portal page (payment methods, invoices, plan changes).', example: 'https://billing.stripe.com/p/session/test_a1b2' })
  url!: string;
}

export class PlanResponse {
  @ApiProperty({ enum: PLAN_IDS }) id!: string;
  @ApiProperty({ example: 'Pro' }) name!: string;
  @ApiProperty({ description: 'Credits granted each month (1 credit = 1 page fetched).' }) monthlyCredits!: number;
  @ApiProperty({ description: 'Tasks queued, running or paused at once.' }) concurrentTasks!: number;
  @ApiProperty({ description: 'Largest options.maxPages a task may ask for.' }) maxPagesPerSeed!: number;
  @ApiProperty() seats!: number;
  @ApiProperty({ description: 'Whether unused credits are kept at the next monthly grant.' }) creditsRollOver!: boolean;
  @ApiProperty({ type: 'string', nullable: true, description: 'Stripe price id (paid plans).' }) stripePriceId!: string | null;
  @ApiProperty({ description: 'Whether create-checkout can sell this plan on this server.' }) purchasable!: boolean;
}

export class PlanListResponse {
  @ApiProperty({ type: [PlanResponse] }) items!: PlanResponse[];
  @ApiProperty({ type: 'string', nullable: true, description: 'Always null: every plan is on one page.' }) nextCursor!: string | null;
}

export class SubscriptionStatusResponse {
  @ApiProperty({ type: PlanResponse, description: 'The plan whose limits apply now.' }) plan!: PlanResponse;
  @ApiProperty({ type: 'string', nullable: true, description: "Stripe's subscription status (active, trialing, past_due, unpaid, canceled, ...); null without a subscription." })
  status!: string | null;
  @ApiProperty({ description: 'The subscription ends (back to free) at currentPeriodEnd unless resumed.' }) cancelAtPeriodEnd!: boolean;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true }) currentPeriodEnd!: Date | null;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true }) canceledAt!: Date | null;
  @ApiProperty({ description: 'A payment is overdue: new tasks are refused (402 payment_past_due) until it is paid.' }) paymentPastDue!: boolean;
  @ApiProperty({ description: 'Whether payments through Stripe are available on this server.' }) billingConfigured!: boolean;
}

export class LedgerEntryResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ description: 'Credits added (positive) or taken (negative).' }) delta!: number;
  @ApiProperty({ enum: LEDGER_REASONS }) reason!: string;
  @ApiPropertyOptional({ format: 'uuid' }) taskId?: string;
  @ApiPropertyOptional() note?: string;
  @ApiProperty({ description: 'The balance right after this entry.' }) balanceAfter!: number;
  @ApiProperty({ type: 'string', format: 'date-time' }) createdAt!: Date;
}

export class CreditsResponse {
  @ApiProperty() balance!: number;
  @ApiProperty({ type: [LedgerEntryResponse], description: 'Ledger rows, newest first.' }) items!: LedgerEntryResponse[];
  @ApiProperty({ type: 'string', nullable: true }) nextCursor!: string | null;
}

export class WebhookAckResponse {
  @ApiProperty({ enum: [true] }) received!: true;
  @ApiProperty({ description: 'The event was processed before (a retry or a concurrent duplicate); nothing was done again.' }) duplicate!: boolean;
  @ApiProperty({ description: 'False for event types Leadforge ignores and for unknown customers.' }) handled!: boolean;
}
