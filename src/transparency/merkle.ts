import { createHash } from 'node:crypto';

/**
 * The Merkle tree of RFC 9162 §2.1 (the tree of RFC 6962 and of Go's sumdb/tlog), with proof generation
 * and verification. Pure functions; storage plugs in through a `SubtreeHash` getter.
 *
 * Sizes and indices are plain numbers: exact up to 2^53, far beyond any log this gateway will keep. The
 * arithmetic below therefore halves with Math.floor, never with `>>`, which would wrap at 2^31.
 */

export const HASH_SIZE = 32;

function sha256(...parts: Uint8Array[]): Buffer {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest();
}

const LEAF_PREFIX = Buffer.from([0x00]);
const NODE_PREFIX = Buffer.from([0x01]);

/** SHA-256(0x00 ‖ input): the prefix keeps a leaf from being passed off as an interior node. */
export function leafHash(input: Uint8Array): Buffer {
  return sha256(LEAF_PREFIX, input);
}

/** SHA-256(0x01 ‖ left ‖ right). */
export function nodeHash(left: Uint8Array, right: Uint8Array): Buffer {
  return sha256(NODE_PREFIX, left, right);
}

/** The root of the tree with no leaves: SHA-256 of the empty string. */
export function emptyRoot(): Buffer {
  return sha256();
}

/** The largest power of two smaller than n (n ≥ 2): where RFC 9162 splits a tree of n leaves. */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** MTH(D[n]) straight from the definition, over leaf hashes held in memory. For tests and vectors. */
export function rootOf(leafHashes: readonly Buffer[]): Buffer {
  if (leafHashes.length === 0) return emptyRoot();
  if (leafHashes.length === 1) return leafHashes[0];
  const k = splitPoint(leafHashes.length);
  return nodeHash(rootOf(leafHashes.slice(0, k)), rootOf(leafHashes.slice(k)));
}

/**
 * The hash of the complete, aligned subtree of leaves [start, end): `end - start` is a power of two and
 * `start` a multiple of it. A node store keeps exactly these (the node at level L, index i covers
 * [i·2^L, (i+1)·2^L)), and so do tiles; the proof generators below ask for nothing else.
 * A single leaf (end = start + 1) is the leaf hash.
 */
export type SubtreeHash = (start: number, end: number) => Buffer | Promise<Buffer>;

/**
 * MTH of leaves [start, end) where the range is the right part of some split, so `start` is aligned to a
 * power of two at least as large as the range. Such a range is the complete aligned subtrees given by
 * the binary digits of its size, largest first, hashed together from the right: the rightmost "ragged"
 * edge of an RFC 9162 tree. Asks `subtree` only for complete aligned ranges.
 */
export async function rangeHash(start: number, end: number, subtree: SubtreeHash): Promise<Buffer> {
  if (end <= start) throw new RangeError(`empty range [${start}, ${end})`);
  const parts: Buffer[] = [];
  for (let at = start; at < end; ) {
    const size = largestPowerOfTwoAtMost(end - at);
    parts.push(await subtree(at, at + size));
    at += size;
  }
  let hash = parts.pop() as Buffer;
  while (parts.length > 0) hash = nodeHash(parts.pop() as Buffer, hash);
  return hash;
}

function largestPowerOfTwoAtMost(n: number): number {
  let p = 1;
  while (p * 2 <= n) p *= 2;
  return p;
}

/** The root hash of the tree of the first `size` leaves, from complete aligned subtrees only. */
export function treeRoot(size: number, subtree: SubtreeHash): Promise<Buffer> {
  checkSize(size);
  return size === 0 ? Promise.resolve(emptyRoot()) : rangeHash(0, size, subtree);
}

/**
 * The inclusion proof for leaf `index` in the tree of `size` leaves: PATH(m, D[n]) of RFC 9162 §2.1.3.1,
 * sibling hashes from the leaf upwards.
 */
export async function inclusionProof(index: number, size: number, subtree: SubtreeHash): Promise<Buffer[]> {
  checkSize(size);
  if (!Number.isSafeInteger(index) || index < 0 || index >= size)
    throw new RangeError(`leaf index ${index} is outside a tree of size ${size}`);
  return path(index, 0, size, subtree);
}

/** PATH(m, D[start:end]) with m relative to start. */
async function path(m: number, start: number, end: number, subtree: SubtreeHash): Promise<Buffer[]> {
  const n = end - start;
  if (n === 1) return [];
  const k = splitPoint(n);
  if (m < k) return [...(await path(m, start, start + k, subtree)), await rangeHash(start + k, end, subtree)];
  return [...(await path(m - k, start + k, end, subtree)), await subtree(start, start + k)];
}

