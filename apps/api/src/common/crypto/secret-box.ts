import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

const KEY_ID = 'k1';
const IV_BYTES = 12;

/**
 * AES-256-GCM for secrets at rest (queued email payloads with their links, later webhook and SMTP
 * secrets). The key is derived from ENCRYPTION_KEY per purpose; every sealed value names its key
 * id so a rotated key can still open older values.
 */
export class SecretBox {
  private readonly keys: Map<string, Buffer>;

  constructor(encryptionKey: string, purpose: string) {
    const key = Buffer.from(hkdfSync('sha256', encryptionKey, Buffer.alloc(0), `leadforge:${purpose}`, 32));
    this.keys = new Map([[KEY_ID, key]]);
  }

  seal(plaintext: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.keys.get(KEY_ID)!, iv);
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [KEY_ID, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ciphertext.toString('base64url')].join('.');
  }

  open(sealed: string): string {
    const [keyId, iv, tag, ciphertext] = sealed.split('.');
    const key = keyId ? this.keys.get(keyId) : undefined;
    if (!key || !iv || !tag || ciphertext === undefined) throw new Error('sealed value is malformed or uses an unknown key');
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
  }
}
