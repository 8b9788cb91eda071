import type { OrgRole } from '../../orgs/membership.entity';

export const AUTH_OPTIONS = Symbol('AUTH_OPTIONS');

export interface AuthOptions {
  /** Organization roles allowed; unset means any member. API keys act with the role `member`. */
  roles?: OrgRole[];
  /** Only platform administrators (user flag). */
  platformAdmin?: boolean;
  /** Whether an API key (X-API-Key) is accepted besides a JWT. Default true; always false when `roles` leave out `member` or with `platformAdmin`. */
  apiKey?: boolean;
}
