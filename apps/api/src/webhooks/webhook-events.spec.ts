import type { TaskLeadSummary } from '@leadforge/contracts';
import { describe, expect, it } from 'vitest';
import { leadsCreatedEnvelope, MAX_PAYLOAD_BYTES, taskEndedEventType, webhookEventTypeOf } from './webhook-events';

const lead = (index: number, change: TaskLeadSummary['change'] = 'new'): TaskLeadSummary => ({
  id: `0190a000-0000-7000-8000-${String(index).padStart(12, '0')}`,
  kind: 'person',
  fullName: `Person Number ${index} With A Reasonably Long Name`,
  jobTitle: 'Head of Partnerships and Business Development',
  companyName: 'Example Industries International',
  email: `person.number.${index}@example-industries.com`,
  confidence: 80,
  change,
});
const url = 'https://leadforge.example/api/v1/leads?taskId=t1';

describe('webhook events', () => {
  it('maps final task statuses: completed, failures and timeouts; a cancellation sends nothing', () => {
    expect(taskEndedEventType('completed')).toBe('task.completed');
    expect(taskEndedEventType('failed')).toBe('task.failed');
    expect(taskEndedEventType('timed_out')).toBe('task.failed');
    expect(taskEndedEventType('cancelled')).toBeNull();
    expect(webhookEventTypeOf('task.status', { status: 'running' })).toBeNull();
    expect(webhookEventTypeOf('task.progress', {})).toBeNull();
  });

  it('leads.created lists only newly stored leads, and nothing when a batch only merged', () => {
    expect(webhookEventTypeOf('task.leads', { leads: [lead(1, 'merged')] })).toBeNull();
    const envelope = leadsCreatedEnvelope('t1', '2030-01-01T00:00:00.000Z', { leads: [lead(1), lead(2, 'merged')] }, url)!;
    expect(envelope.type).toBe('leads.created');
    expect(envelope.data).toMatchObject({ taskId: 't1', total: 1, truncated: false, links: { leads: url } });
    expect((envelope.data.leads as TaskLeadSummary[]).map((item) => item.id)).toEqual([lead(1).id]);
  });

  it('keeps a large batch under 20 KB, as many leads as fit, and links to the rest', () => {
    const leads = Array.from({ length: 400 }, (_, index) => lead(index));
    const envelope = leadsCreatedEnvelope('t1', '2030-01-01T00:00:00.000Z', { leads }, url)!;
    const size = Buffer.byteLength(JSON.stringify(envelope));
    expect(size).toBeLessThanOrEqual(MAX_PAYLOAD_BYTES);
    const included = (envelope.data.leads as TaskLeadSummary[]).length;
    expect(included).toBeGreaterThan(10);
    expect(included).toBeLessThan(400);
    expect(envelope.data).toMatchObject({ total: 400, truncated: true, links: { leads: url } });
    const oneMore = { ...envelope, data: { ...envelope.data, leads: leads.slice(0, included + 1) } };
    expect(Buffer.byteLength(JSON.stringify(oneMore))).toBeGreaterThan(MAX_PAYLOAD_BYTES);
  });
});
