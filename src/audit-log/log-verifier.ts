import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { GATEWAY_CONFIG } from '../config/config.module.js';
import type { GatewayConfig } from '../config/gateway-config.js';
import { openCheckpoint } from '../transparency/checkpoint.js';
import { payloadSha256, recordLeafHash, type LeafRecord } from '../transparency/leaf.js';
import { emptyRoot, nodeHash } from '../transparency/merkle.js';
import { type NoteVerifier, parseVerifierKey } from '../transparency/signed-note.js';
import { LEAF_TABLES, leafTable, recordOfSql, textSha256Sql } from './leaf-records.js';
import { completedNodes, type Queryable } from './tree-store.js';
import { withCosignatures } from './checkpoint-store.js';

export type ProblemKind =
  | 'deleted'
  | 'modified'
  | 'payload_modified'
  | 'backdated'
  | 'tree_gap'
  | 'node_mismatch'
  | 'not_in_tree'
  | 'checkpoint_invalid'
  | 'quorum_missing';

export interface LogProblem {
  /** Leaf index of the first entry that does not verify (null for a row missing from the tree, or a checkpoint). */
  index: number | null;
  kind: string;
  /** The row's position in its table (the checkpoint's tree size for a checkpoint). */
  ref: number;
  problem: ProblemKind;
  detail: string;
}

export interface VerificationReport {
  ok: boolean;
  entriesChecked: number;
  checkpointsChecked: number;
  /** Payloads (and rejection excerpts) erased through a recorded erasure whose digest matches the record: not a problem. */
  erasedPayloads: number;
  /** Whether checkpoint signatures were checked: only with a verifier key given by the caller, never one from the database. */
  signaturesChecked: boolean;
  head: { size: number; root: string };
  firstProblem: LogProblem | null;
  verifiedAt: string;
}

export interface TrustedKeys {
  /** The log's verifier key (vkey); without it checkpoint roots are checked but not their signatures. */
  log?: NoteVerifier;
  witnesses?: NoteVerifier[];
  quorum?: number;
}

const BATCH_SIZE = 5000;
/**
 * A record whose own time is this much earlier than a checkpoint signed before it joined the tree was
 * backdated: rows get their time when written, and are sealed within seconds of their transaction's end.
 */
export const BACKDATING_TOLERANCE_MS = 5 * 60_000;

interface CheckpointRow {
  position: string;
  tree_size: string;
  root_hash: Buffer;
  note: string;
  signed_at: Date;
}

/**
 * Verifies the whole log from the rows as they are now: recomputes every record and leaf hash, rebuilds
 * the tree and compares every stored leaf and node hash with it, checks every checkpoint's root against
 * the rebuilt tree (and its signature against a key the caller trusts), and looks for rows missing from
 * the tree. Names the first problem.
 */
