import type { FastifyReply, FastifyRequest } from 'fastify';
import { CSRF_COOKIE } from '../common/auth/csrf';
import { randomToken } from '../common/crypto/tokens';
import { API_PREFIX } from '../common/http/api-prefix';

export const REFRESH_COOKIE = 'lf_refresh';
/** The refresh token travels only to the auth endpoints. */
export const REFRESH_COOKIE_PATH = `/${API_PREFIX}/auth`;

export function setSessionCookies(reply: FastifyReply, refreshToken: string, expires: Date): void {
  reply.setCookie(REFRESH_COOKIE, refreshToken, { httpOnly: true, secure: true, sameSite: 'strict', path: REFRESH_COOKIE_PATH, expires });
  // Readable by the page, which echoes it in X-CSRF-Token; a new value with every session change.
  reply.setCookie(CSRF_COOKIE, randomToken(), { httpOnly: false, secure: true, sameSite: 'strict', path: '/', expires });
}

export function clearSessionCookies(reply: FastifyReply): void {
  reply.clearCookie(REFRESH_COOKIE, { httpOnly: true, secure: true, sameSite: 'strict', path: REFRESH_COOKIE_PATH });
  reply.clearCookie(CSRF_COOKIE, { httpOnly: false, secure: true, sameSite: 'strict', path: '/' });
}

export const refreshCookieOf = (request: FastifyRequest): string | undefined => {
  const value = request.cookies?.[REFRESH_COOKIE];
  return value && value.length <= 256 ? value : undefined;
};
