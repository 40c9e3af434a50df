/**
 * Test-only helpers for the verifier's own tests: signing notes from the published test seeds, and
 * RFC 9162 §2.1.3.1 / §2.1.4.1 proof *generation* (PATH and PROOF/SUBPROOF, straight from the RFC's
 * recursive definitions) so the verifier can be checked on every (index, size) and (from, to) pair, not
 * only on the two proofs in the vectors. Written from the spec and the RFC only; imports nothing from src/.
 */
import { createPrivateKey, createPublicKey, sign as cryptoSign, type KeyObject } from 'node:crypto';
import { Buffer } from 'node:buffer';
import { computeKeyId, cosignatureMessage, decodeBase64, hashChildren, hashLeaf, isValidKeyName, merkleRoot } from './verifier.js';

const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

export interface TestKey {
  name: string;
  type: number;
  keyId: number;
  privateKey: KeyObject;
  publicKey: Buffer;
  /** `<name>+<hex id>+<base64(type ‖ pub)>` */
  vkey: string;
  /** `PRIVATE+KEY+<name>+<hex id>+<base64(type ‖ seed)>` */
  skey: string;
}

export function keyFromSeed(name: string, type: number, seed: Uint8Array): TestKey {
  const privateKey = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]), format: 'der', type: 'pkcs8' });
  const spki = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
  const publicKey = Buffer.from(spki.subarray(spki.length - 32));
  const keyId = computeKeyId(name, type, publicKey);
  const hex = keyId.toString(16).padStart(8, '0');
  return {
    name,
    type,
    keyId,
    privateKey,
    publicKey,
    vkey: `${name}+${hex}+${Buffer.concat([Buffer.from([type]), publicKey]).toString('base64')}`,
    skey: `PRIVATE+KEY+${name}+${hex}+${Buffer.concat([Buffer.from([type]), seed]).toString('base64')}`,
  };
}

/** §2 signer key string -> key (checks the key ID against the derived public key). */
export function parseSignerKey(skey: string): TestKey {
  const m = /^PRIVATE\+KEY\+([^+]+)\+([0-9a-f]{8})\+(.+)$/.exec(skey);
  if (!m) throw new Error('bad signer key');
  const [, name, hex, b64] = m as unknown as [string, string, string, string];
  if (!isValidKeyName(name)) throw new Error('bad name');
  const raw = decodeBase64(b64, 33);
  const key = keyFromSeed(name, raw[0]!, raw.subarray(1));
  if (key.keyId.toString(16).padStart(8, '0') !== hex) throw new Error('signer key ID does not match');
  return key;
}

function sigLine(key: TestKey, sigBytes: Uint8Array): string {
  const id = Buffer.alloc(4);
  id.writeUInt32BE(key.keyId);
  return `\u2014 ${key.name} ${Buffer.concat([id, sigBytes]).toString('base64')}\n`;
}

/** Log signature line (type 0x01): Ed25519 over the text. */
export function logSignatureLine(key: TestKey, text: string): string {
  return sigLine(key, cryptoSign(null, Buffer.from(text, 'utf8'), key.privateKey));
}

/** Witness cosignature line (type 0x04): timestamp ‖ Ed25519(cosignature/v1 message). */
export function cosignatureLine(key: TestKey, text: string, timestamp: bigint): string {
  const ts = Buffer.alloc(8);
  ts.writeBigUInt64BE(timestamp);
  return sigLine(key, Buffer.concat([ts, cryptoSign(null, cosignatureMessage(text, timestamp), key.privateKey)]));
}

export function note(text: string, ...lines: string[]): string {
  return `${text}\n${lines.join('')}`;
}

// RFC 9162 §2.1.3.1: PATH(m, D[n])
export function inclusionPath(m: number, leaves: Buffer[]): Buffer[] {
  const n = leaves.length;
  if (n <= 1) return [];
  let k = 1;
  while (k * 2 < n) k *= 2;
  if (m < k) return [...inclusionPath(m, leaves.slice(0, k)), merkleRoot(leaves.slice(k))];
  return [...inclusionPath(m - k, leaves.slice(k)), merkleRoot(leaves.slice(0, k))];
}

// RFC 9162 §2.1.4.1: PROOF(m, D[n]) = SUBPROOF(m, D[n], true)
export function consistencyProof(m: number, leaves: Buffer[]): Buffer[] {
  return subproof(m, leaves, true);
}

function subproof(m: number, leaves: Buffer[], b: boolean): Buffer[] {
  const n = leaves.length;
  if (m === n) return b ? [] : [merkleRoot(leaves)];
  let k = 1;
  while (k * 2 < n) k *= 2;
  if (m <= k) return [...subproof(m, leaves.slice(0, k), b), merkleRoot(leaves.slice(k))];
  return [...subproof(m - k, leaves.slice(k), false), merkleRoot(leaves.slice(0, k))];
}

export function syntheticLeaves(n: number): Buffer[] {
  return Array.from({ length: n }, (_, i) => hashLeaf(Buffer.from(`leaf ${i}`)));
}

export { hashChildren };
