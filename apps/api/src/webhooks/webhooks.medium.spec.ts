import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditService } from '../audit/audit.service';
import type { AuthContext } from '../common/auth/auth-context';
import type { AppConfig } from '../common/config/app-config';
import { AppError } from '../common/errors/app-error';
import { newId } from '../common/ids';
import { toPage } from '../common/pagination/page';
import type { TenantDatabase } from '../database/tenant-database';
import { inOneRoundTrip, openTenantTestDatabases, type TenantTestDatabases } from '../../../../test/support/tenant-test-databases';
import { WebhookDelivery } from './webhook-delivery.entity';
import { WebhookEndpoint } from './webhook-endpoint.entity';
import { WebhooksRepository } from './webhooks.repository';
import { toWebhookResponse, WebhooksService } from './webhooks.service';

let databases: TenantTestDatabases;
let owner: DataSource;
let tenant: TenantDatabase;
let service: WebhooksService;
const repository = new WebhooksRepository();
const [orgA, orgB] = [newId(), newId()];
const endpointsOfA: string[] = [];
const deliveriesOfBusy: string[] = [];
let busy: string;
let quiet: string;
let endpointOfB: string;
const SEALED = 'k1:sealed-secret-that-must-never-show';
const PREVIOUS_SEALED = 'k1:sealed-previous-secret-that-must-never-show';
const auth = (orgId: string): AuthContext => ({ via: 'jwt', userId: null, orgId, role: 'owner', sessionId: newId(), apiKeyId: null, isPlatformAdmin: false });
const config = { encryptionKeyring: { currentId: 'k1', current: 'test-encryption-key-0123456789abcdef0123456789', retired: {} }, allowPrivateTargets: true, isProduction: false } as unknown as AppConfig;

async function insertEndpoint(orgId: string, index: number): Promise<string> {
  const id = newId();
  await owner.query(
    `INSERT INTO webhook_endpoint (id, org_id, url, description, events, enabled, secret_sealed, previous_secret_sealed, previous_secret_expires_at,
                                   failing_since, disabled_at, disabled_reason, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5::text[], $6, $7, $8, $9::timestamptz, $10::timestamptz, $11::timestamptz, $12, $13::timestamptz, $14::timestamptz)`,
    [
      id,
      orgId,
      `https://hooks${index}.example/in?x="1"`,
      index % 2 === 0 ? `endpoint ${index} ü` : null,
      index % 3 === 0 ? ['task.completed', 'task.failed', 'leads.created'] : ['leads.created'],
      index % 4 !== 3,
      SEALED,
      index % 2 === 1 ? PREVIOUS_SEALED : null,
      // Still signing with the previous secret (shown), or no longer (hidden).
      index % 2 === 1 ? (index % 4 === 1 ? '2999-01-01 00:00:00.123456+00' : '2001-01-01 00:00:00+00') : null,
      index % 3 === 1 ? '2030-03-01 00:00:00.000001+00' : null,
      index % 4 === 3 ? '2030-03-02 00:00:00.999999+00' : null,
      index % 4 === 3 ? 'the endpoint answered 410 Gone' : null,
      `2030-03-0${1 + (index % 9)} 01:02:03.456789+00`,
      `2030-03-1${index % 10} 01:02:03.5+00`,
    ],
  );
  return id;
}

