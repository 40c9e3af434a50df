import { recordLeafHash, type LeafRecord } from '../transparency/leaf.js';
import { completedNodes, loadFrontier, type Queryable } from './tree-store.js';

/** A log row about to become a leaf. */
export interface SealedRow {
  kind: string;
  position: number | string;
  xid: string;
  record: LeafRecord;
}

/**
 * Appends leaves to the stored tree, one batch at a time: hashes each row's record, hashes the nodes the
 * new leaves complete, and writes both with one INSERT each. Keeps the tree's frontier between batches
 * so no stored node is read back. Call it inside the transaction that holds the sealer's lock.
 */
export class TreeBuilder {
  private constructor(
    private size: number,
    private frontier: Buffer[],
  ) {}

  static async open(db: Queryable): Promise<TreeBuilder> {
    const size = await storedTreeSize(db);
    return new TreeBuilder(size, await loadFrontier(db, size));
  }

  get treeSize(): number {
    return this.size;
  }

  /** Hashes rows into pending columns; `flush` writes them. Split so hashing can follow a cursor. */
  private pending = { index: [] as number[], kind: [] as string[], position: [] as string[], xid: [] as string[], hash: [] as Buffer[] };

  add(row: SealedRow): void {
    const p = this.pending;
    p.index.push(this.size + p.index.length);
    p.kind.push(row.kind);
    p.position.push(String(row.position));
    p.xid.push(row.xid);
    p.hash.push(recordLeafHash(row.record));
  }

  get pendingCount(): number {
    return this.pending.index.length;
  }

  async flush(db: Queryable): Promise<number> {
    const p = this.pending;
    if (p.index.length === 0) return 0;
    const { nodes, frontier } = completedNodes(this.size, this.frontier, p.hash);
    await db.query(
      `INSERT INTO audit_leaves (leaf_index, kind, source_position, source_xid, leaf_hash)
       SELECT * FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::xid8[], $5::bytea[])`,
      [p.index, p.kind, p.position, p.xid, p.hash],
    );
    if (nodes.length > 0)
      await db.query(
        `INSERT INTO audit_tree_nodes (level, idx, hash) SELECT * FROM unnest($1::smallint[], $2::bigint[], $3::bytea[])`,
        [nodes.map((n) => n.level), nodes.map((n) => n.index), nodes.map((n) => n.hash)],
      );
    const appended = p.index.length;
    this.size += appended;
    this.frontier = frontier;
    this.pending = { index: [], kind: [], position: [], xid: [], hash: [] };
    return appended;
  }
}

/** Leaves are numbered from 0 without gaps, so the size is one past the highest index. */
export async function storedTreeSize(db: Queryable): Promise<number> {
  const [row] = await db.query<{ leaf_index: string }[]>('SELECT leaf_index FROM audit_leaves ORDER BY leaf_index DESC LIMIT 1');
  return row ? Number(row.leaf_index) + 1 : 0;
}
