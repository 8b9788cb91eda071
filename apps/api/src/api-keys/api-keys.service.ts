import { HttpStatus, Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import type { AuthContext, ClientInfo } from '../common/auth/auth-context';
import { randomToken } from '../common/crypto/tokens';
import { AppError } from '../common/errors/app-error';
import { newId } from '../common/ids';
import { type Page, toPage } from '../common/pagination/page';
import { TenantDatabase } from '../database/tenant-database';
import { type ApiKeyListing, ApiKeysRepository } from './api-keys.repository';

export const API_KEY_PREFIX = 'lf_';
/** `lf_` and the first 8 characters of the secret: enough to recognise a key, useless to guess it. */
const DISPLAY_PREFIX_LENGTH = API_KEY_PREFIX.length + 8;

export interface ApiKeyView {
  id: string;
  name: string;
  prefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  createdByUserId: string | null;
}

const view = (key: ApiKeyListing): ApiKeyView => ({
  id: key.id,
  name: key.name,
  prefix: key.prefix,
  createdAt: key.createdAt,
  lastUsedAt: key.lastUsedAt,
  createdByUserId: key.createdByUserId,
});

@Injectable()
export class ApiKeysService {
  constructor(
    private readonly tenant: TenantDatabase,
    private readonly keys: ApiKeysRepository,
    private readonly audit: AuditService,
  ) {}

  /** The secret is returned here once and never again: only its hash is stored. */
  async create(auth: AuthContext, name: string, client: ClientInfo): Promise<ApiKeyView & { secret: string }> {
    const secret = `${API_KEY_PREFIX}${randomToken(32)}`;
    const id = newId();
    const key = await this.tenant.inOrg(auth.orgId, async (db) => {
      const created = await this.keys.insert(db, { id, orgId: auth.orgId, name: name.trim(), prefix: secret.slice(0, DISPLAY_PREFIX_LENGTH), createdByUserId: auth.userId }, secret);
      await this.audit.record(db, { action: 'api_key.created', orgId: auth.orgId, actorUserId: auth.userId, target: { type: 'api_key', id }, client, metadata: { prefix: created.prefix } });
      return created;
    });
    return { ...view(key), secret };
  }

  async list(auth: AuthContext, limit: number, cursor?: string): Promise<Page<ApiKeyView>> {
    // One statement: one round trip with its scope (TenantDatabase.reader).
    const rows = await this.keys.list(this.tenant.reader({ orgId: auth.orgId }), auth.orgId, limit, cursor);
    return toPage(rows, limit, (row) => row.id, view);
  }

  async revoke(auth: AuthContext, id: string, client: ClientInfo): Promise<void> {
    await this.tenant.inOrg(auth.orgId, async (db) => {
      if (!(await this.keys.delete(db, auth.orgId, id))) throw new AppError('not_found', HttpStatus.NOT_FOUND, 'API key not found');
      await this.audit.record(db, { action: 'api_key.revoked', orgId: auth.orgId, actorUserId: auth.userId, actorApiKeyId: auth.apiKeyId, target: { type: 'api_key', id }, client });
    });
  }
}
