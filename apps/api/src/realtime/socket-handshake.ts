import { SOCKET_ERROR_CODES, type SocketErrorCode } from '@leadforge/contracts';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { AuthContext } from '../common/auth/auth-context';
import { Authenticator } from '../common/auth/authenticator';
import type { AppConfig } from '../common/config/app-config';
import { InjectConfig } from '../common/config/config.module';
import { AppError } from '../common/errors/app-error';
import { TokenBucket } from './inbound-rate';
import { REALTIME_LIMITS, type RealtimeLimits } from './realtime-limits';
import { type EventsSocket, type EventsSocketData, SocketError } from './socket-types';

const MAX_TOKEN_LENGTH = 4096;
/** Query parameters that would carry a credential (compared lower-case): refused, since URLs end up in logs. */
const CREDENTIAL_QUERY_KEYS = new Set(['token', 'access_token', 'accesstoken', 'apikey', 'api_key', 'x-api-key', 'key', 'auth', 'authorization', 'jwt', 'bearer']);
const KNOWN_CODES = new Set<string>(SOCKET_ERROR_CODES);

/** Reads `exp` of a JWT the authenticator has already verified. */
export function jwtExpiry(token: string): number | null {
  const part = token.split('.')[1];
  if (!part) return null;
  try {
    const claims = JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as { exp?: unknown };
    return typeof claims.exp === 'number' ? claims.exp * 1000 : null;
  } catch {
    return null;
  }
}

/** True when `origin` may open a socket: no Origin (not a browser), the allowlist, or the API's own origin. */
export function originAllowed(origin: string | undefined, host: string | undefined, allowlist: readonly string[]): boolean {
  if (origin === undefined) return true;
  if (allowlist.includes(origin)) return true;
  try {
    return host !== undefined && new URL(origin).host === host;
  } catch {
    return false;
  }
}

/**
 * The connection middleware of `/events`: Origin, no credentials in the query string, then the
 * same Authenticator as the HTTP AuthGuard (JWT with session check, or API key).
 */
@Injectable()
export class SocketHandshake {
  private readonly logger = new Logger(SocketHandshake.name);

  constructor(
    private readonly authenticator: Authenticator,
    @InjectConfig() private readonly config: AppConfig,
    @Inject(REALTIME_LIMITS) private readonly limits: RealtimeLimits,
  ) {}

  async authenticate(socket: EventsSocket): Promise<EventsSocketData> {
    const { headers, query, auth } = socket.handshake;
    if (!originAllowed(headers.origin, headers.host, this.config.corsOrigins)) {
      throw new SocketError('origin_not_allowed', 'This Origin may not connect; it must be listed in CORS_ORIGINS.');
    }
    if (Object.keys(query).some((key) => CREDENTIAL_QUERY_KEYS.has(key.toLowerCase()))) {
      throw new SocketError('token_in_query', 'Credentials are not accepted in the query string; send them as auth.token in the handshake.');
    }
    const token = (auth as { token?: unknown } | undefined)?.token;
    if (typeof token !== 'string' || token.length === 0) {
      throw new SocketError('unauthenticated', 'Authentication is required: send an access token or an API key as auth.token in the handshake.');
    }
    if (token.length > MAX_TOKEN_LENGTH) throw new SocketError('invalid_token', 'The access token is invalid or has expired.');

    const context = await this.resolve(token);
    return {
      auth: context,
      principal: context.via === 'apiKey' ? `key:${context.apiKeyId}` : `user:${context.userId}`,
      expiresAt: context.via === 'jwt' ? jwtExpiry(token) : null,
      bucket: new TokenBucket(this.limits.messagesPerSecond, this.limits.messageBurst, Date.now()),
    };
  }

  /** For `auth.refresh`: a new access token of the same user and organization. */
  async refresh(current: AuthContext, token: unknown): Promise<{ auth: AuthContext; expiresAt: number | null }> {
    if (typeof token !== 'string' || token.length === 0 || token.length > MAX_TOKEN_LENGTH || token.startsWith('lf_')) {
      throw new SocketError('invalid_payload', 'auth.refresh takes {token}: a new access token.');
    }
    if (current.via !== 'jwt') throw new SocketError('token_mismatch', 'An API-key socket does not expire and cannot switch to an access token.');
    const next = await this.resolve(token);
    if (next.userId !== current.userId || next.orgId !== current.orgId) {
      throw new SocketError('token_mismatch', 'The new token belongs to another user or organization; open a new socket for it.');
    }
    return { auth: next, expiresAt: jwtExpiry(token) };
  }

  private async resolve(token: string): Promise<AuthContext> {
    try {
      return token.startsWith('lf_') ? await this.authenticator.authenticateApiKey(token) : await this.authenticator.authenticateAccessToken(token);
    } catch (error) {
      if (error instanceof AppError && KNOWN_CODES.has(error.code)) throw new SocketError(error.code as SocketErrorCode, error.message);
      this.logger.error(error);
      throw new SocketError('internal_error', 'Authentication could not be checked; try again.');
    }
  }
}