@Injectable()
export class LogVerifier {
  constructor(
    private readonly db: DataSource,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  /** The keys of the configuration: the gateway's own verifier key and AUDIT_WITNESSES. */
  configuredKeys(): TrustedKeys {
    const { verifierKey, witnesses, witnessQuorum } = this.config.auditLog;
    return {
      log: verifierKey ? logVerifierOf(verifierKey) : undefined,
      witnesses: witnesses.map((w) => w.verifier),
      quorum: witnessQuorum,
    };
  }

  async verify(keys: TrustedKeys = this.configuredKeys(), onProgress?: (checked: number) => void): Promise<VerificationReport> {
    const checkpoints = new CheckpointsBySize(this.db);
    const walk = await this.walk(checkpoints, keys, onProgress);
    const problem =
      walk.problem ??
      (await this.findRowOutsideTree(this.db, walk.lastXid)) ??
      (await this.checkpointBeyondTree(checkpoints, walk.size)) ??
      (await this.checkQuorum(keys));
    return {
      ok: problem === undefined,
      entriesChecked: walk.size,
      checkpointsChecked: checkpoints.consumed,
      erasedPayloads: walk.erased,
      signaturesChecked: keys.log !== undefined,
      head: { size: walk.size, root: walk.root.toString('base64') },
      firstProblem: problem ?? null,
      verifiedAt: new Date().toISOString(),
    };
  }

  /**
   * One pass over the leaves in index order, with the checkpoints in size order beside them: each leaf's
   * record and hash, then the nodes it completes, then the checkpoints of the size it brings the tree to.
   * Memory stays flat however many leaves and checkpoints there are.
   */
  private async walk(checkpoints: CheckpointsBySize, keys: TrustedKeys, onProgress?: (checked: number) => void) {
    const state = {
      size: 0,
      erased: 0,
      frontier: [] as Buffer[],
      lastXid: '0',
      problem: undefined as LogProblem | undefined,
      root: emptyRoot(),
      /** The newest checkpoint signed before the next leaf joined the tree. */
      signedBefore: undefined as CheckpointRow | undefined,
    };
    const record = recordOfSql('l.kind', 'l.source_position');
    const emptyProblem = await this.checkCheckpointsOfSize(checkpoints, 0, emptyRoot, keys, state);
    if (emptyProblem) return { ...state, problem: emptyProblem };
    for (;;) {
      const rows = await this.db.query(
        `SELECT l.leaf_index, l.kind, l.source_position, l.source_xid::text AS xid, l.leaf_hash, ${record} AS record,
                CASE l.kind WHEN 'event' THEN (SELECT e.payload FROM bulletin_events e WHERE e.position = l.source_position) END AS payload,
                CASE l.kind WHEN 'rejection' THEN (SELECT ${textSha256Sql('r.payload_excerpt')} FROM rejected_requests r WHERE r.position = l.source_position) END AS excerpt_sha256,
                CASE l.kind
                  WHEN 'event' THEN (SELECT x.erased_sha256 FROM payload_erasures x JOIN bulletin_events e ON e.id = x.event_id WHERE e.position = l.source_position)
                  WHEN 'rejection' THEN (SELECT x.erased_sha256 FROM payload_erasures x WHERE x.rejection_position = l.source_position)
                END AS erased_sha256
           FROM audit_leaves l
          WHERE l.leaf_index >= $1 ORDER BY l.leaf_index LIMIT ${BATCH_SIZE}`,
        [state.size],
      );
      const batchStart = state.size;
      const computed: { level: number; index: number; hash: Buffer }[] = [];
      for (const row of rows) {
        const index = Number(row.leaf_index);
        const at = { index, kind: row.kind as string, ref: Number(row.source_position) };
        if (index !== state.size)
          return { ...state, problem: { ...at, index: state.size, problem: 'tree_gap', detail: `leaf ${state.size} is missing from the tree` } as LogProblem };
        const problem = this.checkLeaf(row, at);
        if (problem === 'erased') state.erased++;
        else if (problem) return { ...state, problem };
        const backdated = state.signedBefore ? backdating(row.record, state.signedBefore) : undefined;
        if (backdated) return { ...state, problem: { ...at, problem: 'backdated', detail: backdated } as LogProblem };
        const step = completedNodes(state.size, state.frontier, [row.leaf_hash]);
        computed.push(...step.nodes);
        state.frontier = step.frontier;
        state.size++;
        state.lastXid = row.xid;
        const frontier = state.frontier;
        const checkpointProblem = await this.checkCheckpointsOfSize(checkpoints, state.size, () => foldFrontier(frontier), keys, state);
        if (checkpointProblem) return { ...state, problem: checkpointProblem };
      }
      const problem = await this.compareStoredNodes(computed, batchStart, state.size);
      if (problem) return { ...state, problem };
      onProgress?.(state.size);
      if (state.size > 0) state.root = foldFrontier(state.frontier);
      if (rows.length < BATCH_SIZE) return state;
    }
  }

  /** Checks every checkpoint of exactly `size` leaves against the rebuilt root and, with a key, its signature. */
  private async checkCheckpointsOfSize(
    checkpoints: CheckpointsBySize,
    size: number,
    rootOfSize: () => Buffer,
    keys: TrustedKeys,
    state: { signedBefore: CheckpointRow | undefined },
  ): Promise<LogProblem | undefined> {
    for (let c = await checkpoints.peek(); c && Number(c.tree_size) === size; c = await checkpoints.peek()) {
      checkpoints.take();
      if (!rootOfSize().equals(c.root_hash)) return invalidCheckpoint(c, 'its root differs from the tree rebuilt from the records');
      if (keys.log) {
        try {
          const opened = openCheckpoint(c.note, keys.log);
          if (opened.checkpoint.size !== size || !opened.checkpoint.rootHash.equals(c.root_hash))
            return invalidCheckpoint(c, 'the signed note names another tree than its row');
        } catch (error) {
          return invalidCheckpoint(c, `its signature does not verify with the trusted key (${(error as Error).message})`);
        }
      }
      if (!state.signedBefore || new Date(c.signed_at) > new Date(state.signedBefore.signed_at)) state.signedBefore = c;
    }
    return undefined;
  }

  /** A checkpoint of more leaves than the tree has: entries it covered were deleted. */
  private async checkpointBeyondTree(checkpoints: CheckpointsBySize, size: number): Promise<LogProblem | undefined> {
    const c = await checkpoints.peek();
    if (!c) return undefined;
    checkpoints.take();
    return invalidCheckpoint(c, `it covers ${c.tree_size} leaves but the tree has ${size}: entries were deleted`);
  }

  /** With a quorum, the latest checkpoint must carry that many cosignatures of the trusted witnesses. */
  private async checkQuorum(keys: TrustedKeys): Promise<LogProblem | undefined> {
    if (!keys.log || (keys.quorum ?? 0) === 0) return undefined;
    const [latest]: CheckpointRow[] = await this.db.query(
      'SELECT position, tree_size, root_hash, note, signed_at FROM audit_tree_checkpoints ORDER BY position DESC LIMIT 1',
    );
    if (!latest) return undefined;
    try {
      openCheckpoint(await withCosignatures(this.db, latest), keys.log, keys.witnesses ?? [], keys.quorum);
      return undefined;
    } catch (error) {
      return { ...invalidCheckpoint(latest, (error as Error).message), problem: 'quorum_missing' };
    }
  }

  private checkLeaf(
    row: { kind: string; record: LeafRecord | null; leaf_hash: Buffer; payload: unknown; excerpt_sha256: string | null; erased_sha256: string | null },
    at: Omit<LogProblem, 'problem' | 'detail'>,
  ): LogProblem | 'erased' | undefined {
    const what = `${row.kind} ${at.ref} (leaf ${at.index})`;
    if (row.record === null) return { ...at, problem: 'deleted', detail: `${what} was removed from the log` };
    if (!recordLeafHash(row.record).equals(row.leaf_hash))
      return { ...at, problem: 'modified', detail: `${what} differs from the record sealed into the tree` };
    if (row.kind !== 'event' && row.kind !== 'rejection') return undefined;
    const [content, committed] =
      row.kind === 'event'
        ? ['payload', row.record.payload_sha256 as string]
        : ['payload excerpt', row.record.payload_excerpt_sha256 as string | null];
    // The erasure marker (SQL NULL) is fine only with a recorded erasure of exactly what the record commits to.
    const erased = row.kind === 'event' ? row.payload === null : row.excerpt_sha256 === null && committed !== null;
    if (row.erased_sha256 !== null && row.erased_sha256 !== committed)
      return { ...at, problem: 'payload_modified', detail: `the erasure recorded for the ${content} of ${what} names another digest than the record commits to` };
    if (erased) {
      if (row.erased_sha256 === null)
        return { ...at, problem: 'payload_modified', detail: `the ${content} of ${what} was removed without a recorded erasure` };
      return 'erased';
    }
    const actual = row.kind === 'event' ? payloadSha256(row.payload) : row.excerpt_sha256;
    if (actual !== committed)
      return { ...at, problem: 'payload_modified', detail: `the ${content} of ${what} does not match its ${row.kind === 'event' ? 'payload_sha256' : 'payload_excerpt_sha256'}` };
    return undefined;
  }

  /** Compares the nodes rebuilt from the verified leaves of [start, end) with the stored ones. */
  private async compareStoredNodes(
    computed: { level: number; index: number; hash: Buffer }[],
    start: number,
    end: number,
  ): Promise<LogProblem | undefined> {
    const stored = await storedNodesCompletedBetween(this.db, start, end);
    for (const node of computed) {
      const hash = stored.get(`${node.level}/${node.index}`);
      if (!hash || !hash.equals(node.hash)) {
        const first = node.index * 2 ** node.level;
        return {
          index: first,
          kind: 'node',
          ref: node.level,
          problem: 'node_mismatch',
          detail: `the stored hash of leaves [${first}, ${first + 2 ** node.level}) ${hash ? 'differs from' : 'is missing, expected'} the hash of the records`,
        };
      }
    }
    return undefined;
  }

  /** A row written by a transaction the sealer has passed, yet absent from the tree, was slipped in. */
  private async findRowOutsideTree(db: Queryable, lastSealedXid: string): Promise<LogProblem | undefined> {
    for (const { kind, table } of LEAF_TABLES) {
      const [row] = await db.query<{ position: string }[]>(
        `SELECT t.position FROM ${table} t
          WHERE t.inserted_xid < $1::xid8
            AND NOT EXISTS (SELECT 1 FROM audit_leaves l WHERE l.kind = $2 AND l.source_position = t.position)
          ORDER BY t.position LIMIT 1`,
        [lastSealedXid, kind],
      );
      if (row)
        return {
          index: null,
          kind,
          ref: Number(row.position),
          problem: 'not_in_tree',
          detail: `${kind} ${row.position} is in the log but not in the tree: it was inserted behind the sealer`,
        };
    }
    return undefined;
  }
}

const invalidCheckpoint = (c: CheckpointRow, why: string): LogProblem => ({
  index: null,
  kind: 'checkpoint',
  ref: Number(c.tree_size),
  problem: 'checkpoint_invalid',
  detail: `checkpoint ${c.position} (size ${c.tree_size}): ${why}`,
});

const CHECKPOINTS_PER_PAGE = 1000;

/** The stored checkpoints in (size, position) order, a page at a time. */
class CheckpointsBySize {
  consumed = 0;
  private page: CheckpointRow[] = [];
  private at = 0;
  private after = { size: -1, position: 0 };
  private exhausted = false;

