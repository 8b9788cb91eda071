import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PlanGrantsService, freeGrantReference } from '../../apps/api/src/billing/plan-grants.service';
import { STRIPE_EVENT_QUEUE, StripeWebhookService } from '../../apps/api/src/billing/stripe-webhook.service';
import { ApiClient, problemOf, type Session } from '../support/api-client';
import { expectLedgerInvariant, ownerClient } from '../support/ledger';
import { linkToken, startMailbox, type Mailbox } from '../support/mailbox';
import { type FakeSubscription, invoiceObject, startStripeFake, stripeEvent, stripeSignature, type StripeFake } from '../support/stripe-fake';
import { startTestApp, type TestApp } from '../support/test-app';

const WEBHOOK_SECRET = 'whsec_test_0123456789abcdef0123456789abcdef';
const PRICE_PRO = 'price_proMonthly';
const PRICE_BUSINESS = 'price_businessMonthly';

let testApp: TestApp;
let api: ApiClient;
let stripe: StripeFake;
let mailbox: Mailbox;

beforeAll(async () => {
  stripe = await startStripeFake();
  mailbox = await startMailbox();
  testApp = await startTestApp({
    STRIPE_SECRET_KEY: 'sk_test_leadforge',
    STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
    STRIPE_PRICE_PRO: PRICE_PRO,
    STRIPE_PRICE_BUSINESS: PRICE_BUSINESS,
    STRIPE_API_BASE: stripe.url,
    MAIL_URL: mailbox.url,
    WORKERS_IN_PROCESS: 'true',
    DEFAULT_CREDITS: '1000',
    LOG_LEVEL: 'error',
  });
  api = new ApiClient(testApp.baseUrl);
});

afterEach(async () => {
  await expectLedgerInvariant(testApp.databaseUrl);
});

afterAll(async () => {
  await testApp?.close();
  await stripe?.close();
  await mailbox?.close();
});

// ---------------------------------------------------------------------------------------------

async function newOwner(email: string, name: string, orgName: string): Promise<Session> {
  await api.register(email, name, orgName);
  return api.login(email);
}

/** Invites `email` into the owner's org with `role` and returns the joined member's session. */
async function join(owner: Session, email: string, name: string, role: 'admin' | 'member'): Promise<Session> {
  await api.json('POST', 'orgs/current/invitations', 201, { token: owner.accessToken, body: { email, role } });
  const mail = await mailbox.waitFor((message) => message.to.includes(email) && /invited you/.test(message.subject));
  await api.register(email, name);
  const session = await api.login(email);
  await api.json('POST', 'orgs/invitations/accept', 200, { token: session.accessToken, body: { token: linkToken(mail, 'accept-invitation') } });
  return api.refresh(session);
}

async function postWebhook(payload: string, signature: string | null): Promise<Response> {
  return fetch(`${testApp.baseUrl}/api/v1/payments/webhook`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(signature === null ? {} : { 'stripe-signature': signature }) },
    body: payload,
  });
}

/** Signs and posts an event; expects 200, waits until the job has applied it, and returns the acknowledgement. */
async function deliver(event: Record<string, unknown>): Promise<{ received: boolean; duplicate: boolean; handled: boolean }> {
  const payload = JSON.stringify(event);
  const response = await postWebhook(payload, stripeSignature(payload, WEBHOOK_SECRET));
  const text = await response.text();
  expect(response.status, text).toBe(200);
  await eventsProcessed();
  return JSON.parse(text) as { received: boolean; duplicate: boolean; handled: boolean };
}

