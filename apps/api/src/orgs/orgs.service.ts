import { HttpStatus, Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { type PlanId, PLANS } from '../billing/plans';
import type { AuthContext, ClientInfo, UserAuthContext } from '../common/auth/auth-context';
import { randomToken, sha256 } from '../common/crypto/tokens';
import { AppError } from '../common/errors/app-error';
import { newId } from '../common/ids';
import { type Page, toPage } from '../common/pagination/page';
import { TenantDatabase } from '../database/tenant-database';
import { MailService } from '../mail/mail.service';
import { normalizeEmail, UsersRepository } from '../users/users.repository';
import type { InvitableRole } from './invitation.entity';
import type { OrgRole } from './membership.entity';
import { type MemberRow, OrgsRepository, type PendingInvitation } from './orgs.repository';

export const INVITATION_TTL_MS = 7 * 24 * 60 * 60_000;

export interface OrganizationView {
  id: string;
  name: string;
  role: OrgRole;
  createdAt: Date;
}

export interface InvitationView {
  id: string;
  email: string;
  role: InvitableRole;
  expiresAt: Date;
  createdAt: Date;
  invitedByUserId: string | null;
}

const seatLimitReached = (plan: PlanId): AppError =>
  new AppError('seat_limit_reached', HttpStatus.CONFLICT, `The ${PLANS[plan].name} plan has ${PLANS[plan].seats} seats, all taken by members and pending invitations; upgrade or free a seat first.`, {
    extensions: { seats: PLANS[plan].seats, plan },
  });
const memberNotFound = (): AppError => new AppError('not_found', HttpStatus.NOT_FOUND, 'Member not found');
const lastOwner = (): AppError =>
  new AppError('last_owner', HttpStatus.CONFLICT, 'An organization needs at least one owner; make another member an owner first.');
const invitationView = (invitation: PendingInvitation): InvitationView => ({
  id: invitation.id,
  email: invitation.email,
  role: invitation.role,
  expiresAt: invitation.expiresAt,
  createdAt: invitation.createdAt,
  invitedByUserId: invitation.invitedByUserId,
});

/** The caller's organization: profile, members and their roles, invitations. */
@Injectable()
export class OrgsService {
  constructor(
    private readonly tenant: TenantDatabase,
    private readonly orgs: OrgsRepository,
    private readonly users: UsersRepository,
    private readonly audit: AuditService,
    private readonly mail: MailService,
  ) {}

  async current(auth: AuthContext): Promise<OrganizationView> {
    const organization = await this.orgs.readOrganization(this.tenant.reader({ orgId: auth.orgId }), auth.orgId);
    if (!organization) throw new AppError('not_found', HttpStatus.NOT_FOUND, 'Organization not found');
    return { id: organization.id, name: organization.name, role: auth.role, createdAt: organization.createdAt };
  }

  async rename(auth: AuthContext, name: string, client: ClientInfo): Promise<OrganizationView> {
    await this.tenant.inOrg(auth.orgId, async (db) => {
      await this.orgs.renameOrganization(db, auth.orgId, name.trim());
      await this.audit.record(db, { action: 'org.updated', orgId: auth.orgId, actorUserId: auth.userId, actorApiKeyId: auth.apiKeyId, target: { type: 'organization', id: auth.orgId }, client });
    });
    return this.current(auth);
  }

  async members(auth: AuthContext, limit: number, cursor?: string): Promise<Page<MemberRow>> {
    // One statement: one round trip with its scope (TenantDatabase.reader).
    const rows = await this.orgs.listMembers(this.tenant.reader({ orgId: auth.orgId }), auth.orgId, limit, cursor);
    return toPage(rows, limit, (row) => row.userId, (row) => row);
  }

  async invite(auth: UserAuthContext, input: { email: string; role: InvitableRole }, client: ClientInfo): Promise<InvitationView> {
    const email = normalizeEmail(input.email);
    const token = randomToken();
    const { invitation, organizationName, inviterName } = await this.tenant.inOrg(auth.orgId, async (db) => {
      if (await this.orgs.isMemberByEmail(db, auth.orgId, email)) {
        throw new AppError('already_member', HttpStatus.CONFLICT, 'This person is a member of the organization already.', { errors: [{ field: 'email', message: 'email belongs to a member already' }] });
      }
      const seats = await this.orgs.seatUsage(db, auth.orgId, { exceptEmail: email });
      if (seats.used >= PLANS[seats.plan].seats) throw seatLimitReached(seats.plan);
      const created = await this.orgs.replaceInvitation(
        db,
        { id: newId(), orgId: auth.orgId, email, role: input.role, invitedByUserId: auth.userId, expiresAt: new Date(Date.now() + INVITATION_TTL_MS) },
        token,
      );
      await this.audit.record(db, { action: 'org.invitation.created', orgId: auth.orgId, actorUserId: auth.userId, target: { type: 'invitation', id: created.id }, client, metadata: { role: input.role } });
      const organization = await this.orgs.findOrganization(db, auth.orgId);
      const inviter = await this.users.findById(db, auth.userId);
      return { invitation: created, organizationName: organization!.name, inviterName: inviter!.name };
    });
    await this.mail.send('invitation', email, {
      organizationName,
      inviterName,
      role: input.role,
      link: this.mail.link('accept-invitation', { token }),
      expiresAt: invitation.expiresAt.toISOString(),
    });
    return invitationView(invitation);
  }

  async invitations(auth: AuthContext, limit: number, cursor?: string): Promise<Page<InvitationView>> {
    const rows = await this.orgs.listPendingInvitations(this.tenant.reader({ orgId: auth.orgId }), auth.orgId, limit, cursor);
    return toPage(rows, limit, (row) => row.id, invitationView);
  }

  async revokeInvitation(auth: AuthContext, invitationId: string, client: ClientInfo): Promise<void> {
    await this.tenant.inOrg(auth.orgId, async (db) => {
      if (!(await this.orgs.deletePendingInvitation(db, auth.orgId, invitationId))) throw new AppError('not_found', HttpStatus.NOT_FOUND, 'Invitation not found');
      await this.audit.record(db, { action: 'org.invitation.revoked', orgId: auth.orgId, actorUserId: auth.userId, target: { type: 'invitation', id: invitationId }, client });
    });
  }

  /**
   * Joins the invitation's org. The invitation must be addressed to the caller's email; the org
   * becomes the caller's current one, which the next refresh of the session switches to.
   */
  async accept(auth: UserAuthContext, token: string, client: ClientInfo): Promise<OrganizationView> {
    const invalid = new AppError('invalid_or_expired_token', HttpStatus.BAD_REQUEST, 'The invitation is invalid, expired or already used.', {
      errors: [{ field: 'token', message: 'token is invalid, expired or already used' }],
    });
    return this.tenant.run({ invitationTokenHash: sha256(token), userId: auth.userId }, async (db) => {
      const invitation = await this.orgs.findInvitationByToken(db, token);
      if (!invitation || invitation.acceptedAt || invitation.expiresAt.getTime() <= Date.now()) throw invalid;
      const user = (await this.users.findById(db, auth.userId))!;
      if (user.email !== invitation.email) {
        throw new AppError('invitation_email_mismatch', HttpStatus.FORBIDDEN, 'This invitation is addressed to another email address; sign in with that address to accept it.');
      }
      await TenantDatabase.setScope(db, { orgId: invitation.orgId, userId: user.id });
      if (!(await this.orgs.markInvitationAccepted(db, invitation.orgId, invitation.id))) throw invalid;
      const existing = await this.orgs.findMembership(db, invitation.orgId, user.id);
      if (!existing) {
        // Invitations hold their seat, so this refuses only after a downgrade.
        const seats = await this.orgs.seatUsage(db, invitation.orgId, { membersOnly: true });
        if (seats.used >= PLANS[seats.plan].seats) throw seatLimitReached(seats.plan);
        await this.orgs.insertMembership(db, invitation.orgId, user.id, invitation.role);
      }
      await this.users.update(db, user.id, { currentOrgId: invitation.orgId });
      // The invitation reached this mailbox.
      await this.users.markEmailVerified(db, user.id);
      await this.audit.record(db, { action: 'org.invitation.accepted', orgId: invitation.orgId, actorUserId: user.id, target: { type: 'invitation', id: invitation.id }, client, metadata: { role: existing?.role ?? invitation.role } });
      const organization = (await this.orgs.findOrganization(db, invitation.orgId))!;
      return { id: organization.id, name: organization.name, role: existing?.role ?? invitation.role, createdAt: organization.createdAt };
    });
  }

  /** Admins manage members and admins; only owners grant, change or take away ownership. */
  async changeRole(auth: AuthContext, userId: string, role: OrgRole, client: ClientInfo): Promise<MemberRow> {
    return this.tenant.inOrg(auth.orgId, async (db) => {
      const target = await this.orgs.findMember(db, auth.orgId, userId);
      if (!target) throw memberNotFound();
      if ((target.role === 'owner' || role === 'owner') && auth.role !== 'owner') {
        throw new AppError('role_required', HttpStatus.FORBIDDEN, 'Only an owner can grant or change ownership.');
      }
      if (target.role === role) return target;
      if (target.role === 'owner' && (await this.orgs.countMembers(db, auth.orgId, userId)).owners === 0) throw lastOwner();
      await this.orgs.setRole(db, auth.orgId, userId, role);
      await this.audit.record(db, {
        action: 'org.member.role_changed',
        orgId: auth.orgId,
        actorUserId: auth.userId,
        target: { type: 'user', id: userId },
        client,
        metadata: { from: target.role, to: role },
      });
      return { ...target, role };
    });
  }

  /** Owners and admins remove members (admins not owners); anyone may leave. */
  async removeMember(auth: AuthContext, userId: string, client: ClientInfo): Promise<void> {
    await this.tenant.inOrg(auth.orgId, async (db) => {
      const target = await this.orgs.findMember(db, auth.orgId, userId);
      if (!target) throw memberNotFound();
      const leaving = auth.userId === userId;
      if (!leaving && auth.role === 'member') throw new AppError('role_required', HttpStatus.FORBIDDEN, 'This action needs one of the roles: owner, admin.');
      if (!leaving && target.role === 'owner' && auth.role !== 'owner') throw new AppError('role_required', HttpStatus.FORBIDDEN, 'Only an owner can remove an owner.');
      if (target.role === 'owner' && (await this.orgs.countMembers(db, auth.orgId, userId)).owners === 0) throw lastOwner();
      await this.orgs.deleteMembership(db, auth.orgId, userId);
      await this.audit.record(db, {
        action: 'org.member.removed',
        orgId: auth.orgId,
        actorUserId: auth.userId,
        target: { type: 'user', id: userId },
        client,
        metadata: { role: target.role, left: leaving },
      });
    });
  }
}
