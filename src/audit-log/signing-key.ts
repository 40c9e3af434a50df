import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject, sign, verify } from 'node:crypto';

/**
 * AUDIT_SIGNING_KEY holds an Ed25519 private key: PKCS#8 PEM (newlines may be written as `\n`) or the
 * base64 of its DER. Throws a message fit for a configuration error, never echoing the key.
 */
export function parseSigningKey(value: string): KeyObject {
  let key: KeyObject;
  try {
    const pem = value.replace(/\\n/g, '\n').trim();
    key = pem.startsWith('-----BEGIN')
      ? createPrivateKey(pem)
      : createPrivateKey({ key: Buffer.from(pem, 'base64'), format: 'der', type: 'pkcs8' });
  } catch {
    throw new Error('must be an Ed25519 private key in PKCS#8 PEM or base64 DER (see `bulletin-gateway audit:keygen`)');
  }
  if (key.asymmetricKeyType !== 'ed25519')
    throw new Error(`must be an Ed25519 private key (got ${key.asymmetricKeyType})`);
  return key;
}

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

export function generateSigningKey(): { privateKey: string; publicKey: string } {
  const { privateKey } = generateKeyPairSync('ed25519');
  return {
    privateKey: privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64'),
    publicKey: publicKeyOf(privateKey),
  };
}
