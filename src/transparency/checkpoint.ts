import { HASH_SIZE } from './merkle.js';
import {
  decodeBase64,
  isValidKeyName,
  NoteError,
  type NoteSignature,
  type NoteSigner,
  type NoteVerifier,
  openNote,
  signNote,
} from './signed-note.js';

/**
 * C2SP tlog-checkpoint (https://c2sp.org/tlog-checkpoint): the note text
 *
 *   <origin>\n<tree size in decimal>\n<base64 root hash>\n[<extension line>\n ...]
 *
 * signed as a signed note by the log's key, whose name is the origin.
 */
export interface Checkpoint {
  origin: string;
  size: number;
  rootHash: Buffer;
  /** Opaque, non-empty lines after the root; the spec discourages them and this log writes none. */
  extensions: string[];
}

export function formatCheckpoint(checkpoint: Checkpoint): string {
  const { origin, size, rootHash, extensions } = checkpoint;
  // The spec only recommends a key-name-like origin; this log also signs with a key named after it.
  if (!isValidKeyName(origin)) throw new NoteError('checkpoint origin must be non-empty, without white space or "+"');
  if (!Number.isSafeInteger(size) || size < 0) throw new NoteError(`checkpoint size ${size} is not a whole number`);
  if (rootHash.length !== HASH_SIZE) throw new NoteError('checkpoint root hash must be 32 bytes');
  if (extensions.some((line) => line === '' || /[\x00-\x1f]/.test(line)))
    throw new NoteError('checkpoint extension lines must be non-empty single lines');
  return [origin, String(size), rootHash.toString('base64'), ...extensions].map((line) => `${line}\n`).join('');
}

/** Parses checkpoint note text strictly: decimal size without leading zeros, a 32-byte root. */
export function parseCheckpoint(text: string): Checkpoint {
  if (!text.endsWith('\n')) throw new NoteError('malformed checkpoint: the text must end in a newline');
  const lines = text.slice(0, -1).split('\n');
  if (lines.length < 3) throw new NoteError('malformed checkpoint: fewer than three lines');
  const [origin, sizeText, rootText, ...extensions] = lines;
  if (origin === '') throw new NoteError('malformed checkpoint: empty origin');
  if (!/^(0|[1-9][0-9]*)$/.test(sizeText) || !Number.isSafeInteger(Number(sizeText)))
    throw new NoteError('malformed checkpoint: the size is not a decimal number without leading zeros');
  const rootHash = decodeBase64(rootText);
  if (!rootHash || rootHash.length !== HASH_SIZE)
    throw new NoteError('malformed checkpoint: the root hash is not base64 of 32 bytes');
  if (extensions.some((line) => line === '')) throw new NoteError('malformed checkpoint: empty extension line');
  return { origin, size: Number(sizeText), rootHash, extensions };
}

export function signCheckpoint(checkpoint: Checkpoint, logSigner: NoteSigner): string {
  if (logSigner.name !== checkpoint.origin) throw new NoteError('the log key name must be the checkpoint origin');
  return signNote(formatCheckpoint(checkpoint), logSigner);
}

export interface OpenedCheckpoint {
  checkpoint: Checkpoint;
  /** Verified signatures by the witnesses passed in, one per witness. */
  cosignatures: NoteSignature[];
}

/**
 * Verifies a checkpoint note: the log's signature must verify and its key name must be the origin; with
 * `quorum` > 0, at least that many distinct witnesses must have cosigned it. Witnesses are distinct by
 * public key (an Ed25519 cosignature does not commit to the witness name, so one key under two names is
 * one witness); a quorum larger than the distinct pinned keys is a configuration error. Other signatures
 * are ignored.
 */
export function openCheckpoint(
  note: string | Uint8Array,
  logVerifier: NoteVerifier,
  witnesses: readonly NoteVerifier[] = [],
  quorum = 0,
): OpenedCheckpoint {
  const witnessKey = (w: { name: string; keyId: number }) => {
    const pinned = witnesses.find((v) => v.name === w.name && v.keyId === w.keyId);
    return pinned?.publicKey?.toString('hex') ?? `${w.name}+${w.keyId}`;
  };
  const distinctPinned = new Set(witnesses.map(witnessKey)).size;
  if (!Number.isSafeInteger(quorum) || quorum < 0 || quorum > distinctPinned)
    throw new NoteError(`witness quorum ${quorum} is not between 0 and the ${distinctPinned} distinct witness keys given`);
  const opened = openNote(note, [logVerifier, ...witnesses]);
  const isLog = (s: NoteSignature) => s.name === logVerifier.name && s.keyId === logVerifier.keyId;
  if (!opened.verified.some(isLog)) throw new NoteError(`checkpoint is not signed by the log key ${logVerifier.name}`);
  const checkpoint = parseCheckpoint(opened.text);
  if (checkpoint.origin !== logVerifier.name)
    throw new NoteError(`checkpoint origin ${checkpoint.origin} is not the log key name ${logVerifier.name}`);
  const cosignatures = opened.verified.filter((s) => !isLog(s));
  const cosigners = new Set(cosignatures.map(witnessKey)).size;
  if (cosigners < quorum)
    throw new NoteError(`checkpoint has ${cosigners} distinct witness cosignatures, fewer than the ${quorum} required`);
  return { checkpoint, cosignatures };
}
