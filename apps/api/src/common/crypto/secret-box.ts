import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

const DEFAULT_KEY_ID = 'k1';
const IV_BYTES = 12;

/** The key new values are sealed with, and retired keys that still open older values. */
export interface EncryptionKeyring {
  currentId: string;
  current: string;
  retired: Record<string, string>;
}

/**
 * AES-256-GCM for secrets at rest (queued email payloads with their links, later webhook and SMTP
 * secrets). The key is derived from ENCRYPTION_KEY per purpose; every sealed value names its key
 * id so a rotated key can still open older values.
 */
export class SecretBox {
  private readonly keys: Map<string, Buffer>;
  private readonly currentId: string;

  constructor(keys: string | EncryptionKeyring, purpose: string) {
    const keyring: EncryptionKeyring = typeof keys === 'string' ? { currentId: DEFAULT_KEY_ID, current: keys, retired: {} } : keys;
    const derive = (secret: string): Buffer => Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), `leadforge:${purpose}`, 32));
    this.currentId = keyring.currentId;
    this.keys = new Map([...Object.entries(keyring.retired).map(([id, secret]) => [id, derive(secret)] as const), [keyring.currentId, derive(keyring.current)]]);
  }

  seal(plaintext: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.keys.get(this.currentId)!, iv);
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [this.currentId, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ciphertext.toString('base64url')].join('.');
  }

  /** True when the value was sealed with a key other than the current one. */
  isStale(sealed: string): boolean {
    return sealed.split('.', 1)[0] !== this.currentId;
  }

  /** Opens with whichever key sealed it and seals again with the current key. */
  reseal(sealed: string): string {
    return this.seal(this.open(sealed));
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
