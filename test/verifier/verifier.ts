/**
 * Standalone verifier for the Bulletin Gateway audit log, written only from docs/audit-format.md and the
 * public standards it cites (RFC 9162 §2.1, RFC 8785, C2SP signed-note, tlog-checkpoint,
 * tlog-cosignature). It imports nothing from src/: only node:crypto and node:buffer.
 *
 * Convention: every `verify*` / `open*` / `parse*` function THROWS a `VerificationError` (with a short
 * machine-readable `code` and a human message naming the spec section) when the input is rejected, and
 * returns the parsed, verified data otherwise. Nothing returns `false` silently.
 *
 * Exported API (by spec section)
 *
 *   §1   decodeBase64(s, length?)          strict RFC 4648 §4 base64 (padding, canonical) -> Buffer
 *        encodeBase64(bytes)               -> string
 *   §2   computeKeyId(name, type, pubkey)  -> number (uint32)
 *        isValidKeyName(name)              -> boolean (non-empty, no Unicode White_Space, no '+')
 *        parseVerifierKey(vkey, type?)     -> VerifierKey (checks the key ID; type 0x01 log, 0x04 witness)
 *   §3   parseNote(note)                   -> { text, signatures } (steps 1-3: form only, no crypto)
 *        openNote(note, verifiers)         -> OpenedNote (steps 1-5, i.e. Go's note.Open)
 *        ed25519NoteVerifier(vkey)         -> NoteVerifier for a log key (type 0x01)
 *        cosignatureV1Verifier(vkey)       -> NoteVerifier for a witness key (type 0x04, cosignature/v1)
 *   §4   canonicalJson(value)              RFC 8785 JCS string
 *        leafInput(record) / leafHash(record) / hashLeaf(bytes) / hashChildren(l, r)
 *        merkleRoot(leafHashes)            MTH(D[n]); EMPTY_ROOT = SHA-256("")
 *   §5   payloadSha256(payload)            lowercase hex SHA-256 of the payload's canonical JSON
 *        RECORD_KINDS, RECORD_SCHEMAS, checkRecord(record) (exact members, types, formats per kind)
 *        eventNamedBy(record)              `id` of an event, `event_id` of an attempt / replay item
 *   §10  checkCrossRecordRules(entries)    events and replays named before use, ids unique, erasures of what an earlier entry commits to
 *   §6   parseCheckpointText(text)         -> Checkpoint
 *        cosignatureMessage(text, time)    the cosignature/v1 signed message
 *        verifyCheckpoint(note, logVkey, policy?) -> VerifiedCheckpoint (log signature + k-of-n witnesses)
 *   §7   verifyInclusion(index, size, leafHash, proof, root)
 *        verifyConsistency(from, to, proof, oldRoot, newRoot)
 *   §8   parseReceiptText(text)            -> Receipt
 *        verifyReceipt(note, logVkey)      -> Receipt
 *        checkReceiptMatchesEvent(receipt, eventRecord)
 *   §9/§10 verifyEntriesAgainstCheckpoint(entries, checkpointNote, logVkey, policy?) full audit
 *        verifyEventProof(proofJson, logVkey, options?)  GET /v1/events/:id/proof
 *        parseNdjson(text)                 (JSON text with repeated member names is refused)
 *   §9.1 verifyExport(text, logVkey, policy?)  an NDJSON export: checkpoint, every entry's proof, event
 *                                     lines against their event records, the trailer's note; whole-log
 *                                     exports also recompute the root from every entry
 *
 * Hashes may be passed either as base64 strings (validated strictly, 32 bytes) or as 32-byte buffers.
 *
 * Typical live use (sizes and roots always come from checkpoints you verified, never from a proof body):
 *
 *   const policy = { witnesses: [W1_VKEY, W2_VKEY], quorum: 1 };
 *   const cp = verifyCheckpoint(await (await fetch(`${base}/v1/audit/checkpoint`)).text(), LOG_VKEY, policy);
 *   const c = await (await fetch(`${base}/v1/audit/consistency?from=${kept.size}&to=${cp.size}`)).json();
 *   verifyConsistency(kept.size, cp.size, c.proof, kept.rootHash, cp.rootHash);   // monitor (§10)
 *   verifyEventProof(await (await fetch(`${base}/v1/events/${id}/proof`)).text(), LOG_VKEY,
 *                    { ...policy, eventId: id, payload, receipt });                 // check an event (§10)
 *   verifyEntriesAgainstCheckpoint(await (await fetch(`${base}/v1/audit/entries?from=0&to=${cp.size}`)).text(),
 *                                  cp.note, LOG_VKEY, policy);                      // full audit (§10)
 *
 * JSON bodies given as text are refused if any object repeats a member name (RFC 8785 assumes I-JSON,
 * RFC 7493; parsers disagree on which duplicate wins, so a record could hash one way and display another).
 */
import { createHash, createPublicKey, verify as cryptoVerify, type KeyObject } from 'node:crypto';
import { Buffer } from 'node:buffer';

// ---------------------------------------------------------------------------------------------------
// Errors

export class VerificationError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(`${code}: ${message}`);
    this.name = 'VerificationError';
  }
}

function fail(code: string, message: string): never {
  throw new VerificationError(code, message);
}

// ---------------------------------------------------------------------------------------------------
// §1 Conventions: base64, hex, integers

const BASE64_RE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Strict base64 (RFC 4648 §4, with padding, canonical trailing bits). Optionally checks the length. */
export function decodeBase64(s: string, length?: number): Buffer {
  if (typeof s !== 'string' || !BASE64_RE.test(s)) fail('bad_base64', `not padded standard base64: ${JSON.stringify(s)}`);
  const bytes = Buffer.from(s, 'base64');
  if (bytes.toString('base64') !== s) fail('bad_base64', `non-canonical base64: ${JSON.stringify(s)}`);
  if (length !== undefined && bytes.length !== length) fail('bad_base64', `expected ${length} bytes, got ${bytes.length}`);
  return bytes;
}

export function encodeBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64');
}

/** A hash given as base64 (strict, 32 bytes) or as raw 32 bytes. */
export type HashInput = string | Uint8Array;

function toHash(h: HashInput, what: string): Buffer {
  if (typeof h === 'string') {
    try {
      return decodeBase64(h, 32);
    } catch (e) {
      fail('bad_hash', `${what}: ${(e as Error).message}`);
    }
  }
  if (!(h instanceof Uint8Array) || h.length !== 32) fail('bad_hash', `${what}: not 32 bytes`);
  return Buffer.from(h);
}

const DECIMAL_RE = /^(?:0|[1-9][0-9]*)$/;

/** §1: ASCII decimal, no sign, no leading zeros; §4: fits in 53 bits. */
function parseDecimal(s: string, what: string): number {
  if (!DECIMAL_RE.test(s)) fail('bad_integer', `${what}: not a canonical decimal: ${JSON.stringify(s)}`);
  const n = Number(s);
  if (!Number.isSafeInteger(n)) fail('bad_integer', `${what}: exceeds 2^53-1`);
  return n;
}

function checkSize(n: unknown, what: string): number {
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) fail('bad_integer', `${what}: not a non-negative safe integer`);
  return n;
}

function sha256(...parts: Uint8Array[]): Buffer {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
}

// ---------------------------------------------------------------------------------------------------
// §2 Keys

export const KEY_TYPE_ED25519 = 0x01;
export const KEY_TYPE_COSIGNATURE_V1 = 0x04;

/** Unicode White_Space property (the set Go's unicode.IsSpace uses). */
const WHITE_SPACE_RE = /[\u0009-\u000D\u0020\u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]/u;

