import { consistencyProof, inclusionProof, nodeHash, splitPoint, treeRoot } from '../transparency/merkle.js';
import { storedTreeSize } from './tree-builder.js';
import { fetchNodes, MissingNodeError, nodeAt, type Queryable, withStoredTree } from './tree-store.js';

/** Roots and proofs read from the stored tree, each with one index look-up query. */
export const storedTree = {
  size: (db: Queryable) => storedTreeSize(db),
  root: (db: Queryable, size: number) => withStoredTree(db, (subtree) => treeRoot(size, subtree)),
  inclusion: (db: Queryable, index: number, size: number) => withStoredTree(db, (subtree) => inclusionProof(index, size, subtree)),
  consistency: (db: Queryable, from: number, to: number) => withStoredTree(db, (subtree) => consistencyProof(from, to, subtree)),
};

/**
 * Inclusion proofs of many leaves in one tree size, for streams that prove leaf after leaf (exports):
 * one query per call fetches every node the batch's proofs read, each once, however many proofs share it.
 */
export class BatchedInclusion {
  constructor(
    private readonly db: Queryable,
    readonly size: number,
  ) {}

  async proofs(indexes: readonly number[]): Promise<Buffer[][]> {
    const wanted = new Map<string, { level: number; index: number }>();
    const placeholder = Buffer.alloc(32);
    const recorded = new Map<string, Buffer>();
    for (const index of indexes)
      inclusionPath(index, this.size, recorded, (start, end) => {
        const node = nodeAt(start, end);
        wanted.set(`${node.level}/${node.index}`, node);
        return placeholder;
      });
    const current = await fetchNodes(this.db, [...wanted.values()]);
    const edges = new Map<string, Buffer>();
    return indexes.map((index) =>
      inclusionPath(index, this.size, edges, (start, end) => {
        const node = nodeAt(start, end);
        const hash = current.get(`${node.level}/${node.index}`);
        if (!hash) throw new MissingNodeError(`the tree has no stored hash for leaves [${start}, ${end})`);
        return hash;
      }),
    );
  }
}

/**
 * PATH(m, D[n]) of RFC 9162 as merkle.ts's inclusionProof computes it, without its awaits, for a store
 * already in memory: the same complete subtrees asked for in the same order (the unit test holds them
 * equal), at a fraction of the cost when an export proves every leaf.
 */
function inclusionPath(index: number, size: number, edges: Map<string, Buffer>, subtree: (start: number, end: number) => Buffer): Buffer[] {
  if (!Number.isSafeInteger(index) || index < 0 || index >= size) throw new RangeError(`leaf index ${index} is outside a tree of size ${size}`);
  const proof: Buffer[] = [];
  let start = 0;
  let end = size;
  let m = index;
  // Top-down, siblings collected in that order, reversed at the end: the proof runs from the leaf upwards.
  while (end - start > 1) {
    const k = splitPoint(end - start);
    if (m < k) {
      // Ragged right edges are shared by every leaf left of them: hashed once per batch.
      const key = `${start + k}/${end}`;
      let edge = edges.get(key);
      if (!edge) edges.set(key, (edge = rightEdge(start + k, end, subtree)));
      proof.push(edge);
      end = start + k;
    } else {
      proof.push(subtree(start, start + k));
      start += k;
      m -= k;
    }
  }
  return proof.reverse();
}

/** merkle.ts's rangeHash, synchronously: the complete subtrees of [start, end), hashed from the right. */
function rightEdge(start: number, end: number, subtree: (start: number, end: number) => Buffer): Buffer {
  const parts: Buffer[] = [];
  for (let at = start; at < end; ) {
    let width = 1;
    while (width * 2 <= end - at) width *= 2;
    parts.push(subtree(at, at + width));
    at += width;
  }
  let hash = parts.pop()!;
  while (parts.length > 0) hash = nodeHash(parts.pop()!, hash);
  return hash;
}
