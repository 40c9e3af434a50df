import { Inject, Injectable } from '@nestjs/common';
import type pg from 'pg';
import QueryStream from 'pg-query-stream';
import { Transform, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DataSource } from 'typeorm';
import { GatewayError, invalidField } from '../common/gateway.error.js';
import { GATEWAY_CONFIG } from '../config/config.module.js';
import type { GatewayConfig } from '../config/gateway-config.js';
import { openCheckpoint, parseCheckpoint } from '../transparency/checkpoint.js';
import type { LeafRecord } from '../transparency/leaf.js';
import { formatSignatureLine, NoteError, parseNote, parseVerifierKey } from '../transparency/signed-note.js';
import { CheckpointSigner } from './checkpoint-signer.service.js';
import { latestCheckpoint, type StoredCheckpoint, withCosignatures } from './checkpoint-store.js';
import { recordOfSql } from './leaf-records.js';
import { storedTree } from './tree-reader.js';

export interface ServedCheckpoint {
  /** The signed note, with witness cosignatures appended. */
  note: string;
  treeSize: number;
  /** Set when the signer refuses to sign because the database no longer matches this checkpoint. */
  mismatch?: string;
}

export interface ProvenEntry {
  index: number;
  kind: string;
  record: LeafRecord;
  inclusion: string[];
}

const ENTRIES_PER_FETCH = 500;
const b64 = (hash: Buffer) => hash.toString('base64');

/** Checkpoints, proofs and entries as auditors and partners fetch them. */
@Injectable()
export class LogProofs {
  constructor(
    private readonly db: DataSource,
    private readonly signer: CheckpointSigner,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  /**
   * The latest checkpoint; while the signer refuses, the last one it signed (from its state outside the
   * database), marked as no longer matching the database.
   */
  async checkpoint(): Promise<ServedCheckpoint> {
    const status = this.signer.status;
    if (status.state === 'refusing' && status.lastGood.note)
      return { note: status.lastGood.note, treeSize: status.lastGood.tree_size, mismatch: status.reason };
    const latest = await latestCheckpoint(this.db);
    if (!latest)
      throw new GatewayError('no_checkpoint', 404, this.config.auditLog.signer ? 'No checkpoint has been signed yet' : 'No checkpoint: AUDIT_SIGNING_KEY is not set');
    return {
      note: await withCosignatures(this.db, latest),
      treeSize: Number(latest.tree_size),
      mismatch: status.state === 'refusing' ? status.reason : undefined,
    };
  }

  /** A range within the served checkpoint: 0 ≤ from ≤ to ≤ its size, and at most `maxWidth` wide. */
  async checkRange(from: number, to: number, maxWidth = Number.MAX_SAFE_INTEGER): Promise<void> {
    if (from > to) throw invalidField('from', 'from must not exceed to');
    if (to - from > maxWidth) throw invalidField('to', `at most ${maxWidth} entries per request`);
    const { treeSize } = await this.checkpoint();
    if (to > treeSize) throw invalidField('to', `to must be at most the latest checkpoint's size, ${treeSize}`);
  }

  async consistency(from: number, to: number): Promise<{ from: number; to: number; proof: string[] }> {
    await this.checkRange(from, to);
    return { from, to, proof: (await storedTree.consistency(this.db, from, to)).map(b64) };
  }

  /**
   * Every leaf of one event (the event, its attempts, its replay items) with its inclusion proof to the
   * served checkpoint. Leaves sealed after that checkpoint are left out and counted in `pending`.
   */
  async eventProof(eventId: string, onlyPartner?: string) {
    const served = await this.checkpoint();
    const leaves = await this.eventLeaves(eventId, onlyPartner);
    if (!leaves) throw new GatewayError('not_found', 404, 'No such event');
    const covered = leaves.filter((leaf) => leaf.index < served.treeSize);
    if (!covered.some((leaf) => leaf.kind === 'event'))
      throw new GatewayError('not_yet_checkpointed', 409, 'The event is not covered by a signed checkpoint yet: retry after the next one');
    const entries: ProvenEntry[] = [];
    for (const leaf of covered)
      entries.push({ ...leaf, inclusion: (await storedTree.inclusion(this.db, leaf.index, served.treeSize)).map(b64) });
    return {
      event_id: eventId,
      checkpoint: served.note,
      entries,
      pending: leaves.length - covered.length,
      ...(served.mismatch ? { database_matches_checkpoint: false, mismatch: served.mismatch } : {}),
    };
  }

  /** The event's leaves, in index order, or undefined when the event does not exist (or is another partner's). */
  private async eventLeaves(eventId: string, onlyPartner?: string): Promise<Omit<ProvenEntry, 'inclusion'>[] | undefined> {
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(eventId)) return undefined;
    const [event] = await this.db.query(
      `SELECT position FROM bulletin_events WHERE id = $1 ${onlyPartner ? 'AND partner_id = $2' : ''}`,
      onlyPartner ? [eventId, onlyPartner] : [eventId],
    );
    if (!event) return undefined;
    const record = recordOfSql('l.kind', 'l.source_position');
    const rows = await this.db.query(
      `SELECT l.leaf_index, l.kind, ${record} AS record
         FROM (SELECT 'event'::text AS kind, $2::bigint AS position
               UNION ALL SELECT 'attempt', a.position FROM dispatch_attempts a WHERE a.event_id = $1
               UNION ALL SELECT 'replay_item', i.position FROM replay_items i WHERE i.event_id = $1) mine
         JOIN audit_leaves l ON l.kind = mine.kind AND l.source_position = mine.position
         
        ORDER BY l.leaf_index`,
      [eventId, event.position],
    );
    return rows.map((row: { leaf_index: string; kind: string; record: LeafRecord }) => ({
      index: Number(row.leaf_index),
      kind: row.kind,
      record: row.record,
    }));
  }

