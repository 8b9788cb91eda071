import type { IncomingMessage } from 'node:http';
import { v7 as uuidv7 } from 'uuid';

const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{8,128}$/;

/** Keeps a sane incoming X-Request-ID (so ids chain across services), otherwise makes a UUIDv7. */
export function requestIdFor(request: IncomingMessage): string {
  const incoming = request.headers['x-request-id'];
  const candidate = Array.isArray(incoming) ? incoming[0] : incoming;
  return candidate && SANE_REQUEST_ID.test(candidate) ? candidate : uuidv7();
}
