import { Body, Controller, HttpCode, HttpStatus, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { AuthContext, ClientInfo } from '../common/auth/auth-context';
import { Auth } from '../common/auth/auth.decorator';
import { Client, CurrentAuth } from '../common/auth/current-auth.decorator';
import { ProblemResponse } from '../common/openapi/problem.schema';
import { AdminCreditsService } from './admin-credits.service';
import { AdjustCreditsRequest, AdjustCreditsResponse } from './dto/adjust-credits.dto';

@ApiTags('admin')
@Controller('admin')
@Auth({ platformAdmin: true })
export class AdminController {
  constructor(private readonly credits: AdminCreditsService) {}

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
