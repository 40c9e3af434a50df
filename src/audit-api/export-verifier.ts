import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { openCheckpoint } from '../transparency/checkpoint.js';
import { type LeafRecord, payloadSha256, recordLeafHash } from '../transparency/leaf.js';
import { verifyInclusion } from '../transparency/merkle.js';
import { decodeBase64, type NoteVerifier, openNote } from '../transparency/signed-note.js';
import { parseStrictJson } from '../transparency/strict-json.js';
import { EXPORT_FORMAT, exportNoteText } from './event-export.js';

export interface ExportTrust {
  /** The log's verifier key, pinned by the auditor: required, a key found in the file proves nothing. */
  log: NoteVerifier;
  witnesses?: readonly NoteVerifier[];
  quorum?: number;
}

export interface ExportVerification {
  ok: boolean;
  lines: number;
  /** True once the trailer's note verified against the pinned key. */
  signed: boolean;
  problem?: string;
  scope?: 'whole_log' | 'filtered';
  treeSize?: number;
  events?: number;
  /** Leaves proven, in event lines and entry lines. */
  entries?: number;
}

class Invalid extends Error {}

const EVENT_KINDS = new Set(['event', 'attempt', 'replay_item']);
const OTHER_KINDS = new Set(['rejection', 'replay']);
/** Summary fields of an event line copied from its `event` record. */
const COPIED_FIELDS = ['partner_id', 'account_id', 'business_event', 'request_id', 'idempotency_key'] as const;

/**
 * Verifies an NDJSON export offline, as docs/audit-format.md §9.1 says, failing closed: the trailer's
 * note by the pinned log key over the SHA-256 of every line before it, the header's checkpoint (log key,
 * witness quorum), every entry's leaf hash and inclusion proof against that checkpoint, each event line
 * against its `event` record, no leaf twice, and for a whole-log export every leaf of the tree.
 * Memory: one bit per leaf of the checkpoint's tree.
 */
export async function verifyExportFile(path: string, trust: ExportTrust | undefined): Promise<ExportVerification> {
  const state: State = { lines: 0, signed: false, events: 0, entries: 0 };
  try {
    await verify(path, trust, state);
    return { ok: true, ...state };
  } catch (error) {
    if (!(error instanceof Invalid)) throw error;
    return { ok: false, ...state, problem: error.message };
  }
}

type State = Omit<ExportVerification, 'ok' | 'problem'> & { events: number; entries: number };