/** §2 / signed-note: non-empty, no Unicode white space, no '+', valid Unicode. */
export function isValidKeyName(name: string): boolean {
  return typeof name === 'string' && name.length > 0 && !WHITE_SPACE_RE.test(name) && !name.includes('+') && isWellFormed(name);
}

/** key ID = first 4 bytes of SHA-256(name ‖ 0x0A ‖ type ‖ public key), big-endian uint32. */
export function computeKeyId(name: string, type: number, publicKey: Uint8Array): number {
  return sha256(Buffer.from(name, 'utf8'), Buffer.from([0x0a, type]), publicKey).readUInt32BE(0);
}

export interface VerifierKey {
  /** Key name (for the log: its origin). */
  name: string;
  keyId: number;
  /** 0x01 (log, Ed25519) or 0x04 (witness, cosignature/v1). */
  type: number;
  /** Raw 32-byte Ed25519 public key. */
  publicKey: Buffer;
  /** The same key for node:crypto. */
  keyObject: KeyObject;
  /** The vkey string it was parsed from. */
  vkey: string;
}

const SPKI_ED25519_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/**
 * §2: parse `<name>+<8 hex key ID>+<base64(type ‖ 32-byte key)>`, split at the first two '+'.
 * Refuses a key ID that does not match, and (if `expectedType` is given) another type byte.
 */
export function parseVerifierKey(vkey: string, expectedType?: number): VerifierKey {
  if (typeof vkey !== 'string') fail('bad_vkey', 'not a string');
  const p1 = vkey.indexOf('+');
  const p2 = p1 < 0 ? -1 : vkey.indexOf('+', p1 + 1);
  if (p1 < 0 || p2 < 0) fail('bad_vkey', 'expected <name>+<key id>+<key>');
  const name = vkey.slice(0, p1);
  const idHex = vkey.slice(p1 + 1, p2);
  const keyB64 = vkey.slice(p2 + 1);
  if (!isValidKeyName(name)) fail('bad_vkey', `invalid key name ${JSON.stringify(name)}`);
  if (!/^[0-9a-f]{8}$/.test(idHex)) fail('bad_vkey', 'key ID must be 8 lowercase hex digits');
  const raw = decodeBase64(keyB64);
  if (raw.length !== 33) fail('bad_vkey', `expected type byte + 32-byte key, got ${raw.length} bytes`);
  const type = raw[0]!;
  if (type !== KEY_TYPE_ED25519 && type !== KEY_TYPE_COSIGNATURE_V1) fail('bad_vkey', `unsupported key type 0x${type.toString(16)}`);
  if (expectedType !== undefined && type !== expectedType)
    fail('bad_vkey', `expected key type 0x${expectedType.toString(16).padStart(2, '0')}, got 0x${type.toString(16).padStart(2, '0')}`);
  const publicKey = raw.subarray(1);
  const keyId = computeKeyId(name, type, publicKey);
  if (keyId !== parseInt(idHex, 16)) fail('bad_vkey', `key ID ${idHex} does not match the name, type and key`);
  let keyObject: KeyObject;
  try {
    keyObject = createPublicKey({ key: Buffer.concat([SPKI_ED25519_PREFIX, publicKey]), format: 'der', type: 'spki' });
  } catch {
    fail('bad_vkey', 'not an Ed25519 public key');
  }
  return { name, keyId, type, publicKey: Buffer.from(publicKey), keyObject, vkey };
}

function ed25519Verify(key: KeyObject, message: Uint8Array, signature: Uint8Array): boolean {
  if (signature.length !== 64) return false;
  try {
    return cryptoVerify(null, message, key, signature);
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------------
// §3 Signed notes

export const MAX_SIGNATURE_LINES = 100;
const SIG_PREFIX = '\u2014 ';

export interface NoteSignature {
  name: string;
  keyId: number;
  /** The bytes after the 4-byte key ID. */
  signature: Buffer;
  /** The base64 as it appeared on the line. */
  base64: string;
}

export interface ParsedNote {
  /** The signed message: the text including its final newline, without the empty line. */
  text: string;
  signatures: NoteSignature[];
}

/** A trusted key: a (name, key ID) pair and how to check a signature by it. */
export interface NoteVerifier {
  name: string;
  keyId: number;
  key: VerifierKey;
  verify(text: Buffer, signature: Buffer): boolean;
}

export interface OpenedNote extends ParsedNote {
  /** Signatures by trusted keys that verified (one per key). */
  verified: Array<NoteSignature & { verifier: NoteVerifier }>;
  /** Signatures whose (name, key ID) is not trusted: ignored. */
  unverified: NoteSignature[];
}

function isWellFormed(s: string): boolean {
  return !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);
}

function noteToString(note: string | Uint8Array): string {
  if (typeof note === 'string') {
    if (!isWellFormed(note)) fail('malformed_note', 'not valid UTF-8 (lone surrogate)');
    return note;
  }
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(note);
  } catch {
    fail('malformed_note', 'not valid UTF-8');
  }
}

/** §3 steps 1-3: the form of a note, without any signature check. */
export function parseNote(note: string | Uint8Array): ParsedNote {
  const s = noteToString(note);
  // Step 1: no control characters below U+0020 other than \n.
  if (/[\u0000-\u0009\u000B-\u001F]/.test(s)) fail('malformed_note', 'control character other than \\n');
  // Step 2: split at the last \n\n.
  const split = s.lastIndexOf('\n\n');
  if (split < 0) fail('malformed_note', 'no empty line before the signatures');
  const text = s.slice(0, split + 1);
  const block = s.slice(split + 2);
  if (block.length === 0 || !block.endsWith('\n')) fail('malformed_note', 'signature block empty or not ending in \\n');
  // Step 3: every line is "— <name> <base64>".
  const lines = block.slice(0, -1).split('\n');
  if (lines.length > MAX_SIGNATURE_LINES) fail('malformed_note', `more than ${MAX_SIGNATURE_LINES} signature lines`);
  const signatures: NoteSignature[] = lines.map((line) => {
    if (!line.startsWith(SIG_PREFIX)) fail('malformed_note', `signature line does not start with "— ": ${JSON.stringify(line)}`);
    const rest = line.slice(SIG_PREFIX.length);
    const sp = rest.indexOf(' ');
    if (sp < 0) fail('malformed_note', 'signature line has no space before the signature');
    const name = rest.slice(0, sp);
    const b64 = rest.slice(sp + 1);
    if (!isValidKeyName(name)) fail('malformed_note', `invalid key name ${JSON.stringify(name)}`);
    let raw: Buffer;
    try {
      raw = decodeBase64(b64);
    } catch {
      fail('malformed_note', 'signature is not canonical base64');
    }
    if (raw.length < 5) fail('malformed_note', 'signature shorter than 5 bytes');
    return { name, keyId: raw.readUInt32BE(0), signature: raw.subarray(4), base64: b64 };
  });
  return { text, signatures };
}

/**
 * §3 steps 1-5 (Go's note.Open): signatures from untrusted (name, key ID) pairs are ignored; a trusted
 * key's signature must verify or the note is rejected; a repeated signature by the same key is skipped;
 * at least one trusted signature must have verified.
 */
