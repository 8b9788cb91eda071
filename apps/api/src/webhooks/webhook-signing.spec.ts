import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { generateWebhookSecret, signWebhook, webhookSecretBox } from './webhook-signing';

const body = JSON.stringify({ type: 'task.completed', timestamp: '2030-01-01T00:00:00.000Z', data: { task: { id: 't1' } } });

describe('webhook signing', () => {
  it('produces Standard Webhooks headers that the official library verifies', () => {
    const secret = generateWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    const headers = signWebhook('0190a000-0000-7000-8000-000000000001', new Date(), body, [secret]);
    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/=]+$/);
    expect(new Webhook(secret).verify(body, { ...headers })).toEqual(JSON.parse(body));
  });

  it('signs with both secrets during a rotation, so receivers holding either accept the message', () => {
    const [next, previous, unrelated] = [generateWebhookSecret(), generateWebhookSecret(), generateWebhookSecret()];
    const headers = signWebhook('msg-1', new Date(), body, [next, previous]);
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    expect(() => new Webhook(next).verify(body, { ...headers })).not.toThrow();
    expect(() => new Webhook(previous).verify(body, { ...headers })).not.toThrow();
    expect(() => new Webhook(unrelated).verify(body, { ...headers })).toThrow(WebhookVerificationError);
  });

  it('is rejected for an altered body or a stale timestamp', () => {
    const secret = generateWebhookSecret();
    const headers = signWebhook('msg-2', new Date(), body, [secret]);
    expect(() => new Webhook(secret).verify(body.replace('t1', 't2'), { ...headers })).toThrow(WebhookVerificationError);
    const old = signWebhook('msg-3', new Date(Date.now() - 10 * 60_000), body, [secret]);
    expect(() => new Webhook(secret).verify(body, { ...old })).toThrow(WebhookVerificationError);
  });

  it('keeps secrets sealed at rest', () => {
    const box = webhookSecretBox({ encryptionKeyring: { currentId: 'k1', current: 'test-encryption-key-0123456789abcdef0123456789', retired: {} } });
    const secret = generateWebhookSecret();
    const sealed = box.seal(secret);
    expect(sealed).not.toContain(secret.slice(6));
    expect(sealed.startsWith('k1.')).toBe(true);
    expect(box.open(sealed)).toBe(secret);
  });
});