/**
 * The consistency proof from the tree of `from` leaves to the tree of `to` leaves: PROOF(m, D[n]) of
 * RFC 9162 §2.1.4.1, defined there for 0 < m < n. For m = n and for m = 0 the proof is empty (the
 * RFC leaves these out; verifyConsistency below says what an empty proof then means).
 */
export async function consistencyProof(from: number, to: number, subtree: SubtreeHash): Promise<Buffer[]> {
  checkSize(from);
  checkSize(to);
  if (from > to) throw new RangeError(`cannot prove consistency from size ${from} back to size ${to}`);
  if (from === 0 || from === to) return [];
  return subproof(from, 0, to, true, subtree);
}

/** SUBPROOF(m, D[start:end], b). The m = n case always lands on a complete aligned subtree. */
async function subproof(
  m: number,
  start: number,
  end: number,
  wholeOldTree: boolean,
  subtree: SubtreeHash,
): Promise<Buffer[]> {
  const n = end - start;
  if (m === n) return wholeOldTree ? [] : [await subtree(start, end)];
  const k = splitPoint(n);
  if (m <= k)
    return [...(await subproof(m, start, start + k, wholeOldTree, subtree)), await rangeHash(start + k, end, subtree)];
  return [...(await subproof(m - k, start + k, end, false, subtree)), await subtree(start, start + k)];
}

/**
 * The complete aligned subtrees, as [start, end) pairs, that a proof generator reads: a store can fetch
 * them in one query, then answer the generator from memory. They depend only on the sizes, never on
 * the hashes. Each proof touches at most one ragged right edge, so this is O(log n) ranges.
 */
export async function subtreesRead(generate: (subtree: SubtreeHash) => Promise<unknown>): Promise<[number, number][]> {
  const ranges: [number, number][] = [];
  await generate((start, end) => {
    if (!ranges.some(([s, e]) => s === start && e === end)) ranges.push([start, end]);
    return Buffer.alloc(HASH_SIZE);
  });
  return ranges;
}

function checkSize(size: number): void {
  if (!Number.isSafeInteger(size) || size < 0) throw new RangeError(`tree size ${size} is not a whole number`);
}

const isOdd = (x: number) => x % 2 === 1;
const half = (x: number) => Math.floor(x / 2);

/** RFC 9162 §2.1.3.2, step by step. True only if `proof` places `leaf` at `index` under `root`. */
export function verifyInclusion(
  index: number,
  size: number,
  leaf: Uint8Array,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): boolean {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || index >= size) return false;
  if (!isHash(leaf) || !isHash(root) || !proof.every(isHash)) return false;
  let fn = index;
  let sn = size - 1;
  let r: Uint8Array = leaf;
  for (const p of proof) {
    if (sn === 0) return false;
    if (isOdd(fn) || fn === sn) {
      r = nodeHash(p, r);
      while (!isOdd(fn) && fn !== 0) [fn, sn] = [half(fn), half(sn)];
    } else {
      r = nodeHash(r, p);
    }
    [fn, sn] = [half(fn), half(sn)];
  }
  return sn === 0 && Buffer.from(r).equals(root);
}

/**
 * RFC 9162 §2.1.4.2, step by step, for 0 < from < to. Outside that range, which the RFC does not cover:
 * from = to holds with an empty proof when the roots are equal, and from = 0 holds with an empty proof
 * when `oldRoot` is the empty tree's root (every tree extends the empty one); both hold for 0 → 0.
 */
export function verifyConsistency(
  from: number,
  to: number,
  proof: readonly Uint8Array[],
  oldRoot: Uint8Array,
  newRoot: Uint8Array,
): boolean {
  if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to) || from < 0 || from > to) return false;
  if (!isHash(oldRoot) || !isHash(newRoot) || !proof.every(isHash)) return false;
  if (from === 0 && !emptyRoot().equals(oldRoot)) return false;
  if (from === 0 || from === to) return proof.length === 0 && (from < to || Buffer.from(oldRoot).equals(newRoot));
  if (proof.length === 0) return false;
  const path = isPowerOfTwo(from) ? [oldRoot, ...proof] : [...proof];
  let fn = from - 1;
  let sn = to - 1;
  while (isOdd(fn)) [fn, sn] = [half(fn), half(sn)];
  let fr: Uint8Array = path[0];
  let sr: Uint8Array = path[0];
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (isOdd(fn) || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      while (!isOdd(fn) && fn !== 0) [fn, sn] = [half(fn), half(sn)];
    } else {
      sr = nodeHash(sr, c);
    }
    [fn, sn] = [half(fn), half(sn)];
  }
  return Buffer.from(fr).equals(oldRoot) && Buffer.from(sr).equals(newRoot) && sn === 0;
}

function isPowerOfTwo(n: number): boolean {
  return n > 0 && largestPowerOfTwoAtMost(n) === n;
}

function isHash(h: Uint8Array): boolean {
  return h instanceof Uint8Array && h.length === HASH_SIZE;
}
