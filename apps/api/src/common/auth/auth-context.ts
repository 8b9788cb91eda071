import type { OrgRole } from '../../orgs/membership.entity';

/** Who is calling, for which organization, with which rights. Set by the AuthGuard. */
export interface AuthContext {
  via: 'jwt' | 'apiKey';
  /** Null when an API key calls: a key acts for its organization, not for a person. */
  userId: string | null;
  orgId: string;
  role: OrgRole;
  sessionId: string | null;
  apiKeyId: string | null;
  isPlatformAdmin: boolean;
}

/** A user's own request (JWT): what endpoints with `apiKey: false` receive. */
export interface UserAuthContext extends AuthContext {
  via: 'jwt';
  userId: string;
  sessionId: string;
}

export interface ClientInfo {
  ip: string | null;
  userAgent: string | null;
}

export interface AuthenticatedRequest {
  auth?: AuthContext;
}
