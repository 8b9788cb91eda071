import type { AuthContext } from './auth-context';

/**
 * Resolves credentials to an AuthContext. Declared here so the guard stays in common/; the auth
 * module provides the implementation (JWT + session check, API-key lookup).
 */
export abstract class Authenticator {
  /** Verifies an access JWT and that its session and membership are still valid. */
  abstract authenticateAccessToken(token: string): Promise<AuthContext>;
  /** Resolves an `lf_` API key to its organization. */
  abstract authenticateApiKey(key: string): Promise<AuthContext>;
}
