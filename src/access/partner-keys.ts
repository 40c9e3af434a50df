import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Keys are recognisable in logs and secret scanners by this prefix; the rest is 256 random bits. */
export const KEY_PREFIX = 'bgk_';

export function generateKey(): string {
  return KEY_PREFIX + randomBytes(32).toString('base64url');
}

/** Keys are high-entropy random strings, so a fast hash is enough; a slow KDF protects guessable passwords. */
export function hashKey(key: string): Buffer {
  return createHash('sha256').update(key, 'utf8').digest();
}

/** What may be shown of a key: enough to tell keys apart, too little to use. */
export function displayPrefix(key: string): string {
  return key.slice(0, KEY_PREFIX.length + 6);
}

export function sameSecret(a: string, b: string): boolean {
  return timingSafeEqual(hashKey(a), hashKey(b));
}
