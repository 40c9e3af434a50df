import { consistencyProof, inclusionProof, treeRoot } from '../transparency/merkle.js';
import { storedTreeSize } from './tree-builder.js';
import { type Queryable, withStoredTree } from './tree-store.js';

/** Roots and proofs read from the stored tree, each with one index look-up query. */
export const storedTree = {
  size: (db: Queryable) => storedTreeSize(db),
  root: (db: Queryable, size: number) => withStoredTree(db, (subtree) => treeRoot(size, subtree)),
  inclusion: (db: Queryable, index: number, size: number) => withStoredTree(db, (subtree) => inclusionProof(index, size, subtree)),
  consistency: (db: Queryable, from: number, to: number) => withStoredTree(db, (subtree) => consistencyProof(from, to, subtree)),
};
