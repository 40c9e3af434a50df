import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject, sign, verify } from 'node:crypto';

/**
 * C2SP signed-note (https://c2sp.org/signed-note), as Go's golang.org/x/mod/sumdb/note implements it:
 *
 *   <text ending in \n>\n
 *   — <key name> <base64(4-byte big-endian key ID ‖ signature)>\n   (one line per signature)
 *
 * plus the key strings of that package: `<name>+<hex key ID>+<base64(type ‖ public key)>` (a "vkey") and
 * `PRIVATE+KEY+<name>+<hex key ID>+<base64(type ‖ seed)>`. Key IDs are the first four bytes of
 * SHA-256(name ‖ 0x0A ‖ type ‖ public key).
 */

/** Signature type bytes assigned by the signed-note spec. */
export const SIG_TYPE_ED25519 = 0x01;
export const SIG_TYPE_COSIGNATURE_V1 = 0x04;

/** Go's note.Open refuses notes with more than 100 signatures; the spec asks verifiers to take at least 16. */
export const MAX_SIGNATURES = 100;

const SIGNATURE_PREFIX = '\u2014 '; // em dash, space

/** Something that signs note text under a (name, key ID). Cosigners plug in here too. */
export interface NoteSigner {
  readonly name: string;
  readonly keyId: number;
  sign(text: Buffer): Buffer;
}

/** Something that checks a signature by the key (name, key ID) over note text. */
export interface NoteVerifier {
  readonly name: string;
  readonly keyId: number;
  /** The raw public key, when known: witnesses are told apart by it (one key under two names is one witness). */
  readonly publicKey?: Buffer;
  verify(text: Buffer, signature: Buffer): boolean;
}

/** One signature line: `signature` excludes the 4-byte key ID that the line's base64 starts with. */
export interface NoteSignature {
  name: string;
  keyId: number;
  signature: Buffer;
}

export interface OpenedNote {
  text: string;
  /** Signatures by known keys, all verified. */
  verified: NoteSignature[];
  /** Signatures by keys the caller did not pass, left unchecked as the spec requires. */
  unknown: NoteSignature[];
}

export class NoteError extends Error {
  override name = 'NoteError';
}

/** Non-empty, no Unicode white space, no '+': the spec's rule for key names (and Go's isValidName). */
export function isValidKeyName(name: string): boolean {
  return name.length > 0 && !/[\p{White_Space}+]/u.test(name) && !/\p{Cs}/u.test(name) && !/[\x00-\x1f]/.test(name);
}

/** SHA-256(name ‖ 0x0A ‖ type ‖ public key)[:4] as a big-endian uint32. */
export function keyId(name: string, type: number, publicKey: Uint8Array): number {
  const digest = createHash('sha256')
    .update(Buffer.from(name, 'utf8'))
    .update(Buffer.from([0x0a, type]))
    .update(publicKey)
    .digest();
  return digest.readUInt32BE(0);
}

export const keyIdHex = (id: number) => id.toString(16).padStart(8, '0');

/** Standard base64 with padding, rejecting anything Node would silently skip or any non-canonical form. */
export function decodeBase64(text: string): Buffer | undefined {
  if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64');
  return bytes.toString('base64') === text ? bytes : undefined;
}

// Node builds Ed25519 KeyObjects from DER; these fixed prefixes turn a raw 32-byte seed or public key
// into PKCS#8 and SPKI DER (RFC 8410).
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_ED25519_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

export function ed25519PrivateKey(seed: Uint8Array): KeyObject {
  if (seed.length !== 32) throw new NoteError('an Ed25519 seed is 32 bytes');
  return createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]), format: 'der', type: 'pkcs8' });
}

export function ed25519PublicKey(publicKey: Uint8Array): KeyObject {
  if (publicKey.length !== 32) throw new NoteError('an Ed25519 public key is 32 bytes');
  return createPublicKey({ key: Buffer.concat([SPKI_ED25519_PREFIX, publicKey]), format: 'der', type: 'spki' });
}

