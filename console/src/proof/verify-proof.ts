import canonicalize from 'canonicalize';

/**
 * Checks an event's proof in the browser, with WebCrypto, as docs/audit-format.md says an auditor does:
 * the checkpoint must be signed by the log key the auditor pinned, and every entry's record must hash
 * (RFC 8785, RFC 9162 leaf) and climb its inclusion proof to that checkpoint's root. Nothing the gateway
 * says about itself is taken on trust, so a console served by a tampered gateway still cannot fake a pass
 * without the pinned key.
 */

export interface EventProof {
  checkpoint: string;
  entries: { index: number; kind: string; record: Record<string, unknown>; inclusion: string[] }[];
}

export type ProofCheck =
  | { ok: true; origin: string; size: number; entries: number }
  | { ok: false; reason: string };

interface VerifierKey {
  name: string;
  keyId: number;
  publicKey: Bytes;
}

/** WebCrypto takes bytes backed by a plain ArrayBuffer. */
type Bytes = Uint8Array<ArrayBuffer>;

const ED25519_TYPE = 0x01;
const SIGNATURE_PREFIX = '\u2014 ';
const text = new TextEncoder();

export async function checkEventProof(proof: EventProof, pinnedKey: string, eventId: string): Promise<ProofCheck> {
  try {
    const key = await parseVerifierKey(pinnedKey);
    const checkpoint = await openCheckpoint(proof.checkpoint, key);
    if (!proof.entries.some((entry) => entry.kind === 'event' && entry.record.id === eventId))
      return { ok: false, reason: 'the proof has no entry for this event' };
    for (const entry of proof.entries) {
      if (entry.record.kind !== entry.kind || eventOf(entry.record) !== eventId)
        return { ok: false, reason: `entry ${entry.index} is not about this event` };
      const leaf = await leafHash(entry.record);
      const path = entry.inclusion.map(fromBase64);
      if (!(await verifyInclusion(entry.index, checkpoint.size, leaf, path, checkpoint.root)))
        return { ok: false, reason: `entry ${entry.index} (${entry.kind}) is not included in the signed tree` };
    }
    return { ok: true, origin: checkpoint.origin, size: checkpoint.size, entries: proof.entries.length };
  } catch (error) {
    return { ok: false, reason: (error as Error).message };
  }
}

export type CheckpointCheck =
  | { ok: true; origin: string; size: number; root: string; otherSigners: string[] }
  | { ok: false; reason: string };

/** The latest checkpoint, opened with the pinned key; other signature lines (witnesses) are listed by name. */
export async function checkCheckpoint(note: string, pinnedKey: string): Promise<CheckpointCheck> {
  try {
    const key = await parseVerifierKey(pinnedKey);
    const checkpoint = await openCheckpoint(note, key);
    const otherSigners = signatureLines(note)
      .map(parseSignature)
      .filter((sig) => sig.name !== key.name || sig.keyId !== key.keyId)
      .map((sig) => sig.name);
    const root = btoa(String.fromCharCode(...checkpoint.root));
    return { ok: true, origin: checkpoint.origin, size: checkpoint.size, root, otherSigners };
  } catch (error) {
    return { ok: false, reason: (error as Error).message };
  }
}

/** An event's own record names it `id`; its attempts and replay items name it `event_id` (audit-format.md §5). */
const eventOf = (record: Record<string, unknown>) => (record.kind === 'event' ? record.id : record.event_id);

/** `<name>+<8 hex key ID>+<base64(0x01 ‖ Ed25519 public key)>`, with the key ID recomputed. */
export async function parseVerifierKey(vkey: string): Promise<VerifierKey> {
  const [name, idHex, rest] = splitTwice(vkey.trim());
  const bytes = rest === undefined ? undefined : fromBase64(rest);
  if (!name || !/^[0-9a-f]{8}$/.test(idHex ?? '') || !bytes || bytes.length !== 33 || bytes[0] !== ED25519_TYPE)
    throw new Error('the pinned key is not a verifier key (name+keyid+base64)');
  const publicKey = bytes.slice(1);
  const keyId = parseInt(idHex!, 16);
  if ((await keyIdOf(name, publicKey)) !== keyId) throw new Error('the pinned key\'s ID does not match its name and key');
  return { name, keyId, publicKey };
}

