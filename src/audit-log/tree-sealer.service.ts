import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import type pg from 'pg';
import QueryStream from 'pg-query-stream';
import { DataSource, type EntityManager } from 'typeorm';
import { GATEWAY_CONFIG } from '../config/config.module.js';
import type { GatewayConfig } from '../config/gateway-config.js';
import { GatewayMetrics } from '../metrics/gateway-metrics.js';
import { CheckpointSigner, TREE_LOCK_KEY } from './checkpoint-signer.service.js';
import { cursorOf, rowsToSealQuery } from './seal-order.js';
import { type SealedRow, TreeBuilder } from './tree-builder.js';

/** Rows sealed per transaction. */
const BATCH_SIZE = 1000;
/**
 * Rows fetched (and hashed) at a time from the batch's cursor. Each fetch is a turn of the event loop and
 * requests wait while a turn hashes, so turns stay short; rows waiting in memory for their turn would also
 * outlive V8's young generation.
 */
const ROWS_PER_FETCH = 50;

/**
 * Appends finished log rows to the Merkle tree, off the ingest path. A batch takes the rows written by
 * transactions below the snapshot's xmin (all of them finished, so none can still appear there later),
 * in (transaction, table, position) order, after the last leaf. Any gateway process may run it; an
 * advisory lock makes them take turns. After sealing, the checkpoint signer signs the grown tree.
 */
@Injectable()
export class TreeSealer {
  private readonly logger = new Logger(TreeSealer.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;

  constructor(
    private readonly db: DataSource,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    @Optional() private readonly signer?: CheckpointSigner,
    @Optional() private readonly metrics?: GatewayMetrics,
  ) {}

  /** Seals every AUDIT_SEAL_INTERVAL_MS in the background (the gateway's AuditLogModule starts it). */
  startSchedule(): void {
    this.timer = setInterval(() => void this.sealInBackground(), this.config.audit.sealIntervalMs);
    this.timer.unref();
  }

  async stopSchedule(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  private async sealInBackground(): Promise<void> {
    if (this.running) return;
    this.running = this.sealPending().catch((error) => this.logger.warn(`sealing failed: ${(error as Error).message}`));
    await this.running;
    this.running = undefined;
  }

  /**
   * Seals everything sealable now, then signs a checkpoint if one is due; returns how many leaves were
   * added. `sign: false` leaves the signing to the gateways (the CLI's verify: this host's signer state
   * is the gateway's to move).
   */
  async sealPending({ sign = true }: { sign?: boolean } = {}): Promise<number> {
    let total = 0;
    for (;;) {
      const sealed = await this.sealBatch();
      if (sealed === undefined) break; // another process holds the tree lock
      total += sealed;
      if (sealed < BATCH_SIZE) break;
    }
    if (sign) await this.signer?.signIfDue();
    return total;
  }

  private sealBatch(): Promise<number | undefined> {
    return this.db.transaction(async (tx) => {
      const [{ locked }] = await tx.query<{ locked: boolean }[]>('SELECT pg_try_advisory_xact_lock($1) AS locked', [TREE_LOCK_KEY]);
      if (!locked) return undefined;
      const [{ horizon }] = await tx.query<{ horizon: string }[]>('SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS horizon');
      const [last] = await tx.query<{ kind: string; position: string; xid: string }[]>(
        `SELECT kind, source_position AS position, source_xid::text AS xid FROM audit_leaves ORDER BY leaf_index DESC LIMIT 1`,
      );
      const builder = await TreeBuilder.open(tx);
      const query = rowsToSealQuery(cursorOf(last && { ...last, position: Number(last.position) }), horizon, BATCH_SIZE);
      await this.hashRows(tx, builder, query);
      const sealed = await builder.flush(tx);
      this.metrics?.auditTreeSize.set(builder.treeSize);
      return sealed;
    });
  }

  /** Reads the batch's rows through a cursor and hashes each as it comes; only leaf columns are kept. */
  private async hashRows(tx: EntityManager, builder: TreeBuilder, query: { sql: string; params: unknown[] }): Promise<void> {
    const client = (await tx.queryRunner!.connect()) as pg.PoolClient;
    const rows = client.query(new QueryStream(query.sql, query.params, { batchSize: ROWS_PER_FETCH }));
    for await (const row of rows as AsyncIterable<SealedRow>) builder.add(row);
  }
}
