import { Body, Controller, Get, HttpCode, HttpStatus, Post, Put } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuthContext, ClientInfo } from '../common/auth/auth-context';
import { Auth } from '../common/auth/auth.decorator';
import { Client, CurrentAuth } from '../common/auth/current-auth.decorator';
import { ProblemResponse } from '../common/openapi/problem.schema';
import { RetentionCleanupResponse, RetentionPolicyBody, RetentionPolicyResponse, RetentionStatsResponse } from './dto/retention.dto';
import { RetentionService } from './retention.service';

@ApiTags('legal')
@Controller('legal/retention')
export class RetentionController {
  constructor(private readonly retention: RetentionService) {}

  @Get('policy')
  @Auth()
  @ApiOperation({ summary: "The organization's retention policy (defaults: leads 365 days, task events 90 days; soft-deleted leads 30 days)." })
  @ApiOkResponse({ type: RetentionPolicyResponse })
  getPolicy(@CurrentAuth() auth: AuthContext): Promise<RetentionPolicyResponse> {
    return this.retention.getPolicy(auth);
  }

  @Put('policy')
  @Auth({ roles: ['owner', 'admin'] })
  @ApiOperation({ summary: 'Set the retention policy: leads 30..3650 days, task events 7..365 days. Audited; the next cleanup applies it.' })
  @ApiOkResponse({ type: RetentionPolicyResponse })
  @ApiBadRequestResponse({ type: ProblemResponse })
  setPolicy(@CurrentAuth() auth: AuthContext, @Body() body: RetentionPolicyBody, @Client() client: ClientInfo): Promise<RetentionPolicyResponse> {
    return this.retention.setPolicy(auth, body, client);
  }

  @Get('stats')
  @Auth({ roles: ['owner', 'admin'] })
  @ApiOperation({ summary: 'Rows held, expiring within 7 days and expired awaiting the next cleanup; the last cleanup and what it deleted.' })
  @ApiOkResponse({ type: RetentionStatsResponse })
  stats(@CurrentAuth() auth: AuthContext): Promise<RetentionStatsResponse> {
    return this.retention.stats(auth);
  }

  @Post('cleanup')
  @HttpCode(HttpStatus.OK)
  @Auth({ roles: ['owner', 'admin'] })
  @ApiOperation({ summary: "Run the retention cleanup for the organization now (the daily job does every organization). Audited." })
  @ApiOkResponse({ type: RetentionCleanupResponse })
  cleanup(@CurrentAuth() auth: AuthContext, @Client() client: ClientInfo): Promise<RetentionCleanupResponse> {
    return this.retention.cleanupNow(auth, client);
  }
}
