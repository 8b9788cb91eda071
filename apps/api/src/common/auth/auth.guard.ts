import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { PinoLogger } from 'nestjs-pino';
import type { AuthContext, AuthenticatedRequest } from './auth-context';
import { forbidden, unauthenticated } from './auth-errors';
import { AUTH_OPTIONS, type AuthOptions } from './auth-options';
import { Authenticator } from './authenticator';

export const API_KEY_HEADER = 'x-api-key';

function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1] ?? '';
}

/** Authenticates (JWT, else API key) and then authorizes against the endpoint's @Auth options. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly authenticator: Authenticator,
    private readonly logger: PinoLogger,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const options = this.reflector.getAllAndOverride<AuthOptions | undefined>(AUTH_OPTIONS, [context.getHandler(), context.getClass()]) ?? {};
    const request = context.switchToHttp().getRequest<FastifyRequest & AuthenticatedRequest>();

    const token = bearerToken(request);
    const apiKeyHeader = request.headers[API_KEY_HEADER];
    const apiKey = Array.isArray(apiKeyHeader) ? apiKeyHeader[0] : apiKeyHeader;
    let auth: AuthContext;
    if (token !== undefined) {
      auth = await this.authenticator.authenticateAccessToken(token);
    } else if (apiKey !== undefined) {
      if (options.apiKey === false) {
        throw forbidden('api_key_not_allowed', 'This endpoint acts for a person: call it with an access token, not an API key.');
      }
      auth = await this.authenticator.authenticateApiKey(apiKey);
    } else {
      throw unauthenticated();
    }

    if (options.platformAdmin && !auth.isPlatformAdmin) {
      throw forbidden('platform_admin_required', 'This endpoint is for platform administrators.');
    }
    if (options.roles && !options.roles.includes(auth.role)) {
      throw forbidden('role_required', `This action needs one of the roles: ${options.roles.join(', ')}.`);
    }
    request.auth = auth;
    // The request's log lines (including the final one) carry who called, for which org.
    this.logger.assign({ userId: auth.userId, orgId: auth.orgId, ...(auth.apiKeyId ? { apiKeyId: auth.apiKeyId } : {}) });
    return true;
  }
}
