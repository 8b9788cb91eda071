import { Body, Controller, Get, HttpStatus, Post, Query, Res } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Throttle } from '@nestjs/throttler';
import type { FastifyReply } from 'fastify';
import type { AuthContext, ClientInfo } from '../common/auth/auth-context';
import { Auth } from '../common/auth/auth.decorator';
import { Client, CurrentAuth } from '../common/auth/current-auth.decorator';
import { ProblemResponse } from '../common/openapi/problem.schema';
import { AuditLogQuery, AuditLogResponse, DsarBody } from './dto/records.dto';
import { RecordsService } from './records.service';

@ApiTags('legal')
@Controller('legal')
@Auth({ roles: ['owner', 'admin'] })
export class RecordsController {
  constructor(private readonly records: RecordsService) {}

  @Post('dsar')
  @Throttle({ default: { limit: 10, ttl: 60_000 } })
  @ApiOperation({
    summary: 'Data subject access request: everything the organization holds on an email address, as a JSON download (format: docs/legal.md). Audited.',
  })
  @ApiProduces('application/json')
  @ApiResponse({
    status: 200,
    description: 'A JSON document `{format, generatedAt, organization, subject, account, leads, sources, tasks, auditLog}` sent as an attachment.',
    content: { 'application/json': { schema: { type: 'object' } } },
  })
  @ApiBadRequestResponse({ type: ProblemResponse })
  @ApiResponse({ status: 429, type: ProblemResponse, description: '`rate_limited`' })
  async dsar(@CurrentAuth() auth: AuthContext, @Body() body: DsarBody, @Client() client: ClientInfo, @Res() reply: FastifyReply): Promise<void> {
    const document = await this.records.dsar(auth, body.email, client);
    const stamp = document.generatedAt.replace(/[:.]/g, '-');
    await reply
      .status(HttpStatus.OK)
      .header('content-type', 'application/json; charset=utf-8')
      .header('content-disposition', `attachment; filename="dsar-${stamp}.json"`)
      .header('cache-control', 'no-store')
      .send(JSON.stringify(document, null, 2));
  }

  @Get('audit-log')
  @ApiOperation({ summary: "The organization's audit log, newest first, with a cursor; filter by action (or `prefix.`), actor and time range." })
  @ApiOkResponse({ type: AuditLogResponse })
  @ApiBadRequestResponse({ type: ProblemResponse })
  auditLog(@CurrentAuth() auth: AuthContext, @Query() query: AuditLogQuery): Promise<AuditLogResponse> {
    return this.records.auditLog(auth, query);
  }
}