async function db<T>(work: (client: Awaited<ReturnType<typeof ownerClient>>) => Promise<T>): Promise<T> {
  const client = await ownerClient(testApp.databaseUrl);
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

const customerOf = (orgId: string): Promise<string> =>
  db(async (client) => (await client.query<{ stripe_customer_id: string }>(`SELECT stripe_customer_id FROM billing_subscription WHERE org_id = $1`, [orgId])).rows[0]!.stripe_customer_id);

const ledgerOf = (orgId: string): Promise<Array<{ delta: number; reason: string; reference: string | null }>> =>
  db(async (client) =>
    (await client.query(`SELECT delta, reason, reference FROM credit_ledger WHERE org_id = $1 ORDER BY id`, [orgId])).rows.map((row: { delta: number; reason: string; reference: string | null }) => row),
  );

const eventCount = (): Promise<number> => db(async (client) => Number((await client.query(`SELECT count(*) AS n FROM stripe_event`)).rows[0].n));

const unprocessedEvents = (): Promise<string[]> =>
  db(async (client) => (await client.query<{ id: string }>(`SELECT id FROM stripe_event WHERE processed_at IS NULL ORDER BY id`)).rows.map((row) => row.id));

const eventJobCount = (): Promise<number> =>
  db(async (client) => Number((await client.query(`SELECT count(*) AS n FROM pgboss.job WHERE name = $1`, [STRIPE_EVENT_QUEUE])).rows[0].n));

/** Webhook effects are applied by a job: waits (bounded) until every recorded event is processed. */
async function eventsProcessed(timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let pending = await unprocessedEvents();
  while (pending.length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    pending = await unprocessedEvents();
  }
  expect(pending, 'Stripe events still unprocessed').toEqual([]);
}

async function status(session: Session): Promise<{ plan: { id: string }; status: string | null; cancelAtPeriodEnd: boolean; paymentPastDue: boolean; currentPeriodEnd: string | null }> {
  return api.json('GET', 'payments/subscription-status', 200, { token: session.accessToken });
}

async function balance(session: Session): Promise<number> {
  return (await api.json<{ balance: number }>('GET', 'payments/credits', 200, { token: session.accessToken })).balance;
}

async function checkout(session: Session, plan: 'pro' | 'business', idempotencyKey?: string): Promise<{ url: string; sessionId: string }> {
  return api.json('POST', 'payments/create-checkout', 200, { token: session.accessToken, body: { plan }, headers: idempotencyKey ? { 'idempotency-key': idempotencyKey } : {} });
}

/** Checkout, then Stripe's usual events in order: the organization ends up on `price`'s plan. */
async function subscribe(session: Session, plan: 'pro' | 'business'): Promise<{ customer: string; subscription: FakeSubscription; invoiceId: string }> {
  await checkout(session, plan);
  const customer = await customerOf(session.user.organization.id);
  const subscription = stripe.createSubscription({ customer, price: plan === 'pro' ? PRICE_PRO : PRICE_BUSINESS });
  const invoice = invoiceObject({ customer, subscription: subscription.id, billingReason: 'subscription_create' });
  await deliver(stripeEvent('checkout.session.completed', { id: 'cs_test_done', object: 'checkout.session', mode: 'subscription', customer, subscription: subscription.id }));
  await deliver(stripeEvent('customer.subscription.created', { ...subscription }));
  await deliver(stripeEvent('invoice.paid', invoice));
  return { customer, subscription, invoiceId: invoice.id as string };
}

// ---------------------------------------------------------------------------------------------

describe('checkout', () => {
  let owner: Session;
  let admin: Session;
  let member: Session;

  beforeAll(async () => {
    owner = await newOwner('owner@checkout.test', 'Olga Owner', 'Checkout Co');
    admin = await join(owner, 'admin@checkout.test', 'Adam Admin', 'admin');
    member = await join(owner, 'member@checkout.test', 'Mia Member', 'member');
  });

  it('lists the three plans with limits, and which can be bought', async () => {
    const { items } = await api.json<{ items: Array<Record<string, unknown>> }>('GET', 'payments/plans', 200, { token: owner.accessToken });
    expect(items.map((plan) => plan.id)).toEqual(['free', 'pro', 'business']);
    expect(items[0]).toMatchObject({ monthlyCredits: 1000, concurrentTasks: 2, maxPagesPerSeed: 200, seats: 3, creditsRollOver: false, stripePriceId: null, purchasable: false });
    expect(items[1]).toMatchObject({ monthlyCredits: 25_000, stripePriceId: PRICE_PRO, purchasable: true });
    expect(items[2]).toMatchObject({ stripePriceId: PRICE_BUSINESS, purchasable: true, creditsRollOver: true });
    expect((await status(owner)).plan.id).toBe('free');
  });

  it('lets owners and admins manage billing; members only read', async () => {
    expect((await problemOf(await api.request('POST', 'payments/create-checkout', { token: member.accessToken, body: { plan: 'pro' } }))).status).toBe(403);
    expect((await problemOf(await api.request('POST', 'payments/portal', { token: member.accessToken }))).status).toBe(403);
    expect((await problemOf(await api.request('POST', 'payments/cancel-subscription', { token: member.accessToken }))).status).toBe(403);
    expect(await balance(member)).toBe(1000);
    expect((await status(member)).plan.id).toBe('free');
    expect((await problemOf(await api.request('POST', 'payments/create-checkout', { token: admin.accessToken, body: { plan: 'free' } }))).code).toBe('validation_failed');
    expect((await problemOf(await api.request('POST', 'payments/portal', { token: admin.accessToken }))).code).toBe('no_billing_account');
  });

  it('creates the Stripe customer once, and replays an Idempotency-Key (passed on to Stripe)', async () => {
    const orgId = owner.user.organization.id;
    const first = await checkout(owner, 'pro', 'checkout-key-0001');
    expect(first.url).toMatch(/^https:\/\/checkout\.stripe\.test\//);
    const again = await checkout(owner, 'pro', 'checkout-key-0001');
    expect(again).toEqual(first);
    expect((await problemOf(await api.request('POST', 'payments/create-checkout', { token: owner.accessToken, body: { plan: 'business' }, headers: { 'idempotency-key': 'checkout-key-0001' } }))).code).toBe(
      'idempotency_key_reused',
    );
    const other = await checkout(admin, 'business');
    expect(other.sessionId).not.toBe(first.sessionId);

    const customers = stripe.callsTo('POST', '/v1/customers').filter((call) => call.params['metadata[orgId]'] === orgId);
    expect(customers).toHaveLength(1);
    expect(customers[0]!.params).toMatchObject({ name: 'Checkout Co', email: 'owner@checkout.test' });
    const customer = await customerOf(orgId);
    const sessions = stripe.callsTo('POST', '/v1/checkout/sessions').filter((call) => call.params.customer === customer);
    expect(sessions).toHaveLength(2);
    expect(sessions[0]!.params).toMatchObject({ mode: 'subscription', client_reference_id: orgId, 'line_items[0][price]': PRICE_PRO, 'subscription_data[metadata][orgId]': orgId });
    expect(sessions[0]!.idempotencyKey).toBe(`leadforge:checkout:${orgId}:checkout-key-0001`);
    expect(sessions[1]!.params['line_items[0][price]']).toBe(PRICE_BUSINESS);

    const portal = await api.json<{ url: string }>('POST', 'payments/portal', 200, { token: admin.accessToken });
    expect(portal.url).toMatch(/^https:\/\/billing\.stripe\.test\//);
    expect(stripe.callsTo('POST', '/v1/billing_portal/sessions').at(-1)!.params.customer).toBe(customer);
  });

  it('checkout -> webhook: the plan is active and its credits granted (unused free credits expire)', async () => {
    const orgId = owner.user.organization.id;
    const customer = await customerOf(orgId);
    const subscription = stripe.createSubscription({ customer, price: PRICE_PRO });
    const invoice = invoiceObject({ customer, subscription: subscription.id, billingReason: 'subscription_create' });
    expect(await deliver(stripeEvent('checkout.session.completed', { id: 'cs_x', object: 'checkout.session', mode: 'subscription', customer, subscription: subscription.id }))).toEqual({
      received: true,
      duplicate: false,
      handled: true,
    });
    await deliver(stripeEvent('customer.subscription.created', { ...subscription }));
    await deliver(stripeEvent('invoice.paid', invoice));

    expect(await status(member)).toMatchObject({ plan: { id: 'pro' }, status: 'active', cancelAtPeriodEnd: false, paymentPastDue: false });
    expect((await status(member)).currentPeriodEnd).toBe(new Date(subscription.items.data[0]!.current_period_end * 1000).toISOString());
    expect(await balance(owner)).toBe(25_000);
    expect((await ledgerOf(orgId)).slice(-2)).toEqual([
      { delta: -1000, reason: 'credit_expiry', reference: null },
      { delta: 25_000, reason: 'plan_grant', reference: invoice.id },
    ]);
    // The scraper now applies the pro limits.
    const estimate = await api.json<{ plan: string; planLimits: { maxPagesPerSeed: number } }>('POST', 'scraper/estimate', 200, {
      token: owner.accessToken,
      body: { platform: 'website', seeds: ['https://pro.invalid/'], options: { maxPages: 1500 } },
    });
    expect(estimate).toMatchObject({ plan: 'pro', planLimits: { maxPagesPerSeed: 2000 } });
    // A second subscription cannot be bought on top of a live one.
    expect((await problemOf(await api.request('POST', 'payments/create-checkout', { token: owner.accessToken, body: { plan: 'business' } }))).code).toBe('subscription_exists');
  });
});

/** A pro organization shared by the ledger, duplicate-delivery and monthly-grant tests (registrations are rate-limited). */
let pro: { owner: Session; customer: string; subscription: FakeSubscription; invoiceId: string };

describe('credits', () => {
  it('pages the ledger newest first with a cursor', async () => {
    const owner = await newOwner('ledger@billing.test', 'Lea', 'Ledger Co');
    pro = { owner, ...(await subscribe(owner, 'pro')) };
    const { invoiceId } = pro;
    const first = await api.json<{ balance: number; items: Array<Record<string, unknown>>; nextCursor: string | null }>('GET', 'payments/credits?limit=2', 200, {
      token: owner.accessToken,
    });
    expect(first.balance).toBe(25_000);
    expect(first.items).toHaveLength(2);
    expect(first.nextCursor).toBe(first.items[1]!.id);
    expect(first.items[0]).toEqual({ id: expect.any(String), delta: 25_000, reason: 'plan_grant', note: 'Pro plan, monthly credits', balanceAfter: 25_000, createdAt: expect.any(String) });
    expect(first.items[1]).toMatchObject({ delta: -1000, reason: 'credit_expiry', balanceAfter: 0 });
    const rest = await api.json<{ items: Array<Record<string, unknown>>; nextCursor: string | null }>('GET', `payments/credits?limit=200&cursor=${first.nextCursor}`, 200, {
      token: owner.accessToken,
    });
    expect(rest).toMatchObject({ items: [{ reason: 'initial_grant', delta: 1000, balanceAfter: 1000 }], nextCursor: null });
    expect((await ledgerOf(owner.user.organization.id)).find((row) => row.reason === 'plan_grant')!.reference).toBe(invoiceId);
    expect((await problemOf(await api.request('GET', 'payments/credits?limit=201', { token: owner.accessToken }))).code).toBe('validation_failed');
  });
});

describe('webhook delivery', () => {
  it('grants once when the same event is posted twice at the same time, and once per invoice', async () => {
    const { owner, customer, subscription } = pro;
    const orgId = owner.user.organization.id;
    const renewal = invoiceObject({ customer, subscription: subscription.id, billingReason: 'subscription_cycle' });
    const event = stripeEvent('invoice.paid', renewal);
    const payload = JSON.stringify(event);
    const before = await ledgerOf(orgId);

    const responses = await Promise.all([0, 1, 2].map(() => postWebhook(payload, stripeSignature(payload, WEBHOOK_SECRET))));
    const acks = await Promise.all(responses.map(async (response) => ({ status: response.status, body: (await response.json()) as { duplicate: boolean } })));
    expect(acks.map((ack) => ack.status)).toEqual([200, 200, 200]);
    expect(acks.filter((ack) => !ack.body.duplicate)).toHaveLength(1);
    await eventsProcessed();
    expect((await deliver(event)).duplicate).toBe(true);
    // A second run of the job (e.g. after a crash before pg-boss marked it done) does nothing.
    const processed = await ledgerOf(orgId);
    await testApp.app.get(StripeWebhookService).process(event.id as string);
    expect(await ledgerOf(orgId)).toEqual(processed);

    // Another event about the same invoice (Stripe may send several) grants nothing more.
    await deliver(stripeEvent('invoice.paid', renewal));
    const added = (await ledgerOf(orgId)).slice(before.length);
    expect(added.filter((row) => row.reason === 'plan_grant')).toEqual([{ delta: 25_000, reason: 'plan_grant', reference: renewal.id }]);
    expect(await balance(owner)).toBe(25_000);
  });

  it('answers before reading from Stripe: the job applies the event afterwards', async () => {
    const { owner, customer, subscription } = pro;
    const renewal = invoiceObject({ customer, subscription: subscription.id, billingReason: 'subscription_cycle' });
    const payload = JSON.stringify(stripeEvent('invoice.paid', renewal));
    const orgId = owner.user.organization.id;
    const reads = stripe.callsTo('GET', `/v1/subscriptions/${subscription.id}`).length;
    const before = await ledgerOf(orgId);
    const hold = stripe.holdSubscriptionReads();
    try {
      // Stripe's reads are held (not answered) until released: a webhook that waited for one could not answer at all.
      const response = await Promise.race([
        postWebhook(payload, stripeSignature(payload, WEBHOOK_SECRET)),
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error('the webhook waited for Stripe')), 10_000)),
      ]);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ received: true, duplicate: false, handled: true });
      expect(await unprocessedEvents()).toHaveLength(1);
      // The job asks Stripe and waits; nothing is applied meanwhile.
      await expect.poll(() => stripe.callsTo('GET', `/v1/subscriptions/${subscription.id}`).length, { timeout: 10_000 }).toBeGreaterThan(reads);
      expect(await ledgerOf(orgId)).toEqual(before);
    } finally {
      hold.release();
    }
    await eventsProcessed();
    expect((await ledgerOf(orgId)).slice(before.length)).toEqual([
      { delta: -25_000, reason: 'credit_expiry', reference: null },
      { delta: 25_000, reason: 'plan_grant', reference: renewal.id },
    ]);
    expect(await balance(owner)).toBe(25_000);
  });

  let early: { owner: Session; customer: string; subscription: FakeSubscription; invoice: Record<string, unknown> };

  it('refuses a bad signature, a tampered body, a stale timestamp or no signature with 400 and changes nothing', async () => {
    const owner = await newOwner('early@billing.test', 'Eli', 'Early Co');
    const orgId = owner.user.organization.id;
    await checkout(owner, 'business');
    const customer = await customerOf(orgId);
    const subscription = stripe.createSubscription({ customer, price: PRICE_BUSINESS });
    const invoice = invoiceObject({ customer, subscription: subscription.id, billingReason: 'subscription_create' });
    early = { owner, customer, subscription, invoice };
    const payload = JSON.stringify(stripeEvent('invoice.paid', invoice));
    const events = await eventCount();
    const jobs = await eventJobCount();
    const ledger = await ledgerOf(orgId);

    const attempts: Array<[string, Promise<Response>]> = [
      ['wrong secret', postWebhook(payload, stripeSignature(payload, 'whsec_someone_else_0123456789abcdef'))],
      ['tampered body', postWebhook(payload.replace('"subscription_create"', '"subscription_cycle"'), stripeSignature(payload, WEBHOOK_SECRET))],
      ['stale timestamp', postWebhook(payload, stripeSignature(payload, WEBHOOK_SECRET, Math.floor(Date.now() / 1000) - 301))],
      ['garbage header', postWebhook(payload, 'not-a-signature')],
      ['no header', postWebhook(payload, null)],
    ];
    for (const [what, attempt] of attempts) {
      const problem = await problemOf(await attempt);
      expect(problem.status, what).toBe(400);
      expect(problem.code, what).toBe('invalid_stripe_signature');
    }
    expect(await eventCount()).toBe(events);
    expect(await eventJobCount()).toBe(jobs);
    expect(await ledgerOf(orgId)).toEqual(ledger);
    expect(await status(owner)).toMatchObject({ plan: { id: 'free' }, status: null });
  });

  it('handles invoice.paid before customer.subscription.created (the subscription is read from Stripe)', async () => {
    const { owner, customer, subscription, invoice } = early;
    const orgId = owner.user.organization.id;

    await deliver(stripeEvent('invoice.paid', invoice));
    expect(await status(owner)).toMatchObject({ plan: { id: 'business' }, status: 'active' });
    // business keeps unused credits: 1000 + 150000.
    expect(await balance(owner)).toBe(151_000);

    await deliver(stripeEvent('customer.subscription.created', { ...subscription, status: 'incomplete' }));
    await deliver(stripeEvent('checkout.session.completed', { id: 'cs_late', object: 'checkout.session', mode: 'subscription', customer, subscription: subscription.id }));
    expect(await status(owner)).toMatchObject({ plan: { id: 'business' }, status: 'active' });
    expect((await ledgerOf(orgId)).filter((row) => row.reason === 'plan_grant')).toHaveLength(1);
  });

  it('acknowledges events it does not act on, and events of unknown customers', async () => {
    expect(await deliver(stripeEvent('charge.succeeded', { id: 'ch_1', object: 'charge', customer: 'cus_x' }))).toEqual({ received: true, duplicate: false, handled: false });
    const unknown = stripeEvent('customer.subscription.updated', { id: 'sub_unknown', object: 'subscription', customer: 'cus_nobody' });
    expect(await deliver(unknown)).toEqual({ received: true, duplicate: false, handled: false });
    expect((await deliver(unknown)).duplicate).toBe(true);
  });
});