export function openNote(note: string | Uint8Array, verifiers: NoteVerifier[]): OpenedNote {
  const parsed = parseNote(note);
  const textBytes = Buffer.from(parsed.text, 'utf8');
  const verified: OpenedNote['verified'] = [];
  const unverified: NoteSignature[] = [];
  const seen = new Set<string>();
  for (const sig of parsed.signatures) {
    const v = verifiers.find((k) => k.name === sig.name && k.keyId === sig.keyId);
    if (!v) {
      unverified.push(sig);
      continue;
    }
    const id = `${sig.name}\n${sig.keyId}`;
    if (seen.has(id)) continue;
    seen.add(id);
    if (!v.verify(textBytes, sig.signature))
      fail('bad_signature', `signature by trusted key ${sig.name}+${sig.keyId.toString(16).padStart(8, '0')} does not verify`);
    verified.push({ ...sig, verifier: v });
  }
  if (verified.length === 0) fail('no_trusted_signature', 'no signature by a trusted key');
  return { ...parsed, verified, unverified };
}

/** A verifier for an Ed25519 note key (type 0x01): the signature is Ed25519 over the text. */
export function ed25519NoteVerifier(vkey: string | VerifierKey): NoteVerifier {
  const key = typeof vkey === 'string' ? parseVerifierKey(vkey, KEY_TYPE_ED25519) : vkey;
  if (key.type !== KEY_TYPE_ED25519) fail('bad_vkey', 'not a type 0x01 key');
  return { name: key.name, keyId: key.keyId, key, verify: (text, sig) => ed25519Verify(key.keyObject, text, sig) };
}

// ---------------------------------------------------------------------------------------------------
// §4 / §5 Canonical JSON, leaves, tree

