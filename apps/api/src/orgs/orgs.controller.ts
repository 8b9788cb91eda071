import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { Throttle } from '@nestjs/throttler';
import type { AuthContext, ClientInfo, UserAuthContext } from '../common/auth/auth-context';
import { Auth } from '../common/auth/auth.decorator';
import { Client, CurrentAuth, CurrentUser } from '../common/auth/current-auth.decorator';
import { ProblemResponse } from '../common/openapi/problem.schema';
import { DEFAULT_PAGE_SIZE, PageQuery } from '../common/pagination/page';
import {
  AcceptInvitationRequest,
  ChangeRoleRequest,
  CreateInvitationRequest,
  InvitationListResponse,
  InvitationResponse,
  MemberListResponse,
  MemberResponse,
  OrganizationResponse,
  UpdateOrganizationRequest,
} from './dto/orgs.dto';
import { OrgsService } from './orgs.service';

@ApiTags('orgs')
@Controller('orgs')
export class OrgsController {
  constructor(private readonly orgs: OrgsService) {}

  @Get('current')
  @Auth()
  @ApiOperation({ summary: 'The organization the caller acts for, with the caller’s role.' })
  @ApiOkResponse({ type: OrganizationResponse })
  current(@CurrentAuth() auth: AuthContext): Promise<OrganizationResponse> {
    return this.orgs.current(auth);
  }

  @Patch('current')
  @Auth({ roles: ['owner', 'admin'] })
  @ApiOperation({ summary: 'Rename the organization.' })
  @ApiOkResponse({ type: OrganizationResponse })
  update(@CurrentAuth() auth: AuthContext, @Body() body: UpdateOrganizationRequest, @Client() client: ClientInfo): Promise<OrganizationResponse> {
    return this.orgs.rename(auth, body.name, client);
  }

  @Get('current/members')
  @Auth()
  @ApiOperation({ summary: 'Members of the organization with their roles.' })
  @ApiOkResponse({ type: MemberListResponse })
  members(@CurrentAuth() auth: AuthContext, @Query() page: PageQuery): Promise<MemberListResponse> {
    return this.orgs.members(auth, page.limit ?? DEFAULT_PAGE_SIZE, page.cursor);
  }

  @Patch('current/members/:userId')
  @Auth({ roles: ['owner', 'admin'], apiKey: false })
  @ApiOperation({ summary: "Change a member's role. Only owners grant or take away ownership; the last owner stays." })
  @ApiOkResponse({ type: MemberResponse })
  @ApiNotFoundResponse({ type: ProblemResponse, description: 'No such member in this organization.' })
  @ApiConflictResponse({ type: ProblemResponse, description: 'last_owner' })
  changeRole(
    @CurrentAuth() auth: AuthContext,
    @Param('userId', new ParseUUIDPipe()) userId: string,
    @Body() body: ChangeRoleRequest,
    @Client() client: ClientInfo,
  ): Promise<MemberResponse> {
    return this.orgs.changeRole(auth, userId, body.role, client);
  }

  @Delete('current/members/:userId')
  @HttpCode(HttpStatus.NO_CONTENT)
  @Auth({ apiKey: false })
  @ApiOperation({ summary: 'Remove a member (owners and admins), or leave the organization (your own user id).' })
  @ApiNoContentResponse({ description: 'Removed.' })
  @ApiForbiddenResponse({ type: ProblemResponse, description: 'role_required' })
  @ApiNotFoundResponse({ type: ProblemResponse, description: 'No such member in this organization.' })
  @ApiConflictResponse({ type: ProblemResponse, description: 'last_owner' })
  async removeMember(@CurrentAuth() auth: AuthContext, @Param('userId', new ParseUUIDPipe()) userId: string, @Client() client: ClientInfo): Promise<void> {
    await this.orgs.removeMember(auth, userId, client);
  }

  @Post('current/invitations')
  @Throttle({ default: { limit: 30, ttl: 60 * 60_000 } })
  @Auth({ roles: ['owner', 'admin'], apiKey: false })
  @ApiOperation({ summary: 'Invite someone by email (the link is valid for 7 days). A new invitation replaces a pending one for the same address.' })
  @ApiCreatedResponse({ type: InvitationResponse })
  @ApiConflictResponse({ type: ProblemResponse, description: '`already_member`, or `seat_limit_reached`: members and pending invitations fill the plan\'s seats.' })
  invite(@CurrentUser() user: UserAuthContext, @Body() body: CreateInvitationRequest, @Client() client: ClientInfo): Promise<InvitationResponse> {
    return this.orgs.invite(user, body, client);
  }

  @Get('current/invitations')
  @Auth({ roles: ['owner', 'admin'], apiKey: false })
  @ApiOperation({ summary: 'Pending invitations, newest first.' })
  @ApiOkResponse({ type: InvitationListResponse })
  invitations(@CurrentAuth() auth: AuthContext, @Query() page: PageQuery): Promise<InvitationListResponse> {
    return this.orgs.invitations(auth, page.limit ?? DEFAULT_PAGE_SIZE, page.cursor);
  }

  @Delete('current/invitations/:id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @Auth({ roles: ['owner', 'admin'], apiKey: false })
  @ApiOperation({ summary: 'Withdraw a pending invitation.' })
  @ApiNoContentResponse({ description: 'Withdrawn.' })
  @ApiNotFoundResponse({ type: ProblemResponse, description: 'No such pending invitation in this organization.' })
  async revokeInvitation(@CurrentAuth() auth: AuthContext, @Param('id', new ParseUUIDPipe()) id: string, @Client() client: ClientInfo): Promise<void> {
    await this.orgs.revokeInvitation(auth, id, client);
  }

  @Post('invitations/accept')
  @HttpCode(HttpStatus.OK)
  @Auth({ apiKey: false })
  @ApiOperation({
    summary: 'Accept an invitation addressed to your email; the organization becomes your current one.',
    description: 'Call POST auth/refresh afterwards to get an access token for the new organization.',
  })
  @ApiOkResponse({ type: OrganizationResponse })
  @ApiBadRequestResponse({ type: ProblemResponse, description: 'invalid_or_expired_token' })
  @ApiForbiddenResponse({ type: ProblemResponse, description: 'invitation_email_mismatch' })
  @ApiConflictResponse({ type: ProblemResponse, description: '`seat_limit_reached`: the plan\'s seats are all taken (after a downgrade).' })
  accept(@CurrentUser() user: UserAuthContext, @Body() body: AcceptInvitationRequest, @Client() client: ClientInfo): Promise<OrganizationResponse> {
    return this.orgs.accept(user, body.token, client);
  }
}
