import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { LeadFilterQuery } from './dto/lead-filter.dto';
import { MAX_TAGS } from './dto/lead-filter.dto';
import type { BulkAction } from './dto/lead-requests.dto';
import { leadWhere, orderSql, PREFIX_END, searchWords, SqlParams, type Keyset, type LeadSort, type SortOrder } from './lead-query';
import { LEAD_COLUMNS, type LeadRow } from './lead-row';
import type { LeadStatus } from './lead.types';

export interface LeadListSpec {
  filter: LeadFilterQuery;
  sort: LeadSort;
  order: SortOrder;
  keyset: Keyset | null;
  limit: number;
}

/** User corrections (UpdateLeadRequest), as columns. */
export interface LeadChanges {
  status?: LeadStatus;
  tags?: string[];
  notes?: string | null;
  fullName?: string | null;
  firstName?: string | null;
  lastName?: string | null;
  jobTitle?: string | null;
}

const CHANGE_COLUMNS: Record<keyof LeadChanges, string> = {
  status: 'status',
  tags: 'tags',
  notes: 'notes',
  fullName: 'full_name',
  firstName: 'first_name',
  lastName: 'last_name',
  jobTitle: 'job_title',
};

export type BulkTarget = { ids: string[] } | { filter: LeadFilterQuery };

/** A word matching fewer leads than this drives a search by id list; broader words are probed per row (lead-query.ts, searchWhere). */
export const SELECTIVE_TERM_MATCHES = 20_000;

/** Lead queries, always filtered by the caller's org (row-level security is the second wall). */
@Injectable()
export class LeadsRepository {
  /** One page in (sort key, id) order, `limit + 1` rows; `sort_key` is the exact key for the cursor. */
  async list(db: EntityManager, orgId: string, spec: LeadListSpec): Promise<LeadRow[]> {
    const p = new SqlParams();
    const words = spec.filter.q === undefined ? [] : searchWords(spec.filter.q);
    const search = words.length > 0 ? await this.searchPlan(db, orgId, words) : undefined;
    const where = leadWhere(p.add(orgId), spec.filter, p, 'live', search);
    const order = orderSql(spec.sort, spec.order, spec.keyset, p);
    return db.query(
      `SELECT ${LEAD_COLUMNS}, ${order.keyText} AS sort_key
         FROM lead l
        WHERE ${where}${order.after ? `\n   AND ${order.after}` : ''}
        ORDER BY ${order.orderBy}
        LIMIT ${p.add(spec.limit + 1)}`,
      p.values,
    );
  }

  /**
   * The words of q rarest first, each with whether it is selective: its matches are counted up to
   * SELECTIVE_TERM_MATCHES on the term index (an index-only range scan that stops at the cap).
   */
  private async searchPlan(db: EntityManager, orgId: string, words: string[]): Promise<{ words: string[]; plan: boolean[] }> {
    const rows: Array<{ word: string; matches: number }> = await db.query(
      `SELECT w.word, (SELECT count(*) FROM (SELECT 1 FROM lead_search_term s
                                               WHERE s.org_id = $1 AND s.term >= (w.word COLLATE "C") AND s.term < (w.word || $3 COLLATE "C")
                                               LIMIT $4) x)::int AS matches
         FROM unnest($2::text[]) AS w(word)`,
      [orgId, words, PREFIX_END, SELECTIVE_TERM_MATCHES],
    );
    rows.sort((a, b) => a.matches - b.matches);
    return { words: rows.map((row) => row.word), plan: rows.map((row, index) => index === 0 && row.matches < SELECTIVE_TERM_MATCHES) };
  }

  /** A lead of the org, deleted or not. */
  async find(db: EntityManager, orgId: string, id: string): Promise<LeadRow | null> {
    const [row] = await db.query(`SELECT ${LEAD_COLUMNS} FROM lead l WHERE l.org_id = $1 AND l.id = $2`, [orgId, id]);
    return row ?? null;
  }

