import { Injectable, inject, signal } from '@angular/core';
import {
  EVENTS_NAMESPACE,
  TASK_EVENT_NAMES,
  type AnyTaskEvent,
  type ClientToServerEvents,
  type CreditsUpdatedEvent,
  type ServerToClientEvents,
  type SubscribeAck,
  type TasksChangedEvent,
} from '@leadforge/contracts';
import { io, type Socket } from 'socket.io-client';
import { SessionService } from './session.service';
import { TaskEventSequencer } from './task-sequencer';

export type EventsSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
export type ConnectionState = 'idle' | 'connecting' | 'connected' | 'disconnected';

interface TaskWatch {
  taskId: string;
  sequencer: TaskEventSequencer;
  onError: (message: string) => void;
}

/**
 * The `/events` socket, typed by libs/contracts. One connection per tab; task subscriptions are
 * renewed after every reconnect with `sinceSeq` = the last seq shown, so nothing is missed.
 */
@Injectable({ providedIn: 'root' })
export class EventsSocketService {
  private readonly session = inject(SessionService);
  private socket: EventsSocket | null = null;
  private readonly watches = new Set<TaskWatch>();
  private readonly creditListeners = new Set<(event: CreditsUpdatedEvent) => void>();
  private readonly taskListListeners = new Set<(event: TasksChangedEvent) => void>();
  private refreshingAfterError = false;

  readonly state = signal<ConnectionState>('idle');

  constructor() {
    this.session.onTokenChange((token) => {
      if (!token) this.disconnect();
      else if (this.socket?.connected) this.socket.emit('auth.refresh', { token }, () => undefined);
    });
  }

  /** Streams a task's events in seq order: replays from `sinceSeq` (0 = everything), then live. */
  watchTask(taskId: string, sinceSeq: number, deliver: (event: AnyTaskEvent) => void, onError: (message: string) => void): () => void {
    const watch: TaskWatch = { taskId, sequencer: new TaskEventSequencer(deliver, sinceSeq), onError };
    this.watches.add(watch);
    const socket = this.connect();
    if (socket.connected) this.subscribe(socket, watch);
    return () => {
      this.watches.delete(watch);
      if (this.socket?.connected && ![...this.watches].some((other) => other.taskId === taskId)) {
        this.socket.emit('unsubscribe', { taskId }, () => undefined);
      }
    };
  }

  onCredits(listener: (event: CreditsUpdatedEvent) => void): () => void {
    this.creditListeners.add(listener);
    this.connect();
    return () => this.creditListeners.delete(listener);
  }

  onTasksChanged(listener: (event: TasksChangedEvent) => void): () => void {
    this.taskListListeners.add(listener);
    this.connect();
    return () => this.taskListListeners.delete(listener);
  }

  disconnect(): void {
    this.socket?.disconnect();
    this.socket = null;
    this.state.set('idle');
  }

  private connect(): EventsSocket {
    if (this.socket) return this.socket;
    this.state.set('connecting');
    const socket: EventsSocket = io(EVENTS_NAMESPACE, {
      auth: (callback) => callback({ token: this.session.current() ?? '' }),
      transports: ['websocket'],
      reconnectionDelay: 500,
      reconnectionDelayMax: 5000,
    });
    socket.on('connect', () => {
      this.state.set('connected');
      for (const watch of this.watches) this.subscribe(socket, watch);
    });
    socket.on('disconnect', (reason) => {
      this.state.set('disconnected');
      // The server ended it (expired token): a fresh token and the socket comes back.
      if (reason === 'io server disconnect') void this.session.refresh().then((token) => token && this.socket === socket && socket.connect());
    });
    socket.on('connect_error', (error) => {
      this.state.set('disconnected');
      const code = (error as Error & { data?: { code?: string } }).data?.code;
      if ((code === 'invalid_token' || code === 'unauthenticated' || code === 'token_expired') && !this.refreshingAfterError) {
        this.refreshingAfterError = true;
        void this.session.refresh().then((token) => {
          this.refreshingAfterError = false;
          if (token && this.socket === socket) socket.connect();
        });
      }
    });
    for (const name of TASK_EVENT_NAMES) {
      socket.on(name, (event: AnyTaskEvent) => {
        for (const watch of this.watches) if (watch.taskId === event.taskId) watch.sequencer.accept(event);
      });
    }
    socket.on('credits.updated', (event) => this.creditListeners.forEach((listener) => listener(event)));
    socket.on('tasks.changed', (event) => this.taskListListeners.forEach((listener) => listener(event)));
    this.socket = socket;
    return socket;
  }

  private subscribe(socket: EventsSocket, watch: TaskWatch): void {
    socket.emit('subscribe', { taskId: watch.taskId, sinceSeq: watch.sequencer.lastSeq }, (ack: SubscribeAck) => {
      if (!ack.ok) watch.onError(ack.message);
    });
  }
}
