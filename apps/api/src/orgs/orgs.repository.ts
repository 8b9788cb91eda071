import { Injectable } from '@nestjs/common';
import { type EntityManager, IsNull } from 'typeorm';
import type { PlanId } from '../billing/plans';
import { sha256 } from '../common/crypto/tokens';
import type { SqlReader } from '../database/tenant-database';
import { Invitation, type InvitableRole } from './invitation.entity';
import { Membership, type OrgRole } from './membership.entity';
import { Organization } from './organization.entity';

export interface MemberRow {
  userId: string;
  email: string;
  name: string;
  role: OrgRole;
  joinedAt: Date;
}

export interface MembershipCounts {
  members: number;
  owners: number;
}

export type OrganizationProfile = Pick<Organization, 'id' | 'name' | 'createdAt'>;

/** What the invitation list shows of an invitation. */
export type PendingInvitation = Pick<Invitation, 'id' | 'email' | 'role' | 'expiresAt' | 'createdAt' | 'invitedByUserId'>;

/**
 * Organizations, memberships and invitations. Every method takes the org id and filters by it,
 * and runs on a manager from TenantDatabase whose RLS scope is that org (read-only lists on its reader).
 */
@Injectable()
export class OrgsRepository {
  findOrganization(db: EntityManager, orgId: string): Promise<Organization | null> {
    return db.findOneBy(Organization, { id: orgId });
  }

  /** The org's profile for read-only requests: one statement, so one round trip through `TenantDatabase.reader`. */
  async readOrganization(db: SqlReader, orgId: string): Promise<OrganizationProfile | null> {
    const [organization] = await db.query<OrganizationProfile[]>(`SELECT o.id, o.name, o.created_at AS "createdAt" FROM organization o WHERE o.id = $1`, [orgId]);
    return organization ?? null;
  }

  async insertOrganization(db: EntityManager, id: string, name: string): Promise<void> {
    await db.insert(Organization, { id, name });
  }

  async renameOrganization(db: EntityManager, orgId: string, name: string): Promise<void> {
    await db.update(Organization, { id: orgId }, { name });
  }

  async deleteOrganization(db: EntityManager, orgId: string): Promise<void> {
    await db.delete(Organization, { id: orgId });
  }

  findMembership(db: EntityManager, orgId: string, userId: string): Promise<Membership | null> {
    return db.findOneBy(Membership, { orgId, userId });
  }

  async insertMembership(db: EntityManager, orgId: string, userId: string, role: OrgRole): Promise<void> {
    await db.insert(Membership, { orgId, userId, role });
  }

  async setRole(db: EntityManager, orgId: string, userId: string, role: OrgRole): Promise<void> {
    await db.update(Membership, { orgId, userId }, { role });
  }

  async deleteMembership(db: EntityManager, orgId: string, userId: string): Promise<void> {
    await db.delete(Membership, { orgId, userId });
  }

  /** Members and owners of the org, optionally not counting one user; locks the rows against concurrent role changes. */
  async countMembers(db: EntityManager, orgId: string, excludingUserId?: string): Promise<MembershipCounts> {
    const rows = (await db.query(
      `SELECT role FROM membership WHERE org_id = $1 AND ($2::uuid IS NULL OR user_id <> $2::uuid) FOR UPDATE`,
      [orgId, excludingUserId ?? null],
    )) as Array<{ role: OrgRole }>;
    return { members: rows.length, owners: rows.filter((row) => row.role === 'owner').length };
  }

  /**
   * Seats taken: members, plus pending invitations unless `membersOnly` (not counting one for
   * `exceptEmail`, which a new invitation replaces), and the org's plan. Locks the organization
   * row so concurrent invitations and acceptances count one another.
   */
  async seatUsage(db: EntityManager, orgId: string, options: { exceptEmail?: string; membersOnly?: boolean } = {}): Promise<{ used: number; plan: PlanId }> {
    await db.query(`SELECT 1 FROM organization WHERE id = $1 FOR UPDATE`, [orgId]);
    const rows = (await db.query(
      `SELECT (SELECT count(*) FROM membership WHERE org_id = $1)::int
            + CASE WHEN $3 THEN 0 ELSE (SELECT count(*) FROM invitation
                WHERE org_id = $1 AND accepted_at IS NULL AND expires_at > now() AND ($2::text IS NULL OR email <> $2))::int END AS used,
              coalesce((SELECT plan FROM credit_account WHERE org_id = $1), 'free') AS plan`,
      [orgId, options.exceptEmail ?? null, options.membersOnly ?? false],
    )) as Array<{ used: number; plan: PlanId }>;
    return rows[0]!;
  }

