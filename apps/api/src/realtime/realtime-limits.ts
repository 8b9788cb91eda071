/** Limits of the `/events` gateway; one object so tests and the benchmark can read the same numbers. */
export interface RealtimeLimits {
  /** Sockets one user (or one API key) may hold open on one API node. */
  socketsPerUser: number;
  /** Task subscriptions per socket. */
  subscriptionsPerSocket: number;
  /** Inbound messages per second per socket (token bucket refill) and the burst allowed. */
  messagesPerSecond: number;
  messageBurst: number;
  /** Largest inbound Socket.IO message in bytes (engine.io maxHttpBufferSize). */
  maxPayloadBytes: number;
  /** Socket.IO heartbeat: a ping every pingIntervalMs, the socket is dead after pingTimeoutMs without pong. */
  pingIntervalMs: number;
  pingTimeoutMs: number;
  /** Minimum gap between two task.progress deliveries of one task (~4/s). */
  progressMinGapMs: number;
  /** Stored events read per query when replaying or catching up. */
  replayPageSize: number;
}

export const REALTIME_LIMITS = Symbol('REALTIME_LIMITS');

export const DEFAULT_REALTIME_LIMITS: RealtimeLimits = {
  socketsPerUser: 10,
  subscriptionsPerSocket: 50,
  messagesPerSecond: 20,
  messageBurst: 40,
  maxPayloadBytes: 16 * 1024,
  pingIntervalMs: 25_000,
  pingTimeoutMs: 20_000,
  progressMinGapMs: 250,
  replayPageSize: 500,
};
