import { Body, Controller, Get, HttpCode, HttpStatus, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { AuthContext, ClientInfo } from '../common/auth/auth-context';
import { Auth } from '../common/auth/auth.decorator';
import { Client, CurrentAuth } from '../common/auth/current-auth.decorator';
import { ProblemResponse } from '../common/openapi/problem.schema';
import { AdminCreditsService } from './admin-credits.service';
import { AdminDirectoryService } from './admin-directory.service';
import { AdminStatsService } from './admin-stats.service';
import { AdminUsersService } from './admin-users.service';
import { AdjustCreditsRequest, AdjustCreditsResponse } from './dto/adjust-credits.dto';
import { AdminOrgListResponse, AdminOrgsQuery, AdminUserListResponse, AdminUserResponse, AdminUsersQuery } from './dto/admin-lists.dto';
import { AdminStatsResponse } from './dto/admin-stats.dto';
import { AdminUpdateUserRequest } from './dto/update-user.dto';

@ApiTags('admin')
@Controller('admin')
@Auth({ platformAdmin: true })
export class AdminController {
  constructor(
    private readonly credits: AdminCreditsService,
    private readonly directory: AdminDirectoryService,
    private readonly accounts: AdminUsersService,
    private readonly statistics: AdminStatsService,
  ) {}

  @Get('stats')
  @ApiOperation({ summary: 'Platform overview: users, organizations by plan, tasks of the last 24 hours, leads, credits spent in 30 days, job queues. Platform administrators only.' })
  @ApiOkResponse({ type: AdminStatsResponse })
  stats(): Promise<AdminStatsResponse> {
    return this.statistics.stats();
  }

  @Get('users')
  @ApiOperation({ summary: 'Every user of the platform, newest first, with their organizations; `q` searches email and name. Platform administrators only.' })
  @ApiOkResponse({ type: AdminUserListResponse })
  @ApiBadRequestResponse({ type: ProblemResponse })
  users(@Query() query: AdminUsersQuery): Promise<AdminUserListResponse> {
    return this.directory.users(query);
  }

  @Patch('users/:id')
  @ApiOperation({
    summary:
      "Grant or remove a user's platform administrator rights, suspend or reactivate the account (suspension ends all of its sessions). Audited. Platform administrators only.",
  })
  @ApiOkResponse({ type: AdminUserResponse })
  @ApiBadRequestResponse({ type: ProblemResponse })
  @ApiNotFoundResponse({ type: ProblemResponse })
  @ApiConflictResponse({
    type: ProblemResponse,
    description: '`cannot_demote_self`, `cannot_suspend_self`: not on your own account; `last_platform_admin`: the platform would be left without an active administrator.',
  })
  updateUser(
    @CurrentAuth() admin: AuthContext,
    @Param('id', new ParseUUIDPipe()) userId: string,
    @Body() body: AdminUpdateUserRequest,
    @Client() client: ClientInfo,
  ): Promise<AdminUserResponse> {
    return this.accounts.update(admin, userId, body, client);
  }

  @Get('orgs')
  @ApiOperation({ summary: 'Every organization, newest first, with plan, credit balance and member count; `q` searches the name. Platform administrators only.' })
  @ApiOkResponse({ type: AdminOrgListResponse })
  @ApiBadRequestResponse({ type: ProblemResponse })
  orgs(@Query() query: AdminOrgsQuery): Promise<AdminOrgListResponse> {
    return this.directory.orgs(query);
  }

  @Post('orgs/:id/credits')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: "Add or take an organization's credits with a reason (ledger row + audit log). Platform administrators only." })
  @ApiOkResponse({ type: AdjustCreditsResponse })
  @ApiNotFoundResponse({ type: ProblemResponse })
  @ApiResponse({ status: 402, type: ProblemResponse, description: '`insufficient_credits`: the debit is larger than the balance.' })
  adjustCredits(
    @CurrentAuth() admin: AuthContext,
    @Param('id', new ParseUUIDPipe()) orgId: string,
    @Body() body: AdjustCreditsRequest,
    @Client() client: ClientInfo,
  ): Promise<AdjustCreditsResponse> {
    return this.credits.adjust(admin, orgId, body.delta, body.reason, client);
  }
}
