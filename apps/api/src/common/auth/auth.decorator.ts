import { applyDecorators, SetMetadata, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiSecurity, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { ProblemResponse } from '../openapi/problem.schema';
import { AuthGuard } from './auth.guard';
import { AUTH_OPTIONS, type AuthOptions } from './auth-options';

/**
 * Who may call an endpoint, in one place: applies the AuthGuard and documents the security
 * schemes (bearer JWT, and X-API-Key unless `apiKey: false`) with their 401/403 responses.
 *
 *   @Auth()                                   any member, JWT or API key
 *   @Auth({ roles: ['owner', 'admin'] })      org owners and admins
 *   @Auth({ apiKey: false })                  a person's own session only
 *   @Auth({ platformAdmin: true })            platform administrators
 */
export function Auth(options: AuthOptions = {}): MethodDecorator & ClassDecorator {
  // A key acts with the role `member`: where that role is not enough, a key is refused outright.
  const acceptsApiKey = options.apiKey !== false && !options.platformAdmin && (!options.roles || options.roles.includes('member'));
  const restricted = Boolean(options.roles || options.platformAdmin) || !acceptsApiKey;
  const forbiddenReasons = [
    options.roles ? `the caller's role is not one of ${options.roles.join(', ')}` : undefined,
    options.platformAdmin ? 'the caller is not a platform administrator' : undefined,
    acceptsApiKey ? undefined : 'an API key was sent (this endpoint needs an access token)',
  ].filter(Boolean);
  return applyDecorators(
    SetMetadata(AUTH_OPTIONS, { ...options, apiKey: acceptsApiKey }),
    UseGuards(AuthGuard),
    ApiBearerAuth('bearer'),
    ...(acceptsApiKey ? [ApiSecurity('apiKey')] : []),
    ApiUnauthorizedResponse({ type: ProblemResponse, description: 'Missing, invalid or expired credentials.' }),
    ...(restricted ? [ApiForbiddenResponse({ type: ProblemResponse, description: `Forbidden: ${forbiddenReasons.join('; ')}.` })] : []),
  );
}
