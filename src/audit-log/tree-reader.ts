import { consistencyProof, inclusionProof, treeRoot } from '../transparency/merkle.js';
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
 * one query per call fetches every node the batch's proofs read, and the nodes of the previous call are
 * kept, since neighbouring leaves share most of their upper path. Memory is two batches' nodes.
 */
export class BatchedInclusion {
  private previous = new Map<string, Buffer>();

  constructor(
    private readonly db: Queryable,
    readonly size: number,
  ) {}

  async proofs(indexes: readonly number[]): Promise<Buffer[][]> {
    const wanted = new Map<string, { level: number; index: number }>();
    const placeholder = Buffer.alloc(32);
    for (const index of indexes)
      await inclusionProof(index, this.size, (start, end) => {
        const node = nodeAt(start, end);
        wanted.set(`${node.level}/${node.index}`, node);
        return placeholder;
      });
    const current = new Map<string, Buffer>();
    const missing: { level: number; index: number }[] = [];
    for (const [key, node] of wanted) {
      const known = this.previous.get(key);
      if (known) current.set(key, known);
      else missing.push(node);
    }
    for (const [key, hash] of await fetchNodes(this.db, missing)) current.set(key, hash);
    this.previous = current;
    const proofs: Buffer[][] = [];
    for (const index of indexes)
      proofs.push(
        await inclusionProof(index, this.size, (start, end) => {
          const node = nodeAt(start, end);
          const hash = current.get(`${node.level}/${node.index}`);
          if (!hash) throw new MissingNodeError(`the tree has no stored hash for leaves [${start}, ${end})`);
          return hash;
        }),
      );
    return proofs;
  }
}
