import { nodeHash, type SubtreeHash } from '../transparency/merkle.js';

/**
 * Something that runs a query: a DataSource, an EntityManager or a QueryRunner. Rows come back as
 * `unknown` unless the caller names their type (`query<Row[]>`), as the statement's column list says.
 */
export interface Queryable {
  query<T = unknown>(sql: string, params?: unknown[]): Promise<T>;
}

/**
 * Storage of the RFC 9162 tree: `audit_leaves` holds each leaf (level 0) and `audit_tree_nodes` the hash
 * of every complete, aligned subtree above it: the node at (level L, index i) covers leaves
 * [i·2^L, (i+1)·2^L). Such nodes never change once the leaves under them exist, so both tables are
 * append-only, and any proof or root is a handful of look-ups.
 */

/** (level, index) of the complete aligned subtree [start, end). */
export function nodeAt(start: number, end: number): { level: number; index: number } {
  const size = end - start;
  const level = Math.log2(size);
  if (!Number.isInteger(level) || start % size !== 0) throw new RangeError(`[${start}, ${end}) is not an aligned subtree`);
  return { level, index: start / size };
}

/**
 * The complete subtrees left of the growing edge of a tree of `size` leaves, one per set bit of `size`,
 * highest level first: all a builder needs to hash the nodes that new leaves complete.
 */
export function frontierNodes(size: number): { level: number; index: number }[] {
  const nodes: { level: number; index: number }[] = [];
  let start = 0;
  for (let level = 52; level >= 0; level--) {
    const width = 2 ** level;
    if (size - start >= width) {
      nodes.push({ level, index: start / width });
      start += width;
    }
  }
  return nodes;
}

/** Fetches many (level, index) hashes in one query. Missing ones are absent from the map. */
export async function fetchNodes(db: Queryable, nodes: { level: number; index: number }[]): Promise<Map<string, Buffer>> {
  const found = new Map<string, Buffer>();
  if (nodes.length === 0) return found;
  const rows: { level: number; idx: string; hash: Buffer }[] = await db.query(
    `SELECT 0 AS level, l.leaf_index AS idx, l.leaf_hash AS hash
       FROM audit_leaves l WHERE l.leaf_index = ANY($1::bigint[])
     UNION ALL
     SELECT n.level, n.idx, n.hash FROM audit_tree_nodes n
       JOIN unnest($2::int[], $3::bigint[]) AS want (level, idx) ON n.level = want.level AND n.idx = want.idx`,
    [
      nodes.filter((n) => n.level === 0).map((n) => n.index),
      nodes.filter((n) => n.level > 0).map((n) => n.level),
      nodes.filter((n) => n.level > 0).map((n) => n.index),
    ],
  );
  for (const row of rows) found.set(`${row.level}/${Number(row.idx)}`, row.hash);
  return found;
}

export class MissingNodeError extends Error {
  override name = 'MissingNodeError';
}

/**
 * Runs a proof or root computation against the stored tree with one query: a first pass records which
 * subtrees the algorithm asks for (which depends only on sizes and indices, never on hash values), the
 * second answers them from what that query fetched.
 */
export async function withStoredTree<T>(db: Queryable, compute: (subtree: SubtreeHash) => Promise<T>): Promise<T> {
  const wanted = new Map<string, { level: number; index: number }>();
  const placeholder = Buffer.alloc(32);
  await compute((start, end) => {
    const node = nodeAt(start, end);
    wanted.set(`${node.level}/${node.index}`, node);
    return placeholder;
  });
  const hashes = await fetchNodes(db, [...wanted.values()]);
  return compute((start, end) => {
    const node = nodeAt(start, end);
    const hash = hashes.get(`${node.level}/${node.index}`);
    if (!hash) throw new MissingNodeError(`the tree has no stored hash for leaves [${start}, ${end})`);
    return hash;
  });
}

/**
 * Hashes the nodes completed by appending leaves to a tree, given that tree's frontier (the hashes of
 * frontierNodes(size), in that order). Returns the new nodes and the new frontier.
 */
export function completedNodes(
  size: number,
  frontier: Buffer[],
  newLeafHashes: Buffer[],
): { nodes: { level: number; index: number; hash: Buffer }[]; frontier: Buffer[] } {
  // The frontier as a stack of (level, hash), highest level at the bottom.
  const stack = frontierNodes(size).map((node, i) => ({ level: node.level, hash: frontier[i] }));
  const nodes: { level: number; index: number; hash: Buffer }[] = [];
  let count = size;
  for (const leaf of newLeafHashes) {
    let top = { level: 0, hash: leaf };
    count++;
    while (stack.length > 0 && stack[stack.length - 1].level === top.level) {
      const left = stack.pop()!;
      top = { level: top.level + 1, hash: nodeHash(left.hash, top.hash) };
      nodes.push({ level: top.level, index: count / 2 ** top.level - 1, hash: top.hash });
    }
    stack.push(top);
  }
  return { nodes, frontier: stack.map((entry) => entry.hash) };
}

/** The stored frontier of a tree of `size` leaves. */
export async function loadFrontier(db: Queryable, size: number): Promise<Buffer[]> {
  const wanted = frontierNodes(size);
  const hashes = await fetchNodes(db, wanted);
  return wanted.map(({ level, index }) => {
    const hash = hashes.get(`${level}/${index}`);
    if (!hash) throw new MissingNodeError(`the tree has no stored node at level ${level}, index ${index}`);
    return hash;
  });
}
