import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import type { AppConfig } from '../common/config/app-config';
import { SecretBox } from '../common/crypto/secret-box';

export const SECRET_PREFIX = 'whsec_';

/** A new endpoint secret in the Standard Webhooks format: `whsec_` + base64 of 24 random bytes. */
export function generateWebhookSecret(): string {
  return `${SECRET_PREFIX}${randomBytes(24).toString('base64')}`;
}

export const webhookSecretBox = (config: Pick<AppConfig, 'encryptionKeyring'>): SecretBox => new SecretBox(config.encryptionKeyring, 'webhooks');

export interface SignedHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

/**
 * Standard Webhooks headers for one message. With several secrets (during a rotation) the
 * signature header carries one `v1,<base64>` per secret, space separated; receivers accept the
 * message when any of them verifies.
 */
export function signWebhook(messageId: string, timestamp: Date, body: string, secrets: string[]): SignedHeaders {
  if (secrets.length === 0) throw new Error('a webhook needs at least one secret');
  const signatures = secrets.map((secret) => new Webhook(secret).sign(messageId, timestamp, body));
  return {
    'webhook-id': messageId,
    'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
    'webhook-signature': signatures.join(' '),
  };
}
