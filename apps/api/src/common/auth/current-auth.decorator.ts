import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { AuthContext, AuthenticatedRequest, ClientInfo, UserAuthContext } from './auth-context';

/** The AuthContext of an @Auth endpoint. */
export const CurrentAuth = createParamDecorator((_: unknown, context: ExecutionContext): AuthContext => {
  const auth = context.switchToHttp().getRequest<AuthenticatedRequest>().auth;
  if (!auth) throw new Error('@CurrentAuth() used on an endpoint without @Auth()');
  return auth;
});

/** The AuthContext of an `@Auth({ apiKey: false })` endpoint: always a person's session. */
export const CurrentUser = createParamDecorator((_: unknown, context: ExecutionContext): UserAuthContext => {
  const auth = context.switchToHttp().getRequest<AuthenticatedRequest>().auth;
  if (!auth) throw new Error('@CurrentUser() used on an endpoint without @Auth()');
  if (auth.via !== 'jwt' || !auth.userId || !auth.sessionId) throw new Error('@CurrentUser() needs @Auth({ apiKey: false })');
  return auth as UserAuthContext;
});

const MAX_USER_AGENT = 512;

/** The caller's IP (proxy-aware per TRUST_PROXY) and User-Agent, for sessions and the audit log. */
export const Client = createParamDecorator((_: unknown, context: ExecutionContext): ClientInfo => {
  const request = context.switchToHttp().getRequest<FastifyRequest>();
  const userAgent = request.headers['user-agent'];
  return { ip: request.ip ?? null, userAgent: userAgent ? userAgent.slice(0, MAX_USER_AGENT) : null };
});
