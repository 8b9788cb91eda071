import { once } from 'node:events';
import { PassThrough, pipeline, Transform, type Readable } from 'node:stream';
import { toLeadResponse, type LeadRow } from '../leads/lead-row';
import { FLAT_HEADERS } from './export-columns';
import { escapeFormula } from './formula-escape';

export const EXPORT_FORMATS = {
  csv: { contentType: 'text/csv; charset=utf-8', extension: 'csv', flat: true },
  excel: { contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', extension: 'xlsx', flat: true },
  json: { contentType: 'application/json; charset=utf-8', extension: 'json', flat: false },
  ndjson: { contentType: 'application/x-ndjson; charset=utf-8', extension: 'ndjson', flat: false },
} as const;

export type ExportFormat = keyof typeof EXPORT_FORMATS;

/** rows -> format; an error or an early close on either side (a client hanging up) destroys both, which closes the cursor. */
function linked(rows: Readable, format: Transform): Readable {
  pipeline(rows, format, () => undefined);
  return format;
}

/**
 * Bytes -> the same bytes in chunks of about `size`: COPY hands over one small chunk per row, and
 * each chunk written to the response on its own costs a write (and a chunk header) per row.
 */
export function inChunks(bytes: Readable, size = 64 * 1024): Readable {
  let pending: Buffer[] = [];
  let length = 0;
  const out = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      pending.push(chunk);
      length += chunk.length;
      if (length < size) return done();
      const joined = Buffer.concat(pending, length);
      pending = [];
      length = 0;
      done(null, joined);
    },
    flush(done) {
      done(null, length > 0 ? Buffer.concat(pending, length) : undefined);
    },
  });
  return linked(bytes, out);
}

const escapeCells = (row: Array<string | null>): Array<string | null> => row.map((cell) => (cell === null ? null : escapeFormula(cell)));

/** Lead rows -> a JSON array of leads as GET leads/:id shows them, written element by element. */
export function toJsonArray(rows: Readable): Readable {
  let first = true;
  const out = new Transform({
    writableObjectMode: true,
    transform(row: LeadRow, _encoding, done) {
      const json = JSON.stringify(toLeadResponse(row));
      done(null, first ? `[\n${json}` : `,\n${json}`);
      first = false;
    },
    flush(done) {
      done(null, first ? '[]\n' : '\n]\n');
    },
  });
  return linked(rows, out);
}

/** Lead rows -> one lead per line. */
export function toNdjson(rows: Readable): Readable {
  const out = new Transform({
    writableObjectMode: true,
    transform(row: LeadRow, _encoding, done) {
      done(null, `${JSON.stringify(toLeadResponse(row))}\n`);
    },
  });
  return linked(rows, out);
}

/**
 * Rows as arrays -> an .xlsx written by exceljs' streaming WorkbookWriter (inline strings, no
 * styles): each row is committed at once, and reading stops while the response is not draining.
 * exceljs (with its dependencies ~9 MB of heap) is loaded by the first Excel export, not at start.
 */
export function toExcel(rows: Readable): Readable {
  const out = new PassThrough();
  const write = async (): Promise<void> => {
    const { default: ExcelJS } = await import('exceljs');
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false, useStyles: false });
    const sheet = workbook.addWorksheet('Leads');
    sheet.addRow(FLAT_HEADERS).commit();
    for await (const row of rows as AsyncIterable<Array<string | null>>) {
      const cells = escapeCells(row);
      sheet.addRow(cells.map((cell, index) => (cell !== null && FLAT_HEADERS[index] === 'confidence' ? Number(cell) : cell))).commit();
      if (out.writableNeedDrain) await once(out, 'drain');
    }
    sheet.commit();
    await workbook.commit();
  };
  write().catch((error: Error) => {
    rows.destroy();
    out.destroy(error);
  });
  out.once('close', () => rows.destroy());
  return out;
}
