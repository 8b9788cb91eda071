import {
  EVENTS_NAMESPACE,
  type AuthRefreshAck,
  type SocketErrorCode,
  type SubscribeAck,
  type UnsubscribeAck,
} from '@leadforge/contracts';
import { Inject, Logger, type OnApplicationShutdown } from '@nestjs/common';
import {
  ConnectedSocket,
  MessageBody,
  type OnGatewayConnection,
  type OnGatewayDisconnect,
  type OnGatewayInit,
  SubscribeMessage,
  WebSocketGateway,
} from '@nestjs/websockets';
import { SkipThrottle } from '@nestjs/throttler';
import { TenantDatabase } from '../database/tenant-database';
import { REALTIME_LIMITS, type RealtimeLimits } from './realtime-limits';
import { SocketHandshake } from './socket-handshake';
import { trackConnections } from './socket-metrics';
import { type EventsNamespace, type EventsSocket, orgRoom, SocketError } from './socket-types';
import { TaskEventRelay } from './task-event-relay';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_SEQ = 2_147_483_647;
/** setTimeout's ceiling; longer expiries are re-armed. */
const MAX_TIMER_MS = 2_147_483_647;

type Failure = { ok: false; error: SocketErrorCode; message: string };
const failure = (error: SocketErrorCode, message: string): Failure => ({ ok: false, error, message });

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The `/events` namespace (DESIGN.md §7): authenticated in the handshake, per-task subscriptions
 * with replay, the organization room, and the per-user / per-socket limits.
 */
