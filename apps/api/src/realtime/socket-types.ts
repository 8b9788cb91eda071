import type { ClientToServerEvents, ServerToClientEvents, SocketErrorCode, SocketErrorData } from '@leadforge/contracts';
import type { DefaultEventsMap, Namespace, Socket } from 'socket.io';
import type { AuthContext } from '../common/auth/auth-context';
import type { TokenBucket } from './inbound-rate';

/** What the handshake establishes about a socket; kept in `socket.data`. */
export interface EventsSocketData {
  auth: AuthContext;
  /** Key of the per-user socket limit: the user, or the API key for key connections. */
  principal: string;
  /** When the access token expires (ms since epoch); null for API keys. */
  expiresAt: number | null;
  bucket: TokenBucket;
}

/** Nodes do not talk to each other through Socket.IO (see task-event-relay.ts). */
type NoServerSideEvents = DefaultEventsMap;

export type EventsNamespace = Namespace<ClientToServerEvents, ServerToClientEvents, NoServerSideEvents, EventsSocketData>;
export type EventsSocket = Socket<ClientToServerEvents, ServerToClientEvents, NoServerSideEvents, EventsSocketData>;

/** A refusal or protocol error with the code clients see in `connect_error.data` / the `error` event. */
export class SocketError extends Error {
  readonly data: SocketErrorData;

  constructor(code: SocketErrorCode, message: string) {
    super(message);
    this.name = 'SocketError';
    this.data = { code, message };
  }
}

export const taskRoom = (taskId: string): string => `task:${taskId}`;
export const orgRoom = (orgId: string): string => `org:${orgId}`;
