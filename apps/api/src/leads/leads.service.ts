import { HttpStatus, Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import type { AuthContext, ClientInfo } from '../common/auth/auth-context';
import { AppError, NotFoundError } from '../common/errors/app-error';
import { DEFAULT_PAGE_SIZE } from '../common/pagination/page';
import { TenantDatabase } from '../database/tenant-database';
import type { LeadFilterQuery } from './dto/lead-filter.dto';
import type { BulkLeadsRequest, LeadListQuery, UpdateLeadRequest } from './dto/lead-requests.dto';
import type { BulkLeadsResponse, LeadListResponse, LeadResponse } from './dto/lead.response';
import { decodeCursor, encodeCursor } from './lead-query';
import { toLeadResponse } from './lead-row';
import { LeadsRepository, type BulkTarget } from './leads.repository';

/** The filter keys a request used (never their values: a search may hold a name), for audit rows. */
export function filterKeys(filter: LeadFilterQuery): string {
  return Object.entries(filter)
    .filter(([, value]) => value !== undefined)
    .map(([key]) => key)
    .sort()
    .join(',');
}

@Injectable()
export class LeadsService {
  constructor(
    private readonly tenant: TenantDatabase,
    private readonly leads: LeadsRepository,
    private readonly audit: AuditService,
  ) {}

  async list(auth: AuthContext, query: LeadListQuery): Promise<LeadListResponse> {
    const { sort = 'createdAt', order = 'desc', limit = DEFAULT_PAGE_SIZE, cursor, ...filter } = query;
    const keyset = cursor ? decodeCursor(cursor, sort, order) : null;
    // Read-only: every statement of the page is one round trip with its scope (TenantDatabase.readOnce).
    const rows = await this.leads.list(this.tenant.reader({ orgId: auth.orgId }), auth.orgId, { filter, sort, order, keyset, limit });
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map(toLeadResponse),
      nextCursor: rows.length > limit && last ? encodeCursor({ sort, order, value: last.sort_key, id: last.id }) : null,
    };
  }

  async get(auth: AuthContext, id: string): Promise<LeadResponse> {
    const row = await this.leads.find(this.tenant.reader({ orgId: auth.orgId }), auth.orgId, id);
    if (!row || row.deleted_at) throw new NotFoundError('Lead');
    return toLeadResponse(row);
  }

  async update(auth: AuthContext, id: string, body: UpdateLeadRequest): Promise<LeadResponse> {
    if (Object.values(body).every((value) => value === undefined)) {
      throw new AppError('validation_failed', HttpStatus.BAD_REQUEST, 'Nothing to change: send at least one of status, tags, notes, fullName, firstName, lastName, jobTitle.');
    }
    const row = await this.tenant.inOrg(auth.orgId, (db) => this.leads.update(db, auth.orgId, id, body, auth.userId));
    if (!row) throw new NotFoundError('Lead');
    return toLeadResponse(row);
  }

  /** Soft delete; deleting a deleted lead is a no-op. Ingest leaves deleted leads deleted. */
  async remove(auth: AuthContext, id: string, client: ClientInfo): Promise<void> {
    await this.tenant.inOrg(auth.orgId, async (db) => {
      const result = await this.leads.setDeleted(db, auth.orgId, id, true, auth.userId);
      if (!result.exists) throw new NotFoundError('Lead');
      if (result.changed) {
        await this.audit.record(db, { action: 'lead.deleted', orgId: auth.orgId, actorUserId: auth.userId, actorApiKeyId: auth.apiKeyId, target: { type: 'lead', id }, client });
      }
    });
  }

  async restore(auth: AuthContext, id: string, client: ClientInfo): Promise<LeadResponse> {
    return this.tenant.inOrg(auth.orgId, async (db) => {
      const result = await this.leads.setDeleted(db, auth.orgId, id, false, auth.userId);
      if (!result.exists) throw new NotFoundError('Lead');
      if (result.changed) {
        await this.audit.record(db, { action: 'lead.restored', orgId: auth.orgId, actorUserId: auth.userId, actorApiKeyId: auth.apiKeyId, target: { type: 'lead', id }, client });
      }
      return toLeadResponse((await this.leads.find(db, auth.orgId, id))!);
    });
  }

  async bulk(auth: AuthContext, body: BulkLeadsRequest, client: ClientInfo): Promise<BulkLeadsResponse> {
    if ((body.ids === undefined) === (body.filter === undefined)) {
      throw new AppError('validation_failed', HttpStatus.BAD_REQUEST, 'Send either ids or filter.', { errors: [{ field: 'ids', message: 'exactly one of ids and filter is required' }] });
    }
    const target: BulkTarget = body.ids ? { ids: [...new Set(body.ids)] } : { filter: body.filter! };
    return this.tenant.inOrg(auth.orgId, async (db) => {
      const affected = await this.leads.bulk(db, auth.orgId, target, body.action, { tags: body.tags, status: body.status }, auth.userId);
      await this.audit.record(db, {
        action: 'lead.bulk_updated',
        orgId: auth.orgId,
        actorUserId: auth.userId,
        actorApiKeyId: auth.apiKeyId,
        client,
        metadata: {
          action: body.action,
          affected,
          by: 'ids' in target ? 'ids' : 'filter',
          ...('ids' in target ? { requested: target.ids.length } : { filters: filterKeys(target.filter) }),
          ...(body.status ? { status: body.status } : {}),
          ...(body.tags ? { tags: body.tags.length } : {}),
        },
      });
      return { affected };
    });
  }
}
