import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { GATEWAY_CONFIG } from '../config/config.module.js';
import type { GatewayConfig } from '../config/gateway-config.js';
import { GatewayMetrics } from '../metrics/gateway-metrics.js';
import { signCheckpoint } from '../transparency/checkpoint.js';
import { verifyConsistency } from '../transparency/merkle.js';
import { readSignerState, type SignerState, writeSignerState } from './signer-state.js';
import { storedTree } from './tree-reader.js';
import { MissingNodeError, type Queryable } from './tree-store.js';

/** Shared with the sealer: one process at a time appends to the tree or signs it. */
export const TREE_LOCK_KEY = 0x7365616c;

/** What resolveMismatch did: nothing (the database matched), or the tree it accepted and why the signer had refused. */
export type Resolution = { resolved: false } | { resolved: true; refusedBecause: string; accepted: SignerState };

export type SignerStatus =
  | { state: 'signing' | 'not_configured' }
  | { state: 'refusing'; reason: string; since: string; lastGood: SignerState };

/**
 * Signs a C2SP checkpoint of the tree whenever it grew, at most every AUDIT_CHECKPOINT_INTERVAL_MS, and
 * never one that forks from the last checkpoint it signed: that one is kept in AUDIT_STATE_DIR, outside
 * the database, and each new tree must be proven consistent with it first. When the database no longer
 * matches (restored from a backup, rows or tree rewritten, checkpoints deleted) it refuses, says why on
 * /health/ready, in a metric, in the error log and in audit_signer_events, until an operator resolves it
 * (docs/audit-operations.md).
 */
@Injectable()
export class CheckpointSigner {
  private readonly logger = new Logger(CheckpointSigner.name);
  private current: SignerStatus;

  constructor(
    private readonly db: DataSource,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    @Optional() private readonly metrics?: GatewayMetrics,
  ) {
    this.current = { state: config.auditLog.signer ? 'signing' : 'not_configured' };
  }

  get status(): SignerStatus {
    return this.current;
  }

  /** Checks the database against the signer's state and signs a new checkpoint when one is due. */
  async signIfDue(): Promise<void> {
    const { signer, stateDir } = this.config.auditLog;
    if (!signer || !stateDir) return;
    const signed = await this.db.transaction(async (tx) => {
      const [{ locked }] = await tx.query<{ locked: boolean }[]>('SELECT pg_try_advisory_xact_lock($1) AS locked', [TREE_LOCK_KEY]);
      const problem = await this.mismatch(tx);
      await this.setStatus(tx, problem);
      if (problem || !locked) return undefined;
      // Under the lock the tree cannot grow until this transaction ends.
      const size = await storedTree.size(tx);
      if (!(await this.due(tx, size))) return undefined;
      return this.sign(tx, size);
    });
    // Only once the checkpoint is committed: a state naming a checkpoint the database lacks means deletion.
    if (signed) {
      writeSignerState(stateDir, signed);
      this.metrics?.auditCheckpointSize.set(signed.tree_size);
    }
  }

  /** The empty tree is signed too, so the checkpoint route always has an answer (docs/audit-format.md §9). */
  private async due(tx: EntityManager, size: number): Promise<boolean> {
    const [latest] = await tx.query<{ tree_size: string; old_enough: boolean }[]>(
      `SELECT tree_size, now() - signed_at >= make_interval(secs => $1 / 1000.0) AS old_enough
         FROM audit_tree_checkpoints ORDER BY position DESC LIMIT 1`,
      [this.config.audit.checkpointIntervalMs],
    );
    return !latest || (Number(latest.tree_size) < size && latest.old_enough);
  }

  private async sign(tx: EntityManager, size: number): Promise<SignerState> {
    const { origin, signer } = this.config.auditLog;
    const rootHash = await storedTree.root(tx, size);
    const note = signCheckpoint({ origin, size, rootHash, extensions: [] }, signer!);
    const [row] = await tx.query<{ signed_at: Date }[]>(
      `INSERT INTO audit_tree_checkpoints (tree_size, root_hash, note) VALUES ($1, $2, $3) RETURNING signed_at`,
      [size, rootHash, note],
    );
    return { origin, tree_size: size, root_hash: rootHash.toString('base64'), note, signed_at: new Date(row.signed_at).toISOString() };
  }

