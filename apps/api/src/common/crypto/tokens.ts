import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A URL-safe random secret (256 bits by default). */
export const randomToken = (bytes = 32): string => randomBytes(bytes).toString('base64url');

/** How secrets with enough entropy are stored: a slow hash adds nothing for 256 random bits. */
export const sha256 = (value: string): string => createHash('sha256').update(value, 'utf8').digest('hex');

export function constantTimeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}