// The global HTTP ThrottlerGuard would also run on every socket message (a database round trip
// each, per IP, and no ack when it refuses); sockets have their own per-socket token bucket.
@SkipThrottle()
@WebSocketGateway({ namespace: EVENTS_NAMESPACE })
export class EventsGateway
  implements OnGatewayInit<EventsNamespace>, OnGatewayConnection<EventsSocket>, OnGatewayDisconnect<EventsSocket>, OnApplicationShutdown
{
  private readonly logger = new Logger(EventsGateway.name);
  private readonly socketsByPrincipal = new Map<string, number>();
  private readonly expiryTimers = new WeakMap<EventsSocket, NodeJS.Timeout>();
  private connections = 0;
  private untrack: (() => void) | undefined;

  constructor(
    private readonly handshake: SocketHandshake,
    private readonly relay: TaskEventRelay,
    private readonly tenant: TenantDatabase,
    @Inject(REALTIME_LIMITS) private readonly limits: RealtimeLimits,
  ) {}

  /** Open sockets on this node (the `leadforge_socket_connections` gauge). */
  get connectionCount(): number {
    return this.connections;
  }

  afterInit(namespace: EventsNamespace): void {
    this.relay.attach(namespace);
    this.untrack = trackConnections(this);
    namespace.use((socket, next) => {
      this.admit(socket).then(
        () => next(),
        (error: unknown) => next(error instanceof SocketError ? error : new SocketError('internal_error', 'The connection could not be set up; try again.')),
      );
    });
  }

  onApplicationShutdown(): void {
    this.untrack?.();
  }

  private async admit(socket: EventsSocket): Promise<void> {
    const data = await this.handshake.authenticate(socket);
    const open = this.socketsByPrincipal.get(data.principal) ?? 0;
    if (open >= this.limits.socketsPerUser) {
      throw new SocketError('too_many_connections', `At most ${this.limits.socketsPerUser} sockets per user are allowed; close one first.`);
    }
    // Counted here (not in handleConnection) so that parallel handshakes cannot pass the limit together.
    this.socketsByPrincipal.set(data.principal, open + 1);
    this.connections += 1;
    let released = false;
    const release = (): void => {
      if (released) return;
      released = true;
      const left = (this.socketsByPrincipal.get(data.principal) ?? 1) - 1;
      if (left > 0) this.socketsByPrincipal.set(data.principal, left);
      else this.socketsByPrincipal.delete(data.principal);
      this.connections -= 1;
    };
    socket.once('disconnect', release);
    socket.conn.once('close', release);
    socket.data = data;
  }

  handleConnection(socket: EventsSocket): void {
    void socket.join(orgRoom(socket.data.auth.orgId));
    socket.use((_packet, next) => {
      if (socket.data.bucket.take(Date.now())) return next();
      socket.emit('error', { code: 'rate_limited', message: `More than ${this.limits.messagesPerSecond} messages per second; the socket is closed.` });
      socket.disconnect(true);
    });
    this.armExpiry(socket);
  }

  handleDisconnect(socket: EventsSocket): void {
    clearTimeout(this.expiryTimers.get(socket));
    this.relay.unsubscribeAll(socket);
  }

  @SubscribeMessage('subscribe')
  async subscribe(@ConnectedSocket() socket: EventsSocket, @MessageBody() body: unknown): Promise<SubscribeAck> {
    if (!isRecord(body) || typeof body.taskId !== 'string' || !UUID.test(body.taskId)) {
      return failure('invalid_payload', 'subscribe takes {taskId: uuid, sinceSeq?: integer >= 0}.');
    }
    const { taskId } = body;
    const sinceSeq = body.sinceSeq;
    if (sinceSeq !== undefined && (typeof sinceSeq !== 'number' || !Number.isInteger(sinceSeq) || sinceSeq < 0 || sinceSeq > MAX_SEQ)) {
      return failure('invalid_payload', 'sinceSeq must be an integer >= 0.');
    }
    if (this.relay.subscriptionCount(socket) >= this.limits.subscriptionsPerSocket && !this.isSubscribed(socket, taskId)) {
      return failure('too_many_subscriptions', `At most ${this.limits.subscriptionsPerSocket} subscriptions per socket are allowed; unsubscribe first.`);
    }
    const { orgId } = socket.data.auth;
    try {
      const lastEventSeq = await this.tenant.inOrg(orgId, async (db) => {
        const rows = (await db.query(`SELECT last_event_seq FROM scrape_task WHERE id = $1 AND org_id = $2`, [taskId, orgId])) as Array<{ last_event_seq: number }>;
        return rows[0]?.last_event_seq;
      });
      if (lastEventSeq === undefined) return failure('not_found', 'No such task.');
      if (!socket.connected) return failure('internal_error', 'The socket closed.');
      // A repeated subscribe restarts the subscription (e.g. to replay again from another seq).
      this.relay.unsubscribe(socket, taskId);
      const { replayed, lastSeq } = await this.relay.subscribe(socket, orgId, taskId, lastEventSeq, sinceSeq);
      return { ok: true, taskId, replayed, lastSeq };
    } catch (error) {
      this.logger.error(error);
      return failure('internal_error', 'The subscription failed; try again.');
    }
  }

  @SubscribeMessage('unsubscribe')
  unsubscribe(@ConnectedSocket() socket: EventsSocket, @MessageBody() body: unknown): UnsubscribeAck {
    if (!isRecord(body) || typeof body.taskId !== 'string' || !UUID.test(body.taskId)) return failure('invalid_payload', 'unsubscribe takes {taskId: uuid}.');
    if (!this.relay.unsubscribe(socket, body.taskId)) return failure('not_found', 'This socket is not subscribed to that task.');
    return { ok: true };
  }

  @SubscribeMessage('auth.refresh')
  async refresh(@ConnectedSocket() socket: EventsSocket, @MessageBody() body: unknown): Promise<AuthRefreshAck> {
    try {
      const { auth, expiresAt } = await this.handshake.refresh(socket.data.auth, isRecord(body) ? body.token : undefined);
      socket.data.auth = auth;
      socket.data.expiresAt = expiresAt;
      this.armExpiry(socket);
      return { ok: true, expiresAt: expiresAt === null ? null : new Date(expiresAt).toISOString() };
    } catch (error) {
      if (error instanceof SocketError) return { ok: false, error: error.data.code, message: error.data.message };
      this.logger.error(error);
      return failure('internal_error', 'The token could not be checked; try again.');
    }
  }

  private isSubscribed(socket: EventsSocket, taskId: string): boolean {
    return this.relay.isSubscribed(socket, taskId);
  }

  /** Ends the socket when its access token expires, unless `auth.refresh` moved the expiry first. */
  private armExpiry(socket: EventsSocket): void {
    clearTimeout(this.expiryTimers.get(socket));
    const { expiresAt } = socket.data;
    if (expiresAt === null) return;
    const delay = expiresAt - Date.now();
    const timer = setTimeout(
      () => {
        if (!socket.connected) return;
        if (Date.now() < expiresAt) return this.armExpiry(socket);
        socket.emit('error', { code: 'token_expired', message: 'The access token expired; reconnect with a new one (or send auth.refresh before expiry).' });
        socket.disconnect(true);
      },
      Math.min(Math.max(0, delay), MAX_TIMER_MS),
    );
    timer.unref();
    this.expiryTimers.set(socket, timer);
  }
}
