import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, ParseUUIDPipe, Patch, Post, Query, Req, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { Throttle } from '@nestjs/throttler';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ClientInfo, UserAuthContext } from '../common/auth/auth-context';
import { Auth } from '../common/auth/auth.decorator';
import { CsrfProtected } from '../common/auth/csrf';
import { Client, CurrentUser } from '../common/auth/current-auth.decorator';
import { AppError } from '../common/errors/app-error';
import { ProblemResponse } from '../common/openapi/problem.schema';
import { DEFAULT_PAGE_SIZE, PageQuery } from '../common/pagination/page';
import { type IssuedSession, AuthService } from './auth.service';
import { clearSessionCookies, refreshCookieOf, setSessionCookies } from './auth-cookies';
import {
  AcceptedResponse,
  ChangePasswordRequest,
  DeleteAccountRequest,
  EmailRequest,
  LoginRequest,
  MeResponse,
  RegisterRequest,
  RegisterResponse,
  ResetPasswordRequest,
  SessionListResponse,
  TokenResponse,
  UpdateMeRequest,
  VerifyEmailRequest,
} from './dto/auth.dto';

const EMAIL_SENT = 'If an account exists for this address, we have sent an email.';
const TEN_MINUTES = 10 * 60_000;
const FIFTEEN_MINUTES = 15 * 60_000;

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('register')
  @Throttle({ default: { limit: 10, ttl: TEN_MINUTES } })
  @ApiOperation({ summary: 'Create an account and its organization (the caller becomes owner); sends a verification email.' })
  @ApiCreatedResponse({ type: RegisterResponse })
  @ApiConflictResponse({ type: ProblemResponse, description: 'email_taken' })
  async register(@Body() body: RegisterRequest, @Client() client: ClientInfo): Promise<RegisterResponse> {
    const { user } = await this.auth.register(body, client);
    return { user, organization: user.organization };
  }

  @Post('login')
  @HttpCode(HttpStatus.OK)
  @Throttle({ default: { limit: 10, ttl: 60_000 } })
  @ApiOperation({
    summary: 'Sign in. Returns an access token; sets the refresh cookie (httpOnly, Path=/api/v1/auth) and the lf_csrf cookie.',
    description: 'Repeated failures lock the account and the client IP for a while (429 with Retry-After).',
  })
  @ApiOkResponse({ type: TokenResponse })
  @ApiUnauthorizedResponse({ type: ProblemResponse, description: 'invalid_credentials' })
  @ApiForbiddenResponse({ type: ProblemResponse, description: 'email_not_verified (when REQUIRE_EMAIL_VERIFICATION=true)' })
  async login(@Body() body: LoginRequest, @Client() client: ClientInfo, @Res({ passthrough: true }) reply: FastifyReply): Promise<TokenResponse> {
    return this.respondWithSession(await this.auth.login(body, client), reply);
  }

  @Post('refresh')
  @HttpCode(HttpStatus.OK)
  @CsrfProtected()
  @ApiOperation({ summary: 'Exchange the refresh cookie for a new access token; rotates the refresh token. A reused refresh token ends its session.' })
  @ApiOkResponse({ type: TokenResponse })
  @ApiUnauthorizedResponse({ type: ProblemResponse, description: 'invalid_refresh_token' })
  async refresh(@Req() request: FastifyRequest, @Client() client: ClientInfo, @Res({ passthrough: true }) reply: FastifyReply): Promise<TokenResponse> {
    const token = refreshCookieOf(request);
    if (!token) {
      clearSessionCookies(reply);
      throw new AppError('invalid_refresh_token', HttpStatus.UNAUTHORIZED, 'No refresh cookie: sign in again.');
    }
    try {
      return this.respondWithSession(await this.auth.refresh(token, client), reply);
    } catch (error) {
      if (error instanceof AppError && error.status === HttpStatus.UNAUTHORIZED) clearSessionCookies(reply);
      throw error;
    }
  }

  @Post('logout')
  @HttpCode(HttpStatus.NO_CONTENT)
  @CsrfProtected()
  @ApiOperation({ summary: 'End the session of the refresh cookie and clear the cookies.' })
  @ApiNoContentResponse({ description: 'Signed out.' })
  async logout(@Req() request: FastifyRequest, @Client() client: ClientInfo, @Res({ passthrough: true }) reply: FastifyReply): Promise<void> {
    const token = refreshCookieOf(request);
    if (token) await this.auth.logout(token, client);
    clearSessionCookies(reply);
  }

  @Post('logout-all')
  @HttpCode(HttpStatus.NO_CONTENT)
  @Auth({ apiKey: false })
  @ApiOperation({ summary: 'End every session of the account, on every device.' })
  @ApiNoContentResponse({ description: 'Every session ended.' })
  async logoutAll(@CurrentUser() user: UserAuthContext, @Client() client: ClientInfo, @Res({ passthrough: true }) reply: FastifyReply): Promise<void> {
    await this.auth.logoutAll(user, client);
    clearSessionCookies(reply);
  }

  @Post('forgot-password')
  @HttpCode(HttpStatus.ACCEPTED)
  @Throttle({ default: { limit: 5, ttl: FIFTEEN_MINUTES } })
  @ApiOperation({ summary: 'Email a password-reset link (valid one hour, once). The answer is the same whether or not the address has an account.' })
  @ApiAcceptedResponse({ type: AcceptedResponse })
  async forgotPassword(@Body() body: EmailRequest): Promise<AcceptedResponse> {
    await this.auth.forgotPassword(body.email);
    return { message: EMAIL_SENT };
  }

  @Post('reset-password')
  @HttpCode(HttpStatus.NO_CONTENT)
  @Throttle({ default: { limit: 10, ttl: FIFTEEN_MINUTES } })
  @ApiOperation({ summary: 'Set a new password with the token of a reset link; ends every session.' })
  @ApiNoContentResponse({ description: 'Password changed.' })
  @ApiBadRequestResponse({ type: ProblemResponse, description: 'invalid_or_expired_token, weak_password' })
  async resetPassword(@Body() body: ResetPasswordRequest, @Client() client: ClientInfo): Promise<void> {
    await this.auth.resetPassword(body, client);
  }

  @Post('verify-email')
  @HttpCode(HttpStatus.NO_CONTENT)
  @Throttle({ default: { limit: 10, ttl: FIFTEEN_MINUTES } })
  @ApiOperation({ summary: 'Confirm the email address with the token of the verification link.' })
  @ApiNoContentResponse({ description: 'Email address confirmed.' })
  @ApiBadRequestResponse({ type: ProblemResponse, description: 'invalid_or_expired_token' })
  async verifyEmail(@Body() body: VerifyEmailRequest, @Client() client: ClientInfo): Promise<void> {
    await this.auth.verifyEmail(body.token, client);
  }

  @Post('resend-verification')
  @HttpCode(HttpStatus.ACCEPTED)
  @Throttle({ default: { limit: 5, ttl: FIFTEEN_MINUTES } })
  @ApiOperation({ summary: 'Send a new verification link. The answer is the same whether or not the address has an account.' })
  @ApiAcceptedResponse({ type: AcceptedResponse })
  async resendVerification(@Body() body: EmailRequest): Promise<AcceptedResponse> {
    await this.auth.resendVerification(body.email);
    return { message: EMAIL_SENT };
  }

  @Post('change-password')
  @HttpCode(HttpStatus.NO_CONTENT)
  @Throttle({ default: { limit: 10, ttl: FIFTEEN_MINUTES } })
  @Auth({ apiKey: false })
  @ApiOperation({ summary: 'Change the password; every other session of the account ends.' })
  @ApiNoContentResponse({ description: 'Password changed.' })
  @ApiBadRequestResponse({ type: ProblemResponse, description: 'wrong_password, weak_password' })
  async changePassword(@CurrentUser() user: UserAuthContext, @Body() body: ChangePasswordRequest, @Client() client: ClientInfo): Promise<void> {
    await this.auth.changePassword(user, body, client);
  }

  @Get('me')
  @Auth({ apiKey: false })
  @ApiOperation({ summary: 'The signed-in user and the organization the session acts for.' })
  @ApiOkResponse({ type: MeResponse })
  me(@CurrentUser() user: UserAuthContext): Promise<MeResponse> {
    return this.auth.me(user);
  }

  @Patch('me')
  @Auth({ apiKey: false })
  @ApiOperation({ summary: 'Update the profile.' })
  @ApiOkResponse({ type: MeResponse })
  updateMe(@CurrentUser() user: UserAuthContext, @Body() body: UpdateMeRequest): Promise<MeResponse> {
    return this.auth.updateMe(user, body);
  }

  @Delete('me')
  @HttpCode(HttpStatus.NO_CONTENT)
  @Throttle({ default: { limit: 5, ttl: FIFTEEN_MINUTES } })
  @Auth({ apiKey: false })
  @ApiOperation({
    summary: 'Delete the account (confirmed by password).',
    description:
      'Deletes the personal data: sessions, tokens, memberships, and every organization where the user is the only member. ' +
      'The last owner of an organization with other members must make someone else owner first (409 last_owner).',
  })
  @ApiNoContentResponse({ description: 'Account deleted.' })
  @ApiBadRequestResponse({ type: ProblemResponse, description: 'wrong_password' })
  @ApiConflictResponse({ type: ProblemResponse, description: 'last_owner; `organizations` lists the ids.' })
  async deleteMe(@CurrentUser() user: UserAuthContext, @Body() body: DeleteAccountRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<void> {
    await this.auth.deleteAccount(user, body.password);
    clearSessionCookies(reply);
  }

  @Get('sessions')
  @Auth({ apiKey: false })
  @ApiOperation({ summary: 'Active sessions of the account (device, IP, created, last used), newest first.' })
  @ApiOkResponse({ type: SessionListResponse })
  sessions(@CurrentUser() user: UserAuthContext, @Query() page: PageQuery): Promise<SessionListResponse> {
    return this.auth.listSessions(user, page.limit ?? DEFAULT_PAGE_SIZE, page.cursor);
  }

  @Delete('sessions/:id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @Auth({ apiKey: false })
  @ApiOperation({ summary: 'End one session of the account.' })
  @ApiNoContentResponse({ description: 'Session ended.' })
  @ApiNotFoundResponse({ type: ProblemResponse, description: 'No such active session of this account.' })
  async revokeSession(@CurrentUser() user: UserAuthContext, @Param('id', new ParseUUIDPipe()) id: string, @Client() client: ClientInfo): Promise<void> {
    await this.auth.revokeSession(user, id, client);
  }

  private respondWithSession(session: IssuedSession, reply: FastifyReply): TokenResponse {
    setSessionCookies(reply, session.refreshToken, session.sessionExpiresAt);
    return { accessToken: session.accessToken, expiresIn: session.expiresIn, tokenType: 'Bearer', user: session.user };
  }
}
