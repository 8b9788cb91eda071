import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { newId } from '../common/ids';
import { LEAD_COLUMNS, type LeadRow } from '../leads/lead-row';
import type { SuppressionKind } from './suppression-hash';

export interface SuppressionRow {
  id: string;
  kind: SuppressionKind;
  value_hash: Buffer;
  created_at: Date;
}

export interface PurgeCandidate {
  id: string;
  org_id: string;
  email: string | null;
  profile_url: string | null;
  socials: Record<string, string | null> | null;
  company_domain: string | null;
  website: string | null;
}

export interface AuditRow {
  id: string;
  action: string;
  actor_user_id: string | null;
  actor_api_key_id: string | null;
  target_type: string | null;
  target_id: string | null;
  ip: string | null;
  user_agent: string | null;
  metadata: Record<string, unknown>;
  created_at: Date;
}

export interface AuditFilter {
  action?: string;
  actorUserId?: string;
  actorApiKeyId?: string;
  from?: Date;
  to?: Date;
  cursor?: string;
  limit: number;
}

const AUDIT_COLUMNS = 'id, action, actor_user_id, actor_api_key_id, target_type, target_id, ip, user_agent, metadata, created_at';

/**
 * Queries of the legal module. `suppression` and `opt_out_request` are global (no org column, no
 * RLS); everything else is filtered by org here and by row-level security in the database.
 */
@Injectable()
export class LegalRepository {
  /** Adds an entry; the existing one when the value was already suppressed. */
  async addSuppression(db: EntityManager, kind: SuppressionKind, hash: Buffer): Promise<{ id: string; created: boolean }> {
    const [inserted] = (await db.query(
      `INSERT INTO suppression (id, kind, value_hash) VALUES ($1, $2, $3) ON CONFLICT (kind, value_hash) DO NOTHING RETURNING id`,
      [newId(), kind, hash],
    )) as Array<{ id: string }>;
    if (inserted) return { id: inserted.id, created: true };
    const [existing] = (await db.query(`SELECT id FROM suppression WHERE kind = $1 AND value_hash = $2`, [kind, hash])) as Array<{ id: string }>;
    return { id: existing!.id, created: false };
  }

  async removeSuppression(db: EntityManager, kind: SuppressionKind, hash: Buffer): Promise<string | null> {
    const [rows] = (await db.query(`DELETE FROM suppression WHERE kind = $1 AND value_hash = $2 RETURNING id`, [kind, hash])) as [Array<{ id: string }>, number];
    return rows[0]?.id ?? null;
  }

  async suppressionExists(db: EntityManager, id: string): Promise<boolean> {
    const rows = (await db.query(`SELECT 1 FROM suppression WHERE id = $1`, [id])) as unknown[];
    return rows.length > 0;
  }

  async countSuppressions(db: EntityManager): Promise<Record<SuppressionKind, number>> {
    const rows = (await db.query(`SELECT kind, count(*)::int AS count FROM suppression GROUP BY kind`)) as Array<{ kind: SuppressionKind; count: number }>;
    const counts: Record<SuppressionKind, number> = { email: 0, profile_url: 0, domain: 0 };
    for (const row of rows) counts[row.kind] = row.count;
    return counts;
  }

  /** Newest first, keyset on the UUIDv7 id. */
  async listSuppressions(db: EntityManager, options: { kind?: SuppressionKind; cursor?: string; limit: number }): Promise<SuppressionRow[]> {
    return (await db.query(
      `SELECT id, kind, value_hash, created_at FROM suppression
        WHERE ($1::text IS NULL OR kind = $1) AND ($2::uuid IS NULL OR id < $2)
        ORDER BY id DESC LIMIT $3`,
      [options.kind ?? null, options.cursor ?? null, options.limit + 1],
    )) as SuppressionRow[];
  }

  async addOptOutRequest(db: EntityManager, valueHash: Buffer, tokenHash: string, expiresAt: Date): Promise<void> {
    await db.query(`INSERT INTO opt_out_request (id, value_hash, token_hash, expires_at) VALUES ($1, $2, $3, $4)`, [newId(), valueHash, tokenHash, expiresAt]);
  }

  /** Whether a link for this address went out after `since` and is still open. */
  async recentOptOutRequest(db: EntityManager, valueHash: Buffer, since: Date): Promise<boolean> {
    const rows = (await db.query(
      `SELECT 1 FROM opt_out_request WHERE value_hash = $1 AND created_at > $2 AND confirmed_at IS NULL AND expires_at > now() LIMIT 1`,
      [valueHash, since],
    )) as unknown[];
    return rows.length > 0;
  }

  /** Marks a live request used and returns its hash; null when the token is unknown, used or expired. */
  async consumeOptOutRequest(db: EntityManager, tokenHash: string): Promise<Buffer | null> {
    const [rows] = (await db.query(
      `UPDATE opt_out_request SET confirmed_at = now() WHERE token_hash = $1 AND confirmed_at IS NULL AND expires_at > now() RETURNING value_hash`,
      [tokenHash],
    )) as [Array<{ value_hash: Buffer }>, number];
    return rows[0]?.value_hash ?? null;
  }