  constructor(private readonly db: Queryable) {}

  async peek(): Promise<CheckpointRow | undefined> {
    if (this.at >= this.page.length && !this.exhausted) await this.load();
    return this.page[this.at];
  }

  take(): void {
    this.at++;
    this.consumed++;
  }

  private async load(): Promise<void> {
    this.page = await this.db.query(
      `SELECT position, tree_size, root_hash, note, signed_at FROM audit_tree_checkpoints
        WHERE (tree_size, position) > ($1, $2) ORDER BY tree_size, position LIMIT ${CHECKPOINTS_PER_PAGE}`,
      [this.after.size, this.after.position],
    );
    this.at = 0;
    this.exhausted = this.page.length < CHECKPOINTS_PER_PAGE;
    const last = this.page[this.page.length - 1];
    if (last) this.after = { size: Number(last.tree_size), position: Number(last.position) };
  }
}

export const logVerifierOf = (vkey: string): NoteVerifier => parseVerifierKey(vkey);

/** MTH of the tree whose complete left subtrees are `frontier` (highest first): folded from the right. */
function foldFrontier(frontier: Buffer[]): Buffer {
  let hash = frontier[frontier.length - 1];
  for (let i = frontier.length - 2; i >= 0; i--) hash = nodeHash(frontier[i], hash);
  return hash;
}

/** Stored nodes whose last leaf is in [start, end): per level, a range of indices. */
async function storedNodesCompletedBetween(db: Queryable, start: number, end: number): Promise<Map<string, Buffer>> {
  const levels: number[] = [];
  const lows: number[] = [];
  const highs: number[] = [];
  for (let level = 1; 2 ** level <= end; level++) {
    const width = 2 ** level;
    const low = Math.ceil((start + 1) / width) - 1;
    const high = Math.floor(end / width) - 1;
    if (high >= low) {
      levels.push(level);
      lows.push(low);
      highs.push(high);
    }
  }
  const found = new Map<string, Buffer>();
  if (levels.length === 0) return found;
  const rows: { level: number; idx: string; hash: Buffer }[] = await db.query(
    `SELECT n.level, n.idx, n.hash FROM unnest($1::int[], $2::bigint[], $3::bigint[]) AS w (level, lo, hi)
       JOIN audit_tree_nodes n ON n.level = w.level AND n.idx BETWEEN w.lo AND w.hi`,
    [levels, lows, highs],
  );
  for (const row of rows) found.set(`${row.level}/${Number(row.idx)}`, row.hash);
  return found;
}

/** Why a record looks backdated with respect to a checkpoint signed before it joined the tree, if it does. */
function backdating(record: LeafRecord | null, checkpoint: CheckpointRow): string | undefined {
  if (!record) return undefined;
  const field = leafTable(record.kind).time;
  const claimed = Date.parse(String(record[field]));
  const signedAt = new Date(checkpoint.signed_at).getTime();
  if (!(claimed < signedAt - BACKDATING_TOLERANCE_MS)) return undefined;
  return `${record.kind} says ${field} ${record[field]}, yet it joined the tree after the checkpoint of size ${checkpoint.tree_size} signed at ${new Date(signedAt).toISOString()}: it was backdated`;
}