describe('payment failure', () => {
  it('blocks new tasks with 402 payment_past_due and emails the owners, until an invoice is paid', async () => {
    const owner = await newOwner('late@billing.test', 'Liam Owner', 'Late Payer Co');
    const admin = await join(owner, 'admin@late.test', 'Ada Admin', 'admin');
    const { customer, subscription } = await subscribe(owner, 'pro');
    const failed = invoiceObject({ customer, subscription: subscription.id, billingReason: 'subscription_cycle', amountPaid: 0, amountDue: 2900 });

    stripe.updateSubscription(subscription.id, { status: 'past_due' });
    await deliver(stripeEvent('invoice.payment_failed', failed));
    expect(await status(admin)).toMatchObject({ plan: { id: 'pro' }, status: 'past_due', paymentPastDue: true });

    const start = { platform: 'website', seeds: ['https://past-due.invalid/'], options: { maxPages: 5 } };
    const refused = await api.request('POST', 'scraper/start', { token: admin.accessToken, body: start });
    expect(refused.status).toBe(402);
    expect(await problemOf(refused)).toMatchObject({ code: 'payment_past_due', subscriptionStatus: 'past_due' });

    const mail = await mailbox.waitFor((message) => message.to.includes('late@billing.test') && /Payment failed/.test(message.subject));
    expect(mail.subject).toBe('Payment failed for Late Payer Co');
    expect(mail.body).toContain('29.00');
    expect(mail.body).toContain('/billing');
    // Owners only.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(mailbox.messages.filter((message) => message.to.includes('admin@late.test') && /Payment failed/.test(message.subject))).toHaveLength(0);

    stripe.updateSubscription(subscription.id, { status: 'active' });
    await deliver(stripeEvent('invoice.paid', invoiceObject({ customer, subscription: subscription.id, billingReason: 'subscription_cycle', id: failed.id as string })));
    expect(await status(admin)).toMatchObject({ status: 'active', paymentPastDue: false });
    // Starts again (workers may take the task at once, so it is not stopped here).
    await api.json('POST', 'scraper/start', 202, { token: admin.accessToken, body: start });
  });
});

