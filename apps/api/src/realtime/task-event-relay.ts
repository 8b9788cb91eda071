import type { AnyTaskEvent, TaskEventName } from '@leadforge/contracts';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { AppConfig } from '../common/config/app-config';
import { InjectConfig } from '../common/config/config.module';
import { TenantDatabase } from '../database/tenant-database';
import { TASK_EVENTS_CHANNEL, TaskEventsService, type StoredTaskEvent } from '../scraper/tasks/task-events.service';
import { PgNotificationListener } from './pg-notification-listener';
import { ProgressCoalescer } from './progress-coalescer';
import { REALTIME_LIMITS, type RealtimeLimits } from './realtime-limits';
import { type EventsNamespace, type EventsSocket, orgRoom, taskRoom } from './socket-types';

export const CREDITS_CHANNEL = 'leadforge_credits';
/** A session ended or an API key was revoked (database triggers; migration CredentialEndNotifications). */
export const CREDENTIALS_ENDED_CHANNEL = 'leadforge_credentials_ended';
const RETRY_FETCH_MS = 1_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** One socket's subscription to one task. */
interface Subscription {
  socket: EventsSocket;
  /** While replaying: the last replayed seq. Once live: live events up to this seq were already sent (skip them). */
  lastSeq: number;
  replaying: boolean;
  /** Live events that arrived while replaying. */
  buffer: StoredTaskEvent[];
  closed: boolean;
}

/** This node's view of one task that has local subscribers. */
interface TaskState {
  taskId: string;
  orgId: string;
  /** Every stored event up to this seq has been read and passed to the coalescer. */
  cursor: number;
  coalescer: ProgressCoalescer<StoredTaskEvent>;
  subscriptions: Set<Subscription>;
  fetching: boolean;
  again: boolean;
  flushTimer: NodeJS.Timeout | undefined;
}

export interface SubscribeResult {
  replayed: number;
  lastSeq: number;
}

export function toWire(event: StoredTaskEvent): AnyTaskEvent {
  return { ...event.payload, taskId: event.taskId, seq: event.seq, at: event.at } as AnyTaskEvent;
}

