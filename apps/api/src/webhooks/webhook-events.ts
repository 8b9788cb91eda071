import type { TaskLeadSummary } from '@leadforge/contracts';
import type { WebhookEventType } from './webhook-endpoint.entity';

/** Every webhook body: `{type, timestamp, data}` (the Standard Webhooks payload structure). */
export interface WebhookEnvelope {
  type: WebhookEventType | typeof PING_EVENT_TYPE;
  timestamp: string;
  data: Record<string, unknown>;
}

export const PING_EVENT_TYPE = 'webhook.ping';
/** Upper bound of one webhook body in bytes; leads.created lists fewer leads and links to the rest. */
export const MAX_PAYLOAD_BYTES = 20 * 1024;

/** The webhook event a final task status produces: failures of any kind are `task.failed`; a cancellation by the user sends nothing. */
export function taskEndedEventType(status: unknown): WebhookEventType | null {
  if (status === 'completed') return 'task.completed';
  if (status === 'failed' || status === 'timed_out') return 'task.failed';
  return null;
}

/** Which webhook event a stored task event may produce, judged by its type and payload. */
export function webhookEventTypeOf(taskEventType: string, payload: Record<string, unknown>): WebhookEventType | null {
  if (taskEventType === 'task.status') return taskEndedEventType(payload.status);
  if (taskEventType === 'task.leads') return newLeads(payload).length > 0 ? 'leads.created' : null;
  return null;
}

function newLeads(payload: Record<string, unknown>): TaskLeadSummary[] {
  const leads = Array.isArray(payload.leads) ? (payload.leads as TaskLeadSummary[]) : [];
  return leads.filter((lead) => lead.change === 'new');
}

const byteLength = (value: unknown): number => Buffer.byteLength(JSON.stringify(value), 'utf8');

/**
 * `leads.created` for one stored batch: the leads first stored by it (merges of known leads are
 * not "created"), as many as fit in MAX_PAYLOAD_BYTES, with `links.leads` to page through all of
 * the task's leads.
 */
export function leadsCreatedEnvelope(taskId: string, timestamp: string, payload: Record<string, unknown>, leadsUrl: string): WebhookEnvelope | null {
  const leads = newLeads(payload);
  if (leads.length === 0) return null;
  const build = (count: number): WebhookEnvelope => ({
    type: 'leads.created',
    timestamp,
    data: { taskId, total: leads.length, truncated: count < leads.length, leads: leads.slice(0, count), links: { leads: leadsUrl } },
  });
  let low = 0;
  let high = leads.length;
  // The largest count whose body still fits.
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (byteLength(build(middle)) <= MAX_PAYLOAD_BYTES) low = middle;
    else high = middle - 1;
  }
  return build(low);
}

export function taskEndedEnvelope(type: WebhookEventType, timestamp: string, task: object): WebhookEnvelope {
  return { type, timestamp, data: { task } };
}

export function pingEnvelope(endpointId: string, timestamp: string): WebhookEnvelope {
  return { type: PING_EVENT_TYPE, timestamp, data: { endpointId, message: 'Test message from Leadforge.' } };
}
