import { randomInt } from 'node:crypto';
import { type Checkpoint, openCheckpoint } from '../transparency/checkpoint.js';
import { canonicalJson, recordLeafHash } from '../transparency/leaf.js';
import { rootOf, verifyInclusion } from '../transparency/merkle.js';
import { NoteError, type NoteVerifier } from '../transparency/signed-note.js';
import { type LogClient, type LogEntry, hashes } from './log-client.js';
import { checkExtends, type ForkProblem } from './log-consistency.js';
import { readTrustedHead, writeTrustedHead } from './trusted-head.js';

export type MonitorProblem = ForkProblem | 'bad_signature' | 'missing_cosignatures' | 'leaf_mismatch';

export interface MonitorOptions {
  client: LogClient;
  logVerifier: NoteVerifier;
  witnesses: NoteVerifier[];
  quorum: number;
  statePath: string;
  /** How many new leaves to check against their inclusion proofs. */
  sample: number;
  /** Read every entry and recompute the root, instead of sampling. */
  full: boolean;
}

export type MonitorReport =
  | { ok: true; size: number; previousSize?: number; leavesChecked: number }
  | { ok: false; problem: MonitorProblem; detail: string };

/**
 * One round of an auditor's monitor: the latest checkpoint must be signed by the pinned log key (and
 * `quorum` pinned witnesses), extend the checkpoint kept in the state file, and serve the same leaves
 * through its entries and its proofs. Only then is it kept as the new reference.
 */
export async function monitorOnce(options: MonitorOptions): Promise<MonitorReport> {
  const { client, statePath } = options;
  const note = await client.checkpoint();
  const opened = openVerified(note, options);
  if ('problem' in opened) return opened;
  const checkpoint = opened.checkpoint;
  const trusted = await readTrustedHead(statePath);
  if (trusted) {
    const fork = await checkExtends(client, trusted, checkpoint);
    if (fork) return { ok: false, ...fork };
  }
  const from = trusted?.size ?? 0;
  const mismatch = options.full ? await checkWholeTree(client, checkpoint) : await spotCheck(options, checkpoint, from);
  if (typeof mismatch === 'string') return { ok: false, problem: 'leaf_mismatch', detail: mismatch };
  writeTrustedHead(statePath, checkpoint, note);
  return { ok: true, size: checkpoint.size, previousSize: trusted?.size, leavesChecked: mismatch };
}

function openVerified(note: string, options: MonitorOptions): { checkpoint: Checkpoint } | { ok: false; problem: MonitorProblem; detail: string } {
  let opened;
  try {
    opened = openCheckpoint(note, options.logVerifier, options.witnesses);
  } catch (error) {
    return { ok: false, problem: 'bad_signature', detail: `the checkpoint does not verify: ${(error as NoteError).message}` };
  }
  if (opened.cosignatures.length < options.quorum)
    return {
      ok: false,
      problem: 'missing_cosignatures',
      detail: `the checkpoint has ${opened.cosignatures.length} valid cosignatures of the pinned witnesses; ${options.quorum} are required`,
    };
  return { checkpoint: opened.checkpoint };
}

/** Every leaf up to the checkpoint, recomputed into its root. Returns the leaves checked, or what differs. */
async function checkWholeTree(client: LogClient, checkpoint: Checkpoint): Promise<number | string> {
  const leaves: Buffer[] = [];
  for await (const entry of client.entries(0, checkpoint.size)) {
    if (entry.index !== leaves.length) return `the entries skip from index ${leaves.length - 1} to ${entry.index}`;
    leaves.push(recordLeafHash(entry.record));
  }
  if (leaves.length !== checkpoint.size) return `the log served ${leaves.length} entries for a checkpoint of ${checkpoint.size}`;
  if (!rootOf(leaves).equals(checkpoint.rootHash)) return 'the entries served do not hash to the checkpoint root';
  return leaves.length;
}

/**
 * Leaves added since the last round, picked at random: each read from the entries route must be the
 * leaf its event's proof proves included, under a checkpoint consistent with this one.
 */
async function spotCheck(options: MonitorOptions, checkpoint: Checkpoint, from: number): Promise<number | string> {
  const indices = pickIndices(from, checkpoint.size, options.sample);
  for (const index of indices) {
    const problem = await checkLeaf(options, checkpoint, index);
    if (problem) return problem;
  }
  return indices.length;
}

const EVENT_PROOF_KINDS = ['event', 'attempt', 'replay_item'];

async function checkLeaf(options: MonitorOptions, checkpoint: Checkpoint, index: number): Promise<string | undefined> {
  const { client } = options;
  let entry: LogEntry | undefined;
  for await (const served of client.entries(index, index + 1)) entry = served;
  if (!entry || entry.index !== index) return `the entries route did not serve entry ${index}`;
  // An event's own record names it `id`, its attempts and replay items `event_id` (audit-format.md §5).
  // Only those kinds are in an event's proof (§9): rejections, replays and erasures have no proof route.
  if (!EVENT_PROOF_KINDS.includes(entry.kind)) return undefined;
  const eventId = entry.kind === 'event' ? entry.record.id : entry.record.event_id;
  if (typeof eventId !== 'string') return undefined;
  const proof = await client.eventProof(eventId);
  const proven = proof.entries.find((candidate) => candidate.index === index);
  if (!proven) return `entry ${index} (${entry.kind} of event ${eventId}) is missing from that event's proof`;
  if (!canonicalJson(proven.record).equals(canonicalJson(entry.record)))
    return `entry ${index} differs between the entries route and the event's proof`;
  const opened = openVerified(proof.checkpoint, { ...options, witnesses: [], quorum: 0 });
  if ('problem' in opened) return `the proof of event ${eventId} carries a checkpoint that does not verify`;
  const proofHead = opened.checkpoint;
  if (!verifyInclusion(index, proofHead.size, recordLeafHash(entry.record), hashes(proven.inclusion, 'inclusion proof'), proofHead.rootHash))
    return `the inclusion proof of entry ${index} does not lead to the root of its checkpoint`;
  return (await sameTree(options.client, checkpoint, proofHead))
    ? undefined
    : `the checkpoint of event ${eventId}'s proof (size ${proofHead.size}) is not consistent with the latest one`;
}

/** The proof's checkpoint may be newer or older than the one being checked: either must extend the other. */
async function sameTree(client: LogClient, a: Checkpoint, b: Checkpoint): Promise<boolean> {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  const trusted = { origin: small.origin, size: small.size, root_hash: small.rootHash.toString('base64'), checkpoint: '', recorded_at: '' };
  return (await checkExtends(client, trusted, large)) === undefined;
}

function pickIndices(from: number, to: number, count: number): number[] {
  if (to - from <= count) return Array.from({ length: to - from }, (_, i) => from + i);
  const picked = new Set<number>([to - 1]); // the newest leaf always: truncation shows there first
  while (picked.size < count) picked.add(randomInt(from, to));
  return [...picked].sort((x, y) => x - y);
}