describe('cancellation', () => {
  it('cancels at period end, can resume until then, and subscription.deleted brings the org back to free', async () => {
    const owner = await newOwner('leaver@billing.test', 'Lou', 'Leaver Co');
    const { customer, subscription } = await subscribe(owner, 'pro');
    const staleUpdate = stripeEvent('customer.subscription.updated', { ...subscription, status: 'active', cancel_at_period_end: false });

    const cancelled = await api.json<{ plan: { id: string }; cancelAtPeriodEnd: boolean; status: string }>('POST', 'payments/cancel-subscription', 200, { token: owner.accessToken });
    expect(cancelled).toMatchObject({ plan: { id: 'pro' }, status: 'active', cancelAtPeriodEnd: true });
    expect(stripe.subscription(subscription.id).cancel_at_period_end).toBe(true);
    expect(stripe.callsTo('POST', `/v1/subscriptions/${subscription.id}`).at(-1)!.params).toEqual({ cancel_at_period_end: 'true' });

    const resumed = await api.json<{ cancelAtPeriodEnd: boolean }>('POST', 'payments/resume-subscription', 200, { token: owner.accessToken });
    expect(resumed.cancelAtPeriodEnd).toBe(false);
    expect(stripe.subscription(subscription.id).cancel_at_period_end).toBe(false);
    await api.json('POST', 'payments/cancel-subscription', 200, { token: owner.accessToken });
    await deliver(stripeEvent('customer.subscription.updated', { ...stripe.subscription(subscription.id) }));
    expect(await status(owner)).toMatchObject({ plan: { id: 'pro' }, cancelAtPeriodEnd: true });

    // The period ends: Stripe deletes the subscription.
    stripe.updateSubscription(subscription.id, { status: 'canceled', canceled_at: Math.floor(Date.now() / 1000) });
    await deliver(stripeEvent('customer.subscription.deleted', { ...stripe.subscription(subscription.id) }));
    expect(await status(owner)).toMatchObject({ plan: { id: 'free' }, status: 'canceled' });
    const estimate = await api.json<{ plan: string }>('POST', 'scraper/estimate', 200, {
      token: owner.accessToken,
      body: { platform: 'website', seeds: ['https://free-again.invalid/'], options: { maxPages: 10 } },
    });
    expect(estimate.plan).toBe('free');

    // An older update arriving late changes nothing: the subscription is re-read from Stripe.
    await deliver(staleUpdate);
    expect(await status(owner)).toMatchObject({ plan: { id: 'free' }, status: 'canceled' });
    expect((await problemOf(await api.request('POST', 'payments/resume-subscription', { token: owner.accessToken }))).code).toBe('no_subscription');

    // A new checkout reuses the customer.
    await checkout(owner, 'pro');
    expect(stripe.callsTo('POST', '/v1/customers').filter((call) => call.params['metadata[orgId]'] === owner.user.organization.id)).toHaveLength(1);
    expect(stripe.callsTo('POST', '/v1/checkout/sessions').at(-1)!.params.customer).toBe(customer);
  });
});

