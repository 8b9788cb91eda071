import { Injectable } from '@nestjs/common';
import { type EntityManager, In } from 'typeorm';
import type { SqlReader } from '../database/tenant-database';
import { WebhookDeliveryAttempt } from './webhook-delivery-attempt.entity';
import { WebhookDelivery } from './webhook-delivery.entity';
import { WebhookEndpoint, type WebhookEventType } from './webhook-endpoint.entity';

export interface AdminContact {
  email: string;
  name: string;
}

/** A stored task event that should have produced deliveries but has none yet. */
export interface MissedTaskEvent {
  taskId: string;
  seq: number;
  orgId: string;
}

/** What responses show of an endpoint: never its secrets. */
export type WebhookEndpointView = Pick<
  WebhookEndpoint,
  'id' | 'url' | 'description' | 'events' | 'enabled' | 'disabledAt' | 'disabledReason' | 'previousSecretExpiresAt' | 'failingSince' | 'createdAt' | 'updatedAt'
>;

const ENDPOINT_VIEW_COLUMNS = `e.id, e.url, e.description, e.events, e.enabled, e.disabled_at AS "disabledAt", e.disabled_reason AS "disabledReason",
  e.previous_secret_expires_at AS "previousSecretExpiresAt", e.failing_since AS "failingSince", e.created_at AS "createdAt", e.updated_at AS "updatedAt"`;

export type WebhookDeliveryView = Pick<
  WebhookDelivery,
  'id' | 'endpointId' | 'eventType' | 'status' | 'attempts' | 'responseStatus' | 'durationMs' | 'lastError' | 'nextAttemptAt' | 'deliveredAt' | 'createdAt' | 'payload'
>;

export type WebhookAttemptView = Pick<WebhookDeliveryAttempt, 'attempt' | 'responseStatus' | 'durationMs' | 'error' | 'createdAt'>;

export type DeliveryWithAttempts = WebhookDeliveryView & { attemptLog: WebhookAttemptView[] };

type StoredAttempt = Omit<WebhookAttemptView, 'createdAt'> & { createdAtMs: number };
type DeliveryRow = WebhookDeliveryView & { attemptLog: StoredAttempt[] | null };

const toDeliveryWithAttempts = ({ attemptLog, ...delivery }: DeliveryRow): DeliveryWithAttempts => ({
  ...delivery,
  attemptLog: (attemptLog ?? []).map(({ createdAtMs, ...attempt }) => ({ ...attempt, createdAt: new Date(createdAtMs) })),
});

/** Webhook endpoints, deliveries and attempts; every query names the org. */
@Injectable()
export class WebhooksRepository {
  async insertEndpoint(db: EntityManager, endpoint: Pick<WebhookEndpoint, 'id' | 'orgId' | 'url' | 'description' | 'events' | 'enabled' | 'secretSealed' | 'createdByUserId'>): Promise<WebhookEndpoint> {
    await db.insert(WebhookEndpoint, endpoint);
    return (await this.findEndpoint(db, endpoint.orgId, endpoint.id))!;
  }

