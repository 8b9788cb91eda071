import { HttpStatus } from '@nestjs/common';
import { AppError } from '../common/errors/app-error';

export class BillingNotConfiguredError extends AppError {
  constructor(what = 'Payments are not configured on this server (STRIPE_SECRET_KEY is not set).') {
    super('billing_not_configured', HttpStatus.SERVICE_UNAVAILABLE, what);
  }
}

export class PlanNotPurchasableError extends AppError {
  constructor(plan: string) {
    super('plan_not_purchasable', HttpStatus.UNPROCESSABLE_ENTITY, `The ${plan} plan cannot be bought here (it is free, or its Stripe price is not configured).`, {
      errors: [{ field: 'plan', message: 'must be a paid plan with a configured price' }],
    });
  }
}

export class SubscriptionExistsError extends AppError {
  constructor(status: string) {
    super('subscription_exists', HttpStatus.CONFLICT, 'The organization already has a subscription; change or cancel it in the billing portal.', {
      extensions: { subscriptionStatus: status },
    });
  }
}

export class NoSubscriptionError extends AppError {
  constructor(detail = 'The organization has no active subscription.') {
    super('no_subscription', HttpStatus.CONFLICT, detail);
  }
}

export class NoBillingAccountError extends AppError {
  constructor() {
    super('no_billing_account', HttpStatus.CONFLICT, 'The organization has no billing account yet; buy a plan with create-checkout first.');
  }
}

export class InvalidStripeSignatureError extends AppError {
  constructor() {
    super('invalid_stripe_signature', HttpStatus.BAD_REQUEST, 'The Stripe-Signature header does not match the body, or its timestamp is too old.');
  }
}

export class StripeUnavailableError extends AppError {
  constructor(cause: unknown) {
    super('stripe_unavailable', HttpStatus.BAD_GATEWAY, 'Stripe could not be reached or refused the request; try again.', { cause });
  }
}