describe('monthly free grant', () => {
  it('grants free organizations their monthly credits once per month; paid ones are left alone', async () => {
    const free = await newOwner('monthly@billing.test', 'Mo', 'Monthly Co');
    const paid = pro.owner;
    // Organizations get their credit account (with the initial grant) on first use; this one has used it.
    expect(await balance(free)).toBe(1000);
    const grants = testApp.app.get(PlanGrantsService);
    const nextMonth = new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth() + 1, 3));

    const [first, second] = await Promise.all([grants.grantFreeMonth(nextMonth), grants.grantFreeMonth(nextMonth)]);
    expect(first + second).toBeGreaterThanOrEqual(1);
    expect(await grants.grantFreeMonth(nextMonth)).toBe(0);
    const reference = freeGrantReference(nextMonth);
    const rows = (await ledgerOf(free.user.organization.id)).filter((row) => row.reference === reference);
    expect(rows).toEqual([{ delta: 1000, reason: 'plan_grant', reference }]);
    // Unused credits do not roll over on the free plan: what was left expired first.
    expect((await ledgerOf(free.user.organization.id)).slice(-2)).toEqual([
      { delta: -1000, reason: 'credit_expiry', reference: null },
      { delta: 1000, reason: 'plan_grant', reference },
    ]);
    expect(await balance(free)).toBe(1000);
    expect((await ledgerOf(paid.user.organization.id)).some((row) => row.reference === reference)).toBe(false);
    // This month's organizations started with their initial grant; nobody gets a second one now.
    expect(await grants.grantFreeMonth(new Date())).toBe(0);
  });
});
