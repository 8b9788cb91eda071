import { Injectable } from '@nestjs/common';
import type { Readable } from 'node:stream';
import { AuditService } from '../audit/audit.service';
import type { AuthContext, ClientInfo } from '../common/auth/auth-context';
import type { LeadFilterQuery } from '../leads/dto/lead-filter.dto';
import { leadWhere, SqlParams } from '../leads/lead-query';
import { LEAD_COLUMNS } from '../leads/lead-row';
import { filterKeys } from '../leads/leads.service';
import { csvSelect, FLAT_SELECT } from './export-columns';
import { EXPORT_FORMATS, inChunks, toExcel, toJsonArray, toNdjson, type ExportFormat } from './export-formats';
import { LeadCursor } from './lead-cursor';

export interface ExportFile {
  stream: Readable;
  contentType: string;
  filename: string;
}

/** `leads-20300101-120000.csv`: the moment of the export, UTC. */
export function exportFilename(format: ExportFormat, at: Date): string {
  const stamp = at.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `leads-${stamp}.${EXPORT_FORMATS[format].extension}`;
}

/** The live leads matching the filters, newest first (GET leads' default order), streamed in a format. */
@Injectable()
export class ExportService {
  constructor(
    private readonly cursor: LeadCursor,
    private readonly audit: AuditService,
  ) {}

  async export(auth: AuthContext, format: ExportFormat, filter: LeadFilterQuery, client: ClientInfo): Promise<ExportFile> {
    const spec = EXPORT_FORMATS[format];
    const p = new SqlParams();
    const where = leadWhere(p.add(auth.orgId), filter, p);
    const sql =
      format === 'csv' ? csvSelect(where) : `SELECT ${spec.flat ? FLAT_SELECT : LEAD_COLUMNS} FROM lead l WHERE ${where} ORDER BY l.created_at DESC, l.id DESC`;
    // Recorded before the first byte: a download cut short was still an export of the data.
    await this.audit.recordNow({
      action: 'lead.exported',
      orgId: auth.orgId,
      actorUserId: auth.userId,
      actorApiKeyId: auth.apiKeyId,
      client,
      metadata: { format, filters: filterKeys(filter) },
    });
    if (format === 'csv') {
      // The server writes the CSV (COPY); the bytes stream through untouched.
      return { stream: inChunks(await this.cursor.copyCsv(auth.orgId, sql, p.values)), contentType: spec.contentType, filename: exportFilename(format, new Date()) };
    }
    const rows = await this.cursor.open(auth.orgId, sql, p.values, spec.flat ? { rowMode: 'array' } : {});
    const stream = format === 'excel' ? toExcel(rows) : format === 'json' ? toJsonArray(rows) : toNdjson(rows);
    return { stream, contentType: spec.contentType, filename: exportFilename(format, new Date()) };
  }
}