/** The raw 32-byte public key of an Ed25519 private key. */
export function rawPublicKey(privateKey: KeyObject): Buffer {
  return createPublicKey(privateKey).export({ format: 'der', type: 'spki' }).subarray(SPKI_ED25519_PREFIX.length);
}

function rawSeed(privateKey: KeyObject): Buffer {
  return privateKey.export({ format: 'der', type: 'pkcs8' }).subarray(PKCS8_ED25519_PREFIX.length);
}

export function ed25519Verify(publicKey: KeyObject, message: Buffer, signature: Buffer): boolean {
  return signature.length === 64 && verify(null, message, publicKey, signature);
}

/**
 * Splits `PRIVATE+KEY+<name>+<id>+<base64>` into its parts and checks the type byte. Errors name the
 * fault, never the key material.
 */
export function parseSignerKeyString(skey: string, type: number): { name: string; keyId: number; seed: Buffer } {
  const parts = splitPlus(skey.trim(), 5);
  const [private1, private2, name, idHex, key64] = parts;
  if (parts.length !== 5 || private1 !== 'PRIVATE' || private2 !== 'KEY')
    throw new NoteError('signer key: expected PRIVATE+KEY+<name>+<8 hex digit key ID>+<base64 key>');
  const id = parseKeyIdHex(idHex, 'signer key');
  if (!isValidKeyName(name)) throw new NoteError('signer key: the key name is empty or has white space or "+"');
  const key = decodeBase64(key64);
  if (!key || key.length !== 33) throw new NoteError('signer key: the key is not base64 of a type byte and 32-byte seed');
  if (key[0] !== type) throw new NoteError(`signer key: the key type is 0x${hexByte(key[0])}, expected 0x${hexByte(type)}`);
  return { name, keyId: id, seed: key.subarray(1) };
}

/** Splits `<name>+<id>+<base64>`, checks the type byte, and that the key ID matches the key. */
export function parseVerifierKeyString(vkey: string, type: number): { name: string; keyId: number; publicKey: Buffer } {
  const parts = splitPlus(vkey.trim(), 3);
  const [name, idHex, key64] = parts;
  if (parts.length !== 3) throw new NoteError('verifier key: expected <name>+<8 hex digit key ID>+<base64 key>');
  const id = parseKeyIdHex(idHex, 'verifier key');
  if (!isValidKeyName(name)) throw new NoteError('verifier key: the key name is empty or has white space or "+"');
  const key = decodeBase64(key64);
  if (!key || key.length !== 33)
    throw new NoteError('verifier key: the key is not base64 of a type byte and a 32-byte Ed25519 public key');
  if (key[0] !== type) throw new NoteError(`verifier key: the key type is 0x${hexByte(key[0])}, expected 0x${hexByte(type)}`);
  const publicKey = key.subarray(1);
  if (keyId(name, type, publicKey) !== id) throw new NoteError(`verifier key: key ID ${idHex} does not match the key`);
  return { name, keyId: id, publicKey };
}

/** Splits at the first `count - 1` plus signs: the base64 key at the end may itself contain '+'. */
function splitPlus(text: string, count: number): string[] {
  const parts: string[] = [];
  let rest = text;
  while (parts.length < count - 1) {
    const at = rest.indexOf('+');
    if (at < 0) break;
    parts.push(rest.slice(0, at));
    rest = rest.slice(at + 1);
  }
  return [...parts, rest];
}

function parseKeyIdHex(idHex: string, what: string): number {
  if (!/^[0-9a-fA-F]{8}$/.test(idHex)) throw new NoteError(`${what}: the key ID is not 8 hex digits`);
  return parseInt(idHex, 16);
}

const hexByte = (b: number) => b.toString(16).padStart(2, '0');

/** Key strings for `<name>+<id>+<base64(type ‖ key)>`, with or without the PRIVATE+KEY+ prefix. */
export function formatKeyString(name: string, id: number, type: number, key: Uint8Array): string {
  return `${name}+${keyIdHex(id)}+${Buffer.concat([Buffer.from([type]), key]).toString('base64')}`;
}

