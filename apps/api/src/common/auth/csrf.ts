import { applyDecorators, type CanActivate, type ExecutionContext, HttpStatus, Injectable, UseGuards } from '@nestjs/common';
import { ApiForbiddenResponse, ApiHeader } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { constantTimeEqual } from '../crypto/tokens';
import { AppError } from '../errors/app-error';
import { ProblemResponse } from '../openapi/problem.schema';

export const CSRF_COOKIE = 'lf_csrf';
export const CSRF_HEADER = 'x-csrf-token';

/**
 * Double-submit check for endpoints authenticated by a cookie: the page echoes the readable
 * `lf_csrf` cookie in X-CSRF-Token, which a cross-site form or fetch cannot do.
 */
@Injectable()
export class CsrfGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const cookie = request.cookies?.[CSRF_COOKIE];
    const header = request.headers[CSRF_HEADER];
    const sent = Array.isArray(header) ? header[0] : header;
    if (!cookie || !sent || cookie.length < 32 || !constantTimeEqual(cookie, sent)) {
      throw new AppError('csrf_failed', HttpStatus.FORBIDDEN, 'The X-CSRF-Token header must repeat the lf_csrf cookie.');
    }
    return true;
  }
}

/** Applies the CSRF double-submit check and documents the header. */
export const CsrfProtected = (): MethodDecorator =>
  applyDecorators(
    UseGuards(CsrfGuard),
    ApiHeader({ name: 'X-CSRF-Token', required: true, description: 'The value of the lf_csrf cookie (double-submit CSRF protection).' }),
    ApiForbiddenResponse({ type: ProblemResponse, description: 'csrf_failed: X-CSRF-Token does not repeat the lf_csrf cookie.' }),
  );
