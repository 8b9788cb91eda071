import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';

/**
 * A local stand-in for the few Stripe API calls Leadforge makes (customers.create,
 * checkout.sessions.create, billingPortal.sessions.create, subscriptions.retrieve/update), on
 * 127.0.0.1, answering in Stripe's JSON shapes. It honours Idempotency-Key like Stripe (same key:
 * the first response again). Tests shape subscriptions with `createSubscription` /
 * `updateSubscription`, can hold subscription reads (`holdSubscriptionReads`), and build signed
 * webhook deliveries with Stripe's own test-header helper.
 */
export interface RecordedCall {
  method: string;
  path: string;
  params: Record<string, string>;
  idempotencyKey: string | undefined;
}

export interface FakeSubscription {
  id: string;
  object: 'subscription';
  customer: string;
  status: string;
  cancel_at_period_end: boolean;
  canceled_at: number | null;
  created: number;
  metadata: Record<string, string>;
  items: { object: 'list'; data: Array<{ id: string; object: 'subscription_item'; price: { id: string; object: 'price' }; current_period_start: number; current_period_end: number }> };
}

export interface StripeFake {
  /** STRIPE_API_BASE for the app under test. */
  url: string;
  calls: RecordedCall[];
  callsTo(method: string, path: string | RegExp): RecordedCall[];
  createSubscription(input: { customer: string; price: string; status?: string; created?: number }): FakeSubscription;
  updateSubscription(id: string, patch: Partial<Pick<FakeSubscription, 'status' | 'cancel_at_period_end' | 'canceled_at'>>): FakeSubscription;
  subscription(id: string): FakeSubscription;
  /** Subscription reads (GET /v1/subscriptions/:id) are recorded but not answered until `release` is called. */
  holdSubscriptionReads(): { release: () => void };
  close(): Promise<void>;
}

const now = (): number => Math.floor(Date.now() / 1000);
const stripeId = (prefix: string): string => `${prefix}_${randomBytes(12).toString('hex')}`;

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json', 'request-id': stripeId('req') });
  response.end(JSON.stringify(body));
}

const notFound = (what: string) => ({ error: { type: 'invalid_request_error', code: 'resource_missing', message: `No such ${what}` } });

async function readForm(request: IncomingMessage): Promise<Record<string, string>> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
}

