/**
 * The Socket.IO protocol of the `/events` namespace (DESIGN.md §7), typed once for the gateway,
 * the admin console and SDK consumers: `Server<ClientToServerEvents, ServerToClientEvents>` on the
 * server, `Socket<ServerToClientEvents, ClientToServerEvents>` on a client.
 */

export const EVENTS_NAMESPACE = '/events';

export const TASK_EVENT_NAMES = ['task.status', 'task.progress', 'task.log', 'task.leads'] as const;
export type TaskEventName = (typeof TASK_EVENT_NAMES)[number];

export const TASK_STATUS_VALUES = ['queued', 'running', 'paused', 'completed', 'failed', 'cancelled', 'timed_out'] as const;
export type TaskStatusValue = (typeof TASK_STATUS_VALUES)[number];

/** Every task event: `seq` starts at 1 per task and only grows; `at` is when it was stored (ISO-8601 UTC). */
export interface TaskEventEnvelope {
  taskId: string;
  seq: number;
  at: string;
}

export interface TaskStatusEvent extends TaskEventEnvelope {
  status: TaskStatusValue;
  /** Why a task failed or timed out. */
  error?: string;
}

export interface TaskProgressEvent extends TaskEventEnvelope {
  pagesQueued: number;
  pagesFetched: number;
  pagesFailed: number;
  leadsFound: number;
  leadsStored: number;
  duplicates: number;
  suppressed: number;
  percent: number;
  pagesPerSecond: number;
  etaSeconds: number | null;
}

export interface TaskLogEvent extends TaskEventEnvelope {
  level: 'info' | 'warn' | 'error';
  message: string;
}

export interface TaskLeadSummary {
  id: string;
  kind: 'person' | 'company';
  fullName: string | null;
  jobTitle: string | null;
  companyName: string | null;
  email: string | null;
  confidence: number;
  /** `new`: first stored by this batch; `merged`: a new sighting of a lead the org already had. */
  change: 'new' | 'merged';
}

/** Leads stored from one batch of pages. */
export interface TaskLeadsEvent extends TaskEventEnvelope {
  leads: TaskLeadSummary[];
}

export interface TaskEventPayloads {
  'task.status': TaskStatusEvent;
  'task.progress': TaskProgressEvent;
  'task.log': TaskLogEvent;
  'task.leads': TaskLeadsEvent;
}
export type AnyTaskEvent = TaskEventPayloads[TaskEventName];

/** Sent to every socket of the organization when its credit balance changes. */
export interface CreditsUpdatedEvent {
  orgId: string;
  balance: number;
  at: string;
}

/** Sent to every socket of the organization when a task is created or changes status: refetch the list. */
export interface TasksChangedEvent {
  orgId: string;
  taskId: string;
  status: TaskStatusValue | null;
  at: string;
}

export const SOCKET_ERROR_CODES = [
  /** Handshake: no `auth.token`. */
  'unauthenticated',
  /** Handshake or `auth.refresh`: the access token is invalid, expired or its session has ended. */
  'invalid_token',
  /** Handshake: the API key is invalid or revoked. */
  'invalid_api_key',
  /** Handshake: a token or key was sent in the query string (it would end up in logs). */
  'token_in_query',
  /** Handshake: the Origin is not in the CORS allowlist. */
  'origin_not_allowed',
  /** Handshake: the user (or API key) already has the maximum number of sockets. */
  'too_many_connections',
  /** Server-initiated end: the access token expired without an `auth.refresh`. */
  'token_expired',
  /** Too many inbound messages per second: the socket is closed after this error. */
  'rate_limited',
  /** An ack error: the payload of a message is malformed. */
  'invalid_payload',
  /** Subscribe: no such task in the organization of the socket. */
  'not_found',
  /** Subscribe: the socket already has the maximum number of subscriptions. */
  'too_many_subscriptions',
  /** `auth.refresh` with a token of another user or organization. */
  'token_mismatch',
  /** Something failed on the server; retry later. */
  'internal_error',
  /** The session was ended (logout, password change, suspension) or the API key revoked: sign in again. */
  'credentials_revoked',
] as const;
export type SocketErrorCode = (typeof SOCKET_ERROR_CODES)[number];

/** `connect_error.data`, and the payload of the `error` event. */
export interface SocketErrorData {
  code: SocketErrorCode;
  message: string;
}

export interface SubscribeRequest {
  taskId: string;
  /** Replay stored events with `seq > sinceSeq` first (0 = everything); omitted = live events only. */
  sinceSeq?: number;
}
export type SubscribeAck = { ok: true; taskId: string; replayed: number; lastSeq: number } | { ok: false; error: SocketErrorCode; message: string };

export interface UnsubscribeRequest {
  taskId: string;
}
export type UnsubscribeAck = { ok: true } | { ok: false; error: SocketErrorCode; message: string };

export interface AuthRefreshRequest {
  /** A new access token of the same user and organization. */
  token: string;
}
export type AuthRefreshAck = { ok: true; expiresAt: string | null } | { ok: false; error: SocketErrorCode; message: string };

/** `socket.handshake.auth` / `io(url, { auth })`. */
export interface EventsHandshakeAuth {
  /** An access JWT (from POST auth/login or auth/refresh) or an `lf_` API key. */
  token: string;
}

/** Sent to every socket of a node that is shutting down, just before its connection closes: reconnect (to another node) and resubscribe with the last seq. */
export interface ServerShutdownEvent {
  at: string;
  reason: 'shutdown';
  reconnect: true;
}

export interface ServerToClientEvents {
  'task.status': (event: TaskStatusEvent) => void;
  'task.progress': (event: TaskProgressEvent) => void;
  'task.log': (event: TaskLogEvent) => void;
  'task.leads': (event: TaskLeadsEvent) => void;
  'credits.updated': (event: CreditsUpdatedEvent) => void;
  'tasks.changed': (event: TasksChangedEvent) => void;
  /** A protocol error the server reports before it closes the socket (`rate_limited`, `token_expired`, `credentials_revoked`). */
  error: (error: SocketErrorData) => void;
  'server.shutdown': (event: ServerShutdownEvent) => void;
}

export interface ClientToServerEvents {
  subscribe: (request: SubscribeRequest, ack: (result: SubscribeAck) => void) => void;
  unsubscribe: (request: UnsubscribeRequest, ack: (result: UnsubscribeAck) => void) => void;
  'auth.refresh': (request: AuthRefreshRequest, ack: (result: AuthRefreshAck) => void) => void;
}