  /** Streams leaves [from, to) (checked with checkRange first) as NDJSON `{"index", "kind", "record"}` lines through a server-side cursor. */
  async streamEntries(from: number, to: number, output: Writable): Promise<void> {
    const record = recordOfSql('l.kind', 'l.source_position');
    const runner = this.db.createQueryRunner();
    try {
      const client = (await runner.connect()) as pg.PoolClient;
      const rows = client.query(
        new QueryStream(
          `SELECT l.leaf_index, l.kind, ${record} AS record FROM audit_leaves l 
            WHERE l.leaf_index >= $1 AND l.leaf_index < $2 ORDER BY l.leaf_index`,
          [from, to],
          { batchSize: ENTRIES_PER_FETCH },
        ),
      );
      const lines = new Transform({
        writableObjectMode: true,
        transform(row, _encoding, done) {
          done(null, `${JSON.stringify({ index: Number(row.leaf_index), kind: row.kind, record: row.record })}\n`);
        },
      });
      await pipeline(rows, lines, output);
    } finally {
      await runner.release();
    }
  }

  /**
   * Stores a witness's cosignature of a stored checkpoint after checking it against AUDIT_WITNESSES: a
   * submitter cannot add a cosignature the witness's key did not make.
   */
  async addCosignature(checkpointNote: string, cosignatureLine: string, submittedBy: string) {
    const { witnesses, verifierKey } = this.config.auditLog;
    if (!verifierKey) throw new GatewayError('no_checkpoint', 404, 'No checkpoint: AUDIT_SIGNING_KEY is not set');
    if (witnesses.length === 0) throw new GatewayError('no_witnesses', 409, 'No witness is configured (AUDIT_WITNESSES)');
    let stored: StoredCheckpoint | undefined;
    let witness: string;
    try {
      const text = parseNote(checkpointNote).text;
      const { size, rootHash } = parseCheckpoint(text);
      [stored] = await this.db.query(
        'SELECT position, tree_size, root_hash, note, signed_at FROM audit_tree_checkpoints WHERE tree_size = $1 AND root_hash = $2 ORDER BY position LIMIT 1',
        [size, rootHash],
      );
      if (!stored) throw new GatewayError('not_found', 404, 'This log never signed that checkpoint');
      const line = cosignatureLine.replace(/\n$/, '');
      const [signature] = parseNote(`x\n\n${line}\n`).signatures;
      const opened = openCheckpoint(`${stored.note}${line}\n`, parseVerifierKey(verifierKey), witnesses.map((w) => w.verifier));
      const verified = opened.cosignatures.find((c) => c.name === signature.name && c.keyId === signature.keyId);
      if (!verified) throw new GatewayError('invalid_cosignature', 400, 'The cosignature is not by a witness in AUDIT_WITNESSES');
      witness = verified.name;
      await this.db.query(
        `INSERT INTO audit_cosignatures (checkpoint_position, witness, signature_line, submitted_by) VALUES ($1, $2, $3, $4)
         ON CONFLICT (checkpoint_position, witness) DO NOTHING`,
        [stored.position, witness, formatSignatureLine(verified).replace(/\n$/, ''), submittedBy],
      );
    } catch (error) {
      if (error instanceof NoteError) throw new GatewayError('invalid_cosignature', 400, error.message);
      throw error;
    }
    return { checkpoint_size: Number(stored.tree_size), witness };
  }
}
