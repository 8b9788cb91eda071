import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

export interface AdminUserRow {
  id: string;
  email: string;
  name: string;
  email_verified_at: Date | null;
  is_platform_admin: boolean;
  created_at: Date;
  memberships: Array<{ orgId: string; orgName: string; role: 'owner' | 'admin' | 'member' }>;
}

export interface AdminOrgRow {
  id: string;
  name: string;
  plan: 'free' | 'pro' | 'business' | null;
  balance: string | null;
  members_count: number;
  created_at: Date;
}

export interface ListParams {
  limit: number;
  cursor?: string;
  q?: string;
}

/** `%`, `_` and `\` in a search term are literal characters, not patterns. */
export const likePattern = (term: string): string => `%${term.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;

/**
 * Cross-organization reads for platform administrators. Every method takes a system-scoped
 * manager (TenantDatabase.asSystem): these lists span all organizations on purpose.
 * Keyset over the UUIDv7 ids, newest first.
 */
@Injectable()
export class AdminRepository {
  async listUsers(db: EntityManager, { limit, cursor, q }: ListParams): Promise<AdminUserRow[]> {
    const params: unknown[] = [limit + 1];
    const where: string[] = [];
    if (cursor) {
      params.push(cursor);
      where.push(`u.id < $${params.length}`);
    }
    if (q) {
      params.push(likePattern(q));
      where.push(`(u.email ILIKE $${params.length} OR u.name ILIKE $${params.length})`);
    }
    return (await db.query(
      `SELECT u.id, u.email, u.name, u.email_verified_at, u.is_platform_admin, u.created_at,
              COALESCE((SELECT json_agg(json_build_object('orgId', o.id, 'orgName', o.name, 'role', m.role) ORDER BY m.created_at)
                          FROM membership m JOIN organization o ON o.id = m.org_id
                         WHERE m.user_id = u.id), '[]'::json) AS memberships
         FROM user_account u
        ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY u.id DESC
        LIMIT $1`,
      params,
    )) as AdminUserRow[];
  }

  async listOrgs(db: EntityManager, { limit, cursor, q }: ListParams): Promise<AdminOrgRow[]> {
    const params: unknown[] = [limit + 1];
    const where: string[] = [];
    if (cursor) {
      params.push(cursor);
      where.push(`o.id < $${params.length}`);
    }
    if (q) {
      params.push(likePattern(q));
      where.push(`o.name ILIKE $${params.length}`);
    }
    return (await db.query(
      `SELECT o.id, o.name, o.created_at, ca.plan, ca.balance::text AS balance,
              (SELECT count(*)::int FROM membership m WHERE m.org_id = o.id) AS members_count
         FROM organization o
         LEFT JOIN credit_account ca ON ca.org_id = o.id
        ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY o.id DESC
        LIMIT $1`,
      params,
    )) as AdminOrgRow[];
  }
}