  /** Requests confirmed or expired a day ago: nothing left to do with them. */
  async deleteSettledOptOutRequests(db: EntityManager): Promise<number> {
    const [, count] = (await db.query(
      `DELETE FROM opt_out_request WHERE expires_at < now() - interval '1 day' OR confirmed_at < now() - interval '1 day'`,
    )) as [unknown, number];
    return count;
  }

  /** A page of every org's leads in id order (system scope), with what an opt-out can match. */
  async purgeCandidates(db: EntityManager, afterId: string | null, limit: number): Promise<PurgeCandidate[]> {
    return (await db.query(
      `SELECT id, org_id, email, profile_url, socials, company_domain, website FROM lead
        WHERE ($1::uuid IS NULL OR id > $1) ORDER BY id LIMIT $2`,
      [afterId, limit],
    )) as PurgeCandidate[];
  }

  /** Hard delete (system scope); the deleted rows' orgs. */
  async hardDeleteLeads(db: EntityManager, ids: string[]): Promise<Array<{ org_id: string }>> {
    const [rows] = (await db.query(`DELETE FROM lead WHERE id = ANY($1::uuid[]) RETURNING org_id`, [ids])) as [Array<{ org_id: string }>, number];
    return rows;
  }

  async orgIds(db: EntityManager): Promise<string[]> {
    const rows = (await db.query(`SELECT id FROM organization ORDER BY id`)) as Array<{ id: string }>;
    return rows.map((row) => row.id);
  }

  /**
   * Leads of the org holding the address: as their email, or anywhere in their data (notes,
   * socials, sources...). The text match is a pre-filter; the caller checks address boundaries.
   */
  async leadsMentioning(db: EntityManager, orgId: string, email: string): Promise<LeadRow[]> {
    return (await db.query(
      `SELECT ${LEAD_COLUMNS} FROM lead l
        WHERE l.org_id = $1 AND (lower(l.email) = $2 OR strpos(lower(to_jsonb(l)::text), $2) > 0)
        ORDER BY l.id`,
      [orgId, email],
    )) as LeadRow[];
  }

  async tasksById(db: EntityManager, orgId: string, ids: string[]): Promise<Array<Record<string, unknown>>> {
    if (ids.length === 0) return [];
    return (await db.query(
      `SELECT id, name, platform, status, seeds, created_at, finished_at FROM scrape_task WHERE org_id = $1 AND id = ANY($2::uuid[]) ORDER BY id`,
      [orgId, ids],
    )) as Array<Record<string, unknown>>;
  }

  async auditRowsAbout(db: EntityManager, orgId: string, targetType: string, targetIds: string[]): Promise<AuditRow[]> {
    if (targetIds.length === 0) return [];
    return (await db.query(
      `SELECT ${AUDIT_COLUMNS} FROM audit_log WHERE org_id = $1 AND target_type = $2 AND target_id = ANY($3::text[]) ORDER BY id`,
      [orgId, targetType, targetIds],
    )) as AuditRow[];
  }

  /** The org's member with this address, if any (what the org holds on a person who is also a user). */
  async memberByEmail(db: EntityManager, orgId: string, email: string): Promise<Record<string, unknown> | null> {
    const [row] = (await db.query(
      `SELECT u.id AS user_id, u.name, u.email, m.role, m.created_at AS member_since
         FROM membership m JOIN user_account u ON u.id = m.user_id
        WHERE m.org_id = $1 AND lower(u.email) = $2`,
      [orgId, email],
    )) as Array<Record<string, unknown>>;
    return row ?? null;
  }

  async listAudit(db: EntityManager, orgId: string, filter: AuditFilter): Promise<AuditRow[]> {
    const prefix = filter.action?.endsWith('.') ? filter.action : null;
    return (await db.query(
      `SELECT ${AUDIT_COLUMNS} FROM audit_log
        WHERE org_id = $1
          AND ($2::text IS NULL OR action = $2)
          AND ($3::text IS NULL OR left(action, length($3)) = $3)
          AND ($4::uuid IS NULL OR actor_user_id = $4)
          AND ($5::uuid IS NULL OR actor_api_key_id = $5)
          AND ($6::timestamptz IS NULL OR created_at >= $6)
          AND ($7::timestamptz IS NULL OR created_at < $7)
          AND ($8::uuid IS NULL OR id < $8)
        ORDER BY id DESC LIMIT $9`,
      [
        orgId,
        prefix ? null : (filter.action ?? null),
        prefix,
        filter.actorUserId ?? null,
        filter.actorApiKeyId ?? null,
        filter.from ?? null,
        filter.to ?? null,
        filter.cursor ?? null,
        filter.limit + 1,
      ],
    )) as AuditRow[];
  }
}
