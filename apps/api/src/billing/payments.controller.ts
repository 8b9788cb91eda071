import { Body, Controller, Get, Headers, HttpCode, HttpStatus, Post, Query, Req } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBody, ApiConflictResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Throttle } from '@nestjs/throttler';
import type { AuthContext } from '../common/auth/auth-context';
import { Auth } from '../common/auth/auth.decorator';
import { CurrentAuth } from '../common/auth/current-auth.decorator';
import { validateIdempotencyKey } from '../common/idempotency/idempotency.service';
import { ProblemResponse } from '../common/openapi/problem.schema';
import { DEFAULT_PAGE_SIZE, PageQuery } from '../common/pagination/page';
import {
  CheckoutSessionResponse,
  CreateCheckoutRequest,
  CreditsResponse,
  PlanListResponse,
  PortalSessionResponse,
  SubscriptionStatusResponse,
  WebhookAckResponse,
} from './dto/payments.dto';
import { PaymentsService } from './payments.service';
import { StripeWebhookService } from './stripe-webhook.service';
import type { RawBodyRequest } from './webhook-raw-body';

const NOT_CONFIGURED = { status: 503, type: ProblemResponse, description: '`billing_not_configured`: STRIPE_SECRET_KEY is not set on this server.' };
const STRIPE_FAILED = { status: 502, type: ProblemResponse, description: '`stripe_unavailable`: Stripe could not be reached or refused the request.' };

@ApiTags('payments')
@Controller('payments')
export class PaymentsController {
  constructor(
    private readonly payments: PaymentsService,
    private readonly webhooks: StripeWebhookService,
  ) {}

  @Get('plans')
  @Auth()
  @ApiOperation({ summary: 'The plans with their limits, monthly credits and whether they can be bought here.' })
  @ApiOkResponse({ type: PlanListResponse })
  plans(): PlanListResponse {
    return { items: this.payments.plans(), nextCursor: null };
  }

  @Get('subscription-status')
  @Auth()
  @ApiOperation({ summary: "The organization's plan and Stripe subscription state." })
  @ApiOkResponse({ type: SubscriptionStatusResponse })
  subscriptionStatus(@CurrentAuth() auth: AuthContext): Promise<SubscriptionStatusResponse> {
    return this.payments.subscriptionStatus(auth);
  }

  @Get('credits')
  @Auth()
  @ApiOperation({ summary: 'The credit balance and the ledger (every change with the balance after it), newest first.' })
  @ApiOkResponse({ type: CreditsResponse })
  credits(@CurrentAuth() auth: AuthContext, @Query() query: PageQuery): Promise<CreditsResponse> {
    return this.payments.credits(auth, { limit: query.limit ?? DEFAULT_PAGE_SIZE, cursor: query.cursor });
  }

  @Post('create-checkout')
  @HttpCode(HttpStatus.OK)
  @Auth({ roles: ['owner', 'admin'] })
  @Throttle({ default: { limit: 30, ttl: 60_000 } })
  @ApiOperation({ summary: 'A Stripe Checkout session for a paid plan; send the browser to `url`. The plan applies when Stripe confirms the payment.' })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Same key and body within 24 h returns the first response; another body is a 422.' })
  @ApiOkResponse({ type: CheckoutSessionResponse })
  @ApiConflictResponse({ type: ProblemResponse, description: '`subscription_exists`: change or cancel the subscription in the portal instead.' })
  @ApiResponse({ status: 422, type: ProblemResponse, description: '`plan_not_purchasable` or `idempotency_key_reused`.' })
  @ApiResponse(STRIPE_FAILED)
  @ApiResponse(NOT_CONFIGURED)
  createCheckout(
    @CurrentAuth() auth: AuthContext,
    @Body() body: CreateCheckoutRequest,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
  ): Promise<CheckoutSessionResponse> {
    return this.payments.createCheckout(auth, body.plan, validateIdempotencyKey(idempotencyKey));
  }

  @Post('portal')
  @HttpCode(HttpStatus.OK)
  @Auth({ roles: ['owner', 'admin'] })
  @ApiOperation({ summary: 'A Stripe Customer Portal session (payment methods, invoices, plan changes).' })
  @ApiOkResponse({ type: PortalSessionResponse })
  @ApiConflictResponse({ type: ProblemResponse, description: '`no_billing_account`: the organization never started a checkout.' })
  @ApiResponse(STRIPE_FAILED)
  @ApiResponse(NOT_CONFIGURED)
  portal(@CurrentAuth() auth: AuthContext): Promise<PortalSessionResponse> {
    return this.payments.portal(auth);
  }

  @Post('cancel-subscription')
  @HttpCode(HttpStatus.OK)
  @Auth({ roles: ['owner', 'admin'] })
  @ApiOperation({ summary: 'Cancel at the end of the paid period: the plan stays until then, and resume-subscription undoes it.' })
  @ApiOkResponse({ type: SubscriptionStatusResponse })
  @ApiConflictResponse({ type: ProblemResponse, description: '`no_subscription`' })
  @ApiResponse(STRIPE_FAILED)
  @ApiResponse(NOT_CONFIGURED)
  cancelSubscription(@CurrentAuth() auth: AuthContext): Promise<SubscriptionStatusResponse> {
    return this.payments.cancel(auth);
  }

  @Post('resume-subscription')
  @HttpCode(HttpStatus.OK)
  @Auth({ roles: ['owner', 'admin'] })
  @ApiOperation({ summary: 'Undo a cancellation before the period ends.' })
  @ApiOkResponse({ type: SubscriptionStatusResponse })
  @ApiConflictResponse({ type: ProblemResponse, description: '`no_subscription`: nothing to resume (no subscription, or it has already ended).' })
  @ApiResponse(STRIPE_FAILED)
  @ApiResponse(NOT_CONFIGURED)
  resumeSubscription(@CurrentAuth() auth: AuthContext): Promise<SubscriptionStatusResponse> {
    return this.payments.resume(auth);
  }

  @Post('webhook')
  @HttpCode(HttpStatus.OK)
  @Throttle({ default: { limit: 1200, ttl: 60_000 } })
  @ApiOperation({
    summary: 'Stripe webhook endpoint (public; verified by the Stripe-Signature header over the raw body). Records the event and answers; a job applies it. Each event id takes effect once.',
  })
  @ApiHeader({ name: 'Stripe-Signature', required: true })
  @ApiBody({ description: 'A Stripe event, exactly as Stripe sent it.', schema: { type: 'object', additionalProperties: true } })
  @ApiOkResponse({ type: WebhookAckResponse })
  @ApiBadRequestResponse({ type: ProblemResponse, description: '`invalid_stripe_signature`: missing or wrong signature, altered body, or timestamp older than 5 minutes.' })
  @ApiResponse({ status: 503, type: ProblemResponse, description: '`billing_not_configured`: STRIPE_SECRET_KEY or STRIPE_WEBHOOK_SECRET is not set.' })
  webhook(@Req() request: RawBodyRequest, @Headers('stripe-signature') signature: string | undefined): Promise<WebhookAckResponse> {
    return this.webhooks.receive(request.rawBody, signature);
  }
}
