import { Injectable } from '@nestjs/common';
import { ApiKeysRepository } from '../api-keys/api-keys.repository';
import type { AuthContext } from '../common/auth/auth-context';
import { invalidApiKey, invalidToken } from '../common/auth/auth-errors';
import { Authenticator } from '../common/auth/authenticator';
import { TenantDatabase } from '../database/tenant-database';
import type { OrgRole } from '../orgs/membership.entity';
import { AccessTokenService } from './access-token.service';

interface SessionRow {
  is_platform_admin: boolean;
  suspended: boolean;
  role: OrgRole | null;
  live: boolean;
  stale: boolean;
}

export const API_KEY_PATTERN = /^lf_[A-Za-z0-9_-]{43}$/;

/** Resolves credentials on every request, so revocations and role changes apply at once. */
@Injectable()
export class RequestAuthenticator extends Authenticator {
  constructor(
    private readonly tokens: AccessTokenService,
    private readonly tenant: TenantDatabase,
    private readonly apiKeys: ApiKeysRepository,
  ) {
    super();
  }

  async authenticateAccessToken(token: string): Promise<AuthContext> {
    const claims = await this.tokens.verify(token);
    if (!claims) throw invalidToken();
    // One round trip per request: the scope and the lookup travel together (TenantDatabase.readOnce).
    const [row] = await this.tenant.readOnce<SessionRow>(
      { orgId: claims.org, userId: claims.sub },
      `SELECT u.is_platform_admin, u.suspended_at IS NOT NULL AS suspended, m.role, s.revoked_at IS NULL AND s.expires_at > now() AS live,
              s.last_used_at < now() - interval '5 minutes' AS stale
         FROM auth_session s
         JOIN user_account u ON u.id = s.user_id
         LEFT JOIN membership m ON m.org_id = $1 AND m.user_id = u.id
        WHERE s.id = $2 AND s.user_id = $3`,
      [claims.org, claims.sid, claims.sub],
    );
    if (row?.live && !row.suspended && row.stale) {
      await this.tenant.run({ orgId: claims.org, userId: claims.sub }, (db) => db.query('UPDATE auth_session SET last_used_at = now() WHERE id = $1', [claims.sid]));
    }
    if (!row?.live) throw invalidToken('The session of this access token has ended; sign in again.');
    // Suspension revokes the sessions too; this also covers a session created concurrently with it.
    if (row.suspended) throw invalidToken('This account is suspended.');
    if (!row.role) throw invalidToken('You are no longer a member of the organization of this access token; refresh the session.');
    return {
      via: 'jwt',
      userId: claims.sub,
      orgId: claims.org,
      role: row.role,
      sessionId: claims.sid,
      apiKeyId: null,
      isPlatformAdmin: row.is_platform_admin,
    };
  }

  async authenticateApiKey(key: string): Promise<AuthContext> {
    if (!API_KEY_PATTERN.test(key)) throw invalidApiKey();
    const found = await this.apiKeys.authenticate(key);
    if (!found) throw invalidApiKey();
    return { via: 'apiKey', userId: null, orgId: found.orgId, role: 'member', sessionId: null, apiKeyId: found.id, isPlatformAdmin: false };
  }
}