async function verify(path: string, trust: ExportTrust | undefined, state: State) {
  if (!trust) throw new Invalid('no pinned verifier key: an export is checked against the log key you trust');
  // An export that failed midway ends with an error line: the most useful thing to say, so said first.
  const last = await lastLine(path);
  if (last?.type === 'error') throw new Invalid(`the export failed on the server and is incomplete: ${last.error}`);
  const hash = createHash('sha256');
  let trailer: Record<string, any> | undefined;
  let tree: { size: number; root: Buffer; seen: Uint8Array } | undefined;
  let lastPosition = -1;
  let lastOther = -1;
  const see = (index: number) => {
    const bit = 1 << (index % 8);
    if (tree!.seen[index >> 3] & bit) throw new Invalid(`line ${state.lines + 1}: entry ${index} appears twice`);
    tree!.seen[index >> 3] |= bit;
  };
  const proveEntry = (entry: any, where: string): LeafRecord => {
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) throw new Invalid(`${where}: an entry is not an object`);
    const { index, kind, record, inclusion } = entry;
    if (!Number.isSafeInteger(index) || index < 0 || index >= tree!.size) throw new Invalid(`${where}: entry index ${index} is not under the checkpoint`);
    if (typeof record !== 'object' || record === null || Array.isArray(record) || record.kind !== kind)
      throw new Invalid(`${where}: entry ${index}: kind and record.kind differ`);
    if (!Array.isArray(inclusion) || !inclusion.every((h) => typeof h === 'string'))
      throw new Invalid(`${where}: entry ${index}: the inclusion proof is not an array of base64 hashes`);
    const proof = inclusion.map((h: string) => decodeBase64(h));
    let leaf: Buffer;
    try {
      leaf = recordLeafHash(record);
    } catch (error) {
      throw new Invalid(`${where}: entry ${index}: ${(error as Error).message}`);
    }
    if (proof.some((h) => !h) || !verifyInclusion(index, tree!.size, leaf, proof as Buffer[], tree!.root))
      throw new Invalid(`${where}: entry ${index} is not in the log at the checkpoint: its inclusion proof fails`);
    see(index);
    state.entries++;
    return record;
  };

  for await (const text of createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity })) {
    const where = `line ${state.lines + 1}`;
    if (trailer) throw new Invalid('data follows the trailer');
    let line: Record<string, any>;
    try {
      line = parseStrictJson(text) as Record<string, any>;
    } catch (error) {
      throw new Invalid(`${where} is not JSON: ${(error as Error).message}`);
    }
    if (typeof line !== 'object' || line === null || Array.isArray(line)) throw new Invalid(`${where} is not a JSON object`);
    if (line.type === 'error') throw new Invalid(`the export failed on the server and is incomplete: ${line.error}`);
    if (line.type === 'trailer') {
      trailer = line;
      continue;
    }
    hash.update(`${text}\n`, 'utf8');
    state.lines++;
    if (state.lines === 1) {
      if (line.type !== 'header') throw new Invalid('the first line is not the header');
      if (line.format !== EXPORT_FORMAT) throw new Invalid(`the format is ${JSON.stringify(line.format)}, not ${EXPORT_FORMAT}`);
      if (line.scope !== 'whole_log' && line.scope !== 'filtered') throw new Invalid('the header has no scope');
      if (typeof line.checkpoint !== 'string') throw new Invalid('the export names no checkpoint, so it proves nothing (export from a gateway with AUDIT_SIGNING_KEY)');
      let opened;
      try {
        opened = openCheckpoint(line.checkpoint, trust.log, trust.witnesses ?? [], trust.quorum ?? 0);
      } catch (error) {
        throw new Invalid(`the header's checkpoint does not verify: ${(error as Error).message}`);
      }
      const { size, rootHash } = opened.checkpoint;
      tree = { size, root: rootHash, seen: new Uint8Array(Math.ceil(size / 8)) };
      state.scope = line.scope;
      state.treeSize = size;
      continue;
    }
    if (line.type === 'event') {
      if (lastOther >= 0) throw new Invalid(`${where}: an event line follows the entry lines`);
      if (!Number.isSafeInteger(line.position) || line.position <= lastPosition) throw new Invalid(`${where}: event lines are not in ascending position order`);
      lastPosition = line.position;
      if (!Array.isArray(line.entries) || line.entries.length === 0) throw new Invalid(`${where}: the event line has no entries`);
      if (!Number.isSafeInteger(line.pending) || line.pending < 0) throw new Invalid(`${where}: pending is not a count`);
      let previous = -1;
      let event: LeafRecord | undefined;
      for (const entry of line.entries) {
        const record = proveEntry(entry, where);
        if (entry.index <= previous) throw new Invalid(`${where}: entries are not in ascending index order`);
        previous = entry.index;
        if (!EVENT_KINDS.has(record.kind)) throw new Invalid(`${where}: entry ${entry.index} is a ${record.kind}, which names no event`);
        if (record.kind === 'event') {
          if (event) throw new Invalid(`${where}: two event entries`);
          event = record;
        }
        const names = record.kind === 'event' ? record.id : record.event_id;
        if (names !== line.id) throw new Invalid(`${where}: entry ${entry.index} is about another event`);
      }
      if (!event) throw new Invalid(`${where}: no entry is the event itself`);
      checkSummary(line, event, where);
      state.events++;
      continue;
    }
    if (line.type === 'entry') {
      if (state.scope !== 'whole_log') throw new Invalid(`${where}: entry lines belong to whole-log exports only`);
      if (!OTHER_KINDS.has(line.kind)) throw new Invalid(`${where}: an entry line holds a ${line.kind}; those belong to event lines`);
      const record = proveEntry(line, where);
      if (line.index <= lastOther) throw new Invalid(`${where}: entry lines are not in ascending index order`);
      lastOther = line.index;
      void record;
      continue;
    }
    throw new Invalid(`${where}: unknown line type ${JSON.stringify(line.type)}`);
  }
  if (state.lines === 0) throw new Invalid('the file is empty');
  if (!trailer) throw new Invalid('the trailer line is missing: the file is incomplete');
  const sha256 = hash.digest('hex');
  if (trailer.format !== EXPORT_FORMAT || trailer.sha256 !== sha256 || trailer.lines !== state.lines)
    throw new Invalid('the content does not match the trailer: the file was changed');
  if (typeof trailer.signature !== 'string') throw new Invalid('the export is not signed, so it proves nothing (export from a gateway with AUDIT_SIGNING_KEY)');
  try {
    const { text } = openNote(trailer.signature, [trust.log]);
    if (text !== exportNoteText(trust.log.name, state.lines, sha256)) throw new Error('its text is not this file\'s');
  } catch (error) {
    throw new Invalid(`the trailer's signature does not verify with the pinned key: ${(error as Error).message}`);
  }
  state.signed = true;
  if (state.scope === 'whole_log') {
    const { size, seen } = tree!;
    for (let index = 0; index < size; index++)
      if (!(seen[index >> 3] & (1 << (index % 8)))) throw new Invalid(`the whole-log export lacks entry ${index} of the ${size} the checkpoint covers`);
  }
}

async function lastLine(path: string): Promise<Record<string, any> | undefined> {
  const file = await open(path, 'r');
  try {
    const { size } = await file.stat();
    const length = Math.min(size, 64 * 1024);
    const { buffer } = await file.read(Buffer.alloc(length), 0, length, size - length);
    const text = buffer.toString('utf8').trimEnd();
    return JSON.parse(text.slice(text.lastIndexOf('\n') + 1));
  } catch {
    return undefined;
  } finally {
    await file.close();
  }
}

/** The fields of an event line that its `event` record proves. */
function checkSummary(line: Record<string, any>, event: LeafRecord, where: string): void {
  const differs = (field: string) => new Invalid(`${where}: the line's ${field} is not its event record's`);
  if (line.id !== event.id) throw differs('id');
  for (const field of COPIED_FIELDS) if ((line[field] ?? null) !== (event[field] ?? null)) throw differs(field);
  if (typeof event.received_at !== 'string' || line.received_at !== `${event.received_at.slice(0, 23)}Z`) throw differs('received_at');
  if (line.payload !== null && line.payload !== undefined) {
    if (payloadSha256(line.payload) !== event.payload_sha256) throw differs('payload (its SHA-256)');
    if (typeof line.payload.name === 'string' && line.name !== line.payload.name) throw differs('name');
  }
}