/** A fresh Ed25519 note key: the signer key string (secret) and the verifier key string (public). */
export function generateNoteKey(name: string): { signingKey: string; verifierKey: string } {
  if (!isValidKeyName(name)) throw new NoteError('key name must be non-empty, without white space or "+"');
  const { privateKey } = generateKeyPairSync('ed25519');
  return noteKeyFromSeed(name, rawSeed(privateKey));
}

/** The key strings of a given seed: deterministic, so test vectors can be built from a published seed. */
export function noteKeyFromSeed(name: string, seed: Uint8Array): { signingKey: string; verifierKey: string } {
  const publicKey = rawPublicKey(ed25519PrivateKey(seed));
  const id = keyId(name, SIG_TYPE_ED25519, publicKey);
  return {
    signingKey: `PRIVATE+KEY+${formatKeyString(name, id, SIG_TYPE_ED25519, seed)}`,
    verifierKey: formatKeyString(name, id, SIG_TYPE_ED25519, publicKey),
  };
}

/** A signer for an Ed25519 signer key string; checks the key ID against the seed's public key. */
export function parseSignerKey(skey: string): NoteSigner {
  const { name, keyId: id, seed } = parseSignerKeyString(skey, SIG_TYPE_ED25519);
  const privateKey = ed25519PrivateKey(seed);
  if (keyId(name, SIG_TYPE_ED25519, rawPublicKey(privateKey)) !== id)
    throw new NoteError('signer key: the key ID does not match the key');
  return { name, keyId: id, sign: (text) => sign(null, text, privateKey) };
}

/** A verifier for an Ed25519 verifier key string (type 0x01). */
export function parseVerifierKey(vkey: string): NoteVerifier {
  const { name, keyId: id, publicKey } = parseVerifierKeyString(vkey, SIG_TYPE_ED25519);
  const key = ed25519PublicKey(publicKey);
  return { name, keyId: id, publicKey, verify: (text, signature) => ed25519Verify(key, text, signature) };
}

/** The line `— <name> <base64(key ID ‖ signature)>\n`. */
export function formatSignatureLine(sig: NoteSignature): string {
  const id = Buffer.alloc(4);
  id.writeUInt32BE(sig.keyId);
  return `${SIGNATURE_PREFIX}${sig.name} ${Buffer.concat([id, sig.signature]).toString('base64')}\n`;
}

/** The signed note: text, a blank line, then each signer's line in order. */
export function signNote(text: string, ...signers: NoteSigner[]): string {
  checkText(text);
  if (signers.length === 0) throw new NoteError('a signed note needs at least one signature');
  return `${text}\n${signers.map((s) => signatureLine(text, s)).join('')}`;
}

/**
 * Adds signatures to a signed note (a witness cosigning a checkpoint, say), after the existing ones. As in
 * Go's note.Sign, an existing signature by the same (name, key ID) is replaced rather than repeated.
 */
export function addSignatures(note: string, ...signers: NoteSigner[]): string {
  const { text, signatures } = parseNote(note);
  const replaced = (s: NoteSignature) => signers.some((n) => n.name === s.name && n.keyId === s.keyId);
  const kept = signatures.filter((s) => !replaced(s)).map(formatSignatureLine);
  return `${text}\n${kept.join('')}${signers.map((s) => signatureLine(text, s)).join('')}`;
}

/**
 * Adds signature lines made elsewhere (a witness answering with its cosignature line, say) to a signed
 * note. The lines are checked for form only; replacing one by the same (name, key ID) as addSignatures does.
 * Whoever serves the result should still open it with the witnesses' keys before trusting it.
 */
export function appendSignatureLines(note: string, lines: string): string {
  if (!lines.endsWith('\n')) throw new NoteError('malformed signature lines: must end in a newline');
  const added = lines.slice(0, -1).split('\n').map(parseSignatureLine);
  const { text, signatures } = parseNote(note);
  const replaced = (s: NoteSignature) => added.some((a) => a.name === s.name && a.keyId === s.keyId);
  const all = [...signatures.filter((s) => !replaced(s)), ...added];
  if (all.length > MAX_SIGNATURES) throw new NoteError(`malformed note: more than ${MAX_SIGNATURES} signatures`);
  return `${text}\n${all.map(formatSignatureLine).join('')}`;
}

