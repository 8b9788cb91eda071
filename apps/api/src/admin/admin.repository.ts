import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

export interface AdminUserRow {
  id: string;
  email: string;
  name: string;
  email_verified_at: Date | null;
  is_platform_admin: boolean;
  suspended_at: Date | null;
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

const USER_COLUMNS = `u.id, u.email, u.name, u.email_verified_at, u.is_platform_admin, u.suspended_at, u.created_at,
       COALESCE((SELECT json_agg(json_build_object('orgId', o.id, 'orgName', o.name, 'role', m.role) ORDER BY m.created_at)
                   FROM membership m JOIN organization o ON o.id = m.org_id
                  WHERE m.user_id = u.id), '[]'::json) AS memberships`;

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
      `SELECT ${USER_COLUMNS}
         FROM user_account u
        ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY u.id DESC
        LIMIT $1`,
      params,
    )) as AdminUserRow[];
  }

  async findUser(db: EntityManager, id: string): Promise<AdminUserRow | undefined> {
    const rows = (await db.query(`SELECT ${USER_COLUMNS} FROM user_account u WHERE u.id = $1`, [id])) as AdminUserRow[];
    return rows[0];
  }

  /**
   * Locks the active platform administrators (flagged, not suspended) and returns their ids. Every
   * change that removes one takes these locks first, so two administrators demoting or suspending
   * each other at the same moment cannot leave the platform without one.
   */
  async lockActivePlatformAdmins(db: EntityManager): Promise<string[]> {
    const rows = (await db.query(
      `SELECT id FROM user_account WHERE is_platform_admin AND suspended_at IS NULL ORDER BY id FOR UPDATE`,
    )) as Array<{ id: string }>;
    return rows.map((row) => row.id);
  }

  /** Locks the user's row; undefined when there is no such user. */
  async lockUser(db: EntityManager, id: string): Promise<{ id: string; is_platform_admin: boolean; suspended_at: Date | null; current_org_id: string | null } | undefined> {
    const rows = (await db.query(`SELECT id, is_platform_admin, suspended_at, current_org_id FROM user_account WHERE id = $1 FOR UPDATE`, [id])) as Array<{
      id: string;
      is_platform_admin: boolean;
      suspended_at: Date | null;
      current_org_id: string | null;
    }>;
    return rows[0];
  }

  async updateUser(db: EntityManager, id: string, changes: { isPlatformAdmin?: boolean; suspended?: boolean }): Promise<void> {
    const sets: string[] = [];
    if (changes.isPlatformAdmin !== undefined) sets.push(`is_platform_admin = ${changes.isPlatformAdmin ? 'true' : 'false'}`);
    if (changes.suspended !== undefined) sets.push(changes.suspended ? 'suspended_at = now()' : 'suspended_at = NULL');
    if (sets.length === 0) return;
    await db.query(`UPDATE user_account SET ${sets.join(', ')}, updated_at = now() WHERE id = $1`, [id]);
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
