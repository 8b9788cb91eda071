import { Injectable } from '@nestjs/common';
import { createRequire } from 'node:module';
import type Stripe from 'stripe';
import type { AppConfig } from '../common/config/app-config';
import { InjectConfig } from '../common/config/config.module';
import { BillingNotConfiguredError } from './billing-errors';

const load = createRequire(__filename);

/**
 * The Stripe SDK, configured once, and loaded only when a secret key is set (it is some 200
 * modules that a deployment without billing never needs). `api` throws 503 billing_not_configured when no secret key is
 * set; STRIPE_API_BASE (tests) points the SDK at another host through its own host/port/protocol.
 */
@Injectable()
export class StripeClient {
  private readonly stripe: Stripe | undefined;

  constructor(@InjectConfig() private readonly config: AppConfig) {
    if (!config.stripeSecretKey) return;
    const base = config.stripeApiBase;
    const StripeSdk = load('stripe') as typeof Stripe;
    this.stripe = new StripeSdk(config.stripeSecretKey, {
      maxNetworkRetries: 2,
      timeout: 20_000,
      telemetry: false,
      appInfo: { name: 'Leadforge' },
      ...(base ? { host: base.host, port: base.port, protocol: base.protocol } : {}),
    });
  }

  get configured(): boolean {
    return this.stripe !== undefined;
  }

  get api(): Stripe {
    if (!this.stripe) throw new BillingNotConfiguredError();
    return this.stripe;
  }

  /** Verifies the signature (default 300 s tolerance) and parses the event; throws on any mismatch. */
  constructEvent(rawBody: Buffer, signature: string): Stripe.Event {
    if (!this.stripe || !this.config.stripeWebhookSecret) {
      throw new BillingNotConfiguredError('Stripe webhooks are not configured on this server (STRIPE_SECRET_KEY or STRIPE_WEBHOOK_SECRET is not set).');
    }
    return this.stripe.webhooks.constructEvent(rawBody, signature, this.config.stripeWebhookSecret);
  }
}