  /**
   * An operator's answer to a refusing signer (docs/audit-operations.md): accept the database's current
   * tree as the signer's new starting point. Recorded in audit_signer_events (why, by whom, the state
   * given up and the head accepted) before the state file is replaced; does nothing when the database
   * matches.
   */
  async resolveMismatch(reason: string, by: string): Promise<Resolution> {
    const { stateDir, origin, signer } = this.config.auditLog;
    if (!signer || !stateDir) throw new Error('AUDIT_SIGNING_KEY and AUDIT_STATE_DIR must be set: this resolves the signer of this host');
    if (!/\S/.test(reason)) throw new Error('a reason is required');
    const problem = await this.mismatch(this.db);
    if (!problem) return { resolved: false };
    const size = await storedTree.size(this.db);
    const previous = readSignerState(stateDir);
    const root = await storedTree.root(this.db, size);
    const accepted: SignerState = { origin, tree_size: size, root_hash: root.toString('base64'), note: null, signed_at: new Date().toISOString() };
    await this.db.query(`INSERT INTO audit_signer_events (kind, recorded_by, detail) VALUES ('resolved', $1, $2)`, [
      by,
      {
        reason,
        refused_because: problem.reason,
        previous_state: previous ? { ...previous, note: undefined } : null,
        accepted_tree: { ...accepted, note: undefined },
      },
    ]);
    writeSignerState(stateDir, accepted);
    return { resolved: true, refusedBecause: problem.reason, accepted };
  }

  /**
   * Why the database's tree may not be signed, or undefined when it extends the last checkpoint this
   * signer signed. The state is read before the tree: a state file is written only after its checkpoint
   * committed, so the tree read next is at least that large even while another process seals and signs.
   */
  async mismatch(db: Queryable): Promise<{ reason: string; state: SignerState } | undefined> {
    const state = readSignerState(this.config.auditLog.stateDir!);
    if (!state) return undefined;
    const size = await storedTree.size(db);
    const signedBefore = `the checkpoint of size ${state.tree_size} this signer signed at ${state.signed_at}`;
    if (state.origin !== this.config.auditLog.origin)
      return { state, reason: `AUDIT_STATE_DIR holds the signer state of log ${state.origin}, not of ${this.config.auditLog.origin}` };
    if (size < state.tree_size)
      return {
        state,
        reason: `the database's tree has ${size} leaves, fewer than ${signedBefore}: the database was rolled back or its newest entries deleted`,
      };
    try {
      if (state.tree_size > 0) {
        const proof = await storedTree.consistency(db, state.tree_size, size);
        const root = await storedTree.root(db, size);
        if (!verifyConsistency(state.tree_size, size, proof, Buffer.from(state.root_hash, 'base64'), root))
          return {
            state,
            reason: `the database's tree is not consistent with ${signedBefore}: entries were rewritten or the database holds another history`,
          };
      }
    } catch (error) {
      if (!(error instanceof MissingNodeError)) throw error;
      return { state, reason: `the database's tree lost stored hashes (${error.message}) since ${signedBefore}` };
    }
    if (state.note !== null) {
      const [kept] = await db.query<unknown[]>('SELECT 1 FROM audit_tree_checkpoints WHERE tree_size = $1 AND note = $2 LIMIT 1', [state.tree_size, state.note]);
      if (!kept)
        return { state, reason: `${signedBefore} is missing from the database: checkpoints were deleted or the database was restored from a backup` };
    }
    return undefined;
  }

  private async setStatus(db: Queryable, problem: { reason: string; state: SignerState } | undefined): Promise<void> {
    if (!problem) {
      if (this.current.state === 'refusing') this.logger.log('the database matches the signer state again: signing resumes');
      this.current = { state: 'signing' };
      this.metrics?.auditSignerRefusing.set(0);
      return;
    }
    this.metrics?.auditSignerRefusing.set(1);
    if (this.current.state === 'refusing' && this.current.reason === problem.reason) return;
    this.current = { state: 'refusing', reason: problem.reason, since: new Date().toISOString(), lastGood: problem.state };
    this.logger.error(`refusing to sign a checkpoint: ${problem.reason} (see docs/audit-operations.md)`);
    await db.query(
      `INSERT INTO audit_signer_events (kind, recorded_by, detail) VALUES ('refused', $1, $2)`,
      [`gateway:${process.pid}`, { reason: problem.reason, signer_state: { ...problem.state, note: undefined } }],
    );
  }
}