  async listMembers(db: SqlReader, orgId: string, limit: number, cursor?: string): Promise<MemberRow[]> {
    const rows = await db.query<Array<{ user_id: string; email: string; name: string; role: OrgRole; created_at: Date }>>(
      `SELECT m.user_id, u.email, u.name, m.role, m.created_at
         FROM membership m JOIN user_account u ON u.id = m.user_id
        WHERE m.org_id = $1 AND ($2::uuid IS NULL OR m.user_id > $2::uuid)
        ORDER BY m.user_id
        LIMIT $3`,
      [orgId, cursor ?? null, limit + 1],
    );
    return rows.map((row) => ({ userId: row.user_id, email: row.email, name: row.name, role: row.role, joinedAt: row.created_at }));
  }

  async findMember(db: EntityManager, orgId: string, userId: string): Promise<MemberRow | undefined> {
    const rows = (await db.query(
      `SELECT m.user_id, u.email, u.name, m.role, m.created_at
         FROM membership m JOIN user_account u ON u.id = m.user_id
        WHERE m.org_id = $1 AND m.user_id = $2`,
      [orgId, userId],
    )) as Array<{ user_id: string; email: string; name: string; role: OrgRole; created_at: Date }>;
    const row = rows[0];
    return row && { userId: row.user_id, email: row.email, name: row.name, role: row.role, joinedAt: row.created_at };
  }

  /** The user's memberships in every org; visible through the membership_self_read policy. */
  async membershipsOfUser(db: EntityManager, userId: string): Promise<Array<{ orgId: string; role: OrgRole; createdAt: Date }>> {
    const rows = await db.find(Membership, { where: { userId }, order: { createdAt: 'ASC' } });
    return rows.map((row) => ({ orgId: row.orgId, role: row.role, createdAt: row.createdAt }));
  }

  async isMemberByEmail(db: EntityManager, orgId: string, email: string): Promise<boolean> {
    const rows = (await db.query(
      `SELECT 1 FROM membership m JOIN user_account u ON u.id = m.user_id WHERE m.org_id = $1 AND u.email = $2`,
      [orgId, email],
    )) as unknown[];
    return rows.length > 0;
  }

  /** A new invitation replaces any pending one for the same address. */
  async replaceInvitation(db: EntityManager, invitation: Pick<Invitation, 'id' | 'orgId' | 'email' | 'role' | 'invitedByUserId' | 'expiresAt'>, token: string): Promise<Invitation> {
    await db.query(`DELETE FROM invitation WHERE org_id = $1 AND email = $2 AND accepted_at IS NULL`, [invitation.orgId, invitation.email]);
    const row = db.create(Invitation, { ...invitation, tokenHash: sha256(token), acceptedAt: null });
    await db.insert(Invitation, row);
    return (await db.findOneBy(Invitation, { id: invitation.id, orgId: invitation.orgId }))!;
  }

  /** Open invitations (not accepted, not expired), newest first (UUIDv7 ids), `limit + 1` rows; never the token hash. */
  async listPendingInvitations(db: SqlReader, orgId: string, limit: number, cursor?: string): Promise<PendingInvitation[]> {
    return db.query<PendingInvitation[]>(
      `SELECT i.id, i.email, i.role, i.expires_at AS "expiresAt", i.created_at AS "createdAt", i.invited_by_user_id AS "invitedByUserId"
         FROM invitation i
        WHERE i.org_id = $1 AND i.accepted_at IS NULL AND i.expires_at > now() AND ($2::uuid IS NULL OR i.id < $2::uuid)
        ORDER BY i.id DESC
        LIMIT $3`,
      [orgId, cursor ?? null, limit + 1],
    );
  }

  async deletePendingInvitation(db: EntityManager, orgId: string, invitationId: string): Promise<boolean> {
    const result = await db.delete(Invitation, { id: invitationId, orgId, acceptedAt: IsNull() });
    return (result.affected ?? 0) > 0;
  }

  /** Reads the invitation matching a token; the scope must carry the token's hash (invitation_token_read). */
  async findInvitationByToken(db: EntityManager, token: string): Promise<Invitation | null> {
    return db.findOneBy(Invitation, { tokenHash: sha256(token) });
  }

  async markInvitationAccepted(db: EntityManager, orgId: string, invitationId: string): Promise<boolean> {
    const result = (await db.query(
      `UPDATE invitation SET accepted_at = now() WHERE id = $1 AND org_id = $2 AND accepted_at IS NULL AND expires_at > now() RETURNING id`,
      [invitationId, orgId],
    )) as [unknown[], number];
    return result[1] > 0;
  }
}
