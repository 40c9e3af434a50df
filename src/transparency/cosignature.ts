import { generateKeyPairSync, sign } from 'node:crypto';
import { parseCheckpoint } from './checkpoint.js';
import {
  addSignatures,
  ed25519PrivateKey,
  ed25519PublicKey,
  ed25519Verify,
  formatKeyString,
  isValidKeyName,
  keyId,
  NoteError,
  type NoteSignature,
  type NoteSigner,
  type NoteVerifier,
  parseSignerKeyString,
  parseVerifierKeyString,
  rawPublicKey,
  SIG_TYPE_COSIGNATURE_V1,
} from './signed-note.js';

/**
 * C2SP tlog-cosignature, the Ed25519 cosignature/v1 (https://c2sp.org/tlog-cosignature): a note signature
 * on a checkpoint whose key ID uses type 0x04 and whose signature bytes are
 *
 *   8-byte big-endian POSIX timestamp ‖ Ed25519 signature over
 *   "cosignature/v1\n" ‖ "time <timestamp>\n" ‖ checkpoint note text
 *
 * A witness key string has the note key shape with type byte 0x04: `<name>+<id>+<base64(0x04 ‖ key)>`
 * (and `PRIVATE+KEY+<name>+<id>+<base64(0x04 ‖ seed)>` for the secret, as transparency-dev/formats reads).
 */

const TIMESTAMP_SIZE = 8;

/** tlog-cosignature v1.0.0: the timestamp "MUST NOT exceed 2^63 - 1". */
export const MAX_COSIGNATURE_TIME = 2n ** 63n - 1n;

/** The message a witness signs. The timestamp is decimal with no leading zeros. */
export function cosignatureMessage(timestamp: number | bigint, checkpointText: string): Buffer {
  checkTimestamp(timestamp);
  return Buffer.from(`cosignature/v1\ntime ${BigInt(timestamp)}\n${checkpointText}`, 'utf8');
}

/** Whole POSIX seconds from 0 to 2^63 - 1; bigint so that every value the standard allows is exact. */
function checkTimestamp(timestamp: number | bigint): void {
  const whole = typeof timestamp === 'bigint' || Number.isSafeInteger(timestamp);
  if (!whole || BigInt(timestamp) < 0n || BigInt(timestamp) > MAX_COSIGNATURE_TIME)
    throw new NoteError(`cosignature time ${timestamp} is not whole seconds from 0 to 2^63 - 1`);
}

export function witnessKeyFromSeed(name: string, seed: Uint8Array): { signingKey: string; verifierKey: string } {
  if (!isValidKeyName(name)) throw new NoteError('witness name must be non-empty, without white space or "+"');
  const publicKey = rawPublicKey(ed25519PrivateKey(seed));
  const id = keyId(name, SIG_TYPE_COSIGNATURE_V1, publicKey);
  return {
    signingKey: `PRIVATE+KEY+${formatKeyString(name, id, SIG_TYPE_COSIGNATURE_V1, seed)}`,
    verifierKey: formatKeyString(name, id, SIG_TYPE_COSIGNATURE_V1, publicKey),
  };
}

export function generateWitnessKey(name: string): { signingKey: string; verifierKey: string } {
  const { privateKey } = generateKeyPairSync('ed25519');
  const seed = privateKey.export({ format: 'der', type: 'pkcs8' }).subarray(-32);
  return witnessKeyFromSeed(name, seed);
}

/**
 * A note signer that cosigns checkpoints. `now` gives the POSIX time to sign with; pass a fixed one for
 * reproducible test vectors.
 */
export function parseWitnessSigner(
  skey: string,
  now: () => number | bigint = () => Math.floor(Date.now() / 1000),
): NoteSigner {
  const { name, keyId: id, seed } = parseSignerKeyString(skey, SIG_TYPE_COSIGNATURE_V1);
  const privateKey = ed25519PrivateKey(seed);
  if (keyId(name, SIG_TYPE_COSIGNATURE_V1, rawPublicKey(privateKey)) !== id)
    throw new NoteError('signer key: the key ID does not match the key');
  return {
    name,
    keyId: id,
    sign(text) {
      const checkpointText = text.toString('utf8');
      parseCheckpoint(checkpointText); // a cosignature vouches for a checkpoint, and for nothing else
      const timestamp = now();
      const message = cosignatureMessage(timestamp, checkpointText);
      const stamp = Buffer.alloc(TIMESTAMP_SIZE);
      stamp.writeBigUInt64BE(BigInt(timestamp));
      return Buffer.concat([stamp, sign(null, message, privateKey)]);
    },
  };
}

/** A note verifier for a witness key string (type 0x04). */
export function parseWitnessVerifier(vkey: string): NoteVerifier {
  const { name, keyId: id, publicKey } = parseVerifierKeyString(vkey, SIG_TYPE_COSIGNATURE_V1);
  const key = ed25519PublicKey(publicKey);
  return {
    name,
    keyId: id,
    publicKey,
    verify(text, signature) {
      if (signature.length !== TIMESTAMP_SIZE + 64) return false;
      const timestamp = signature.readBigUInt64BE(0);
      if (timestamp > MAX_COSIGNATURE_TIME) return false;
      const message = cosignatureMessage(timestamp, text.toString('utf8'));
      return ed25519Verify(key, message, signature.subarray(TIMESTAMP_SIZE));
    },
  };
}

/** The POSIX time a cosignature claims (read it only from a verified signature). */
export function cosignatureTimestamp(signature: NoteSignature): bigint {
  if (signature.signature.length !== TIMESTAMP_SIZE + 64) throw new NoteError('not an Ed25519 cosignature/v1');
  return signature.signature.readBigUInt64BE(0);
}

/** Appends a witness's cosignature to a signed checkpoint note. */
export function cosignCheckpoint(checkpointNote: string, witness: NoteSigner): string {
  return addSignatures(checkpointNote, witness);
}
