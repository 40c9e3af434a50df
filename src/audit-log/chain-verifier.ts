import { Inject, Injectable } from '@nestjs/common';
import canonicalize from 'canonicalize';
import { DataSource } from 'typeorm';
import { GATEWAY_CONFIG } from '../config/config.module.js';
import type { GatewayConfig } from '../config/gateway-config.js';
import { CHAINED_TABLES, entryDigest, GENESIS_HASH, linkHash } from './audit-chain.js';
import { publicKeyOf, verifyText } from './signing-key.js';

export interface BrokenLink {
  /** Chain position of the first entry that does not verify (or the log row that is missing from it). */
  position: number | null;
  entryKind: string;
  entryRef: number;
  problem: 'modified' | 'deleted' | 'chain_link_broken' | 'chain_gap' | 'not_in_chain' | 'checkpoint_invalid';
  detail: string;
}

export interface VerificationReport {
  ok: boolean;
  entriesChecked: number;
  checkpointsChecked: number;
  head: { position: number; hash: string };
  firstBrokenLink: BrokenLink | null;
  verifiedAt: string;
}

const BATCH_SIZE = 5000;

/**
 * Walks the chain from the start, recomputing every entry's digest from the row as it is now and every
 * link from the one before, then checks that no row was slipped in behind the sealer and that every
 * signed checkpoint matches the chain. Stops at the first broken link and names it.
 */
@Injectable()
export class ChainVerifier {
  constructor(
    private readonly db: DataSource,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  /** `onProgress` hears the number of entries checked so far (the CLI's progress bar). */
  async verify(onProgress?: (checked: number) => void): Promise<VerificationReport> {
    const walk = await this.walkChain(onProgress);
    const broken = walk.broken ?? (await this.findUnchainedRow(walk.lastXid)) ?? (await this.checkCheckpoints(walk.hashes));
    return {
      ok: broken === undefined,
      entriesChecked: walk.checked,
      checkpointsChecked: walk.checkpoints,
      head: { position: walk.position, hash: walk.hash },
      firstBrokenLink: broken ?? null,
      verifiedAt: new Date().toISOString(),
    };
  }

  private async walkChain(onProgress?: (checked: number) => void) {
    const state = { position: 0, hash: GENESIS_HASH, checked: 0, checkpoints: 0, lastXid: '0', broken: undefined as BrokenLink | undefined, hashes: new Map<number, string>() };
    const checkpointPositions = new Set<number>(
      (await this.db.query('SELECT position FROM audit_checkpoints')).map((row: { position: string }) => Number(row.position)),
    );
    state.checkpoints = checkpointPositions.size;
    for (;;) {
      const entries = await this.entriesAfter(state.position);
      for (const entry of entries) {
        state.broken = this.checkEntry(entry, state.position, state.hash);
        if (state.broken) return state;
        state.position = Number(entry.position);
        state.hash = entry.hash;
        state.lastXid = entry.entry_xid;
        state.checked++;
        if (checkpointPositions.has(state.position)) state.hashes.set(state.position, state.hash);
      }
      onProgress?.(state.checked);
      if (entries.length < BATCH_SIZE) return state;
    }
  }

  private entriesAfter(position: number): Promise<ChainEntryRow[]> {
    const rowJoins = CHAINED_TABLES.map(
      ({ kind, table }) =>
        `LEFT JOIN ${table} ${kind} ON c.entry_kind = '${kind}' AND ${kind}.position = c.entry_ref`,
    ).join('\n');
    const rowOf = `COALESCE(${CHAINED_TABLES.map(({ kind }) => `to_jsonb(${kind})`).join(', ')})`;
    return this.db.transaction(async (tx) => {
      await tx.query(`SET LOCAL TimeZone = 'UTC'`);
      return tx.query(
        `SELECT c.position, c.entry_kind, c.entry_ref, c.entry_xid::text, c.digest, c.hash, ${rowOf} AS row
           FROM audit_chain c ${rowJoins}
          WHERE c.position > $1 ORDER BY c.position LIMIT ${BATCH_SIZE}`,
        [position],
      );
    });
  }

  private checkEntry(entry: ChainEntryRow, previousPosition: number, previousHash: string): BrokenLink | undefined {
    const at = { position: Number(entry.position), entryKind: entry.entry_kind, entryRef: Number(entry.entry_ref) };
    if (at.position !== previousPosition + 1)
      return { ...at, position: previousPosition + 1, problem: 'chain_gap', detail: `chain entry ${previousPosition + 1} is missing` };
    if (linkHash(previousHash, entry.digest) !== entry.hash)
      return { ...at, problem: 'chain_link_broken', detail: 'the chain hash does not follow from the entry before it' };
    if (entry.row === null)
      return { ...at, problem: 'deleted', detail: `${entry.entry_kind} ${entry.entry_ref} was removed from the log` };
    if (entryDigest(entry.entry_kind, entry.row) !== entry.digest)
      return { ...at, problem: 'modified', detail: `${entry.entry_kind} ${entry.entry_ref} differs from what was sealed` };
    return undefined;
  }

  /** A row written by a transaction the sealer has passed, yet absent from the chain, was slipped in. */
  private async findUnchainedRow(lastSealedXid: string): Promise<BrokenLink | undefined> {
    for (const { kind, table } of CHAINED_TABLES) {
      const [row] = await this.db.query(
        `SELECT t.position FROM ${table} t
          WHERE t.inserted_xid <= $1::xid8
            AND NOT EXISTS (SELECT 1 FROM audit_chain c WHERE c.entry_kind = $2 AND c.entry_ref = t.position)
          ORDER BY t.position LIMIT 1`,
        [lastSealedXid, kind],
      );
      if (row)
        return {
          position: null,
          entryKind: kind,
          entryRef: Number(row.position),
          problem: 'not_in_chain',
          detail: `${kind} ${row.position} is in the log but not in the chain: it was inserted behind the sealer`,
        };
    }
    return undefined;
  }

  private async checkCheckpoints(hashes: Map<number, string>): Promise<BrokenLink | undefined> {
    const trustedKey = this.config.audit.signingKey ? publicKeyOf(this.config.audit.signingKey) : undefined;
    const checkpoints = await this.db.query(
      'SELECT position, head_hash, signed_at, public_key, signature FROM audit_checkpoints ORDER BY position',
    );
    for (const checkpoint of checkpoints) {
      const position = Number(checkpoint.position);
      const signed = canonicalize({ position, head_hash: checkpoint.head_hash, signed_at: new Date(checkpoint.signed_at).toISOString() })!;
      const problem =
        hashes.get(position) !== checkpoint.head_hash
          ? 'its head hash differs from the chain'
          : trustedKey && checkpoint.public_key !== trustedKey
            ? 'it was signed by a key other than AUDIT_SIGNING_KEY'
            : !verifyText(checkpoint.public_key, signed, checkpoint.signature)
              ? 'its signature does not verify'
              : undefined;
      if (problem)
        return { position, entryKind: 'checkpoint', entryRef: position, problem: 'checkpoint_invalid', detail: `checkpoint at ${position}: ${problem}` };
    }
    return undefined;
  }
}

interface ChainEntryRow {
  position: string;
  entry_kind: string;
  entry_ref: string;
  entry_xid: string;
  digest: string;
  hash: string;
  row: unknown;
}