async function insertDelivery(orgId: string, endpointId: string, index: number): Promise<string> {
  const id = newId();
  const status = ['succeeded', 'failed', 'pending'][index % 3]!;
  await owner.query(
    `INSERT INTO webhook_delivery (id, org_id, endpoint_id, event_type, source_key, payload, status, attempts, response_status, duration_ms, last_error,
                                   next_attempt_at, delivered_at, created_at)
     VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8, $9, $10, $11, $12::timestamptz, $13::timestamptz, $14::timestamptz)`,
    [
      id,
      orgId,
      endpointId,
      index % 2 === 0 ? 'task.completed' : 'webhook.ping',
      index % 2 === 0 ? `${newId()}:${index}` : null,
      JSON.stringify({ type: 'task.completed', timestamp: '2030-03-05T00:00:00.000Z', data: { task: { id: 't', n: index, name: 'ü "q"' } } }),
      status,
      index % 4,
      status === 'pending' ? null : index % 2 === 0 ? 200 : 500,
      status === 'pending' ? null : 10 + index,
      status === 'failed' ? 'connect ECONNREFUSED 127.0.0.1:9 — ü' : null,
      status === 'pending' ? '2030-03-06 00:00:00.000500+00' : null,
      status === 'succeeded' ? '2030-03-05 00:00:01.250001+00' : null,
      `2030-03-05 00:00:0${index % 10}.111111+00`,
    ],
  );
  // Attempts inserted out of order: the log lists them by attempt number.
  for (const attempt of [...Array(index % 4).keys()].map((n) => n + 1).reverse()) {
    await owner.query(
      `INSERT INTO webhook_delivery_attempt (id, org_id, delivery_id, attempt, response_status, duration_ms, error, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8::timestamptz)`,
      [
        newId(),
        orgId,
        id,
        attempt,
        attempt % 2 === 0 ? null : 503,
        100 * attempt,
        attempt % 2 === 0 ? 'timeout after 10 s "ü"' : null,
        `2030-03-05 00:0${attempt}:00.${String(123456 + index * 111 + attempt).padStart(6, '0')}+00`,
      ],
    );
  }
  return id;
}

beforeAll(async () => {
  databases = await openTenantTestDatabases();
  ({ owner, tenant } = databases);
  // The reads queue nothing.
  service = new WebhooksService(tenant, repository, null as never, config, new AuditService(tenant));
  await owner.query(`INSERT INTO organization (id, name) VALUES ($1, 'A'), ($2, 'B')`, [orgA, orgB]);
  for (let index = 0; index < 7; index++) endpointsOfA.push(await insertEndpoint(orgA, index));
  [busy, quiet] = [endpointsOfA[1]!, endpointsOfA[2]!];
  for (let index = 0; index < 10; index++) deliveriesOfBusy.push(await insertDelivery(orgA, busy, index));
  endpointOfB = await insertEndpoint(orgB, 1);
  await insertDelivery(orgB, endpointOfB, 3);
});

afterAll(async () => {
  await databases?.close();
});


/** The entity reads GET webhooks made before, inside a transaction, mapped the same way. */
async function entityEndpoints(orgId: string, limit: number, cursor?: string): Promise<string> {
  const rows = await tenant.inOrg(orgId, (db) => {
    const query = db.createQueryBuilder(WebhookEndpoint, 'endpoint').where('endpoint.orgId = :orgId', { orgId }).orderBy('endpoint.id', 'DESC').take(limit + 1);
    if (cursor) query.andWhere('endpoint.id < :cursor', { cursor });
    return query.getMany();
  });
  return JSON.stringify(toPage(rows, limit, (row) => row.id, toWebhookResponse));
}

/** GET webhooks/:id/deliveries as it was: the entity page, each delivery with its attempts as the service maps one. */
async function entityDeliveries(orgId: string, endpointId: string, limit: number, cursor?: string): Promise<string> {
  return tenant.inOrg(orgId, async (db) => {
    const query = db
      .createQueryBuilder(WebhookDelivery, 'delivery')
      .where('delivery.orgId = :orgId AND delivery.endpointId = :endpointId', { orgId, endpointId })
      .orderBy('delivery.id', 'DESC')
      .take(limit + 1);
    if (cursor) query.andWhere('delivery.id < :cursor', { cursor });
    const rows = await query.getMany();
    const views = [];
    for (const row of rows.slice(0, limit)) views.push(await service['deliveryView'](db, orgId, row.id));
    return JSON.stringify({ items: views, nextCursor: rows.length > limit ? rows[limit - 1]!.id : null });
  });
}

async function notFound(work: Promise<unknown>): Promise<void> {
  const error = await work.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(AppError);
  expect(error).toMatchObject({ code: 'not_found', status: 404, message: 'Webhook not found' });
}

