import { Injectable } from '@nestjs/common';
import { escapeLiteral, type Pool, type PoolClient } from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import QueryStream from 'pg-query-stream';
import { Readable } from 'node:stream';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver.js';

/**
 * Server-side cursors over one org's rows for the exports: a pooled connection of the TypeORM pool
 * runs a read-only REPEATABLE READ transaction scoped to the org exactly as TenantDatabase scopes
 * its transactions (row-level security applies), and pg-query-stream fetches `batchSize` rows at a
 * time as the consumer asks for them, so memory stays flat whatever the row count.
 */
@Injectable()
export class LeadCursor {
  constructor(private readonly dataSource: DataSource) {}

  /** The rows of `sql`; the transaction ends and the connection returns to the pool when the stream ends, fails or is destroyed. */
  async open(orgId: string, sql: string, values: unknown[], options: { rowMode?: 'array'; batchSize?: number } = {}): Promise<Readable> {
    const client = await this.begin(orgId);
    return this.released(client, client.query(new QueryStream(sql, values, { batchSize: options.batchSize ?? 1000, rowMode: options.rowMode })));
  }

  /**
   * `COPY (sql) TO STDOUT WITH (FORMAT csv, HEADER)` in the same org-scoped transaction (COPY of a
   * query applies row-level security like the query itself): the server writes the CSV and the
   * bytes pass through untouched, with the socket paused while the consumer is not reading. COPY
   * takes no bind parameters, so `values` are inlined as quoted literals (the SQL casts each).
   */
  async copyCsv(orgId: string, sql: string, values: unknown[]): Promise<Readable> {
    const inlined = sql.replace(/\$(\d+)\b/g, (_match, index: string) => literal(values[Number(index) - 1]));
    const client = await this.begin(orgId);
    return this.released(client, client.query(copyTo(`COPY (${inlined}) TO STDOUT WITH (FORMAT csv, HEADER)`)));
  }

  private async begin(orgId: string): Promise<PoolClient> {
    const pool = (this.dataSource.driver as PostgresDriver).master as Pool;
    const client: PoolClient = await pool.connect();
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      await client.query(
        `SELECT set_config('app.org_id', $1, true), set_config('app.user_id', '', true), set_config('app.system', '', true),
                set_config('app.api_key_hash', '', true), set_config('app.invitation_token_hash', '', true)`,
        [orgId],
      );
    } catch (error) {
      client.release(error as Error);
      throw error;
    }
    return client;
  }

  /** Ends the transaction and returns the connection when `stream` ends; drops the connection when it fails or is destroyed early. */
  private released(client: PoolClient, stream: Readable): Readable {
    let released = false;
    const finish = (error?: Error): void => {
      if (released) return;
      released = true;
      if (error) {
        // A destroyed cursor may leave the connection mid-protocol: drop it instead of reusing it.
        client.release(error);
        return;
      }
      client.query('COMMIT').then(
        () => client.release(),
        (commitError: Error) => client.release(commitError),
      );
    };
    stream.once('end', () => finish());
    stream.once('error', (error) => finish(error));
    stream.once('close', () => finish(stream.readableEnded ? undefined : new Error('export cursor closed before its end')));
    return stream;
  }
}

/** A SQL literal of a parameter value: arrays in Postgres array syntax, everything else as text. */
function literal(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (Array.isArray(value)) return escapeLiteral(`{${value.map((item) => `"${String(item).replace(/[\\"]/g, (c) => `\\${c}`)}"`).join(',')}}`);
  if (value instanceof Date) return escapeLiteral(value.toISOString());
  return escapeLiteral(String(value));
}
