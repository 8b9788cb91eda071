import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, problemOf, type Session } from '../support/api-client';
import { expectLedgerInvariant } from '../support/ledger';
import { stripeEvent, stripeSignature } from '../support/stripe-fake';
import { startTestApp, type TestApp } from '../support/test-app';

// No STRIPE_SECRET_KEY: plans and credits work, everything that needs Stripe answers 503.
let testApp: TestApp;
let api: ApiClient;
let owner: Session;

beforeAll(async () => {
  testApp = await startTestApp({ WORKERS_IN_PROCESS: 'false', STRIPE_PRICE_PRO: 'price_proMonthly' });
  api = new ApiClient(testApp.baseUrl);
  await api.register('owner@unconfigured.test', 'Una', 'Unconfigured Co');
  owner = await api.login('owner@unconfigured.test');
});

afterEach(async () => {
  await expectLedgerInvariant(testApp.databaseUrl);
});

afterAll(async () => {
  await testApp?.close();
});

describe('billing without Stripe keys', () => {
  it('serves plans, subscription status and credits', async () => {
    const plans = await api.json<{ items: Array<{ id: string; purchasable: boolean }> }>('GET', 'payments/plans', 200, { token: owner.accessToken });
    expect(plans.items.map((plan) => [plan.id, plan.purchasable])).toEqual([
      ['free', false],
      ['pro', false],
      ['business', false],
    ]);
    expect(await api.json('GET', 'payments/subscription-status', 200, { token: owner.accessToken })).toMatchObject({
      plan: { id: 'free' },
      status: null,
      paymentPastDue: false,
      billingConfigured: false,
    });
    const credits = await api.json<{ balance: number; items: unknown[]; nextCursor: null }>('GET', 'payments/credits', 200, { token: owner.accessToken });
    expect(credits).toMatchObject({ balance: 1000, items: [{ reason: 'initial_grant', delta: 1000, balanceAfter: 1000 }], nextCursor: null });
  });

  it('answers 503 billing_not_configured for checkout, portal, cancel, resume and the webhook', async () => {
    const calls: Array<[string, unknown]> = [
      ['payments/create-checkout', { plan: 'pro' }],
      ['payments/portal', undefined],
      ['payments/cancel-subscription', undefined],
      ['payments/resume-subscription', undefined],
    ];
    for (const [path, body] of calls) {
      const response = await api.request('POST', path, { token: owner.accessToken, body });
      expect(response.status, path).toBe(503);
      expect((await problemOf(response)).code, path).toBe('billing_not_configured');
    }
    const payload = JSON.stringify(stripeEvent('invoice.paid', { id: 'in_1', object: 'invoice', customer: 'cus_1' }));
    const webhook = await fetch(`${testApp.baseUrl}/api/v1/payments/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'stripe-signature': stripeSignature(payload, 'whsec_any_0123456789abcdef0123456789') },
      body: payload,
    });
    expect(webhook.status).toBe(503);
    expect((await problemOf(webhook)).code).toBe('billing_not_configured');
  });
});
