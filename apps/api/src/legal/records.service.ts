import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import type { AuthContext, ClientInfo } from '../common/auth/auth-context';
import { DEFAULT_PAGE_SIZE, toPage } from '../common/pagination/page';
import { TenantDatabase } from '../database/tenant-database';
import type { LeadResponse } from '../leads/dto/lead.response';
import { toLeadResponse } from '../leads/lead-row';
import { addressMatcher } from './address-match';
import type { AuditLogItem, AuditLogQuery, AuditLogResponse } from './dto/records.dto';
import { LegalRepository, type AuditRow } from './legal.repository';

export const DSAR_FORMAT = 'leadforge.dsar.v1';

export interface DsarDocument {
  format: typeof DSAR_FORMAT;
  generatedAt: string;
  organization: { id: string };
  subject: { email: string };
  /** The org's member account with this address, if any. */
  account: { userId: string; name: string; email: string; role: string; memberSince: string } | null;
  leads: Array<LeadResponse & { matchedOn: Array<'email' | 'data'> }>;
  sources: Array<{ leadId: string; url: string; taskId: string | null; seenAt: string }>;
  tasks: Array<Record<string, unknown>>;
  auditLog: AuditLogItem[];
}

/** Data subject access requests and the audit log reader. */
@Injectable()
export class RecordsService {
  constructor(
    private readonly tenant: TenantDatabase,
    private readonly repository: LegalRepository,
    private readonly audit: AuditService,
  ) {}

  /**
   * Everything the caller's org holds on the address: its leads (by email, or with the address
   * anywhere in their data), their sightings and the tasks behind them, the audit events about
   * those leads, and the member account if the person is one. The export itself is audited, with
   * counts only.
   */
  async dsar(auth: AuthContext, emailInput: string, client: ClientInfo): Promise<DsarDocument> {
    const email = emailInput.trim().toLowerCase();
    const mentions = addressMatcher(email);
    return this.tenant.inOrg(auth.orgId, async (db) => {
      const candidates = await this.repository.leadsMentioning(db, auth.orgId, email);
      const leads: DsarDocument['leads'] = [];
      for (const row of candidates) {
        const lead = toLeadResponse(row);
        const matchedOn: Array<'email' | 'data'> = [];
        if (lead.email?.toLowerCase() === email) matchedOn.push('email');
        const { email: _ownEmail, ...rest } = lead;
        if (mentions(JSON.stringify(rest))) matchedOn.push('data');
        if (matchedOn.length > 0) leads.push({ ...lead, matchedOn });
      }
      const leadIds = leads.map((lead) => lead.id);
      const sources = leads.flatMap((lead) =>
        (lead.sources ?? []).map((source) => ({ leadId: lead.id, url: source.url, taskId: source.taskId ?? null, seenAt: source.seenAt })),
      );
      const taskIds = [...new Set([...leads.map((lead) => lead.taskId), ...sources.map((source) => source.taskId)].filter((id): id is string => typeof id === 'string'))];
      const tasks = (await this.repository.tasksById(db, auth.orgId, taskIds)).map((task) => ({
        id: task.id,
        name: task.name,
        platform: task.platform,
        status: task.status,
        seeds: task.seeds,
        createdAt: new Date(task.created_at as string).toISOString(),
        finishedAt: task.finished_at ? new Date(task.finished_at as string).toISOString() : null,
      }));
      const auditRows = await this.repository.auditRowsAbout(db, auth.orgId, 'lead', leadIds);
      const member = await this.repository.memberByEmail(db, auth.orgId, email);
      const document: DsarDocument = {
        format: DSAR_FORMAT,
        generatedAt: new Date().toISOString(),
        organization: { id: auth.orgId },
        subject: { email },
        account: member
          ? {
              userId: member.user_id as string,
              name: member.name as string,
              email: member.email as string,
              role: member.role as string,
              memberSince: new Date(member.member_since as string).toISOString(),
            }
          : null,
        leads,
        sources,
        tasks,
        auditLog: auditRows.map(toAuditItem),
      };
      await this.audit.record(db, {
        action: 'legal.dsar.exported',
        orgId: auth.orgId,
        actorUserId: auth.userId,
        actorApiKeyId: auth.apiKeyId,
        client,
        metadata: { leads: leads.length, sources: sources.length, auditRows: auditRows.length, account: member !== null },
      });
      return document;
    });
  }

  async auditLog(auth: AuthContext, query: AuditLogQuery): Promise<AuditLogResponse> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const rows = await this.tenant.inOrg(auth.orgId, (db) =>
      this.repository.listAudit(db, auth.orgId, {
        action: query.action,
        actorUserId: query.actorUserId,
        actorApiKeyId: query.actorApiKeyId,
        from: query.from,
        to: query.to,
        cursor: query.cursor,
        limit,
      }),
    );
    return toPage(rows, limit, (row) => row.id, toAuditItem);
  }
}

function toAuditItem(row: AuditRow): AuditLogItem {
  return {
    id: row.id,
    action: row.action,
    actorUserId: row.actor_user_id,
    actorApiKeyId: row.actor_api_key_id,
    targetType: row.target_type,
    targetId: row.target_id,
    ip: row.ip,
    userAgent: row.user_agent,
    metadata: row.metadata,
    createdAt: new Date(row.created_at).toISOString(),
  };
}