function parseNotification(payload: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(payload) as unknown;
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Delivers task events to this node's sockets. Producers (workers on any node) store each event
 * with a gap-free per-task seq and NOTIFY on commit; every API node LISTENs, and for a task with
 * local subscribers reads the stored rows after the last seq it read, so a lost or merged
 * notification, a burst or a slow node only delays events, never loses or reorders them.
 *
 * Exactly once per subscriber: a subscription with `sinceSeq` first replays stored events while
 * live ones are buffered; then, in one synchronous step, the buffer (minus seq <= last replayed)
 * is sent and the socket joins the task room. Live events it already got by replay are skipped
 * with `except` when they are broadcast.
 */
@Injectable()
export class TaskEventRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(TaskEventRelay.name);
  private readonly tasks = new Map<string, TaskState>();
  private namespace: EventsNamespace | undefined;
  private readonly listener: PgNotificationListener;
  private stopped = false;

  constructor(
    private readonly tenant: TenantDatabase,
    private readonly events: TaskEventsService,
    @InjectConfig() config: AppConfig,
    @Inject(REALTIME_LIMITS) private readonly limits: RealtimeLimits,
  ) {
    if (!config.databaseUrl) throw new Error('The event relay needs DATABASE_URL');
    this.listener = new PgNotificationListener({
      connectionString: config.databaseUrl,
      channels: [TASK_EVENTS_CHANNEL, CREDITS_CHANNEL, CREDENTIALS_ENDED_CHANNEL],
      onNotification: (channel, payload) => this.onNotification(channel, payload),
      onReconnect: () => this.tasks.forEach((state) => void this.pump(state)),
    });
  }

  attach(namespace: EventsNamespace): void {
    this.namespace = namespace;
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.listener.start();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    for (const state of this.tasks.values()) clearTimeout(state.flushTimer);
    this.tasks.clear();
    await this.listener.stop();
  }

  /** Tasks with subscribers on this node. */
  get activeTasks(): number {
    return this.tasks.size;
  }

  /**
   * Subscribes a socket whose organization owns the task (the caller checked). `lastEventSeq` is
   * the task's last seq when that check ran: the start of "live" when no `sinceSeq` is given.
   */
  async subscribe(socket: EventsSocket, orgId: string, taskId: string, lastEventSeq: number, sinceSeq: number | undefined): Promise<SubscribeResult> {
    const state = this.stateFor(taskId, orgId, lastEventSeq);
    const subscription: Subscription = { socket, lastSeq: sinceSeq ?? 0, replaying: sinceSeq !== undefined, buffer: [], closed: false };
    state.subscriptions.add(subscription);
    socketSubscriptions(socket).set(taskId, subscription);
    if (sinceSeq === undefined) {
      void socket.join(taskRoom(taskId));
      return { replayed: 0, lastSeq: lastEventSeq };
    }

    let replayed = 0;
    try {
      for (;;) {
        const page = await this.read(orgId, taskId, subscription.lastSeq);
        if (subscription.closed) return { replayed, lastSeq: subscription.lastSeq };
        for (const event of page) {
          socket.emit(event.type as TaskEventName, toWire(event) as never);
          subscription.lastSeq = event.seq;
          replayed += 1;
        }
        if (page.length < this.limits.replayPageSize) break;
      }
    } catch (error) {
      this.unsubscribe(socket, taskId);
      throw error;
    }
    // From here to the join nothing awaits, so no live event can slip between buffer and room.
    for (const event of subscription.buffer) {
      if (event.seq <= subscription.lastSeq) continue;
      socket.emit(event.type as TaskEventName, toWire(event) as never);
      subscription.lastSeq = event.seq;
    }
    subscription.buffer = [];
    subscription.replaying = false;
    void socket.join(taskRoom(taskId));
    return { replayed, lastSeq: subscription.lastSeq };
  }

  /** False when the socket was not subscribed to the task. */
  unsubscribe(socket: EventsSocket, taskId: string): boolean {
    const subscriptions = socketSubscriptions(socket);
    const subscription = subscriptions.get(taskId);
    if (!subscription) return false;
    subscription.closed = true;
    subscriptions.delete(taskId);
    void socket.leave(taskRoom(taskId));
    const state = this.tasks.get(taskId);
    if (state) {
      state.subscriptions.delete(subscription);
      if (state.subscriptions.size === 0) {
        clearTimeout(state.flushTimer);
        this.tasks.delete(taskId);
      }
    }
    return true;
  }

  unsubscribeAll(socket: EventsSocket): void {
    for (const taskId of [...socketSubscriptions(socket).keys()]) this.unsubscribe(socket, taskId);
  }

  isSubscribed(socket: EventsSocket, taskId: string): boolean {
    return socketSubscriptions(socket).has(taskId);
  }

  subscriptionCount(socket: EventsSocket): number {
    return socketSubscriptions(socket).size;
  }

  private stateFor(taskId: string, orgId: string, lastEventSeq: number): TaskState {
    let state = this.tasks.get(taskId);
    if (!state) {
      state = {
        taskId,
        orgId,
        cursor: lastEventSeq,
        coalescer: new ProgressCoalescer(this.limits.progressMinGapMs),
        subscriptions: new Set(),
        fetching: false,
        again: false,
        flushTimer: undefined,
      };
      this.tasks.set(taskId, state);
      // A notification may have arrived between reading lastEventSeq and creating the state.
      void this.pump(state);
    }
    return state;
  }

  private read(orgId: string, taskId: string, sinceSeq: number): Promise<StoredTaskEvent[]> {
    // One round trip per page (TenantDatabase.readOnce): the relay reads on every event of every live task.
    return this.events.list(this.tenant.reader({ orgId }), taskId, sinceSeq, this.limits.replayPageSize);
  }

  private onNotification(channel: string, raw: string): void {
    const message = parseNotification(raw);
    if (channel === CREDENTIALS_ENDED_CHANNEL) {
      if (message && (message.kind === 'session' || message.kind === 'apiKey') && typeof message.id === 'string') this.closeSocketsOf(message.kind, message.id);
      return;
    }
    if (!message || typeof message.orgId !== 'string' || !UUID.test(message.orgId)) return;
    if (channel === CREDITS_CHANNEL) {
      const balance = Number(message.balance);
      if (!Number.isFinite(balance)) return;
      this.namespace?.to(orgRoom(message.orgId)).emit('credits.updated', { orgId: message.orgId, balance, at: new Date().toISOString() });
      return;
    }
    if (typeof message.taskId !== 'string' || typeof message.seq !== 'number') return;
    const state = this.tasks.get(message.taskId);
    if (state && message.seq > state.cursor) void this.pump(state);
    if (message.type === 'task.status') void this.announceStatus(message.orgId, message.taskId, message.seq);
  }

  /** Closes this node's sockets opened with a session that ended or an API key that was revoked. */
  private closeSocketsOf(kind: 'session' | 'apiKey', id: string): void {
    for (const socket of this.namespace?.sockets.values() ?? []) {
      const auth = socket.data.auth;
      if ((kind === 'session' ? auth?.sessionId : auth?.apiKeyId) !== id) continue;
      socket.emit('error', { code: 'credentials_revoked', message: 'The session ended or the API key was revoked; sign in again.' });
      socket.disconnect(true);
    }
  }

  /** `tasks.changed` to the organization's sockets on this node, if it has any. */
  private async announceStatus(orgId: string, taskId: string, seq: number): Promise<void> {
    if (!this.namespace?.adapter.rooms.get(orgRoom(orgId))?.size) return;
    try {
      const [event] = await this.events.list(this.tenant.reader({ orgId }), taskId, seq - 1, 1);
      const status = event?.seq === seq && typeof event.payload.status === 'string' ? (event.payload.status as never) : null;
      this.namespace.to(orgRoom(orgId)).emit('tasks.changed', { orgId, taskId, status, at: event?.at ?? new Date().toISOString() });
    } catch (error) {
      this.logger.warn(`tasks.changed for ${taskId} not sent: ${(error as Error).message}`);
    }
  }

  /** Reads every stored event after the cursor and delivers it; concurrent calls fold into one more round. */
  private async pump(state: TaskState): Promise<void> {
    if (state.fetching) {
      state.again = true;
      return;
    }
    state.fetching = true;
    try {
      do {
        state.again = false;
        for (;;) {
          const page = await this.read(state.orgId, state.taskId, state.cursor);
          if (this.tasks.get(state.taskId) !== state) return;
          const now = Date.now();
          for (const event of page) {
            state.cursor = event.seq;
            for (const out of state.coalescer.push(event, now)) this.deliver(state, out);
          }
          this.armFlush(state);
          if (page.length < this.limits.replayPageSize) break;
        }
      } while (state.again);
    } catch (error) {
      if (this.stopped) return;
      this.logger.warn(`reading events of task ${state.taskId} failed (${(error as Error).message}); retrying`);
      setTimeout(() => this.tasks.get(state.taskId) === state && void this.pump(state), RETRY_FETCH_MS).unref();
    } finally {
      state.fetching = false;
    }
  }

  private armFlush(state: TaskState): void {
    const at = state.coalescer.flushAt;
    if (at === undefined || state.flushTimer) return;
    state.flushTimer = setTimeout(() => {
      state.flushTimer = undefined;
      if (this.tasks.get(state.taskId) !== state) return;
      for (const out of state.coalescer.due(Date.now())) this.deliver(state, out);
      this.armFlush(state);
    }, Math.max(0, at - Date.now()));
  }

  private deliver(state: TaskState, event: StoredTaskEvent): void {
    const skip: string[] = [];
    for (const subscription of state.subscriptions) {
      if (subscription.replaying) subscription.buffer.push(event);
      else if (subscription.lastSeq >= event.seq) skip.push(subscription.socket.id);
    }
    const room = this.namespace?.to(taskRoom(state.taskId));
    (skip.length > 0 ? room?.except(skip) : room)?.emit(event.type as TaskEventName, toWire(event) as never);
  }
}

const SUBSCRIPTIONS = Symbol('subscriptions');
type WithSubscriptions = EventsSocket & { [SUBSCRIPTIONS]?: Map<string, Subscription> };

function socketSubscriptions(socket: EventsSocket): Map<string, Subscription> {
  const holder = socket as WithSubscriptions;
  holder[SUBSCRIPTIONS] ??= new Map();
  return holder[SUBSCRIPTIONS];
}
