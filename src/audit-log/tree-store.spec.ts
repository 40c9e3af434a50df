import { consistencyProof, inclusionProof, leafHash, rootOf, treeRoot, verifyConsistency, verifyInclusion } from '../transparency/merkle.js';
import { completedNodes, frontierNodes, nodeAt, type Queryable } from './tree-store.js';
import { BatchedInclusion } from './tree-reader.js';

const leaves = (n: number) => Array.from({ length: n }, (_, i) => leafHash(Buffer.from(`leaf ${i}`)));

/** Builds the stored nodes the way the sealer does, in batches of the given sizes. */
function build(all: Buffer[], batches: number[]) {
  const store = new Map<string, Buffer>();
  all.forEach((hash, i) => store.set(`0/${i}`, hash));
  let size = 0;
  let frontier: Buffer[] = [];
  for (const batch of batches) {
    const step = completedNodes(size, frontier, all.slice(size, size + batch));
    for (const node of step.nodes) {
      expect(store.has(`${node.level}/${node.index}`)).toBe(false); // each node is written once
      store.set(`${node.level}/${node.index}`, node.hash);
    }
    size += batch;
    frontier = step.frontier;
    expect(frontier).toEqual(frontierNodes(size).map(({ level, index }) => store.get(`${level}/${index}`)));
  }
  return (start: number, end: number) => {
    const { level, index } = nodeAt(start, end);
    const hash = store.get(`${level}/${index}`);
    if (!hash) throw new Error(`no node for [${start}, ${end})`);
    return hash;
  };
}

describe('the stored tree', () => {
  it.each([
    [1, [1]],
    [2, [1, 1]],
    [7, [3, 4]],
    [16, [16]],
    [100, [1, 2, 3, 50, 44]],
    [1000, [999, 1]],
  ])('hashes every complete subtree of %i leaves built in batches %j, giving the RFC 9162 root and proofs', async (n, batches) => {
    const all = leaves(n);
    const subtree = build(all, batches);
    for (const size of [1, Math.ceil(n / 3), n]) {
      const root = await treeRoot(size, subtree);
      expect(root).toEqual(rootOf(all.slice(0, size)));
      const index = size - 1;
      expect(verifyInclusion(index, size, all[index], await inclusionProof(index, size, subtree), root)).toBe(true);
    }
    const from = Math.max(1, Math.floor(n / 2));
    const proof = await consistencyProof(from, n, subtree);
    expect(verifyConsistency(from, n, proof, rootOf(all.slice(0, from)), rootOf(all))).toBe(true);
  });

  it('names the complete subtrees left of the growing edge, highest first', () => {
    expect(frontierNodes(0)).toEqual([]);
    expect(frontierNodes(13)).toEqual([{ level: 3, index: 0 }, { level: 2, index: 2 }, { level: 0, index: 12 }]);
    expect(() => nodeAt(2, 6)).toThrow(/not an aligned subtree/);
  });

  it('does not depend on how the leaves were batched', () => {
    const all = leaves(37);
    const one = build(all, [37]);
    const many = build(all, Array(37).fill(1));
    expect(one(32, 36)).toEqual(many(32, 36));
    expect(one(0, 32)).toEqual(many(0, 32));
  });

  it('proves leaves in batches with the same proofs as one at a time, with one query per batch', async () => {
    const all = leaves(300);
    const subtree = build(all, [300]);
    const queried: number[] = [];
    // What fetchNodes asks Postgres, answered from the built nodes: leaf indexes, then (level, idx) pairs.
    const db: Queryable = {
      async query<T>(_sql: string, params?: unknown[]) {
        const [leafIndexes, levels, idxs] = params as [number[], number[], number[]];
        queried.push(leafIndexes.length + levels.length);
        return [
          ...leafIndexes.map((i) => ({ level: 0, idx: String(i), hash: all[i] })),
          ...levels.map((level, i) => ({ level, idx: String(idxs[i]), hash: subtree(idxs[i] * 2 ** level, (idxs[i] + 1) * 2 ** level) })),
        ] as T;
      },
    };
    const batched = new BatchedInclusion(db, 290);
    const root = await treeRoot(290, subtree);
    for (const batch of [[0, 1, 2, 3, 4, 5, 6, 7], [8, 9, 100, 289], [289]]) {
      const proofs = await batched.proofs(batch);
      for (const [i, index] of batch.entries()) {
        expect(proofs[i]).toEqual(await inclusionProof(index, 290, subtree));
        expect(verifyInclusion(index, 290, all[index], proofs[i], root)).toBe(true);
      }
    }
    expect(queried).toHaveLength(3); // one query per batch
    expect(queried[0]).toBeLessThan(8 * 9); // shared upper nodes are fetched once, not once per proof
    expect(queried[2]).toBe(3); // the last leaf of 290: the subtrees [0, 256), [256, 288) and leaf 288
  });
});