/** RFC 8785 (JCS). Throws on values JSON cannot represent (undefined, NaN, lone surrogates, ...). */
export function canonicalJson(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) fail('bad_json', 'non-finite number');
      return JSON.stringify(value); // ECMAScript Number-to-String, as RFC 8785 §3.2.2.3 requires; -0 -> "0"
    case 'string':
      if (!isWellFormed(value)) fail('bad_json', 'string with a lone surrogate');
      return JSON.stringify(value); // RFC 8785 §3.2.2.2: the ECMAScript escaping
    case 'object': {
      if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v)).join(',')}]`;
      const proto = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) fail('bad_json', 'not a plain JSON object');
      const obj = value as Record<string, unknown>;
      const keys = Object.keys(obj).sort(); // default sort compares UTF-16 code units (RFC 8785 §3.2.3)
      return `{${keys.map((k) => `${canonicalJson(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
    }
    default:
      fail('bad_json', `${typeof value} is not a JSON value`);
  }
}

export const RECORD_KINDS = ['event', 'attempt', 'rejection', 'replay', 'replay_item', 'erasure'] as const;
export type RecordKind = (typeof RECORD_KINDS)[number];
export type LeafRecord = { kind: string } & Record<string, unknown>;

/** §5 "Value formats". */
export type MemberType = 'string' | 'uuid' | 'timestamp' | 'integer' | 'sha256' | 'boolean' | 'object';

export interface MemberSpec {
  type: MemberType;
  /** `T | null` in §5. */
  nullable?: boolean;
  /** The only strings allowed, where §5 lists them. */
  values?: readonly string[];
  /** Lowest value of an integer, or 1 for a string that must not be empty. */
  min?: number;
}

const TRIGGERS = ['auto', 'retry', 'replay'] as const;
const OUTCOMES = ['sent', 'failed', 'transient', 'uncertain', 'credentials_rejected'] as const;
const STATUSES = ['queued', 'retrying', 'sent', 'failed', 'exhausted', 'uncertain'] as const;
const t = (type: MemberType, extra: Omit<MemberSpec, 'type'> = {}): MemberSpec => ({ type, ...extra });
const orNull = (type: MemberType): MemberSpec => ({ type, nullable: true });

/** §5.1-§5.6: exactly these members per kind (besides `kind`), all always present. */
export const RECORD_SCHEMAS: Record<RecordKind, Record<string, MemberSpec>> = {
  event: {
    id: t('uuid'),
    partner_id: t('uuid'),
    account_id: t('string'),
    business_event: t('string'),
    payload_sha256: t('sha256'),
    idempotency_key: orNull('string'),
    request_id: t('string'),
    received_at: t('timestamp'),
  },
  attempt: {
    event_id: t('uuid'),
    attempt_number: t('integer', { min: 1 }),
    trigger: t('string', { values: TRIGGERS }),
    replay_id: orNull('uuid'),
    outcome: t('string', { values: OUTCOMES }),
    resulting_status: t('string', { values: STATUSES }),
    http_status: orNull('integer'),
    clevertap_status: orNull('string'),
    targets: orNull('integer'),
    error: orNull('string'),
    error_code: orNull('string'),
    started_at: t('timestamp'),
    latency_ms: t('integer'),
    next_attempt_at: orNull('timestamp'),
    recorded_at: t('timestamp'),
  },
  rejection: {
    partner_id: t('uuid'),
    account_id: orNull('string'),
    reason_code: t('string'),
    reason: t('string'),
    http_status: t('integer'),
    payload_bytes: t('integer'),
    payload_excerpt_sha256: orNull('sha256'),
    request_id: t('string'),
    received_at: t('timestamp'),
  },
  replay: {
    id: t('uuid'),
    requested_by: t('string'),
    requested_by_name: t('string'),
    reason: t('string', { min: 1 }),
    filter: t('object'),
    include_uncertain: t('boolean'),
    force_resend: t('boolean'),
    matched: t('integer'),
    requeued: t('integer'),
    requested_at: t('timestamp'),
  },
  replay_item: {
    replay_id: t('uuid'),
    event_id: t('uuid'),
    queued_at: t('timestamp'),
  },
  erasure: {
    event_id: orNull('uuid'),
    rejection_request_id: orNull('string'),
    erased_sha256: t('sha256'),
    reason: t('string', { min: 1 }),
    requested_by: t('string'),
    erased_at: t('timestamp'),
  },
};

const RECORD_UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const RECORD_SHA256_RE = /^[0-9a-f]{64}$/;
const RECORD_TIME_RE = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\.(\d{3})\d{3}Z$/;

/** §5 timestamp: `YYYY-MM-DDTHH:MM:SS.ffffffZ`, and a real UTC time (no February 30, no hour 24). */
export function isRecordTimestamp(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  const m = RECORD_TIME_RE.exec(value);
  if (!m) return false;
  const millis = `${m[1]}.${m[2]}Z`;
  const date = new Date(millis);
  return !Number.isNaN(date.getTime()) && date.toISOString() === millis;
}

function memberMatches(value: unknown, spec: MemberSpec): boolean {
  if (value === null) return spec.nullable === true;
  switch (spec.type) {
    case 'string':
      return typeof value === 'string' && (spec.values === undefined || spec.values.includes(value)) && value.length >= (spec.min ?? 0);
    case 'uuid':
      return typeof value === 'string' && RECORD_UUID_RE.test(value);
    case 'sha256':
      return typeof value === 'string' && RECORD_SHA256_RE.test(value);
    case 'timestamp':
      return isRecordTimestamp(value);
    case 'integer':
      return typeof value === 'number' && Number.isSafeInteger(value) && value >= (spec.min ?? -Number.MAX_SAFE_INTEGER);
    case 'boolean':
      return typeof value === 'boolean';
    case 'object':
      return typeof value === 'object' && !Array.isArray(value);
  }
}

/** §5 "Numbers": every number anywhere in a record is an integer within ±(2^53 − 1). */
function checkNumbers(value: unknown, path: string): void {
  if (typeof value === 'number' && !Number.isSafeInteger(value))
    fail('bad_record', `${path} is ${value}: numbers in a record are integers within ±(2^53 − 1)`);
  if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) checkNumbers(v, `${path}.${k}`);
}

/** §5: a record is a JSON object with a string member "kind", one of RECORD_KINDS (no schema check). */
export function checkRecordKind(record: unknown): LeafRecord {
  if (record === null || typeof record !== 'object' || Array.isArray(record)) fail('bad_record', 'record is not a JSON object');
  const kind = (record as Record<string, unknown>).kind;
  if (typeof kind !== 'string') fail('bad_record', 'record has no string "kind"');
  if (!(RECORD_KINDS as readonly string[]).includes(kind)) fail('bad_record', `unknown kind ${JSON.stringify(kind)}`);
  return record as LeafRecord;
}

/**
 * §5: a known kind with exactly the members of its kind, each of its type and format (`null` only where
 * §5 says `T | null`), no number outside ±(2^53 − 1), and an attempt's `replay_id` set exactly when its
 * trigger is "replay" (§5.2).
 */
export function checkRecord(record: unknown): LeafRecord {
  const r = checkRecordKind(record);
  const schema = RECORD_SCHEMAS[r.kind as RecordKind];
  const expected = ['kind', ...Object.keys(schema)];
  for (const name of Object.keys(r))
    if (!expected.includes(name)) fail('bad_record', `a ${r.kind} record has no member ${JSON.stringify(name)}`);
  for (const [name, spec] of Object.entries(schema)) {
    if (!(name in r)) fail('bad_record', `a ${r.kind} record lacks the member ${JSON.stringify(name)}`);
    if (!memberMatches(r[name], spec))
      fail('bad_record', `${r.kind}.${name} is ${JSON.stringify(r[name])}, not ${spec.nullable ? `${spec.type} | null` : spec.type}`);
  }
  checkNumbers(r, r.kind);
  if (r.kind === 'attempt' && (r.trigger === 'replay') !== (r.replay_id !== null))
    fail('bad_record', `an attempt has a replay_id exactly when its trigger is "replay" (trigger ${String(r.trigger)}, replay_id ${String(r.replay_id)})`);
  if (r.kind === 'erasure' && (r.event_id === null) === (r.rejection_request_id === null))
    fail('bad_record', 'an erasure names exactly one of event_id and rejection_request_id');
  return r;
}

/** §5.1: the event a record names: `id` for an event, `event_id` for an attempt or replay item. */
export function eventNamedBy(record: LeafRecord): string | undefined {
  const id = record.kind === 'event' ? record.id : record.kind === 'attempt' || record.kind === 'replay_item' ? record.event_id : undefined;
  return typeof id === 'string' ? id : undefined;
}

/** §4: leaf input = RFC 8785 canonical JSON of the record, UTF-8. */
export function leafInput(record: unknown): Buffer {
  return Buffer.from(canonicalJson(checkRecordKind(record)), 'utf8');
}

/** §4: SHA-256(0x00 ‖ leaf input). */
export function hashLeaf(input: Uint8Array): Buffer {
  return sha256(Buffer.from([0x00]), input);
}

/** §4: SHA-256(0x00 ‖ canonical JSON of the record). */
export function leafHash(record: unknown): Buffer {
  return hashLeaf(leafInput(record));
}

/** §4: SHA-256(0x01 ‖ left ‖ right). */
export function hashChildren(left: Uint8Array, right: Uint8Array): Buffer {
  return sha256(Buffer.from([0x01]), left, right);
}

/** §4: SHA-256(""). */
export const EMPTY_ROOT: Buffer = sha256();

/** §4: MTH(D[n]) of a list of leaf hashes (RFC 9162 §2.1.1). */
export function merkleRoot(leafHashes: readonly Uint8Array[]): Buffer {
  const n = leafHashes.length;
  if (n === 0) return Buffer.from(EMPTY_ROOT);
  if (n === 1) return Buffer.from(leafHashes[0]!);
  let k = 1;
  while (k * 2 < n) k *= 2; // largest power of two smaller than n
  return hashChildren(merkleRoot(leafHashes.slice(0, k)), merkleRoot(leafHashes.slice(k)));
}

/** §5: lowercase hex SHA-256 of the payload's RFC 8785 canonical JSON (UTF-8). */
export function payloadSha256(payload: unknown): string {
  return sha256(Buffer.from(canonicalJson(payload), 'utf8')).toString('hex');
}

// ---------------------------------------------------------------------------------------------------
// §7 Proofs (RFC 9162 §2.1.3.2 and §2.1.4.2)

function toProof(proof: readonly HashInput[], what: string): Buffer[] {
  if (!Array.isArray(proof)) fail('bad_proof', `${what}: not an array`);
  return proof.map((p, i) => toHash(p, `${what}[${i}]`));
}

/** §7.1: entry `index` with leaf hash `leaf` is in the tree of `size` entries whose root is `root`. */
export function verifyInclusion(index: number, size: number, leaf: HashInput, proof: readonly HashInput[], root: HashInput): void {
  checkSize(index, 'index');
  checkSize(size, 'size');
  const leafH = toHash(leaf, 'leaf hash');
  const rootH = toHash(root, 'root');
  const path = toProof(proof, 'inclusion proof');
  if (index >= size) fail('bad_inclusion', `index ${index} >= size ${size}`);
  let fn = index;
  let sn = size - 1;
  let r = leafH;
  for (const p of path) {
    if (sn === 0) fail('bad_inclusion', 'proof too long');
    if (fn % 2 === 1 || fn === sn) {
      r = hashChildren(p, r);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      r = hashChildren(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  if (sn !== 0) fail('bad_inclusion', 'proof too short');
  if (!r.equals(rootH)) fail('bad_inclusion', 'computed root does not match');
}

function isPowerOfTwo(n: number): boolean {
  if (n < 1) return false;
  while (n % 2 === 0) n /= 2;
  return n === 1;
}

/** §7.2: the tree of `from` entries (root `oldRoot`) is a prefix of the tree of `to` entries (root `newRoot`). */
export function verifyConsistency(from: number, to: number, proof: readonly HashInput[], oldRoot: HashInput, newRoot: HashInput): void {
  checkSize(from, 'from');
  checkSize(to, 'to');
  const oldH = toHash(oldRoot, 'old root');
  const newH = toHash(newRoot, 'new root');
  const path = toProof(proof, 'consistency proof');
  if (from > to) fail('bad_consistency', `from ${from} > to ${to}`);
  if (from === 0) {
    // §7.2 edge: empty proof, old root is the empty tree's root (for 0 -> 0 the from = to rule applies too).
    if (path.length !== 0) fail('bad_consistency', 'from = 0 needs an empty proof');
    if (!oldH.equals(EMPTY_ROOT)) fail('bad_consistency', 'from = 0 but the old root is not SHA-256("")');
  }
  if (from === to) {
    // §7.2 edge: empty proof, equal roots.
    if (path.length !== 0) fail('bad_consistency', 'from = to needs an empty proof');
    if (!oldH.equals(newH)) fail('bad_consistency', 'from = to but the roots differ');
    return;
  }
  if (from === 0) return;
  if (path.length === 0) fail('bad_consistency', 'empty proof');
  if (isPowerOfTwo(from)) path.unshift(oldH);
  let fn = from - 1;
  let sn = to - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  let fr = path[0]!;
  let sr = path[0]!;
  for (const c of path.slice(1)) {
    if (sn === 0) fail('bad_consistency', 'proof too long');
    if (fn % 2 === 1 || fn === sn) {
      fr = hashChildren(c, fr);
      sr = hashChildren(c, sr);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      sr = hashChildren(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  if (sn !== 0) fail('bad_consistency', 'proof too short');
  if (!fr.equals(oldH)) fail('bad_consistency', 'old root does not match');
  if (!sr.equals(newH)) fail('bad_consistency', 'new root does not match');
}

// ---------------------------------------------------------------------------------------------------
// §6 Checkpoints and witness cosignatures

export interface Checkpoint {
  origin: string;
  size: number;
  rootHash: Buffer;
  /** The root as it appears in the text (base64). */
  root: string;
  /** Lines after the third (the gateway writes none). */
  extensions: string[];
  /** The note text (the signed message). */
  text: string;
}

/** §6 / tlog-checkpoint: origin, size, base64 root, then optional non-empty extension lines. */
export function parseCheckpointText(text: string): Checkpoint {
  if (typeof text !== 'string' || !text.endsWith('\n')) fail('bad_checkpoint', 'text does not end in \\n');
  const lines = text.slice(0, -1).split('\n');
  if (lines.length < 3) fail('bad_checkpoint', 'fewer than three lines');
  const [origin, sizeLine, rootLine, ...extensions] = lines as [string, string, string, ...string[]];
  if (origin.length === 0) fail('bad_checkpoint', 'empty origin');
  let size: number;
  let rootHash: Buffer;
  try {
    size = parseDecimal(sizeLine, 'tree size');
    rootHash = decodeBase64(rootLine, 32);
  } catch (e) {
    fail('bad_checkpoint', (e as Error).message);
  }
  if (extensions.some((l) => l.length === 0)) fail('bad_checkpoint', 'empty extension line');
  return { origin, size, rootHash, root: rootLine, extensions, text };
}

/** §6: "cosignature/v1\ntime <t>\n" ‖ checkpoint text. */
export function cosignatureMessage(checkpointText: string, timestamp: bigint | number): Buffer {
  return Buffer.from(`cosignature/v1\ntime ${BigInt(timestamp).toString(10)}\n${checkpointText}`, 'utf8');
}

const MAX_TIMESTAMP = 2n ** 63n - 1n; // tlog-cosignature: MUST NOT exceed 2^63 - 1
const DEFAULT_MAX_FUTURE_SECONDS = 300; // §6: at least 5 minutes of clock skew

/** Decodes `timestamp ‖ signature` of a cosignature/v1 line; null if it is not 8 + 64 bytes. */
export function splitTimestampedSignature(sig: Uint8Array): { timestamp: bigint; signature: Buffer } | null {
  if (sig.length !== 72) return null;
  const b = Buffer.from(sig);
  return { timestamp: b.readBigUInt64BE(0), signature: b.subarray(8) };
}

/** A verifier for a witness key (type 0x04): checks `timestamp ‖ Ed25519(cosignature/v1 message)`. */
export function cosignatureV1Verifier(vkey: string | VerifierKey): NoteVerifier {
  const key = typeof vkey === 'string' ? parseVerifierKey(vkey, KEY_TYPE_COSIGNATURE_V1) : vkey;
  if (key.type !== KEY_TYPE_COSIGNATURE_V1) fail('bad_vkey', 'not a type 0x04 key');
  return {
    name: key.name,
    keyId: key.keyId,
    key,
    verify(text, sig) {
      const ts = splitTimestampedSignature(sig);
      if (!ts || ts.timestamp > MAX_TIMESTAMP) return false;
      return ed25519Verify(key.keyObject, cosignatureMessage(text.toString('utf8'), ts.timestamp), ts.signature);
    },
  };
}

export interface WitnessPolicy {
  /** Pinned witness verifier keys (type 0x04). */
  witnesses?: string[];
  /** How many distinct pinned witnesses must have cosigned (default 0). */
  quorum?: number;
  /**
   * If set (POSIX seconds), cosignatures whose time is after `now + maxFutureSeconds` are refused
   * (§6: verifiers MAY refuse future times, allowing at least 5 minutes of skew). Unset: not checked.
   */
  now?: number;
  /** Clock-skew allowance for `now`; default 300 (§6). */
  maxFutureSeconds?: number;
}

export interface VerifiedCosignature {
  name: string;
  keyId: number;
  vkey: string;
  timestamp: bigint;
}

export interface VerifiedCheckpoint extends Checkpoint {
  note: string;
  cosignatures: VerifiedCosignature[];
}

/**
 * §6: open a checkpoint note with the pinned log key and witness keys (§3 rules apply to every line),
 * check the log signature verified and its key name is the origin, and that at least `quorum` distinct
 * pinned witnesses' cosignatures verified.
 */
export function verifyCheckpoint(note: string | Uint8Array, logVkey: string | VerifierKey, policy: WitnessPolicy = {}): VerifiedCheckpoint {
  const logKey = typeof logVkey === 'string' ? parseVerifierKey(logVkey, KEY_TYPE_ED25519) : logVkey;
  const logVerifier = ed25519NoteVerifier(logKey);
  const witnessKeys = (policy.witnesses ?? []).map((w) => parseVerifierKey(w, KEY_TYPE_COSIGNATURE_V1));
  const quorum = policy.quorum ?? 0;
  if (!Number.isSafeInteger(quorum) || quorum < 0) fail('bad_policy', 'quorum must be a non-negative integer');
  const distinctPinned = new Set(witnessKeys.map((k) => k.publicKey.toString('hex'))).size;
  if (quorum > distinctPinned) fail('bad_policy', `quorum ${quorum} exceeds the ${distinctPinned} distinct pinned witnesses`);
  const witnessVerifiers = witnessKeys.map((k) => cosignatureV1Verifier(k));
  const opened = openNote(note, [logVerifier, ...witnessVerifiers]);
  if (!opened.verified.some((s) => s.verifier === logVerifier)) fail('no_log_signature', 'the checkpoint is not signed by the log key');
  const cp = parseCheckpointText(opened.text);
  if (cp.origin !== logKey.name) fail('bad_checkpoint', `origin ${JSON.stringify(cp.origin)} is not the log key name ${JSON.stringify(logKey.name)}`);
  const cosignatures: VerifiedCosignature[] = [];
  const counted = new Set<string>();
  for (const s of opened.verified) {
    if (s.verifier === logVerifier) continue;
    const { timestamp } = splitTimestampedSignature(s.signature)!;
    if (policy.now !== undefined && timestamp > BigInt(Math.floor(policy.now + (policy.maxFutureSeconds ?? DEFAULT_MAX_FUTURE_SECONDS))))
      fail('future_cosignature', `cosignature by ${s.name} is dated in the future (${timestamp})`);
    cosignatures.push({ name: s.name, keyId: s.keyId, vkey: s.verifier.key.vkey, timestamp });
    counted.add(s.verifier.key.publicKey.toString('hex'));
  }
  if (counted.size < quorum) fail('quorum_not_met', `${counted.size} of the required ${quorum} witness cosignatures`);
  return { ...cp, note: typeof note === 'string' ? note : Buffer.from(note).toString('utf8'), cosignatures };
}

// ---------------------------------------------------------------------------------------------------
// §8 Receipts

export const RECEIPT_HEADER = 'bulletin-gateway receipt/v1';

export interface Receipt {
  origin: string;
  eventId: string;
  payloadSha256: string;
  receivedAt: string;
  text: string;
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const HEX64_RE = /^[0-9a-f]{64}$/;
const TIME_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** §8: exactly five lines in exactly this form. */
export function parseReceiptText(text: string): Receipt {
  if (typeof text !== 'string' || !text.endsWith('\n')) fail('bad_receipt', 'text does not end in \\n');
  const lines = text.slice(0, -1).split('\n');
  if (lines.length !== 5) fail('bad_receipt', `expected 5 lines, got ${lines.length}`);
  const [origin, header, ev, dg, rc] = lines as [string, string, string, string, string];
  if (origin.length === 0) fail('bad_receipt', 'empty origin');
  if (header !== RECEIPT_HEADER) fail('bad_receipt', `second line is not "${RECEIPT_HEADER}"`);
  const eventId = ev.startsWith('event ') ? ev.slice(6) : '';
  if (!UUID_RE.test(eventId)) fail('bad_receipt', 'bad "event <uuid>" line');
  const payloadSha = dg.startsWith('payload-sha256 ') ? dg.slice(15) : '';
  if (!HEX64_RE.test(payloadSha)) fail('bad_receipt', 'bad "payload-sha256 <hex>" line');
  const receivedAt = rc.startsWith('received ') ? rc.slice(9) : '';
  if (!TIME_RE.test(receivedAt)) fail('bad_receipt', 'bad "received <time>" line');
  const t = new Date(receivedAt);
  if (Number.isNaN(t.getTime()) || t.toISOString() !== receivedAt) fail('bad_receipt', 'received time is not a real UTC time');
  return { origin, eventId, payloadSha256: payloadSha, receivedAt, text };
}

/** §8: a receipt is a note signed by the log key whose text is a receipt with the log's origin. */
export function verifyReceipt(note: string | Uint8Array, logVkey: string | VerifierKey): Receipt {
  const logKey = typeof logVkey === 'string' ? parseVerifierKey(logVkey, KEY_TYPE_ED25519) : logVkey;
  const opened = openNote(note, [ed25519NoteVerifier(logKey)]);
  const receipt = parseReceiptText(opened.text);
  if (receipt.origin !== logKey.name) fail('bad_receipt', `origin ${JSON.stringify(receipt.origin)} is not the log key name`);
  return receipt;
}

/** §8: the `event` record's event_id and payload_sha256 equal the receipt's. */
export function checkReceiptMatchesEvent(receipt: Receipt, record: unknown): void {
  const r = checkRecord(record);
  if (r.kind !== 'event') fail('receipt_mismatch', 'record is not an event');
  if (r.id !== receipt.eventId) fail('receipt_mismatch', 'the event id differs from the receipt');
  if (r.payload_sha256 !== receipt.payloadSha256) fail('receipt_mismatch', 'payload_sha256 differs from the receipt');
}

// ---------------------------------------------------------------------------------------------------
// §9 / §10 HTTP shapes and audits

/** One line of GET /v1/audit/entries (NDJSON). */
export interface EntryLine {
  index: number;
  kind: string;
  record: LeafRecord;
}

/** One entry of GET /v1/events/:id/proof. */
export interface ProofEntry extends EntryLine {
  inclusion: string[];
}

export interface EventProof {
  event_id: string;
  checkpoint: string;
  entries: ProofEntry[];
}

/** §9: the kinds of record that name an event and so appear in an event proof. */
export const EVENT_PROOF_KINDS = ['event', 'attempt', 'replay_item'] as const;

/** Refuses JSON text (already known to be valid) in which an object repeats a member name. */
export function assertNoDuplicateMembers(text: string, what = 'JSON'): void {
  const stack: Array<Set<string> | null> = [];
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') {
      let j = i + 1;
      while (text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      if (expectKey) {
        const key = JSON.parse(text.slice(i, j + 1)) as string;
        const members = stack[stack.length - 1]!;
        if (members.has(key)) fail('bad_json', `${what}: duplicate member name ${JSON.stringify(key)}`);
        members.add(key);
        expectKey = false;
      }
      i = j;
    } else if (ch === '{') {
      stack.push(new Set());
      expectKey = true;
    } else if (ch === '[') {
      stack.push(null);
    } else if (ch === '}' || ch === ']') {
      stack.pop();
      expectKey = false;
    } else if (ch === ',') {
      expectKey = stack[stack.length - 1] instanceof Set;
    }
  }
}

function parseJson(text: string, what: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    fail('bad_json', `${what}: ${(e as Error).message}`);
  }
  assertNoDuplicateMembers(text, what);
  return value;
}

/** §9 NDJSON: one JSON object per line, every line (the last included) ends in \n, no blank lines. */
export function parseNdjson(text: string): unknown[] {
  if (text === '') return [];
  if (!text.endsWith('\n')) fail('bad_ndjson', 'the last line does not end in \\n');
  return text.slice(0, -1).split('\n').map((line, i) => {
    if (line.trim() === '') fail('bad_ndjson', `empty line ${i + 1}`);
    return parseJson(line, `line ${i + 1}`);
  });
}

function checkEntryShape(e: unknown, what: string): EntryLine {
  if (e === null || typeof e !== 'object' || Array.isArray(e)) fail('bad_entry', `${what}: not an object`);
  const o = e as Record<string, unknown>;
  checkSize(o.index, `${what}.index`);
  const record = checkRecord(o.record);
  if (o.kind !== record.kind) fail('bad_entry', `${what}: kind ${JSON.stringify(o.kind)} differs from record.kind ${JSON.stringify(record.kind)}`);
  return o as unknown as EntryLine;
}

export interface EntriesAudit {
  checkpoint: VerifiedCheckpoint;
  leafHashes: Buffer[];
  entries: EntryLine[];
}

/**
 * §10 "Check the whole log": open the checkpoint (log key + optional witness policy), check that the
 * entries are exactly indices 0..size-1 in order, that each line's kind equals its record's kind, hash
 * every record and compare MTH with the checkpoint's root.
 *
 * `entries` is the NDJSON body of GET /v1/audit/entries?from=0&to=<size>, or the parsed lines.
 */
export function verifyEntriesAgainstCheckpoint(
  entries: string | readonly unknown[],
  checkpointNote: string | Uint8Array,
  vkey: string | VerifierKey,
  policy: WitnessPolicy = {},
): EntriesAudit {
  const checkpoint = verifyCheckpoint(checkpointNote, vkey, policy);
  const list = typeof entries === 'string' ? parseNdjson(entries) : entries;
  if (!Array.isArray(list)) fail('bad_entry', 'entries is not a list');
  if (list.length !== checkpoint.size) fail('entries_count', `${list.length} entries for a checkpoint of size ${checkpoint.size}`);
  const checked = list.map((e, i) => {
    const entry = checkEntryShape(e, `entry ${i}`);
    if (entry.index !== i) fail('entries_order', `line ${i} has index ${entry.index}, expected ${i}`);
    return entry;
  });
  const leafHashes = checked.map((e) => leafHash(e.record));
  const root = merkleRoot(leafHashes);
  if (!root.equals(checkpoint.rootHash)) fail('root_mismatch', `recomputed root ${encodeBase64(root)} is not the checkpoint's ${checkpoint.root}`);
  checkCrossRecordRules(checked);
  return { checkpoint, leafHashes, entries: checked };
}

/**
 * §10 (full audit) and §5.6, on the entries 0..n−1 of a checkpoint, in index order: every `attempt` and
 * `replay_item` names an event whose `event` entry is earlier; every `replay_item`, and every attempt
 * with a `replay_id`, names a replay whose `replay` entry is earlier; event and replay ids are those of
 * one record each (§5: `id` is the event id / the replay id) and attempt numbers are unique per event.
 */
export function checkCrossRecordRules(entries: readonly EntryLine[]): void {
  const events = new Set<string>();
  /** §5.6: each event's payload_sha256, and each rejection's excerpt digests by request id, for erasures. */
  const payloadDigests = new Map<string, unknown>();
  const excerptDigests = new Map<string, unknown[]>();
  const erased = new Set<string>();
  const replays = new Set<string>();
  const attempts = new Set<string>();
  const earlier = (set: Set<string>, id: unknown, what: string, e: EntryLine) => {
    if (typeof id !== 'string' || !set.has(id))
      fail('cross_record', `entry ${e.index} (${e.kind}) names ${what} ${String(id)} that no earlier entry records (§10)`);
  };
  for (const e of entries) {
    const r = e.record;
    if (r.kind === 'event' || r.kind === 'replay') {
      const ids = r.kind === 'event' ? events : replays;
      if (ids.has(r.id as string)) fail('cross_record', `entry ${e.index}: a second ${r.kind} record with id ${String(r.id)}`);
      ids.add(r.id as string);
      if (r.kind === 'event') payloadDigests.set(r.id as string, r.payload_sha256);
    } else if (r.kind === 'rejection') {
      excerptDigests.set(r.request_id as string, [...(excerptDigests.get(r.request_id as string) ?? []), r.payload_excerpt_sha256]);
    } else if (r.kind === 'erasure') {
      const target = r.event_id !== null ? `event ${String(r.event_id)}` : `rejection ${String(r.rejection_request_id)}`;
      const digests = r.event_id !== null ? (events.has(r.event_id as string) ? [payloadDigests.get(r.event_id as string)] : []) : (excerptDigests.get(r.rejection_request_id as string) ?? []);
      if (digests.length === 0) fail('cross_record', `entry ${e.index} (erasure) names ${target} that no earlier entry records (§10)`);
      if (!digests.includes(r.erased_sha256))
        fail('cross_record', `entry ${e.index} (erasure) of ${target} names a digest its record does not commit to`);
      if (r.event_id !== null) {
        if (erased.has(target)) fail('cross_record', `entry ${e.index}: a second erasure of ${target}`);
        erased.add(target);
      }
    } else if (r.kind === 'attempt' || r.kind === 'replay_item') {
      earlier(events, r.event_id, 'event', e);
      if (r.kind === 'replay_item' || r.replay_id !== null) earlier(replays, r.replay_id, 'replay', e);
      if (r.kind === 'attempt') {
        const key = `${String(r.event_id)} ${String(r.attempt_number)}`;
        if (attempts.has(key)) fail('cross_record', `entry ${e.index}: attempt ${String(r.attempt_number)} of event ${String(r.event_id)} again`);
        attempts.add(key);
      }
    }
  }
}

export interface EventProofOptions extends WitnessPolicy {
  /** The :id that was requested: the body's `event_id` must equal it (§10 step 1). */
  eventId?: string;
  /** The payload, if held: must match the event record's payload_sha256 (§5, §10 step 3). */
  payload?: unknown;
  /** A receipt (signed note), if held: verified and matched against the event record (§8). */
  receipt?: string;
}

export interface VerifiedEventProof {
  checkpoint: VerifiedCheckpoint;
  eventId: string;
  entries: Array<ProofEntry & { leafHash: Buffer }>;
  /** The `event` record(s) among the entries. */
  events: LeafRecord[];
  receipt?: Receipt;
}

/**
 * §10 "Check an event" for the body of GET /v1/events/:id/proof: check `event_id` (against the requested
 * id, if given), open the checkpoint (log key + optional witness policy), check the §9 rules (ascending
 * unique indices, kinds event / attempt / replay_item, exactly one event entry), then for every entry
 * kind = record.kind, the record follows §5 and names the event (§5.1), the event entry comes first, and its inclusion proof (§7.1) against the checkpoint's
 * size and root. Optionally check the payload and a receipt. (Step 4, consistency with an earlier
 * checkpoint, is `verifyConsistency`.)
 */
export function verifyEventProof(proofJson: string | unknown, vkey: string | VerifierKey, options: EventProofOptions = {}): VerifiedEventProof {
  const body = typeof proofJson === 'string' ? parseJson(proofJson, 'proof') : proofJson;
  if (body === null || typeof body !== 'object' || Array.isArray(body)) fail('bad_proof_body', 'not an object');
  const { event_id: bodyEventId, checkpoint: note, entries } = body as Record<string, unknown>;
  if (typeof bodyEventId !== 'string') fail('bad_proof_body', '"event_id" is not a string');
  if (options.eventId !== undefined && bodyEventId !== options.eventId)
    fail('wrong_event', `the body is about event ${bodyEventId}, not the requested ${options.eventId}`);
  if (typeof note !== 'string') fail('bad_proof_body', '"checkpoint" is not a string');
  if (!Array.isArray(entries)) fail('bad_proof_body', '"entries" is not an array');
  if (entries.length === 0) fail('bad_proof_body', 'no entries');
  const checkpoint = verifyCheckpoint(note, vkey, options);
  const eventId = bodyEventId;
  let previousIndex = -1;
  const out: VerifiedEventProof['entries'] = entries.map((e, i) => {
    const entry = checkEntryShape(e, `entries[${i}]`);
    const inclusion = (e as Record<string, unknown>).inclusion;
    if (!Array.isArray(inclusion)) fail('bad_entry', `entries[${i}].inclusion is not an array`);
    if (entry.index <= previousIndex) fail('bad_entry', `index ${entry.index} is not above the previous ${previousIndex}`);
    previousIndex = entry.index;
    if (!(EVENT_PROOF_KINDS as readonly string[]).includes(entry.kind))
      fail('bad_entry', `entries[${i}] is a ${entry.kind}, which an event proof does not hold`);
    const id = eventNamedBy(entry.record);
    if (id !== eventId) fail('wrong_event', `entries[${i}] names event ${String(id)}, not ${eventId}`);
    const h = leafHash(entry.record);
    try {
      verifyInclusion(entry.index, checkpoint.size, h, inclusion as string[], checkpoint.rootHash);
    } catch (err) {
      fail('bad_inclusion', `entries[${i}] (index ${entry.index}): ${(err as Error).message}`);
    }
    return { ...(entry as ProofEntry), leafHash: h };
  });
  const events = out.filter((e) => e.kind === 'event').map((e) => e.record);
  if (events.length !== 1) fail('no_event_entry', `${events.length} entries of kind "event", not exactly one`);
  if (out[0]!.kind !== 'event') fail('cross_record', `entry ${out[0]!.index} names the event before its event entry (§10)`);
  if (options.payload !== undefined) {
    const digest = payloadSha256(options.payload);
    if (!events.every((r) => r.payload_sha256 === digest)) fail('payload_mismatch', 'payload does not match payload_sha256');
  }
  let receipt: Receipt | undefined;
  if (options.receipt !== undefined) {
    receipt = verifyReceipt(options.receipt, vkey);
    for (const r of events) checkReceiptMatchesEvent(receipt, r);
  }
  return { checkpoint, eventId, entries: out, events, receipt };
}

// ---------------------------------------------------------------------------------------------------
// §9.1 Exports

export const EXPORT_FORMAT = 'bulletin-gateway-export/2';
export const EXPORT_NOTE_HEADER = 'bulletin-gateway export/v2';
/** §9.1: the event-line fields an `event` record proves, copied as they are. */
const EXPORT_PROVEN_FIELDS = ['partner_id', 'account_id', 'business_event', 'request_id', 'idempotency_key'] as const;

export interface VerifiedExport {
  checkpoint: VerifiedCheckpoint;
  scope: 'whole_log' | 'filtered';
  /** The event lines, as parsed. */
  events: Array<Record<string, unknown> & { id: string; entries: ProofEntry[] }>;
  /** Every proven entry of the file (event lines' and entry lines'), by index. */
  entries: Map<number, EntryLine>;
  /** Whole-log exports: the root recomputed from every entry (§4), equal to the checkpoint's. */
  recomputedRoot?: Buffer;
}

/**
 * §9.1 "Verifying an export", steps 1 to 7, on the whole file in memory (a test-sized verifier: it keeps
 * every leaf hash). A whole-log export's completeness is checked by recomputing the root from all its
 * entries, the method §9.1 step 7 allows besides the per-index count.
 */
export function verifyExport(text: string, vkey: string | VerifierKey, policy: WitnessPolicy = {}): VerifiedExport {
  const logKey = typeof vkey === 'string' ? parseVerifierKey(vkey, KEY_TYPE_ED25519) : vkey;
  // Step 1: the shape of the file.
  const lines = parseNdjson(text) as Array<Record<string, unknown>>;
  lines.forEach((line, i) => {
    if (line === null || typeof line !== 'object' || Array.isArray(line)) fail('bad_export', `line ${i + 1} is not an object`);
    if (line.type === 'error') fail('export_incomplete', `line ${i + 1}: the export failed on the server: ${String(line.error)}`);
  });
  if (lines.length < 2) fail('bad_export', 'an export has at least a header and a trailer');
  const header = lines[0]!;
  const trailer = lines[lines.length - 1]!;
  if (header.type !== 'header' || header.format !== EXPORT_FORMAT) fail('bad_export', `the first line is not a ${EXPORT_FORMAT} header`);
  if (trailer.type !== 'trailer') fail('bad_export', 'the last line is not the trailer');
  if (header.scope !== 'whole_log' && header.scope !== 'filtered') fail('bad_export', 'the header scope is neither whole_log nor filtered');
  const body = lines.slice(1, -1);
  let sawEntryLine = false;
  for (const [i, line] of body.entries()) {
    if (line.type === 'event' && sawEntryLine) fail('bad_export', `line ${i + 2}: an event line after the entry lines`);
    else if (line.type === 'entry') sawEntryLine = true;
    else if (line.type !== 'event') fail('bad_export', `line ${i + 2} has type ${JSON.stringify(line.type)}`);
  }
  // Step 2: the checkpoint.
  if (typeof header.checkpoint !== 'string') fail('no_checkpoint', 'the export names no checkpoint: it proves nothing');
  const checkpoint = verifyCheckpoint(header.checkpoint, logKey, policy);
  // Step 3: every entry proven, no index twice.
  const entries = new Map<number, EntryLine>();
  const prove = (e: unknown, what: string): EntryLine => {
    const entry = checkEntryShape(e, what);
    const inclusion = (e as Record<string, unknown>).inclusion;
    if (!Array.isArray(inclusion)) fail('bad_entry', `${what}.inclusion is not an array`);
    if (entry.index >= checkpoint.size) fail('bad_entry', `${what}: index ${entry.index} is not under the checkpoint of size ${checkpoint.size}`);
    try {
      verifyInclusion(entry.index, checkpoint.size, leafHash(entry.record), inclusion as string[], checkpoint.rootHash);
    } catch (err) {
      fail('bad_inclusion', `${what} (index ${entry.index}): ${(err as Error).message}`);
    }
    if (entries.has(entry.index)) fail('duplicate_entry', `${what}: index ${entry.index} appears twice`);
    entries.set(entry.index, entry);
    return entry;
  };
  // Step 4: event lines.
  const events: VerifiedExport['events'] = [];
  let lastPosition = -1;
  let lastOther = -1;
  for (const [i, line] of body.entries()) {
    const what = `line ${i + 2}`;
    if (line.type === 'entry') {
      // Step 5: entry lines.
      if (header.scope !== 'whole_log') fail('bad_export', `${what}: an entry line in a filtered export`);
      if (line.kind !== 'rejection' && line.kind !== 'replay') fail('bad_export', `${what}: an entry line holds a ${String(line.kind)}`);
      const entry = prove(line, what);
      if (entry.index <= lastOther) fail('bad_export', `${what}: entry lines not in ascending index order`);
      lastOther = entry.index;
      continue;
    }
    if (typeof line.position !== 'number' || !Number.isSafeInteger(line.position) || line.position <= lastPosition)
      fail('bad_export', `${what}: position not above the previous event line's`);
    lastPosition = line.position;
    if (!Array.isArray(line.entries) || line.entries.length === 0) fail('bad_export', `${what}: no entries`);
    if (typeof line.pending !== 'number' || !Number.isSafeInteger(line.pending) || line.pending < 0) fail('bad_export', `${what}: pending is not a count`);
    let previous = -1;
    const own = (line.entries as unknown[]).map((e, j) => {
      const entry = prove(e, `${what} entries[${j}]`);
      if (entry.index <= previous) fail('bad_export', `${what}: entries not in ascending index order`);
      previous = entry.index;
      if (!(EVENT_PROOF_KINDS as readonly string[]).includes(entry.kind)) fail('bad_export', `${what}: a ${entry.kind} entry in an event line`);
      if (eventNamedBy(entry.record) !== line.id) fail('wrong_event', `${what}: entry ${entry.index} names another event`);
      return entry;
    });
    const eventRecords = own.filter((e) => e.kind === 'event').map((e) => e.record);
    if (eventRecords.length !== 1) fail('no_event_entry', `${what}: ${eventRecords.length} event entries, not exactly one`);
    const record = eventRecords[0]!;
    for (const field of EXPORT_PROVEN_FIELDS)
      if (line[field] !== record[field]) fail('summary_mismatch', `${what}: ${field} differs from the event record`);
    if (line.received_at !== `${String(record.received_at).slice(0, 23)}Z`) fail('summary_mismatch', `${what}: received_at differs from the event record`);
    if (line.payload !== null) {
      if (payloadSha256(line.payload) !== record.payload_sha256) fail('summary_mismatch', `${what}: the payload's SHA-256 is not the record's payload_sha256`);
      const name = (line.payload as Record<string, unknown>)?.name;
      if (typeof name === 'string' && line.name !== name) fail('summary_mismatch', `${what}: name is not the payload's`);
    }
    events.push(line as VerifiedExport['events'][number]);
  }
  // Step 6: the trailer and its note.
  const before = text.slice(0, text.lastIndexOf('\n', text.length - 2) + 1);
  const digest = createHash('sha256').update(before, 'utf8').digest('hex');
  if (trailer.format !== EXPORT_FORMAT || trailer.lines !== lines.length - 1 || trailer.sha256 !== digest)
    fail('export_changed', 'the trailer does not match the lines before it');
  if (typeof trailer.signature !== 'string') fail('export_unsigned', 'the trailer is not signed');
  const note = openNote(trailer.signature, [ed25519NoteVerifier(logKey)]);
  if (note.text !== `${logKey.name}\n${EXPORT_NOTE_HEADER}\nlines ${lines.length - 1}\nsha256 ${digest}\n`)
    fail('bad_export_note', "the trailer note's text is not this file's");
  // Step 7: a whole-log export holds the whole tree.
  let recomputedRoot: Buffer | undefined;
  if (header.scope === 'whole_log') {
    const hashes: Buffer[] = [];
    for (let index = 0; index < checkpoint.size; index++) {
      const entry = entries.get(index);
      if (!entry) fail('export_incomplete', `entry ${index} of the ${checkpoint.size} under the checkpoint is missing`);
      hashes.push(leafHash(entry.record));
    }
    recomputedRoot = merkleRoot(hashes);
    if (!recomputedRoot.equals(checkpoint.rootHash)) fail('root_mismatch', 'the entries do not recompute the checkpoint root');
  }
  return { checkpoint, scope: header.scope, events, entries, recomputedRoot };
}
