import { HttpStatus, Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { SessionsRepository } from '../auth/sessions.repository';
import type { AuditMetadata } from '../audit/audit-log.entity';
import type { AuthContext, ClientInfo } from '../common/auth/auth-context';
import { AppError } from '../common/errors/app-error';
import { TenantDatabase } from '../database/tenant-database';
import { AdminRepository, type AdminUserRow } from './admin.repository';
import type { AdminUserResponse } from './dto/admin-lists.dto';
import type { AdminUpdateUserRequest } from './dto/update-user.dto';

export const toAdminUser = (row: AdminUserRow): AdminUserResponse => ({
  id: row.id,
  email: row.email,
  name: row.name,
  emailVerified: row.email_verified_at !== null,
  isPlatformAdmin: row.is_platform_admin,
  suspended: row.suspended_at !== null,
  suspendedAt: row.suspended_at?.toISOString() ?? null,
  memberships: row.memberships,
  createdAt: row.created_at.toISOString(),
});

/**
 * Platform administrators' changes to an account: the platform-admin flag and suspension.
 * Nobody removes their own rights or suspends themselves, and the platform always keeps one
 * active (flagged, not suspended) administrator. Suspension ends every session of the user in the
 * same transaction, so refresh tokens and access tokens stop working at once.
 */
@Injectable()
export class AdminUsersService {
  constructor(
    private readonly tenant: TenantDatabase,
    private readonly repository: AdminRepository,
    private readonly sessions: SessionsRepository,
    private readonly audit: AuditService,
  ) {}

  async update(admin: AuthContext, userId: string, changes: AdminUpdateUserRequest, client: ClientInfo): Promise<AdminUserResponse> {
    if (userId === admin.userId && changes.isPlatformAdmin === false) {
      throw new AppError('cannot_demote_self', HttpStatus.CONFLICT, 'You cannot remove your own platform administrator rights; ask another administrator.');
    }
    if (userId === admin.userId && changes.suspended === true) {
      throw new AppError('cannot_suspend_self', HttpStatus.CONFLICT, 'You cannot suspend your own account.');
    }
    return this.tenant.asSystem(async (db) => {
      // Admin locks first, then the target's row: every update takes them in this order.
      const activeAdmins = await this.repository.lockActivePlatformAdmins(db);
      const target = await this.repository.lockUser(db, userId);
      if (!target) throw new AppError('not_found', HttpStatus.NOT_FOUND, 'User not found');

      const applied: { isPlatformAdmin?: boolean; suspended?: boolean } = {};
      if (changes.isPlatformAdmin !== undefined && changes.isPlatformAdmin !== target.is_platform_admin) applied.isPlatformAdmin = changes.isPlatformAdmin;
      if (changes.suspended !== undefined && changes.suspended !== (target.suspended_at !== null)) applied.suspended = changes.suspended;

      const losesActiveAdmin = activeAdmins.includes(userId) && (applied.isPlatformAdmin === false || applied.suspended === true);
      if (losesActiveAdmin && activeAdmins.every((id) => id === userId)) {
        throw new AppError('last_platform_admin', HttpStatus.CONFLICT, 'This is the last active platform administrator; make someone else an administrator first.');
      }

      if (Object.keys(applied).length > 0) {
        await this.repository.updateUser(db, userId, applied);
        const metadata: AuditMetadata = { ...applied };
        if (applied.suspended) metadata['sessionsRevoked'] = await this.sessions.revokeAllSessions(db, userId, 'suspended');
        await this.audit.record(db, {
          action: 'admin.user.updated',
          orgId: target.current_org_id,
          actorUserId: admin.userId,
          target: { type: 'user', id: userId },
          client,
          metadata,
        });
      }
      return toAdminUser((await this.repository.findUser(db, userId))!);
    });
  }
}
