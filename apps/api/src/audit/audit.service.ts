import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { ClientInfo } from '../common/auth/auth-context';
import { newId } from '../common/ids';
import { TenantDatabase } from '../database/tenant-database';
import { AuditLog, type AuditMetadata } from './audit-log.entity';

export type AuditAction =
  | 'auth.login.succeeded'
  | 'auth.login.failed'
  | 'auth.refresh.reuse_detected'
  | 'auth.password.changed'
  | 'auth.password.reset'
  | 'auth.session.revoked'
  | 'auth.sessions.revoked_all'
  | 'auth.email.verified'
  | 'user.registered'
  | 'user.deleted'
  | 'org.updated'
  | 'org.deleted'
  | 'org.invitation.created'
  | 'org.invitation.revoked'
  | 'org.invitation.accepted'
  | 'org.member.role_changed'
  | 'org.member.removed'
  | 'api_key.created'
  | 'api_key.revoked'
  | 'api_key.used'
  | 'admin.platform_admin_granted'
  | 'admin.credits_adjusted'
  | 'admin.user.updated'
  | 'webhook.created'
  | 'webhook.secret_rotated'
  | 'webhook.deleted'
  | 'lead.deleted'
  | 'lead.restored'
  | 'lead.bulk_updated'
  | 'lead.exported'
  | 'legal.opt_out.recorded'
  | 'legal.opt_out.purged'
  | 'legal.opt_out.withdrawn'
  | 'legal.retention.policy_updated'
  | 'legal.retention.ran'
  | 'legal.dsar.exported';

export interface AuditEvent {
  action: AuditAction;
  orgId: string | null;
  actorUserId?: string | null;
  actorApiKeyId?: string | null;
  target?: { type: 'user' | 'session' | 'api_key' | 'invitation' | 'organization' | 'lead' | 'webhook' | 'suppression'; id: string };
  client?: ClientInfo;
  /** Never an email address, a name or a secret: the log outlives the people it mentions. */
  metadata?: AuditMetadata;
}

/** Appends to the audit log. The runtime role can only INSERT and SELECT there. */
@Injectable()
export class AuditService {
  constructor(private readonly tenant: TenantDatabase) {}

  /** Records inside the caller's transaction, whose scope must be the event's org. */
  async record(db: EntityManager, event: AuditEvent): Promise<void> {
    await db.insert(AuditLog, {
      id: newId(),
      orgId: event.orgId,
      actorUserId: event.actorUserId ?? null,
      actorApiKeyId: event.actorApiKeyId ?? null,
      action: event.action,
      targetType: event.target?.type ?? null,
      targetId: event.target?.id ?? null,
      ip: event.client?.ip ?? null,
      userAgent: event.client?.userAgent ?? null,
      metadata: event.metadata ?? {},
    });
  }

  /** Records in a transaction of its own, scoped to the event's org (or system-wide when none). */
  async recordNow(event: AuditEvent): Promise<void> {
    await this.tenant.run(event.orgId ? { orgId: event.orgId } : { system: true }, (db) => this.record(db, event));
  }

  /** Erases IPs and user agents of events by or about a deleted user; the events stay. */
  async forgetUser(db: EntityManager, userId: string): Promise<void> {
    await db.query('SELECT audit_log_forget_user($1)', [userId]);
  }
}