function signatureLine(text: string, signer: NoteSigner): string {
  if (!isValidKeyName(signer.name)) throw new NoteError('signer name must be non-empty, without white space or "+"');
  return formatSignatureLine({ name: signer.name, keyId: signer.keyId, signature: signer.sign(Buffer.from(text, 'utf8')) });
}

/**
 * Parses a signed note without checking any signature: the text (up to and including the newline before
 * the last blank line) and the signature lines. Throws NoteError on anything malformed.
 */
export function parseNote(note: string | Uint8Array): { text: string; signatures: NoteSignature[] } {
  const message = typeof note === 'string' ? note : decodeUtf8(note);
  checkCharacters(message);
  const split = message.lastIndexOf('\n\n');
  if (split < 0) throw new NoteError('malformed note: no blank line before the signatures');
  const text = message.slice(0, split + 1);
  const block = message.slice(split + 2);
  if (block.length === 0 || !block.endsWith('\n')) throw new NoteError('malformed note: signatures must end in a newline');
  const lines = block.slice(0, -1).split('\n');
  if (lines.length > MAX_SIGNATURES) throw new NoteError(`malformed note: more than ${MAX_SIGNATURES} signatures`);
  return { text, signatures: lines.map(parseSignatureLine) };
}

function parseSignatureLine(line: string): NoteSignature {
  if (!line.startsWith(SIGNATURE_PREFIX)) throw new NoteError('malformed note: a signature line must start with "— "');
  const rest = line.slice(SIGNATURE_PREFIX.length);
  const space = rest.indexOf(' ');
  const name = space < 0 ? rest : rest.slice(0, space);
  const bytes = space < 0 ? undefined : decodeBase64(rest.slice(space + 1));
  if (!isValidKeyName(name) || !bytes || bytes.length < 5) throw new NoteError('malformed note: bad signature line');
  return { name, keyId: bytes.readUInt32BE(0), signature: bytes.subarray(4) };
}

/**
 * Opens a signed note as the spec and Go's note.Open do: signatures by unknown keys are ignored; each
 * known key's first signature must verify (a failing one rejects the note); at least one must. Returns
 * the text only then.
 */
export function openNote(note: string | Uint8Array, verifiers: readonly NoteVerifier[]): OpenedNote {
  const { text, signatures } = parseNote(note);
  const message = Buffer.from(text, 'utf8');
  const verified: NoteSignature[] = [];
  const unknown: NoteSignature[] = [];
  for (const sig of signatures) {
    const matches = verifiers.filter((v) => v.name === sig.name && v.keyId === sig.keyId);
    if (matches.length === 0) {
      unknown.push(sig);
      continue;
    }
    if (matches.length > 1) throw new NoteError(`ambiguous key ${sig.name}+${keyIdHex(sig.keyId)}: passed twice`);
    if (verified.some((v) => v.name === sig.name && v.keyId === sig.keyId)) continue; // a repeat: Go skips it
    if (!matches[0].verify(message, sig.signature))
      throw new NoteError(`invalid signature for key ${sig.name}+${keyIdHex(sig.keyId)}`);
    verified.push(sig);
  }
  if (verified.length === 0) throw new NoteError('note has no verifiable signatures');
  return { text, verified, unknown };
}

function checkText(text: string): void {
  if (!text.endsWith('\n')) throw new NoteError('malformed note: the text must end in a newline');
  checkCharacters(text);
}

function checkCharacters(message: string): void {
  if (/[\x00-\x09\x0b-\x1f]/.test(message)) throw new NoteError('malformed note: control characters other than newline');
  if (/\p{Cs}/u.test(message)) throw new NoteError('malformed note: not valid UTF-8');
}

function decodeUtf8(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new NoteError('malformed note: not valid UTF-8');
  }
}