  /** Applies corrections to a live lead; null when there is none. */
  async update(db: EntityManager, orgId: string, id: string, changes: LeadChanges, userId: string | null): Promise<LeadRow | null> {
    const p = new SqlParams();
    const sets = Object.entries(changes)
      .filter(([, value]) => value !== undefined)
      .map(([field, value]) => `${CHANGE_COLUMNS[field as keyof LeadChanges]} = ${p.add(value)}${field === 'tags' ? '::text[]' : ''}`);
    sets.push('updated_at = now()', `updated_by = ${p.add(userId)}::uuid`);
    const [rows] = await db.query(
      `UPDATE lead l SET ${sets.join(', ')} WHERE l.org_id = ${p.add(orgId)} AND l.id = ${p.add(id)} AND l.deleted_at IS NULL RETURNING ${LEAD_COLUMNS}`,
      p.values,
    );
    return (rows as LeadRow[])[0] ?? null;
  }

  /** Soft-deletes or restores one lead; whether it exists in the org and whether it changed. */
  async setDeleted(db: EntityManager, orgId: string, id: string, deleted: boolean, userId: string | null): Promise<{ exists: boolean; changed: boolean }> {
    const [rows] = await db.query(
      `UPDATE lead l SET deleted_at = ${deleted ? 'now()' : 'NULL'}, updated_at = now(), updated_by = $3
        WHERE l.org_id = $1 AND l.id = $2 AND l.deleted_at IS ${deleted ? 'NULL' : 'NOT NULL'}
        RETURNING l.id`,
      [orgId, id, userId],
    );
    if ((rows as unknown[]).length > 0) return { exists: true, changed: true };
    const [existing] = await db.query('SELECT 1 FROM lead l WHERE l.org_id = $1 AND l.id = $2', [orgId, id]);
    return { exists: Boolean(existing), changed: false };
  }

  /** One UPDATE for the whole action; rows it would not change are not touched (nor counted). */
  async bulk(db: EntityManager, orgId: string, target: BulkTarget, action: BulkAction, args: { tags?: string[]; status?: LeadStatus }, userId: string | null): Promise<number> {
    const p = new SqlParams();
    const org = p.add(orgId);
    const scope = action === 'restore' ? 'deleted' : 'live';
    const where = 'ids' in target ? `l.org_id = ${org} AND l.id = ANY (${p.add(target.ids)}::uuid[]) AND l.deleted_at IS ${scope === 'deleted' ? 'NOT ' : ''}NULL` : leadWhere(org, target.filter, p, scope);
    let set: string;
    let changes: string;
    switch (action) {
      case 'delete':
        set = 'deleted_at = now()';
        changes = 'true';
        break;
      case 'restore':
        set = 'deleted_at = NULL';
        changes = 'true';
        break;
      case 'tag': {
        const tags = p.add(args.tags);
        set = `tags = (ARRAY(SELECT u.tag FROM unnest(l.tags || ${tags}::text[]) WITH ORDINALITY AS u(tag, ord) GROUP BY u.tag ORDER BY min(u.ord)))[1:${MAX_TAGS}]`;
        changes = `NOT (l.tags @> ${tags}::text[])`;
        break;
      }
      case 'untag': {
        const tags = p.add(args.tags);
        set = `tags = ARRAY(SELECT u.tag FROM unnest(l.tags) WITH ORDINALITY AS u(tag, ord) WHERE u.tag <> ALL (${tags}::text[]) ORDER BY u.ord)`;
        changes = `l.tags && ${tags}::text[]`;
        break;
      }
      case 'setStatus': {
        const status = p.add(args.status);
        set = `status = ${status}`;
        changes = `l.status <> ${status}`;
        break;
      }
    }
    const [, affected] = await db.query(
      `UPDATE lead l SET ${set}, updated_at = now(), updated_by = ${p.add(userId)}::uuid WHERE ${where} AND ${changes}`,
      p.values,
    );
    return Number(affected);
  }
}
