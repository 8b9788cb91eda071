interface ErrorLike {
  code?: unknown;
  message?: unknown;
  driverError?: unknown;
  cause?: unknown;
}

// Socket errors, shutdown/crash of the server, too many connections, and connect-time refusals
// (database missing, login refused, connections disallowed) all mean: the database is unavailable.
const DATABASE_UNAVAILABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', '57P01', '57P02', '57P03', '53300', '3D000', '28000', '28P01']);
// TypeORM releases a transaction's connection when the connection errors (the server went away),
// and the transaction's next query then fails with "...already released".
const DATABASE_UNAVAILABLE_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Client was closed and is not queryable|Database connection provided by a query runner was already released|Query runner already released|not currently accepting connections|the database system is (starting up|shutting down|in recovery mode)/i;

/** True when an error (or what it wraps) means the database cannot be reached right now. */
export function isDatabaseUnavailable(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; current && depth < 4; depth += 1) {
    const code = (current as ErrorLike).code;
    if (typeof code === 'string' && (DATABASE_UNAVAILABLE_CODES.has(code) || code.startsWith('08'))) return true;
    const message = (current as ErrorLike).message;
    if (typeof message === 'string' && DATABASE_UNAVAILABLE_MESSAGES.test(message)) return true;
    current = (current as ErrorLike).driverError ?? (current as ErrorLike).cause;
  }
  return false;
}