export async function startStripeFake(): Promise<StripeFake> {
  const calls: RecordedCall[] = [];
  const subscriptions = new Map<string, FakeSubscription>();
  const customers = new Map<string, Record<string, unknown>>();
  const idempotent = new Map<string, { status: number; body: unknown }>();
  let readsHeld: Promise<void> | null = null;

  const route = (method: string, path: string, params: Record<string, string>): { status: number; body: unknown } => {
    if (method === 'POST' && path === '/v1/customers') {
      const id = stripeId('cus');
      const metadata = Object.fromEntries(Object.entries(params).flatMap(([key, value]) => (/^metadata\[(.+)\]$/.exec(key) ? [[/^metadata\[(.+)\]$/.exec(key)![1]!, value]] : [])));
      const customer = { id, object: 'customer', name: params.name ?? null, email: params.email ?? null, metadata, created: now() };
      customers.set(id, customer);
      return { status: 200, body: customer };
    }
    if (method === 'POST' && path === '/v1/checkout/sessions') {
      if (!params.customer || !customers.has(params.customer)) return { status: 400, body: notFound(`customer: '${params.customer}'`) };
      const id = stripeId('cs_test');
      return {
        status: 200,
        body: {
          id,
          object: 'checkout.session',
          mode: params.mode,
          customer: params.customer,
          client_reference_id: params.client_reference_id ?? null,
          subscription: null,
          status: 'open',
          url: `https://checkout.stripe.test/c/pay/${id}`,
          success_url: params.success_url,
          cancel_url: params.cancel_url,
        },
      };
    }
    if (method === 'POST' && path === '/v1/billing_portal/sessions') {
      if (!params.customer || !customers.has(params.customer)) return { status: 400, body: notFound(`customer: '${params.customer}'`) };
      const id = stripeId('bps');
      return { status: 200, body: { id, object: 'billing_portal.session', customer: params.customer, return_url: params.return_url, url: `https://billing.stripe.test/p/session/${id}` } };
    }
    const subscriptionPath = /^\/v1\/subscriptions\/([A-Za-z0-9_]+)$/.exec(path);
    if (subscriptionPath) {
      const subscription = subscriptions.get(subscriptionPath[1]!);
      if (!subscription) return { status: 404, body: notFound(`subscription: '${subscriptionPath[1]}'`) };
      if (method === 'GET') return { status: 200, body: subscription };
      if (method === 'POST') {
        if (params.cancel_at_period_end !== undefined) subscription.cancel_at_period_end = params.cancel_at_period_end === 'true';
        return { status: 200, body: subscription };
      }
    }
    return { status: 404, body: { error: { type: 'invalid_request_error', message: `Unrecognized request URL (${method}: ${path})` } } };
  };

  const server: Server = createServer((request, response) => {
    void (async () => {
      const url = new URL(request.url ?? '/', 'http://localhost');
      const params = request.method === 'POST' ? await readForm(request) : Object.fromEntries(url.searchParams);
      const header = request.headers['idempotency-key'];
      const idempotencyKey = Array.isArray(header) ? header[0] : header;
      calls.push({ method: request.method ?? 'GET', path: url.pathname, params, idempotencyKey });
      if (!/^Bearer sk_test_/.test(request.headers.authorization ?? '')) {
        send(response, 401, { error: { type: 'invalid_request_error', message: 'Invalid API Key provided' } });
        return;
      }
      if (readsHeld && request.method === 'GET' && /^\/v1\/subscriptions\//.test(url.pathname)) await readsHeld;
      const replayKey = idempotencyKey && request.method === 'POST' ? `${url.pathname} ${idempotencyKey}` : undefined;
      const replay = replayKey ? idempotent.get(replayKey) : undefined;
      const result = replay ?? route(request.method ?? 'GET', url.pathname, params);
      if (replayKey && !replay) idempotent.set(replayKey, result);
      send(response, result.status, result.body);
    })().catch((error: unknown) => send(response, 500, { error: { type: 'api_error', message: String(error) } }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    callsTo: (method, path) => calls.filter((call) => call.method === method && (typeof path === 'string' ? call.path === path : path.test(call.path))),
    createSubscription: ({ customer, price, status = 'active', created = now() }) => {
      const id = stripeId('sub');
      const subscription: FakeSubscription = {
        id,
        object: 'subscription',
        customer,
        status,
        cancel_at_period_end: false,
        canceled_at: null,
        created,
        metadata: {},
        items: {
          object: 'list',
          data: [{ id: stripeId('si'), object: 'subscription_item', price: { id: price, object: 'price' }, current_period_start: created, current_period_end: created + 30 * 86_400 }],
        },
      };
      subscriptions.set(id, subscription);
      return subscription;
    },
    updateSubscription: (id, patch) => {
      const subscription = subscriptions.get(id);
      if (!subscription) throw new Error(`no subscription ${id}`);
      Object.assign(subscription, patch);
      return subscription;
    },
    subscription: (id) => {
      const subscription = subscriptions.get(id);
      if (!subscription) throw new Error(`no subscription ${id}`);
      return subscription;
    },
    holdSubscriptionReads: () => {
      let release!: () => void;
      const held = new Promise<void>((resolve) => {
        release = resolve;
      });
      readsHeld = held;
      return {
        release: () => {
          if (readsHeld === held) readsHeld = null;
          release();
        },
      };
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** A Stripe event envelope around `object`, as the API version of the installed SDK sends it. */
export function stripeEvent(type: string, object: object, options: { id?: string; created?: number } = {}): Record<string, unknown> {
  return {
    id: options.id ?? stripeId('evt'),
    object: 'event',
    api_version: Stripe.API_VERSION,
    created: options.created ?? now(),
    type,
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    data: { object },
  };
}

export function invoiceObject(input: { customer: string; subscription: string; billingReason: string; amountPaid?: number; amountDue?: number; id?: string }): Record<string, unknown> {
  return {
    id: input.id ?? stripeId('in'),
    object: 'invoice',
    customer: input.customer,
    billing_reason: input.billingReason,
    amount_paid: input.amountPaid ?? 2900,
    amount_due: input.amountDue ?? 2900,
    currency: 'eur',
    status: input.amountPaid === 0 ? 'open' : 'paid',
    parent: { type: 'subscription_details', subscription_details: { subscription: input.subscription, metadata: {} }, quote_details: null },
  };
}

/** The Stripe-Signature header for `payload`, made by Stripe's own helper. */
export function stripeSignature(payload: string, secret: string, timestamp = now()): string {
  return Stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp });
}
