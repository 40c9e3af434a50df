import {
  consistencyProof,
  emptyRoot,
  inclusionProof,
  leafHash,
  rootOf,
  type SubtreeHash,
  subtreesRead,
  treeRoot,
  verifyConsistency,
  verifyInclusion,
} from './merkle.js';

const MAX = 70;
const leaves = Array.from({ length: MAX }, (_, i) => leafHash(Buffer.from(`leaf ${i}`)));

/** A node store over `leaves` that refuses any range a real store would not hold. */
function store(requests: [number, number][] = []): SubtreeHash {
  return (start, end) => {
    const size = end - start;
    if (size < 1 || (size & (size - 1)) !== 0 || start % size !== 0)
      throw new Error(`asked for [${start}, ${end}), which is not a complete aligned subtree`);
    requests.push([start, end]);
    return rootOf(leaves.slice(start, end));
  };
}

const flip = (hash: Buffer) => {
  const copy = Buffer.from(hash);
  copy[0] ^= 1;
  return copy;
};

describe('the Merkle tree of RFC 9162', () => {
  it('hashes the empty tree and single leaves as RFC 6962 test vectors say', () => {
    expect(emptyRoot().toString('hex')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(leafHash(Buffer.alloc(0)).toString('hex')).toBe(
      '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
    );
  });

  it('matches the roots of the RFC 6962 reference test vectors (Certificate Transparency)', () => {
    const inputs = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'];
    const hashes = inputs.map((hex) => leafHash(Buffer.from(hex, 'hex')));
    const roots = [
      '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
      'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
      'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
      '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
      '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
      'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
      '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
    ];
    roots.forEach((root, i) => expect(rootOf(hashes.slice(0, i + 1)).toString('hex')).toBe(root));
  });

  it('computes every root from complete aligned subtrees alone', async () => {
    for (let size = 0; size <= MAX; size++) expect(await treeRoot(size, store())).toEqual(rootOf(leaves.slice(0, size)));
  });

  it('generates inclusion proofs that verify, for every index of every size up to 70', async () => {
    for (let size = 1; size <= MAX; size++) {
      const root = rootOf(leaves.slice(0, size));
      for (let index = 0; index < size; index++) {
        const proof = await inclusionProof(index, size, store());
        expect(verifyInclusion(index, size, leaves[index], proof, root)).toBe(true);
        expect(proof.length).toBeLessThanOrEqual(Math.ceil(Math.log2(size)));
      }
    }
  });

  it('rejects an inclusion proof with any hash, the index, the leaf or the root changed', async () => {
    for (let size = 1; size <= 20; size++) {
      const root = rootOf(leaves.slice(0, size));
      for (let index = 0; index < size; index++) {
        const proof = await inclusionProof(index, size, store());
        proof.forEach((_, i) => {
          const bad = proof.map((h, j) => (i === j ? flip(h) : h));
          expect(verifyInclusion(index, size, leaves[index], bad, root)).toBe(false);
        });
        if (size > 1) expect(verifyInclusion((index + 1) % size, size, leaves[index], proof, root)).toBe(false);
        expect(verifyInclusion(index, size, flip(leaves[index]), proof, root)).toBe(false);
        expect(verifyInclusion(index, size, leaves[index], proof, flip(root))).toBe(false);
        expect(verifyInclusion(index, size, leaves[index], [...proof, leaves[0]], root)).toBe(false);
        if (proof.length > 0) expect(verifyInclusion(index, size, leaves[index], proof.slice(1), root)).toBe(false);
      }
    }
    expect(verifyInclusion(0, 0, leaves[0], [], emptyRoot())).toBe(false);
    expect(verifyInclusion(-1, 1, leaves[0], [], leaves[0])).toBe(false);
  });

  it('generates consistency proofs that verify, for every pair of sizes up to 70', async () => {
    for (let to = 1; to <= MAX; to++) {
      const newRoot = rootOf(leaves.slice(0, to));
      for (let from = 0; from <= to; from++) {
        const oldRoot = rootOf(leaves.slice(0, from));
        const proof = await consistencyProof(from, to, store());
        expect(verifyConsistency(from, to, proof, oldRoot, newRoot)).toBe(true);
        expect(proof.length).toBeLessThanOrEqual(Math.ceil(Math.log2(to)) + 1);
      }
    }
  });

  it('rejects a consistency proof with any hash or either root changed', async () => {
    for (let to = 2; to <= 24; to++) {
      const newRoot = rootOf(leaves.slice(0, to));
      for (let from = 1; from < to; from++) {
        const oldRoot = rootOf(leaves.slice(0, from));
        const proof = await consistencyProof(from, to, store());
        proof.forEach((_, i) => {
          const bad = proof.map((h, j) => (i === j ? flip(h) : h));
          expect(verifyConsistency(from, to, bad, oldRoot, newRoot)).toBe(false);
        });
        expect(verifyConsistency(from, to, proof, flip(oldRoot), newRoot)).toBe(false);
        expect(verifyConsistency(from, to, proof, oldRoot, flip(newRoot))).toBe(false);
        expect(verifyConsistency(from, to, [], oldRoot, newRoot)).toBe(false);
        expect(verifyConsistency(from, to, [...proof, leaves[0]], oldRoot, newRoot)).toBe(false);
      }
    }
  });

  it('says what an empty consistency proof means at the edges the RFC leaves out', () => {
    const root3 = rootOf(leaves.slice(0, 3));
    expect(verifyConsistency(3, 3, [], root3, root3)).toBe(true);
    expect(verifyConsistency(3, 3, [], root3, flip(root3))).toBe(false);
    expect(verifyConsistency(0, 3, [], emptyRoot(), root3)).toBe(true);
    expect(verifyConsistency(0, 3, [], root3, root3)).toBe(false);
    expect(verifyConsistency(4, 3, [], root3, root3)).toBe(false);
    expect(verifyConsistency(0, 3, [root3], emptyRoot(), root3)).toBe(false);
    expect(verifyConsistency(0, 0, [], emptyRoot(), emptyRoot())).toBe(true);
    expect(verifyConsistency(0, 0, [], emptyRoot(), root3)).toBe(false);
  });

  it('asks storage only for complete aligned subtrees, and few of them', async () => {
    const requests: [number, number][] = [];
    await inclusionProof(5, 7, store(requests));
    // PATH(5, D[7]) = [leaf 4, MTH(D[6:7]) = leaf 6, MTH(D[0:4])]
    expect(requests.sort((a, b) => a[0] - b[0])).toEqual([
      [0, 4],
      [4, 5],
      [6, 7],
    ]);
  });

  it('reads O(log n) subtrees per proof, which can be listed ahead to fetch in one query', async () => {
    for (let size = 1; size <= MAX; size++) {
      const bound = 2 * Math.ceil(Math.log2(size)) + 1;
      for (let index = 0; index < size; index++) {
        const ranges = await subtreesRead((get) => inclusionProof(index, size, get));
        expect(ranges.length).toBeLessThanOrEqual(bound);
        const requests: [number, number][] = [];
        await inclusionProof(index, size, store(requests));
        expect(new Set(requests.map(String))).toEqual(new Set(ranges.map(String)));
      }
      for (let from = 1; from < size; from++)
        expect((await subtreesRead((get) => consistencyProof(from, size, get))).length).toBeLessThanOrEqual(bound);
    }
  });

  it('refuses proofs for leaves and sizes outside the tree', async () => {
    await expect(inclusionProof(3, 3, store())).rejects.toThrow(RangeError);
    await expect(consistencyProof(4, 3, store())).rejects.toThrow(RangeError);
    await expect(inclusionProof(0.5, 3, store())).rejects.toThrow(RangeError);
  });
});
