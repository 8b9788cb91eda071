import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { Throttle } from '@nestjs/throttler';
import type { AuthContext, ClientInfo } from '../common/auth/auth-context';
import { Auth } from '../common/auth/auth.decorator';
import { Client, CurrentAuth } from '../common/auth/current-auth.decorator';
import { AppError } from '../common/errors/app-error';
import { ProblemResponse } from '../common/openapi/problem.schema';
import { OptOutConfirmBody, OptOutRequestBody, OptOutResponse, SuppressionListQuery, SuppressionListResponse } from './dto/opt-out.dto';
import { OptOutService } from './opt-out.service';

/** Public and unauthenticated, so a tight budget per client IP (the confirmation mail is the costly part). */
export const OPT_OUT_RATE_LIMIT = { limit: 5, ttl: 15 * 60_000 };
const MAX_PROFILE_URL = 2048;

@ApiTags('legal')
@Controller('legal')
export class OptOutController {
  constructor(private readonly optOuts: OptOutService) {}

  @Post('opt-out')
  @HttpCode(HttpStatus.ACCEPTED)
  @Throttle({ default: OPT_OUT_RATE_LIMIT })
  @ApiOperation({
    summary: 'Opt out an email address, a profile URL or a domain (exactly one). Public, no account needed.',
    description:
      'An email takes effect when the link mailed to it is confirmed (POST legal/opt-out/confirm), so nobody can opt out someone else\'s address; the answer is the same for every address. ' +
      'A profile URL or a domain takes effect at once. Matching leads are then deleted in every organization and never collected again. Only keyed hashes are stored (docs/legal.md).',
  })
  @ApiAcceptedResponse({ type: OptOutResponse })
  @ApiBadRequestResponse({ type: ProblemResponse, description: '`validation_failed`: not exactly one field, or a value that is not an address, an http(s) URL or a domain.' })
  @ApiUnprocessableEntityResponse({ type: ProblemResponse, description: '`opt_out_domain_not_allowed`: a shared mail provider (gmail.com...).' })
  @ApiResponse({ status: 429, type: ProblemResponse, description: '`rate_limited`: at most 5 requests per 15 minutes per client.' })
  request(@Body() body: OptOutRequestBody): Promise<OptOutResponse> {
    return this.optOuts.request(body);
  }

  @Post('opt-out/confirm')
  @HttpCode(HttpStatus.OK)
  @Throttle({ default: { limit: 10, ttl: 15 * 60_000 } })
  @ApiOperation({ summary: 'Confirm an email opt-out with the token of the mailed link (24 hours, once). Public.' })
  @ApiOkResponse({ type: OptOutResponse })
  @ApiBadRequestResponse({ type: ProblemResponse, description: '`invalid_or_expired_token`' })
  @ApiResponse({ status: 429, type: ProblemResponse, description: '`rate_limited`' })
  confirm(@Body() body: OptOutConfirmBody): Promise<OptOutResponse> {
    return this.optOuts.confirm(body.token);
  }

  @Delete('opt-out/:profileUrl')
  @HttpCode(HttpStatus.NO_CONTENT)
  @Auth({ roles: ['owner', 'admin'] })
  @ApiOperation({
    summary: 'Withdraw the opt-out of a profile URL (URL-encoded in the path). The list is global: this lets every organization collect it again. Audited.',
  })
  @ApiParam({ name: 'profileUrl', description: 'The profile URL, URL-encoded (e.g. https%3A%2F%2Fwww.linkedin.com%2Fin%2Fjane-doe).' })
  @ApiNoContentResponse({ description: 'Withdrawn.' })
  @ApiBadRequestResponse({ type: ProblemResponse })
  @ApiNotFoundResponse({ type: ProblemResponse, description: 'No opt-out for this profile URL.' })
  async withdraw(@CurrentAuth() auth: AuthContext, @Param('profileUrl') profileUrl: string, @Client() client: ClientInfo): Promise<void> {
    if (!profileUrl || profileUrl.length > MAX_PROFILE_URL) {
      throw new AppError('validation_failed', HttpStatus.BAD_REQUEST, 'The request is invalid; see errors for each field.', {
        errors: [{ field: 'profileUrl', message: `profileUrl must be 1 to ${MAX_PROFILE_URL} characters` }],
      });
    }
    await this.optOuts.withdrawProfileUrl(auth, profileUrl, client);
  }

  @Get('suppressions')
  @Auth({ roles: ['owner', 'admin'] })
  @ApiOperation({ summary: 'The opt-out list: counts by kind; platform administrators also get the entries (hash, kind, date), newest first, with a cursor.' })
  @ApiOkResponse({ type: SuppressionListResponse })
  @ApiBadRequestResponse({ type: ProblemResponse })
  list(@CurrentAuth() auth: AuthContext, @Query() query: SuppressionListQuery): Promise<SuppressionListResponse> {
    return this.optOuts.list(auth, query);
  }
}
