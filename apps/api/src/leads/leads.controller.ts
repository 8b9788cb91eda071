import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuthContext, ClientInfo } from '../common/auth/auth-context';
import { Auth } from '../common/auth/auth.decorator';
import { Client, CurrentAuth } from '../common/auth/current-auth.decorator';
import { ProblemResponse } from '../common/openapi/problem.schema';
import { BulkLeadsRequest, LeadListQuery, UpdateLeadRequest } from './dto/lead-requests.dto';
import { BulkLeadsResponse, LeadListResponse, LeadResponse } from './dto/lead.response';
import { LeadsService } from './leads.service';

@ApiTags('leads')
@Controller('leads')
@Auth()
export class LeadsController {
  constructor(private readonly leads: LeadsService) {}

  @Get()
  @ApiOperation({ summary: 'Leads of the organization: filters, full-text q, sort with keyset cursor (docs/leads.md).' })
  @ApiOkResponse({ type: LeadListResponse })
  @ApiBadRequestResponse({ type: ProblemResponse, description: '`validation_failed` or `invalid_cursor`.' })
  list(@CurrentAuth() auth: AuthContext, @Query() query: LeadListQuery): Promise<LeadListResponse> {
    return this.leads.list(auth, query);
  }

  @Post('bulk')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Delete, restore, tag, untag or set the status of up to 1,000 leads by id, or of every lead matching a filter.' })
  @ApiOkResponse({ type: BulkLeadsResponse })
  @ApiBadRequestResponse({ type: ProblemResponse })
  bulk(@CurrentAuth() auth: AuthContext, @Body() body: BulkLeadsRequest, @Client() client: ClientInfo): Promise<BulkLeadsResponse> {
    return this.leads.bulk(auth, body, client);
  }

  @Get(':id')
  @ApiOperation({ summary: 'A lead with its sources and confidence reasons.' })
  @ApiOkResponse({ type: LeadResponse })
  @ApiNotFoundResponse({ type: ProblemResponse })
  get(@CurrentAuth() auth: AuthContext, @Param('id', new ParseUUIDPipe()) id: string): Promise<LeadResponse> {
    return this.leads.get(auth, id);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Correct a lead: status, tags, notes, names and job title only (any other field is a 400).' })
  @ApiOkResponse({ type: LeadResponse })
  @ApiBadRequestResponse({ type: ProblemResponse })
  @ApiNotFoundResponse({ type: ProblemResponse })
  update(@CurrentAuth() auth: AuthContext, @Param('id', new ParseUUIDPipe()) id: string, @Body() body: UpdateLeadRequest): Promise<LeadResponse> {
    return this.leads.update(auth, id, body);
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Soft-delete a lead: hidden everywhere, and later sightings do not bring it back.' })
  @ApiNoContentResponse()
  @ApiNotFoundResponse({ type: ProblemResponse })
  async remove(@CurrentAuth() auth: AuthContext, @Param('id', new ParseUUIDPipe()) id: string, @Client() client: ClientInfo): Promise<void> {
    await this.leads.remove(auth, id, client);
  }

  @Post(':id/restore')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Undo a soft delete.' })
  @ApiOkResponse({ type: LeadResponse })
  @ApiNotFoundResponse({ type: ProblemResponse })
  restore(@CurrentAuth() auth: AuthContext, @Param('id', new ParseUUIDPipe()) id: string, @Client() client: ClientInfo): Promise<LeadResponse> {
    return this.leads.restore(auth, id, client);
  }
}