describe('WebhooksService reads (one round trip each)', () => {
  it('GET webhooks answers what the entity read answered, page by page with the same cursor', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let pages = 0; pages < 10; pages++) {
      const expected = await entityEndpoints(orgA, 3, cursor);
      const page = await inOneRoundTrip(tenant, () => service.list(auth(orgA), 3, cursor));
      expect(JSON.stringify(page)).toBe(expected);
      seen.push(...page.items.map((endpoint) => endpoint.id));
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    expect(seen).toEqual([...endpointsOfA].reverse());
  });

  it('GET webhooks/:id answers what the entity read answered; the previous secret shows only its expiry, and only while it signs', async () => {
    for (const id of endpointsOfA) {
      const expected = toWebhookResponse((await tenant.inOrg(orgA, (db) => repository.findEndpoint(db, orgA, id)))!);
      expect(JSON.stringify(await inOneRoundTrip(tenant, () => service.get(auth(orgA), id)))).toBe(JSON.stringify(expected));
    }
    expect(JSON.parse(JSON.stringify(await service.get(auth(orgA), busy)))).toEqual({
      id: busy,
      url: 'https://hooks1.example/in?x="1"',
      description: null,
      events: ['leads.created'],
      enabled: true,
      disabledAt: null,
      disabledReason: null,
      previousSecretExpiresAt: '2999-01-01T00:00:00.123Z',
      failingSince: '2030-03-01T00:00:00.000Z',
      createdAt: '2030-03-02T01:02:03.456Z',
      updatedAt: '2030-03-11T01:02:03.500Z',
    });
    expect((await service.get(auth(orgA), endpointsOfA[3]!)).previousSecretExpiresAt).toBeNull();
  });

  it('GET webhooks/:id/deliveries answers what the entity reads answered, attempts in order, page by page with the same cursor', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let pages = 0; pages < 10; pages++) {
      const expected = await entityDeliveries(orgA, busy, 4, cursor);
      const page = await inOneRoundTrip(tenant, () => service.deliveries(auth(orgA), busy, 4, cursor));
      expect(JSON.stringify(page)).toBe(expected);
      seen.push(...page.items.map((delivery) => delivery.id));
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    expect(seen).toEqual([...deliveriesOfBusy].reverse());
    const withAttempts = (await service.deliveries(auth(orgA), busy, 200)).items.find((delivery) => delivery.id === deliveriesOfBusy[3]);
    expect(JSON.parse(JSON.stringify(withAttempts!.attemptLog))).toEqual([
      { attempt: 1, responseStatus: 503, durationMs: 100, error: null, createdAt: '2030-03-05T00:01:00.123Z' },
      { attempt: 2, responseStatus: null, durationMs: 200, error: 'timeout after 10 s "ü"', createdAt: '2030-03-05T00:02:00.123Z' },
      { attempt: 3, responseStatus: 503, durationMs: 300, error: null, createdAt: '2030-03-05T00:03:00.123Z' },
    ]);
    expect(await inOneRoundTrip(tenant, () => service.deliveries(auth(orgA), quiet, 50))).toEqual({ items: [], nextCursor: null });
  });

  it("never shows a secret, and answers 404 for another org's endpoint", async () => {
    const everything = JSON.stringify([await service.list(auth(orgA), 200), await service.get(auth(orgA), busy), await service.deliveries(auth(orgA), busy, 200)]);
    expect(everything).not.toContain('sealed');
    expect(everything).not.toMatch(/secret"|secretSealed|orgId/i);
    await notFound(service.get(auth(orgA), endpointOfB));
    await notFound(service.deliveries(auth(orgA), endpointOfB, 50));
    await notFound(service.get(auth(orgA), newId()));
    await notFound(service.deliveries(auth(orgA), newId(), 50));
    expect((await service.list(auth(orgA), 200)).items.map((endpoint) => endpoint.id)).not.toContain(endpointOfB);
    expect((await service.list(auth(orgB), 200)).items.map((endpoint) => endpoint.id)).toEqual([endpointOfB]);
    expect((await service.deliveries(auth(orgB), endpointOfB, 50)).items).toHaveLength(1);
  });
});
