import { Body, Controller, Get, HttpCode, HttpStatus, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { AuthContext, ClientInfo } from '../common/auth/auth-context';
import { Auth } from '../common/auth/auth.decorator';
import { Client, CurrentAuth } from '../common/auth/current-auth.decorator';
import { ProblemResponse } from '../common/openapi/problem.schema';
import { AdminCreditsService } from './admin-credits.service';
import { AdminDirectoryService } from './admin-directory.service';
import { AdjustCreditsRequest, AdjustCreditsResponse } from './dto/adjust-credits.dto';
import { AdminOrgListResponse, AdminOrgsQuery, AdminUserListResponse, AdminUsersQuery } from './dto/admin-lists.dto';

@ApiTags('admin')
@Controller('admin')
@Auth({ platformAdmin: true })
export class AdminController {
  constructor(
    private readonly credits: AdminCreditsService,
    private readonly directory: AdminDirectoryService,
  ) {}

  @Get('users')
  @ApiOperation({ summary: 'Every user of the platform, newest first, with their organizations; `q` searches email and name. Platform administrators only.' })
  @ApiOkResponse({ type: AdminUserListResponse })
  @ApiBadRequestResponse({ type: ProblemResponse })
  users(@Query() query: AdminUsersQuery): Promise<AdminUserListResponse> {
    return this.directory.users(query);
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
