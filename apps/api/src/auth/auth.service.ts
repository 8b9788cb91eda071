import { HttpStatus, Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { ClientInfo, UserAuthContext } from '../common/auth/auth-context';
import type { AppConfig } from '../common/config/app-config';
import { InjectConfig } from '../common/config/config.module';
import { randomToken } from '../common/crypto/tokens';
import { AppError } from '../common/errors/app-error';
import { newId } from '../common/ids';
import { type Page, toPage } from '../common/pagination/page';
import { TenantDatabase } from '../database/tenant-database';
import { MailService } from '../mail/mail.service';
import type { OrgRole } from '../orgs/membership.entity';
import { OrgsRepository } from '../orgs/orgs.repository';
import type { User } from '../users/user.entity';
import { normalizeEmail, UsersRepository } from '../users/users.repository';
import { ACCESS_TOKEN_TTL_SECONDS, AccessTokenService } from './access-token.service';
import { describeDevice } from './device';
import { LoginLimiter } from './login-limiter';
import { PasswordService } from './password.service';
import { SessionsRepository } from './sessions.repository';

export const SESSION_TTL_MS = 30 * 24 * 60 * 60_000;
export const RESET_TOKEN_TTL_MS = 60 * 60_000;
export const VERIFY_TOKEN_TTL_MS = 24 * 60 * 60_000;

export interface OrganizationSummary {
  id: string;
  name: string;
  role: OrgRole;
}

export interface Me {
  id: string;
  email: string;
  name: string;
  emailVerified: boolean;
  isPlatformAdmin: boolean;
  createdAt: Date;
  organization: OrganizationSummary;
}

export interface IssuedSession {
  accessToken: string;
  expiresIn: number;
  refreshToken: string;
  sessionExpiresAt: Date;
  user: Me;
}

export interface SessionView {
  id: string;
  device: string;
  userAgent: string | null;
  ip: string | null;
  createdAt: Date;
  lastUsedAt: Date;
  expiresAt: Date;
  current: boolean;
}

const invalidCredentials = (): AppError => new AppError('invalid_credentials', HttpStatus.UNAUTHORIZED, 'The email address or the password is wrong.');
const invalidRefreshToken = (): AppError =>
  new AppError('invalid_refresh_token', HttpStatus.UNAUTHORIZED, 'The session has ended or the refresh token is invalid; sign in again.');
const invalidEmailToken = (): AppError =>
  new AppError('invalid_or_expired_token', HttpStatus.BAD_REQUEST, 'The link is invalid, expired or already used; ask for a new one.', {
    errors: [{ field: 'token', message: 'token is invalid, expired or already used' }],
  });
export const accountSuspended = (): AppError =>
  new AppError('account_suspended', HttpStatus.FORBIDDEN, 'This account is suspended by the platform administrators; contact support.');
const wrongPassword = (field: string): AppError =>
  new AppError('wrong_password', HttpStatus.BAD_REQUEST, 'The password is wrong.', { errors: [{ field, message: `${field} is wrong` }] });

/** Accounts, sessions and their tokens. */
@Injectable()
export class AuthService {
  private readonly logger = new Logger(AuthService.name);

  constructor(
    @InjectConfig() private readonly config: AppConfig,
    private readonly tenant: TenantDatabase,
    private readonly users: UsersRepository,
    private readonly orgs: OrgsRepository,
    private readonly sessions: SessionsRepository,
    private readonly passwords: PasswordService,
    private readonly accessTokens: AccessTokenService,
    private readonly limiter: LoginLimiter,
    private readonly audit: AuditService,
    private readonly mail: MailService,
  ) {}

  async register(input: { email: string; password: string; name: string; orgName?: string }, client: ClientInfo): Promise<{ user: Me }> {
    const email = normalizeEmail(input.email);
    const name = input.name.trim();
    this.passwords.assertAcceptable(input.password, 'password', [email, name]);
    const passwordHash = await this.passwords.hash(input.password);
    const userId = newId();
    const orgId = newId();
    const verifyToken = randomToken();

    const me = await this.tenant.run({ orgId, userId }, async (db) => {
      if (await this.users.findByEmail(db, email)) throw this.emailTaken();
      await this.orgs.insertOrganization(db, orgId, input.orgName?.trim() || `${name}'s organization`);
      try {
        await this.users.insert(db, { id: userId, email, name, passwordHash, currentOrgId: orgId });
      } catch (error) {
        if ((error as { driverError?: { constraint?: string } }).driverError?.constraint === 'user_account_email_key') throw this.emailTaken();
        throw error;
      }
      await this.orgs.insertMembership(db, orgId, userId, 'owner');
      await this.sessions.issueUserToken(db, userId, 'verify_email', verifyToken, VERIFY_TOKEN_TTL_MS);
      await this.audit.record(db, { action: 'user.registered', orgId, actorUserId: userId, target: { type: 'user', id: userId }, client });
      return this.loadMe(db, userId, orgId);
    });
    await this.mail.send('verify-email', email, { name, link: this.mail.link('verify-email', { token: verifyToken }) });
    return { user: me };
  }

  async login(input: { email: string; password: string }, client: ClientInfo): Promise<IssuedSession> {
    const email = normalizeEmail(input.email);
    await this.limiter.assertAllowed(email, client.ip);
    const user = await this.tenant.run({}, (db) => this.users.findByEmail(db, email));
    const valid = await this.passwords.verify(user?.passwordHash, input.password);
    if (!user || !valid) {
      await this.limiter.recordFailure(email, client.ip);
      await this.audit.recordNow({
        action: 'auth.login.failed',
        orgId: user?.currentOrgId ?? null,
        actorUserId: user?.id ?? null,
        target: user ? { type: 'user', id: user.id } : undefined,
        client,
        metadata: { reason: user ? 'wrong_password' : 'unknown_email' },
      });
      throw invalidCredentials();
    }
    // Checked only after the password: a wrong password never tells whether the account is suspended.
    if (user.suspendedAt) {
      await this.audit.recordNow({
        action: 'auth.login.failed',
        orgId: user.currentOrgId,
        actorUserId: user.id,
        target: { type: 'user', id: user.id },
        client,
        metadata: { reason: 'account_suspended' },
      });
      throw accountSuspended();
    }
    if (this.config.requireEmailVerification && !user.emailVerifiedAt) {
      throw new AppError('email_not_verified', HttpStatus.FORBIDDEN, 'Confirm your email address first: follow the link we sent you, or ask for a new one.');
    }
    await this.limiter.clearAccount(email);

    const refreshToken = randomToken();
    const sessionExpiresAt = new Date(Date.now() + SESSION_TTL_MS);
    const { me, sessionId } = await this.tenant.run({ userId: user.id }, async (db) => {
      const organization = await this.resolveOrganization(db, user);
      const session = await this.sessions.createSession(db, user.id, client, sessionExpiresAt);
      await this.sessions.addRefreshToken(db, session.id, refreshToken);
      await this.audit.record(db, { action: 'auth.login.succeeded', orgId: organization.id, actorUserId: user.id, target: { type: 'session', id: session.id }, client });
      return { me: await this.loadMe(db, user.id, organization.id), sessionId: session.id };
    });
    return this.issue(me, sessionId, refreshToken, sessionExpiresAt);
  }

  /** Rotates the refresh token. A token already rotated means it was stolen: the whole session ends. */
  async refresh(presented: string, client: ClientInfo): Promise<IssuedSession> {
    const refreshToken = randomToken();
    const sessionExpiresAt = new Date(Date.now() + SESSION_TTL_MS);
    const outcome = await this.tenant.run({}, async (db) => {
      const row = await this.sessions.lockRefreshToken(db, presented);
      if (!row || row.revokedAt || row.expiresAt.getTime() <= Date.now()) return { kind: 'invalid' as const };
      const user = await this.users.findById(db, row.userId);
      if (!user || user.suspendedAt) return { kind: 'invalid' as const };
      if (row.rotatedAt) {
        await this.sessions.revokeSession(db, row.userId, row.sessionId, 'refresh_token_reuse');
        await TenantDatabase.setScope(db, user.currentOrgId ? { orgId: user.currentOrgId } : { system: true });
        await this.audit.record(db, {
          action: 'auth.refresh.reuse_detected',
          orgId: user.currentOrgId,
          actorUserId: user.id,
          target: { type: 'session', id: row.sessionId },
          client,
        });
        return { kind: 'reused' as const };
      }
      await TenantDatabase.setScope(db, { userId: user.id });
      const organization = await this.resolveOrganization(db, user);
      await this.sessions.markRotated(db, row.tokenId);
      await this.sessions.addRefreshToken(db, row.sessionId, refreshToken);
      await this.sessions.touchSession(db, row.sessionId, client, sessionExpiresAt);
      return { kind: 'rotated' as const, sessionId: row.sessionId, me: await this.loadMe(db, user.id, organization.id) };
    });
    if (outcome.kind === 'reused') {
      this.logger.warn({ ip: client.ip }, 'a rotated refresh token was used again; its session is revoked');
      throw invalidRefreshToken();
    }
    if (outcome.kind === 'invalid') throw invalidRefreshToken();
    return this.issue(outcome.me, outcome.sessionId, refreshToken, sessionExpiresAt);
  }

  async logout(presented: string, client: ClientInfo): Promise<void> {
    await this.tenant.run({}, async (db) => {
      const row = await this.sessions.lockRefreshToken(db, presented);
      if (!row || row.revokedAt) return;
      await this.sessions.revokeSession(db, row.userId, row.sessionId, 'logout');
      const user = await this.users.findById(db, row.userId);
      await TenantDatabase.setScope(db, user?.currentOrgId ? { orgId: user.currentOrgId } : { system: true });
      await this.audit.record(db, {
        action: 'auth.session.revoked',
        orgId: user?.currentOrgId ?? null,
        actorUserId: row.userId,
        target: { type: 'session', id: row.sessionId },
        client,
        metadata: { reason: 'logout' },
      });
    });
  }

  async logoutAll(auth: UserAuthContext, client: ClientInfo): Promise<void> {
    await this.tenant.inOrg(auth.orgId, async (db) => {
      const count = await this.sessions.revokeAllSessions(db, auth.userId, 'logout_all');
      await this.audit.record(db, { action: 'auth.sessions.revoked_all', orgId: auth.orgId, actorUserId: auth.userId, target: { type: 'user', id: auth.userId }, client, metadata: { sessions: count } });
    });
  }

  async me(auth: UserAuthContext): Promise<Me> {
    return this.tenant.run({ orgId: auth.orgId, userId: auth.userId }, (db) => this.loadMe(db, auth.userId, auth.orgId));
  }

  async updateMe(auth: UserAuthContext, changes: { name?: string }): Promise<Me> {
    return this.tenant.run({ orgId: auth.orgId, userId: auth.userId }, async (db) => {
      if (changes.name !== undefined) await this.users.update(db, auth.userId, { name: changes.name.trim() });
      return this.loadMe(db, auth.userId, auth.orgId);
    });
  }

  async changePassword(auth: UserAuthContext, input: { currentPassword: string; newPassword: string }, client: ClientInfo): Promise<void> {
    const user = await this.tenant.run({}, (db) => this.users.findById(db, auth.userId));
    if (!user || !(await this.passwords.verify(user.passwordHash, input.currentPassword))) throw wrongPassword('currentPassword');
    this.passwords.assertAcceptable(input.newPassword, 'newPassword', [user.email, user.name]);
    const passwordHash = await this.passwords.hash(input.newPassword);
    await this.tenant.inOrg(auth.orgId, async (db) => {
      await this.users.setPassword(db, user.id, passwordHash);
      const revoked = await this.sessions.revokeAllSessions(db, user.id, 'password_changed', auth.sessionId);
      await this.audit.record(db, { action: 'auth.password.changed', orgId: auth.orgId, actorUserId: user.id, target: { type: 'user', id: user.id }, client, metadata: { sessionsRevoked: revoked } });
    });
  }

  /** Same answer whether or not the address has an account. */
  async forgotPassword(emailInput: string): Promise<void> {
    const email = normalizeEmail(emailInput);
    const token = randomToken();
    const user = await this.tenant.run({}, async (db) => {
      const found = await this.users.findByEmail(db, email);
      if (found) await this.sessions.issueUserToken(db, found.id, 'reset_password', token, RESET_TOKEN_TTL_MS);
      return found;
    });
    if (user) await this.mail.send('reset-password', user.email, { name: user.name, link: this.mail.link('reset-password', { token }) });
  }

  async resetPassword(input: { token: string; password: string }, client: ClientInfo): Promise<void> {
    const email = await this.tenant.run({}, async (db) => {
      const token = await this.sessions.findUsableUserToken(db, 'reset_password', input.token);
      if (!token) throw invalidEmailToken();
      const user = (await this.users.findById(db, token.userId))!;
      this.passwords.assertAcceptable(input.password, 'password', [user.email, user.name]);
      await this.sessions.consumeUserToken(db, token.id);
      await this.users.setPassword(db, user.id, await this.passwords.hash(input.password));
      // Only the mailbox's owner could follow the link.
      await this.users.markEmailVerified(db, user.id);
      const revoked = await this.sessions.revokeAllSessions(db, user.id, 'password_reset');
      await TenantDatabase.setScope(db, user.currentOrgId ? { orgId: user.currentOrgId } : { system: true });
      await this.audit.record(db, { action: 'auth.password.reset', orgId: user.currentOrgId, actorUserId: user.id, target: { type: 'user', id: user.id }, client, metadata: { sessionsRevoked: revoked } });
      return user.email;
    });
    // The owner proved control of the mailbox: a lock-out caused by someone else's guessing ends.
    await this.limiter.clearAccount(email);
  }

  async verifyEmail(tokenInput: string, client: ClientInfo): Promise<void> {
    const verified = await this.tenant.run({}, async (db) => {
      const token = await this.sessions.findUsableUserToken(db, 'verify_email', tokenInput);
      if (!token) throw invalidEmailToken();
      await this.sessions.consumeUserToken(db, token.id);
      const user = (await this.users.findById(db, token.userId))!;
      const firstTime = await this.users.markEmailVerified(db, user.id);
      if (firstTime) {
        await TenantDatabase.setScope(db, user.currentOrgId ? { orgId: user.currentOrgId } : { system: true });
        await this.audit.record(db, { action: 'auth.email.verified', orgId: user.currentOrgId, actorUserId: user.id, target: { type: 'user', id: user.id }, client });
      }
      return firstTime ? user : undefined;
    });
    if (verified) await this.mail.send('welcome', verified.email, { name: verified.name, consoleUrl: this.mail.link('') });
  }

  /** Same answer whether or not the address has an account or is already verified. */
  async resendVerification(emailInput: string): Promise<void> {
    const email = normalizeEmail(emailInput);
    const token = randomToken();
    const user = await this.tenant.run({}, async (db) => {
      const found = await this.users.findByEmail(db, email);
      if (!found || found.emailVerifiedAt) return undefined;
      await this.sessions.issueUserToken(db, found.id, 'verify_email', token, VERIFY_TOKEN_TTL_MS);
      return found;
    });
    if (user) await this.mail.send('verify-email', user.email, { name: user.name, link: this.mail.link('verify-email', { token }) });
  }

  async listSessions(auth: UserAuthContext, limit: number, cursor?: string): Promise<Page<SessionView>> {
    const rows = await this.tenant.run({}, (db) => this.sessions.listActiveSessions(db, auth.userId, limit, cursor));
    return toPage(rows, limit, (row) => row.id, (row) => ({
      id: row.id,
      device: describeDevice(row.userAgent),
      userAgent: row.userAgent,
      ip: row.ip,
      createdAt: row.createdAt,
      lastUsedAt: row.lastUsedAt,
      expiresAt: row.expiresAt,
      current: row.id === auth.sessionId,
    }));
  }

  async revokeSession(auth: UserAuthContext, sessionId: string, client: ClientInfo): Promise<void> {
    await this.tenant.inOrg(auth.orgId, async (db) => {
      if (!(await this.sessions.revokeSession(db, auth.userId, sessionId, 'revoked_by_user'))) throw new AppError('not_found', HttpStatus.NOT_FOUND, 'Session not found');
      await this.audit.record(db, { action: 'auth.session.revoked', orgId: auth.orgId, actorUserId: auth.userId, target: { type: 'session', id: sessionId }, client, metadata: { reason: 'revoked_by_user' } });
    });
  }

  /**
   * Deletes the account and the user's personal data: sessions, tokens, memberships, and every
   * organization where the user is the only member (with all its data). The last owner of an org
   * that has other members must hand ownership over first. The audit log keeps the events, with
   * IPs and user agents erased.
   */
  async deleteAccount(auth: UserAuthContext, password: string): Promise<void> {
    const user = await this.tenant.run({}, (db) => this.users.findById(db, auth.userId));
    if (!user || !(await this.passwords.verify(user.passwordHash, password))) throw wrongPassword('password');

    await this.tenant.run({ userId: user.id }, async (db) => {
      const memberships = await this.orgs.membershipsOfUser(db, user.id);
      const soleMemberOf: string[] = [];
      const staysIn: string[] = [];
      const blocking: string[] = [];
      for (const membership of memberships) {
        await TenantDatabase.setScope(db, { orgId: membership.orgId, userId: user.id });
        const others = await this.orgs.countMembers(db, membership.orgId, user.id);
        if (others.members === 0) soleMemberOf.push(membership.orgId);
        else if (membership.role === 'owner' && others.owners === 0) blocking.push(membership.orgId);
        else staysIn.push(membership.orgId);
      }
      if (blocking.length > 0) {
        throw new AppError('last_owner', HttpStatus.CONFLICT, 'You are the last owner of an organization that has other members; make another member an owner first.', {
          extensions: { organizations: blocking },
        });
      }
      for (const orgId of soleMemberOf) {
        await TenantDatabase.setScope(db, { orgId });
        await this.audit.record(db, { action: 'org.deleted', orgId, actorUserId: user.id, target: { type: 'organization', id: orgId }, metadata: { reason: 'account_deleted' } });
        await this.orgs.deleteOrganization(db, orgId);
      }
      for (const orgId of staysIn) {
        await TenantDatabase.setScope(db, { orgId });
        await this.audit.record(db, { action: 'user.deleted', orgId, actorUserId: user.id, target: { type: 'user', id: user.id } });
      }
      await TenantDatabase.setScope(db, { system: true });
      await this.audit.record(db, { action: 'user.deleted', orgId: null, actorUserId: user.id, target: { type: 'user', id: user.id }, metadata: { organizationsDeleted: soleMemberOf.length } });
      await this.users.delete(db, user.id);
      await this.audit.forgetUser(db, user.id);
    });
    await this.limiter.clearAccount(user.email);
  }

  private emailTaken(): AppError {
    return new AppError('email_taken', HttpStatus.CONFLICT, 'An account with this email address exists already; sign in or reset the password.', {
      errors: [{ field: 'email', message: 'email is already registered' }],
    });
  }

  private async issue(me: Me, sessionId: string, refreshToken: string, sessionExpiresAt: Date): Promise<IssuedSession> {
    const accessToken = await this.accessTokens.sign({ sub: me.id, sid: sessionId, org: me.organization.id });
    return { accessToken, expiresIn: ACCESS_TOKEN_TTL_SECONDS, refreshToken, sessionExpiresAt, user: me };
  }

  /**
   * The org a session acts for: the user's current org while they are a member, else their oldest
   * membership, else (removed from every org) a new personal org. Leaves the scope on that org.
   * Needs a transaction scoped to the user (membership_self_read).
   */
  private async resolveOrganization(db: EntityManager, user: User): Promise<{ id: string; role: OrgRole }> {
    const memberships = await this.orgs.membershipsOfUser(db, user.id);
    const chosen = memberships.find((membership) => membership.orgId === user.currentOrgId) ?? memberships[0];
    if (chosen) {
      if (chosen.orgId !== user.currentOrgId) await this.users.update(db, user.id, { currentOrgId: chosen.orgId });
      await TenantDatabase.setScope(db, { orgId: chosen.orgId, userId: user.id });
      return { id: chosen.orgId, role: chosen.role };
    }
    const orgId = newId();
    await TenantDatabase.setScope(db, { orgId, userId: user.id });
    await this.orgs.insertOrganization(db, orgId, `${user.name}'s organization`);
    await this.orgs.insertMembership(db, orgId, user.id, 'owner');
    await this.users.update(db, user.id, { currentOrgId: orgId });
    return { id: orgId, role: 'owner' };
  }

  /** Needs the scope of `orgId` (and the user). */
  private async loadMe(db: EntityManager, userId: string, orgId: string): Promise<Me> {
    const user = await this.users.findById(db, userId);
    const organization = await this.orgs.findOrganization(db, orgId);
    const membership = await this.orgs.findMembership(db, orgId, userId);
    if (!user || !organization || !membership) throw new AppError('not_found', HttpStatus.NOT_FOUND, 'Account not found');
    return {
      id: user.id,
      email: user.email,
      name: user.name,
      emailVerified: user.emailVerifiedAt !== null,
      isPlatformAdmin: user.isPlatformAdmin,
      createdAt: user.createdAt,
      organization: { id: organization.id, name: organization.name, role: membership.role },
    };
  }
}
