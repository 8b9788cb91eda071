import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { SqlReader } from '../database/tenant-database';
import type { LeadFilterQuery } from './dto/lead-filter.dto';
import { MAX_TAGS } from './dto/lead-filter.dto';
import type { BulkAction } from './dto/lead-requests.dto';
import { leadWhere, orderSql, PREFIX_END, searchCandidates, searchTextMatches, searchWords, SqlParams, type Keyset, type LeadSort, type SearchPlan, type SortOrder } from './lead-query';
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

/** The two thresholds of a search plan (lead-query.ts, SearchPlan). */
export interface SearchTuning {
  /**
   * A word matching fewer leads than this drives a search: its ids, narrowed by the other words in
   * the term index, are the candidates.
   */
  selectiveMatches: number;
  /**
   * When every word is broad the walk in list order reads at most this many leads for a page; when
   * the words are rare together (the page is not full by then) the rarest word drives instead.
   */
  walkLimit: number;
  /**
   * Even with a selective word the leads are walked in list order when that is expected to fill a
   * page within this many leads (the org's lead count over the matches the words are expected to
   * have together, taking them as independent): reading a few thousand leads in order is cheaper
   * than fetching and sorting every candidate of a word that matches, say, 3% of a small org.
   */
  walkWhenPageWithin: number;
}

export const SEARCH_TUNING: SearchTuning = { selectiveMatches: 20_000, walkLimit: 20_000, walkWhenPageWithin: 5_000 };

/** Lead queries, always filtered by the caller's org (row-level security is the second wall). */
@Injectable()
export class LeadsRepository {
  /** One page in (sort key, id) order, `limit + 1` rows; `sort_key` is the exact key for the cursor. */
  async list(db: SqlReader, orgId: string, spec: LeadListSpec, tuning: SearchTuning = SEARCH_TUNING): Promise<LeadRow[]> {
    const words = spec.filter.q === undefined ? [] : searchWords(spec.filter.q);
    if (words.length === 0) return this.page(db, orgId, spec, null, tuning);
    const plan = await this.searchPlan(db, orgId, words, tuning, spec.limit);
    if (plan.driver !== null) return this.page(db, orgId, spec, plan, tuning);
    const walked = await this.page(db, orgId, spec, plan, tuning);
    if (walked.length > spec.limit) return walked;
    // Fewer matches than a page within the walk (or the last page): the rarest word drives instead.
    return this.page(db, orgId, spec, { driver: plan.rest[0]!, rest: plan.rest.slice(1) }, tuning);
  }

  /**
   * Without a plan: the filters in (sort key, id) order. With a driver: the candidate ids are
   * materialized first (so the planner never walks the whole org probing each lead against them),
   * then read by primary key and sorted. Without a driver: at most `walkLimit` leads in list
   * order, each checked on its own text, the walk fenced off in a subquery so that the planner keeps
   * it in index order whatever it guesses the regular expressions match.
   */
  private async page(db: SqlReader, orgId: string, spec: LeadListSpec, plan: SearchPlan | null, tuning: SearchTuning): Promise<LeadRow[]> {
    const p = new SqlParams();
    const org = p.add(orgId);
    const candidates = plan?.driver ? `WITH c AS MATERIALIZED (${searchCandidates(org, plan.driver, plan.rest, p)})\n` : '';
    const where = leadWhere(org, spec.filter, p, 'live', plan !== null);
    const order = orderSql(spec.sort, spec.order, spec.keyset, p);
    const filtered = `${where}${order.after ? `\n   AND ${order.after}` : ''}`;
    if (plan && !plan.driver) {
      return db.query<LeadRow[]>(
        `SELECT ${LEAD_COLUMNS}, ${order.keyText} AS sort_key
           FROM (SELECT l.* FROM lead l WHERE ${filtered} ORDER BY ${order.orderBy} LIMIT ${p.add(tuning.walkLimit)}) l
          WHERE ${searchTextMatches('l.search_text', plan.rest, p)}
          ORDER BY ${order.orderBy}
          LIMIT ${p.add(spec.limit + 1)}`,
        p.values,
      );
    }
    return db.query<LeadRow[]>(
      `${candidates}SELECT ${LEAD_COLUMNS}, ${order.keyText} AS sort_key
         FROM ${candidates ? 'c JOIN lead l ON l.id = c.lead_id' : 'lead l'}
        WHERE ${filtered}
        ORDER BY ${order.orderBy}
        LIMIT ${p.add(spec.limit + 1)}`,
      p.values,
    );
  }

  /**
   * The rarest word of q drives the search when it is selective (matches are counted up to the cap
   * on the term index: an index-only range scan that stops there) and the words are not so common
   * together that a walk in list order fills a page sooner (the org's lead count from the rollup).
   */
  private async searchPlan(db: SqlReader, orgId: string, words: string[], tuning: SearchTuning, limit: number): Promise<SearchPlan> {
    const cap = tuning.selectiveMatches;
    const rows = await db.query<Array<{ word: string; matches: number; leads: number }>>(
      `SELECT w.word, (SELECT count(*) FROM (SELECT 1 FROM lead_search_term s
                                               WHERE s.org_id = $1 AND s.term >= (w.word COLLATE "C") AND s.term < (w.word || $3 COLLATE "C")
                                               LIMIT $4) x)::int AS matches,
              (SELECT COALESCE(sum(d.leads), 0) FROM lead_stat_dim d WHERE d.org_id = $1)::float8 AS leads
         FROM unnest($2::text[]) AS w(word)`,
      [orgId, words, PREFIX_END, cap],
    );
    rows.sort((a, b) => a.matches - b.matches);
    const byRarity = rows.map((row) => row.word);
    const rarest = rows[0]!;
    if (rarest.matches >= cap) return { driver: null, rest: byRarity };
    const leads = Math.max(rarest.leads, 1);
    const together = rows.reduce((estimate, row) => estimate * Math.min(1, row.matches / leads), leads);
    if (together > 0 && ((limit + 1) * leads) / together <= tuning.walkWhenPageWithin) return { driver: null, rest: byRarity };
    return { driver: rarest.word, rest: byRarity.slice(1) };
  }

  /** A lead of the org, deleted or not. */
  async find(db: SqlReader, orgId: string, id: string): Promise<LeadRow | null> {
    const [row] = await db.query<LeadRow[]>(`SELECT ${LEAD_COLUMNS} FROM lead l WHERE l.org_id = $1 AND l.id = $2`, [orgId, id]);
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
