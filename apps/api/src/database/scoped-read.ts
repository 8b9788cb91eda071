import { EventEmitter } from 'node:events';
import pg, { Result, type Connection, type Submittable } from 'pg';

/** pg's own value serialization (arrays, dates, JSON, buffers), as `client.query(text, values)` applies it. */
const { prepareValue } = (pg as unknown as { utils: { prepareValue(value: unknown): unknown } }).utils;

interface ProtocolMessages {
  stream: { cork?(): void; uncork?(): void };
  parse(query: { text: string; name?: string; types?: number[] }): void;
  bind(config: { portal?: string; statement?: string; values: unknown[]; valueMapper?: (value: unknown) => unknown }): void;
  describe(message: { type: 'P'; name?: string }): void;
  execute(config: { portal?: string; rows?: number }): void;
  sync(): void;
}

/** The row-parsing side of pg's Result (its type declarations cover only the finished result). */
interface RowParser<R> {
  rows: R[];
  addFields(fields: unknown[]): void;
  parseRow(fields: unknown[]): R;
  addRow(row: R): void;
}

type Done<R> = (error: Error | null, rows?: R[]) => void;

/**
 * A scope statement and a read as ONE extended-protocol message sequence closed by one Sync: the
 * server runs both in a single implicit transaction, so the scope's `set_config(..., true)` applies
 * to the read and ends with it, and the request costs one round trip instead of three
 * (START TRANSACTION + scope, the read, COMMIT). Both statements take bind parameters; a second
 * statement hidden in either is refused by the server (a prepared statement holds one command).
 * The scope's own result row is read and dropped; the read's rows are parsed with the client's
 * type parsers, as `client.query` would.
 */
export class ScopedRead<R> extends EventEmitter implements Submittable {
  /** The client hands its type parsers to `_result` when it takes the query (pg's Client#query). */
  readonly _result = new (Result as unknown as new () => RowParser<R>)();
  private scopeDone = false;
  private failure: Error | null = null;

  constructor(
    private readonly scopeText: string,
    private readonly scopeValues: unknown[],
    readonly text: string,
    private readonly values: unknown[],
    /** Public and named so because the client wraps it (a `query_timeout` clears its timer there). */
    public callback: Done<R>,
  ) {
    super();
  }

  submit(connection: Connection): void {
    const wire = connection as unknown as ProtocolMessages;
    wire.stream.cork?.();
    try {
      wire.parse({ text: this.scopeText, types: [] });
      wire.bind({ values: this.scopeValues, valueMapper: prepareValue });
      wire.execute({ rows: 0 });
      wire.parse({ text: this.text, types: [] });
      wire.bind({ values: this.values, valueMapper: prepareValue });
      wire.describe({ type: 'P' });
      wire.execute({ rows: 0 });
      wire.sync();
    } finally {
      wire.stream.uncork?.();
    }
  }

  handleRowDescription(message: { fields: unknown[] }): void {
    this._result.addFields(message.fields);
  }

  handleDataRow(message: { fields: unknown[] }): void {
    if (!this.scopeDone || this.failure) return;
    try {
      this._result.addRow(this._result.parseRow(message.fields));
    } catch (error) {
      this.failure = error as Error;
    }
  }

  handleCommandComplete(): void {
    this.scopeDone = true;
  }

  handleEmptyQuery(): void {
    this.scopeDone = true;
  }

  handlePortalSuspended(): void {
    this.failure ??= new Error('unexpected portal suspension');
  }

  handleCopyInResponse(): void {
    this.failure ??= new Error('a scoped read cannot run COPY');
  }

  handleCopyData(): void {}

  /** A server error ends the query here (the client drops it before ReadyForQuery). */
  handleError(error: Error): void {
    this.callback(this.failure ?? error);
  }

  handleReadyForQuery(): void {
    if (this.failure) this.callback(this.failure);
    else this.callback(null, this._result.rows);
  }
}
