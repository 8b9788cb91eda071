import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Throttle } from '@nestjs/throttler';
import type { FastifyReply } from 'fastify';
import type { AuthContext, ClientInfo } from '../common/auth/auth-context';
import { Auth } from '../common/auth/auth.decorator';
import { Client, CurrentAuth } from '../common/auth/current-auth.decorator';
import { ProblemResponse } from '../common/openapi/problem.schema';
import { LeadFilterQuery } from '../leads/dto/lead-filter.dto';
import { EXPORT_FORMATS, type ExportFormat } from './export-formats';
import { ExportService } from './export.service';

/** Exports are heavy (a whole org's leads each) and a way to take data out: a tight budget per client. */
export const EXPORT_RATE_LIMIT = { limit: 10, ttl: 60_000 };

@ApiTags('export')
@Controller('export')
@Auth()
@Throttle({ default: EXPORT_RATE_LIMIT })
@ApiBadRequestResponse({ type: ProblemResponse })
@ApiResponse({ status: 429, type: ProblemResponse, description: '`rate_limited`: at most 10 exports a minute.' })
export class ExportController {
  constructor(private readonly exports: ExportService) {}

  @Get('csv')
  @ApiOperation({ summary: 'The leads matching the filters (same as GET leads) as CSV, streamed; formula cells escaped.' })
  @ApiProduces(EXPORT_FORMATS.csv.contentType)
  @ApiResponse({ status: 200, description: 'CSV with a header line (columns: docs/leads.md).', content: { 'text/csv': { schema: { type: 'string' } } } })
  csv(@CurrentAuth() auth: AuthContext, @Query() filter: LeadFilterQuery, @Client() client: ClientInfo, @Res() reply: FastifyReply): Promise<void> {
    return this.send('csv', auth, filter, client, reply);
  }

  @Get('json')
  @ApiOperation({ summary: 'The leads matching the filters as one JSON array of leads, streamed.' })
  @ApiProduces(EXPORT_FORMATS.json.contentType)
  @ApiResponse({ status: 200, description: 'A JSON array of leads as GET leads/:id returns them.', content: { 'application/json': { schema: { type: 'array', items: { type: 'object' } } } } })
  json(@CurrentAuth() auth: AuthContext, @Query() filter: LeadFilterQuery, @Client() client: ClientInfo, @Res() reply: FastifyReply): Promise<void> {
    return this.send('json', auth, filter, client, reply);
  }

  @Get('ndjson')
  @ApiOperation({ summary: 'The leads matching the filters as newline-delimited JSON, streamed.' })
  @ApiProduces(EXPORT_FORMATS.ndjson.contentType)
  @ApiResponse({ status: 200, description: 'One lead per line.', content: { 'application/x-ndjson': { schema: { type: 'string' } } } })
  ndjson(@CurrentAuth() auth: AuthContext, @Query() filter: LeadFilterQuery, @Client() client: ClientInfo, @Res() reply: FastifyReply): Promise<void> {
    return this.send('ndjson', auth, filter, client, reply);
  }

  @Get('excel')
  @ApiOperation({ summary: 'The leads matching the filters as an Excel workbook (.xlsx), streamed; formula cells escaped.' })
  @ApiProduces(EXPORT_FORMATS.excel.contentType)
  @ApiResponse({ status: 200, description: 'One sheet "Leads" with the CSV columns.', content: { [EXPORT_FORMATS.excel.contentType]: { schema: { type: 'string', format: 'binary' } } } })
  excel(@CurrentAuth() auth: AuthContext, @Query() filter: LeadFilterQuery, @Client() client: ClientInfo, @Res() reply: FastifyReply): Promise<void> {
    return this.send('excel', auth, filter, client, reply);
  }

  private async send(format: ExportFormat, auth: AuthContext, filter: LeadFilterQuery, client: ClientInfo, reply: FastifyReply): Promise<void> {
    const file = await this.exports.export(auth, format, filter, client);
    await reply
      .header('content-type', file.contentType)
      .header('content-disposition', `attachment; filename="${file.filename}"`)
      .header('cache-control', 'no-store')
      .send(file.stream);
  }
}
