import type { CreateWebhookRequest } from '@leadforge/sdk';

export type WebhookEventType = CreateWebhookRequest['events'][number];

/** `key` names the checkbox control (form control names cannot contain dots). */
export const WEBHOOK_EVENTS: ReadonlyArray<{ type: WebhookEventType; key: string; label: string }> = [
  { type: 'task.completed', key: 'taskCompleted', label: 'Task completed' },
  { type: 'task.failed', key: 'taskFailed', label: 'Task failed' },
  { type: 'leads.created', key: 'leadsCreated', label: 'Leads created' },
];
