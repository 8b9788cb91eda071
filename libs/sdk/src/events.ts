import { io, type Socket } from 'socket.io-client';
import {
  EVENTS_NAMESPACE,
  TASK_EVENT_NAMES,
  type ClientToServerEvents,
  type ServerToClientEvents,
  type SocketErrorCode,
  type SubscribeAck,
  type TaskEventName,
} from '../../contracts/src/events.js';
import type { TokenSource } from './client.js';

export type EventsSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface ConnectEventsOptions {
  /** Origin of the API, e.g. `https://leadforge.example.com`. */
  baseUrl: string;
  /** An `lf_...` API key or an access token; a function is asked again at every (re)connect. */
  token: TokenSource;
  /** How long to wait for a subscribe acknowledgement (default 10 s). */
  ackTimeoutMs?: number;
}

export interface SubscribeResult {
  /** Stored events sent again because of `sinceSeq`. */
  replayed: number;
  /** The task's last event seq when the subscription started. */
  lastSeq: number;
}

/** A refused subscription (`not_found`, `too_many_subscriptions`, ...). */
export class LeadforgeSocketError extends Error {
  constructor(
    readonly code: SocketErrorCode | 'timeout',
    message: string,
  ) {
    super(`${code}: ${message}`);
    this.name = 'LeadforgeSocketError';
  }
}

export interface EventsConnection {
  readonly socket: EventsSocket;
  /**
   * Receive the task's events: with `sinceSeq`, stored events after it first (0 = all of them);
   * without, live events only. After a lost connection the helper subscribes again from the
   * last seq it delivered, so nothing is missed and nothing is delivered twice.
   */
  subscribe(taskId: string, sinceSeq?: number): Promise<SubscribeResult>;
  unsubscribe(taskId: string): Promise<void>;
  /** Adds a typed listener; returns a function that removes it. */
  on<E extends keyof ServerToClientEvents>(event: E, listener: ServerToClientEvents[E]): () => void;
  /** The last seq delivered for a subscribed task. */
  lastSeq(taskId: string): number | undefined;
  close(): void;
}

interface Subscription {
  lastSeq: number | undefined;
  waiters: Array<{ resolve: (result: SubscribeResult) => void; reject: (error: Error) => void }>;
}

const TASK_EVENTS = new Set<string>(TASK_EVENT_NAMES);

/** Connects to the `/events` namespace with typed events and resumable task subscriptions. */
export function connectEvents(options: ConnectEventsOptions): EventsConnection {
  const ackTimeoutMs = options.ackTimeoutMs ?? 10_000;
  const socket: EventsSocket = io(`${options.baseUrl.replace(/\/+$/, '')}${EVENTS_NAMESPACE}`, {
    transports: ['websocket'],
    auth: (send) => {
      Promise.resolve(typeof options.token === 'function' ? options.token() : options.token).then(
        (token) => send({ token }),
        () => send({}),
      );
    },
  });
  const subscriptions = new Map<string, Subscription>();
  const listeners = new Map<TaskEventName, Set<(event: never) => void>>();

  for (const name of TASK_EVENT_NAMES) {
    socket.on(name, ((event: { taskId: string; seq: number }) => {
      const subscription = subscriptions.get(event.taskId);
      if (subscription) {
        if (subscription.lastSeq !== undefined && event.seq <= subscription.lastSeq) return;
        subscription.lastSeq = event.seq;
      }
      for (const listener of listeners.get(name) ?? []) (listener as (value: typeof event) => void)(event);
    }) as never);
  }

  const send = async (taskId: string, subscription: Subscription): Promise<SubscribeResult> => {
    const request = subscription.lastSeq === undefined ? { taskId } : { taskId, sinceSeq: subscription.lastSeq };
    let ack: SubscribeAck;
    try {
      ack = await socket.timeout(ackTimeoutMs).emitWithAck('subscribe', request);
    } catch {
      throw new LeadforgeSocketError('timeout', `no answer to subscribe within ${ackTimeoutMs} ms`);
    }
    if (!ack.ok) throw new LeadforgeSocketError(ack.error, ack.message);
    // A live-only subscription resumes from the point it started, once it has one.
    subscription.lastSeq ??= ack.lastSeq;
    return { replayed: ack.replayed, lastSeq: ack.lastSeq };
  };

  const settle = (taskId: string, subscription: Subscription): void => {
    send(taskId, subscription).then(
      (result) => subscription.waiters.splice(0).forEach((waiter) => waiter.resolve(result)),
      (error: Error) => {
        const waiters = subscription.waiters.splice(0);
        if (waiters.length > 0 && subscriptions.get(taskId) === subscription) subscriptions.delete(taskId);
        waiters.forEach((waiter) => waiter.reject(error));
      },
    );
  };

  // Every (re)connect subscribes everything again, each from the last seq delivered.
  socket.on('connect', () => {
    for (const [taskId, subscription] of subscriptions) settle(taskId, subscription);
  });

  return {
    socket,
    subscribe(taskId, sinceSeq) {
      const subscription: Subscription = { lastSeq: sinceSeq, waiters: [] };
      subscriptions.set(taskId, subscription);
      const result = new Promise<SubscribeResult>((resolve, reject) => subscription.waiters.push({ resolve, reject }));
      if (socket.connected) settle(taskId, subscription);
      return result;
    },
    async unsubscribe(taskId) {
      subscriptions.delete(taskId);
      if (socket.connected) await socket.timeout(ackTimeoutMs).emitWithAck('unsubscribe', { taskId });
    },
    on(event, listener) {
      if (TASK_EVENTS.has(event)) {
        const set = listeners.get(event as TaskEventName) ?? new Set();
        listeners.set(event as TaskEventName, set);
        set.add(listener as (event: never) => void);
        return () => set.delete(listener as (event: never) => void);
      }
      socket.on(event, listener as never);
      return () => socket.off(event, listener as never);
    },
    lastSeq: (taskId) => subscriptions.get(taskId)?.lastSeq,
    close: () => {
      subscriptions.clear();
      socket.disconnect();
    },
  };
}
