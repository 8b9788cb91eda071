import { createHash } from 'node:crypto';

/** One job per delivery attempt: `{deliveryId, attempt}`; a stale or duplicate job finds the attempt taken and exits. */
export const DELIVER_QUEUE = 'webhooks.deliver';
/** Turns one stored task event into deliveries. */
export const FANOUT_QUEUE = 'webhooks.fanout';
/** Every minute: task events announced while nobody listened. */
export const SWEEP_QUEUE = 'webhooks.sweep';
/** Daily: deliveries older than the retention. */
export const CLEANUP_QUEUE = 'webhooks.cleanup';

export interface DeliverJob {
  orgId: string;
  deliveryId: string;
  /** The attempt this job makes (the delivery's `attempts` + 1 when it was queued). */
  attempt: number;
  /** Ping or redelivery: one attempt, no automatic retries. */
  manual?: boolean;
}

export interface FanoutJob {
  orgId: string;
  taskId: string;
  seq: number;
}

/**
 * The same job id for the same task event, so that every process that hears the announcement (or
 * the sweep) queues it at most once: pg-boss ignores a second insert with an existing id.
 */
export function fanoutJobId(taskId: string, seq: number): string {
  const hex = createHash('sha256').update(`${FANOUT_QUEUE}:${taskId}:${seq}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${((Number.parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
