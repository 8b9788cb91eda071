import { createHash } from 'node:crypto';
import { HttpStatus, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AppError } from '../errors/app-error';

export const IDEMPOTENCY_TTL_HOURS = 24;
const SANE_KEY = /^[A-Za-z0-9._:-]{8,200}$/;

export interface IdempotentResult<T> {
  statusCode: number;
  body: T;
  /** True when the stored first response was returned instead of running the work again. */
  replayed: boolean;
}

/** Stable hash of a request body: key order does not matter. */
export function hashRequest(body: unknown): string {
  const canonical = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(canonical);
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.keys(value as object).sort().map((key) => [key, canonical((value as Record<string, unknown>)[key])]));
    }
    return value;
  };
  return createHash('sha256').update(JSON.stringify(canonical(body ?? null))).digest('hex');
}

export function validateIdempotencyKey(key: string | undefined): string | undefined {
  if (key === undefined || key === '') return undefined;
  if (!SANE_KEY.test(key)) {
    throw new AppError('invalid_idempotency_key', HttpStatus.BAD_REQUEST, 'Idempotency-Key must be 8..200 characters of A-Z a-z 0-9 . _ : -');
  }
  return key;
}

/**
 * Idempotency-Key handling inside the caller's transaction: the first request inserts its record
 * (a concurrent duplicate waits on the key's unique index until the first commits), runs the work
 * and stores the response. The same key with the same body within 24 h gets that response again;
 * with another body it is a 422. A failed first request rolls back and leaves the key unused.
 */
@Injectable()
export class IdempotencyService {
  async run<T>(
    db: EntityManager,
    scope: { orgId: string; name: string; key: string; requestBody: unknown },
    work: () => Promise<{ statusCode: number; body: T }>,
  ): Promise<IdempotentResult<T>> {
    const requestHash = hashRequest(scope.requestBody);
    await db.query(`DELETE FROM idempotency_record WHERE org_id = $1 AND scope = $2 AND key = $3 AND expires_at <= now()`, [scope.orgId, scope.name, scope.key]);
    const claimed = (await db.query(
      `INSERT INTO idempotency_record (org_id, scope, key, request_hash, status_code, response, expires_at)
       VALUES ($1, $2, $3, $4, 0, 'null'::jsonb, now() + make_interval(hours => $5))
       ON CONFLICT (org_id, scope, key) DO NOTHING RETURNING key`,
      [scope.orgId, scope.name, scope.key, requestHash, IDEMPOTENCY_TTL_HOURS],
    )) as unknown[];

    if (claimed.length === 0) {
      const rows = (await db.query(`SELECT request_hash, status_code, response FROM idempotency_record WHERE org_id = $1 AND scope = $2 AND key = $3`, [
        scope.orgId,
        scope.name,
        scope.key,
      ])) as Array<{ request_hash: string; status_code: number; response: T }>;
      const stored = rows[0]!;
      if (stored.request_hash !== requestHash) {
        throw new AppError('idempotency_key_reused', HttpStatus.UNPROCESSABLE_ENTITY, 'This Idempotency-Key was used with a different request body in the last 24 hours.');
      }
      return { statusCode: stored.status_code, body: stored.response, replayed: true };
    }

    const result = await work();
    await db.query(`UPDATE idempotency_record SET status_code = $4, response = $5::jsonb WHERE org_id = $1 AND scope = $2 AND key = $3`, [
      scope.orgId,
      scope.name,
      scope.key,
      result.statusCode,
      JSON.stringify(result.body),
    ]);
    return { ...result, replayed: false };
  }
}
