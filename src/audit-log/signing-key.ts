import { createPublicKey, type KeyObject, sign, verify } from 'node:crypto';

/*
 * Export trailers are signed with the log key (AUDIT_SIGNING_KEY, a signed-note key read by
 * audit-log-config.ts) and name its public key as base64 SPKI DER.
 */

/** The public half, as base64 SPKI DER: what an auditor pins to verify checkpoints and exports. */
export function publicKeyOf(privateKey: KeyObject): string {
  return createPublicKey(privateKey).export({ format: 'der', type: 'spki' }).toString('base64');
}

export function signText(privateKey: KeyObject, text: string): string {
  return sign(null, Buffer.from(text, 'utf8'), privateKey).toString('base64');
}

export function verifyText(publicKeyBase64: string, text: string, signatureBase64: string): boolean {
  try {
    const key = createPublicKey({ key: Buffer.from(publicKeyBase64, 'base64'), format: 'der', type: 'spki' });
    return verify(null, Buffer.from(text, 'utf8'), key, Buffer.from(signatureBase64, 'base64'));
  } catch {
    return false;
  }
}