/** A C2SP signed-note checkpoint, opened with the pinned key: `origin\nsize\nbase64(root)\n`. */
async function openCheckpoint(note: string, key: VerifierKey): Promise<{ origin: string; size: number; root: Bytes }> {
  const split = note.lastIndexOf('\n\n');
  if (split < 0) throw new Error('the checkpoint is not a signed note');
  const body = note.slice(0, split + 1);
  const ours = signatureLines(note)
    .map(parseSignature).find((sig) => sig.name === key.name && sig.keyId === key.keyId);
  if (!ours) throw new Error(`the checkpoint is not signed by the pinned key ${key.name}`);
  const publicKey = await crypto.subtle.importKey('raw', key.publicKey, { name: 'Ed25519' }, false, ['verify']);
  if (!(await crypto.subtle.verify({ name: 'Ed25519' }, publicKey, ours.signature, text.encode(body))))
    throw new Error('the checkpoint signature does not verify with the pinned key');
  const [origin, sizeText, rootText] = body.split('\n');
  if (origin !== key.name || !/^(0|[1-9][0-9]*)$/.test(sizeText ?? '')) throw new Error('the checkpoint is malformed');
  const root = fromBase64(rootText ?? '');
  if (root.length !== 32) throw new Error('the checkpoint root is not a SHA-256 hash');
  return { origin, size: Number(sizeText), root };
}

function signatureLines(note: string): string[] {
  return note
    .slice(note.lastIndexOf('\n\n') + 2)
    .split('\n')
    .filter((line) => line !== '');
}

function parseSignature(line: string): { name: string; keyId: number; signature: Bytes } {
  if (!line.startsWith(SIGNATURE_PREFIX)) throw new Error('the checkpoint has a malformed signature line');
  const [name, encoded] = line.slice(SIGNATURE_PREFIX.length).split(' ');
  const bytes = fromBase64(encoded ?? '');
  if (bytes.length < 5) throw new Error('the checkpoint has a malformed signature line');
  return { name, keyId: new DataView(bytes.buffer).getUint32(0), signature: bytes.slice(4) };
}

/** RFC 9162 §2.1.3.2. */
export async function verifyInclusion(index: number, size: number, leaf: Bytes, proof: Bytes[], root: Bytes): Promise<boolean> {
  if (index >= size) return false;
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of proof) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = await sha256(new Uint8Array([1]), p, r);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      r = await sha256(new Uint8Array([1]), r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && equal(r, root);
}

export async function leafHash(record: Record<string, unknown>): Promise<Bytes> {
  return sha256(new Uint8Array([0]), text.encode(canonicalize(record)!));
}

async function keyIdOf(name: string, publicKey: Bytes): Promise<number> {
  const digest = await sha256(text.encode(`${name}\n`), new Uint8Array([ED25519_TYPE]), publicKey);
  return new DataView(digest.buffer).getUint32(0);
}

async function sha256(...parts: Bytes[]): Promise<Bytes> {
  const joined = new Uint8Array(parts.reduce((total, part) => total + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    joined.set(part, offset);
    offset += part.length;
  }
  return new Uint8Array(await crypto.subtle.digest('SHA-256', joined));
}

function fromBase64(encoded: string): Bytes {
  try {
    return Uint8Array.from(atob(encoded), (c) => c.charCodeAt(0));
  } catch {
    throw new Error('a hash or signature is not base64');
  }
}

/** Base64 may contain '+', so only the first two separate the key's fields. */
function splitTwice(value: string): (string | undefined)[] {
  const first = value.indexOf('+');
  const second = first < 0 ? -1 : value.indexOf('+', first + 1);
  if (second < 0) return [undefined, undefined, undefined];
  return [value.slice(0, first), value.slice(first + 1, second), value.slice(second + 1)];
}

const equal = (a: Bytes, b: Bytes) => a.length === b.length && a.every((byte, i) => byte === b[i]);
