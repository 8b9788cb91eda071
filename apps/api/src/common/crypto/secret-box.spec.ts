import { describe, expect, it } from 'vitest';
import { SecretBox } from './secret-box';

const key = 'k'.repeat(40);

describe('SecretBox', () => {
  it('opens what it sealed, with a fresh IV each time', () => {
    const box = new SecretBox(key, 'mail');
    const first = box.seal('https://example.test/reset?token=abc');
    const second = box.seal('https://example.test/reset?token=abc');
    expect(first).not.toBe(second);
    expect(first).not.toContain('token=abc');
    expect(box.open(first)).toBe('https://example.test/reset?token=abc');
  });

  it('refuses a tampered value and values sealed for another purpose or key', () => {
    const box = new SecretBox(key, 'mail');
    const sealed = box.seal('secret');
    const parts = sealed.split('.');
    const flipped = Buffer.from(parts[3]!, 'base64url');
    flipped[0] = flipped[0]! ^ 1;
    expect(() => box.open([parts[0], parts[1], parts[2], flipped.toString('base64url')].join('.'))).toThrow();
    expect(() => new SecretBox(key, 'webhooks').open(sealed)).toThrow();
    expect(() => new SecretBox('x'.repeat(40), 'mail').open(sealed)).toThrow();
    expect(() => box.open('k9.a.b.c')).toThrow(/unknown key/);
  });
});

describe('SecretBox key rotation', () => {
  const oldKey = 'o'.repeat(40);
  const newKey = 'n'.repeat(40);

  it('opens values sealed with a retired key, seals new ones with the current key, and re-seals', () => {
    const before = new SecretBox({ currentId: 'k1', current: oldKey, retired: {} }, 'webhooks');
    const sealed = before.seal('whsec_secret');
    const after = new SecretBox({ currentId: 'k2', current: newKey, retired: { k1: oldKey } }, 'webhooks');
    expect(after.open(sealed)).toBe('whsec_secret');
    expect(after.isStale(sealed)).toBe(true);
    const resealed = after.reseal(sealed);
    expect(resealed.startsWith('k2.')).toBe(true);
    expect(after.isStale(resealed)).toBe(false);
    const withoutRetired = new SecretBox({ currentId: 'k2', current: newKey, retired: {} }, 'webhooks');
    expect(withoutRetired.open(resealed)).toBe('whsec_secret');
    expect(() => withoutRetired.open(sealed)).toThrow();
  });
});