  findEndpoint(db: EntityManager, orgId: string, id: string, lock = false): Promise<WebhookEndpoint | null> {
    return db.findOne(WebhookEndpoint, { where: { id, orgId }, ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}) });
  }

  /** An endpoint of the org as responses show it, for read-only requests: one statement, so one round trip through `TenantDatabase.reader`. */
  async findEndpointView(db: SqlReader, orgId: string, id: string): Promise<WebhookEndpointView | null> {
    const [endpoint] = await db.query<WebhookEndpointView[]>(`SELECT ${ENDPOINT_VIEW_COLUMNS} FROM webhook_endpoint e WHERE e.org_id = $1 AND e.id = $2`, [orgId, id]);
    return endpoint ?? null;
  }

  /** Newest first (UUIDv7 ids), `limit + 1` endpoints. */
  listEndpoints(db: SqlReader, orgId: string, limit: number, cursor?: string): Promise<WebhookEndpointView[]> {
    return db.query<WebhookEndpointView[]>(
      `SELECT ${ENDPOINT_VIEW_COLUMNS}
         FROM webhook_endpoint e
        WHERE e.org_id = $1 AND ($2::uuid IS NULL OR e.id < $2::uuid)
        ORDER BY e.id DESC
        LIMIT $3`,
      [orgId, cursor ?? null, limit + 1],
    );
  }

  countEndpoints(db: EntityManager, orgId: string): Promise<number> {
    return db.count(WebhookEndpoint, { where: { orgId } });
  }

  async updateEndpoint(db: EntityManager, orgId: string, id: string, patch: Partial<WebhookEndpoint>): Promise<void> {
    await db.update(WebhookEndpoint, { id, orgId }, patch);
  }

  async deleteEndpoint(db: EntityManager, orgId: string, id: string): Promise<boolean> {
    const result = await db.delete(WebhookEndpoint, { id, orgId });
    return (result.affected ?? 0) > 0;
  }

  /** Enabled endpoints of the org that subscribe to `type` and existed when the event happened. */
  subscribedEndpoints(db: EntityManager, orgId: string, type: WebhookEventType, happenedAt: Date): Promise<WebhookEndpoint[]> {
    return db
      .createQueryBuilder(WebhookEndpoint, 'endpoint')
      .where('endpoint.orgId = :orgId', { orgId })
      .andWhere('endpoint.enabled')
      .andWhere(':type = ANY(endpoint.events)', { type })
      .andWhere('endpoint.createdAt <= :happenedAt', { happenedAt })
      .getMany();
  }

  /** Inserts a delivery unless the endpoint already has one for the same source event. */
  async insertDeliveryOnce(db: EntityManager, delivery: Pick<WebhookDelivery, 'id' | 'orgId' | 'endpointId' | 'eventType' | 'sourceKey' | 'payload'>): Promise<boolean> {
    const rows = (await db.query(
      `INSERT INTO webhook_delivery (id, org_id, endpoint_id, event_type, source_key, payload, next_attempt_at)
       VALUES ($1, $2, $3, $4, $5, $6::jsonb, now())
       ON CONFLICT (endpoint_id, source_key) WHERE source_key IS NOT NULL DO NOTHING RETURNING id`,
      [delivery.id, delivery.orgId, delivery.endpointId, delivery.eventType, delivery.sourceKey, JSON.stringify(delivery.payload)],
    )) as Array<{ id: string }>;
    return rows.length === 1;
  }

  findDelivery(db: EntityManager, orgId: string, id: string, lock = false): Promise<WebhookDelivery | null> {
    return db.findOne(WebhookDelivery, { where: { id, orgId }, ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}) });
  }

  /**
   * `limit + 1` deliveries of the org's endpoint, newest first, each with its attempts; null when
   * the org has no such endpoint. One statement: the endpoint without deliveries yields one row of nulls.
   */
  async listDeliveriesOfEndpoint(db: SqlReader, orgId: string, endpointId: string, limit: number, cursor?: string): Promise<DeliveryWithAttempts[] | null> {
    // Attempt times travel as epoch milliseconds: JSON would render them in the session's time zone
    // with microseconds, while floor(epoch ms) is exactly the Date pg parses from a timestamptz.
    const rows = await db.query<Array<DeliveryRow | { id: null }>>(
      `SELECT d.id, d.endpoint_id AS "endpointId", d.event_type AS "eventType", d.status, d.attempts, d.response_status AS "responseStatus",
              d.duration_ms AS "durationMs", d.last_error AS "lastError", d.next_attempt_at AS "nextAttemptAt", d.delivered_at AS "deliveredAt",
              d.created_at AS "createdAt", d.payload,
              (SELECT json_agg(json_build_object('attempt', a.attempt, 'responseStatus', a.response_status, 'durationMs', a.duration_ms, 'error', a.error,
                                                 'createdAtMs', floor(extract(epoch FROM a.created_at) * 1000)) ORDER BY a.attempt, a.id)
                 FROM webhook_delivery_attempt a
                WHERE a.org_id = $1 AND a.delivery_id = d.id) AS "attemptLog"
         FROM webhook_endpoint e
         LEFT JOIN LATERAL (SELECT d.*
                              FROM webhook_delivery d
                             WHERE d.org_id = $1 AND d.endpoint_id = e.id AND ($3::uuid IS NULL OR d.id < $3::uuid)
                             ORDER BY d.id DESC
                             LIMIT $4) d ON true
        WHERE e.org_id = $1 AND e.id = $2
        ORDER BY d.id DESC`,
      [orgId, endpointId, cursor ?? null, limit + 1],
    );
    if (rows.length === 0) return null;
    return rows.filter((row): row is DeliveryRow => row.id !== null).map(toDeliveryWithAttempts);
  }

  attemptsOf(db: EntityManager, orgId: string, deliveryIds: string[]): Promise<WebhookDeliveryAttempt[]> {
    if (deliveryIds.length === 0) return Promise.resolve([]);
    return db.find(WebhookDeliveryAttempt, { where: { orgId, deliveryId: In(deliveryIds) }, order: { attempt: 'ASC' } });
  }

  async insertAttempt(db: EntityManager, attempt: Pick<WebhookDeliveryAttempt, 'id' | 'orgId' | 'deliveryId' | 'attempt' | 'responseStatus' | 'durationMs' | 'error'>): Promise<void> {
    await db.insert(WebhookDeliveryAttempt, attempt);
  }

  async updateDelivery(db: EntityManager, orgId: string, id: string, patch: Partial<Omit<WebhookDelivery, 'payload'>>): Promise<void> {
    await db.update(WebhookDelivery, { id, orgId }, patch);
  }

  /** Marks the endpoint failing since now (transaction time, as the attempt rows) unless it already is; returns since when. */
  async markFailing(db: EntityManager, orgId: string, endpointId: string): Promise<Date> {
    const rows = (await db.query(
      `UPDATE webhook_endpoint SET failing_since = COALESCE(failing_since, now()), updated_at = now() WHERE id = $1 AND org_id = $2 RETURNING failing_since`,
      [endpointId, orgId],
    )) as [Array<{ failing_since: Date }>, number];
    return rows[0][0]!.failing_since;
  }

  async firstAttemptAt(db: EntityManager, orgId: string, deliveryId: string): Promise<Date | null> {
    const rows = (await db.query(`SELECT min(created_at) AS first FROM webhook_delivery_attempt WHERE delivery_id = $1 AND org_id = $2`, [deliveryId, orgId])) as Array<{ first: Date | null }>;
    return rows[0]?.first ?? null;
  }

  /** Owners and admins, who manage webhooks and hear when one is disabled. */
  async admins(db: EntityManager, orgId: string): Promise<AdminContact[]> {
    return (await db.query(
      `SELECT u.email, u.name FROM membership m JOIN user_account u ON u.id = m.user_id WHERE m.org_id = $1 AND m.role IN ('owner', 'admin') ORDER BY u.email`,
      [orgId],
    )) as AdminContact[];
  }

  async organizationName(db: EntityManager, orgId: string): Promise<string> {
    const rows = (await db.query(`SELECT name FROM organization WHERE id = $1`, [orgId])) as Array<{ name: string }>;
    return rows[0]?.name ?? '';
  }

  /**
   * Cross-org (system scope): recent task events that an enabled, subscribed endpoint has no
   * delivery for, e.g. because no process was listening when they were announced.
   */
  async missedTaskEvents(db: EntityManager, window: { fromSeconds: number; settleSeconds: number }, limit: number): Promise<MissedTaskEvent[]> {
    const rows = (await db.query(
      `SELECT DISTINCT te.task_id, te.seq, te.org_id
         FROM task_event te
         JOIN webhook_endpoint e ON e.org_id = te.org_id AND e.enabled AND e.created_at <= te.created_at
        WHERE te.created_at > now() - make_interval(secs => $1)
          AND te.created_at < now() - make_interval(secs => $2)
          AND ((te.type = 'task.status' AND (
                 (te.payload->>'status' = 'completed' AND 'task.completed' = ANY(e.events))
              OR (te.payload->>'status' IN ('failed', 'timed_out') AND 'task.failed' = ANY(e.events))))
            OR (te.type = 'task.leads' AND te.payload->'leads' @> '[{"change":"new"}]'::jsonb AND 'leads.created' = ANY(e.events)))
          AND NOT EXISTS (SELECT 1 FROM webhook_delivery d WHERE d.endpoint_id = e.id AND d.source_key = te.task_id || ':' || te.seq)
        LIMIT $3`,
      [window.fromSeconds, window.settleSeconds, limit],
    )) as Array<{ task_id: string; seq: number; org_id: string }>;
    return rows.map((row) => ({ taskId: row.task_id, seq: row.seq, orgId: row.org_id }));
  }

  /** Cross-org (system scope): deliveries older than the retention, with their attempts. */
  async deleteDeliveriesBefore(db: EntityManager, before: Date): Promise<number> {
    const result = (await db.query(`DELETE FROM webhook_delivery WHERE created_at < $1 AND status <> 'pending'`, [before])) as [unknown[], number];
    return result[1];
  }
}
