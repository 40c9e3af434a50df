/**
 * The standalone verifier (written only from docs/audit-format.md and the public standards) run over
 * every test vector in docs/audit-format-vectors.json, plus tampered inputs that must be rejected.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Buffer } from 'node:buffer';
import canonicalize from 'canonicalize';
import {
  EMPTY_ROOT,
  VerificationError,
  assertNoDuplicateMembers,
  canonicalJson,
  checkReceiptMatchesEvent,
  cosignatureMessage,
  decodeBase64,
  encodeBase64,
  leafHash,
  leafInput,
  merkleRoot,
  openNote,
  ed25519NoteVerifier,
  parseCheckpointText,
  parseNdjson,
  parseNote,
  parseReceiptText,
  parseVerifierKey,
  payloadSha256,
  verifyCheckpoint,
  verifyConsistency,
  verifyEntriesAgainstCheckpoint,
  verifyEventProof,
  verifyInclusion,
  verifyExport,
  verifyReceipt,
} from './verifier.js';
import {
  consistencyProof,
  cosignatureLine,
  inclusionPath,
  keyFromSeed,
  logSignatureLine,
  note,
  parseSignerKey,
  syntheticLeaves,
} from './test-signer.js';

type Json = any;
const V: Json = JSON.parse(readFileSync(join(process.cwd(), 'docs/audit-format-vectors.json'), 'utf8'));

const LOG = V.log_key.verifier_key as string;
const WITNESS = V.witness_key.verifier_key as string;
const ORIGIN = V.log_key.origin as string;
const logKey = parseSignerKey(V.log_key.signer_key);
const witnessKey = parseSignerKey(V.witness_key.signer_key);
const witness2 = keyFromSeed('witness.test/w2', 0x04, Buffer.alloc(32, 3));
const witness3 = keyFromSeed('witness.test/w3', 0x04, Buffer.alloc(32, 4));
const otherLog = keyFromSeed(ORIGIN, 0x01, Buffer.alloc(32, 9)); // same name, different key

/** The NDJSON lines of GET /v1/audit/entries: the vector entries without leaf_input / leaf_hash. */
const entryLines = (V.entries as Json[]).map((e) => ({ index: e.index, kind: e.kind, record: e.record }));
const ndjson = entryLines.map((e) => JSON.stringify(e)).join('\n') + '\n';
const leafHashes = (V.entries as Json[]).map((e) => Buffer.from(e.leaf_hash, 'base64'));
const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x));

function rejects(fn: () => unknown, code?: string): void {
  let err: unknown;
  try {
    fn();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(VerificationError);
  if (code) expect((err as VerificationError).code).toBe(code);
}

/** Flip one bit of byte `i` of a base64 value (keeps it canonical base64 of the same length). */
function flipB64(b64: string, i = 0): string {
  const b = decodeBase64(b64);
  b[i] = b[i]! ^ 0x01;
  return encodeBase64(b);
}

/** Flip a byte inside the base64 signature of signature line `line` (0-based) of a note. */
function flipSignature(n: string, line: number, byte: number): string {
  const split = n.lastIndexOf('\n\n');
  const lines = n.slice(split + 2, -1).split('\n');
  const sp = lines[line]!.lastIndexOf(' ');
  lines[line] = lines[line]!.slice(0, sp + 1) + flipB64(lines[line]!.slice(sp + 1), byte);
  return n.slice(0, split + 2) + lines.join('\n') + '\n';
}

/** A GET /v1/events/:id/proof body for the event, built from the vector entries and checkpoint. */
function eventProofBody(eventId: string, checkpoint = V.checkpoint.cosigned_note as string): Json {
  const entries = clone(entryLines)
    .filter((e) => (e.record.kind === 'event' ? e.record.id : e.record.event_id) === eventId)
    .map((e) => ({ ...e, inclusion: inclusionPath(e.index, leafHashes).map(encodeBase64) }));
  return { event_id: eventId, checkpoint, entries };
}

const EVENT1 = V.payloads[0].event_id as string;
const EVENT2 = V.payloads[1].event_id as string;
const witnessPolicy = { witnesses: [WITNESS], quorum: 1 };
const WITNESS2 = V.second_witness_key.verifier_key as string;
const bothWitnesses = { witnesses: [WITNESS, WITNESS2], quorum: 2 };
/** The two proofs the first vectors had: entry 3 in the tree of 7, and 3 → 7. */
const INCLUSION_3: Json = V.inclusion_proofs.find((p: Json) => p.index === 3 && p.tree_size === 7);
const CONSISTENCY_3_7: Json = V.consistency_proofs.find((c: Json) => c.from === 3 && c.to === 7);

describe('test vectors (docs/audit-format-vectors.json)', () => {
  describe('§2 keys', () => {
    it('parses the log verifier key and recomputes its key ID', () => {
      const k = parseVerifierKey(LOG, 0x01);
      expect(k.name).toBe(ORIGIN);
      expect(k.keyId.toString(16).padStart(8, '0')).toBe('0ea484fe');
      expect(k.publicKey.length).toBe(32);
    });
    it('parses the witness verifier key (type 0x04)', () => {
      const k = parseVerifierKey(WITNESS, 0x04);
      expect(k.name).toBe(V.witness_key.name);
      expect(WITNESS.split('+')[2]!.startsWith('B')).toBe(true);
    });
    it('derives both verifier keys from the published seeds and signer key strings', () => {
      expect(logKey.vkey).toBe(LOG);
      expect(witnessKey.vkey).toBe(WITNESS);
      expect(keyFromSeed(ORIGIN, 0x01, Buffer.from(V.log_key.seed_hex, 'hex')).skey).toBe(V.log_key.signer_key);
      expect(keyFromSeed(V.witness_key.name, 0x04, Buffer.from(V.witness_key.seed_hex, 'hex')).skey).toBe(V.witness_key.signer_key);
    });
  });

  describe('§5 payloads', () => {
    it.each(V.payloads.map((p: Json) => [p.event_id, p]) as Array<[string, Json]>)('payload %s: canonical JSON and payload_sha256', (_id, p) => {
      expect(canonicalJson(p.payload)).toBe(p.canonical_json);
      expect(canonicalize(p.payload)).toBe(p.canonical_json); // cross-check with an independent RFC 8785 implementation
      expect(payloadSha256(p.payload)).toBe(p.payload_sha256);
    });
  });

  describe('§4 leaves', () => {
    it.each(V.entries.map((e: Json) => [e.index, e.kind, e]) as Array<[number, string, Json]>)('entry %i (%s): leaf input and leaf hash', (_i, _k, e) => {
      expect(leafInput(e.record).toString('utf8')).toBe(e.leaf_input);
      expect(canonicalize(e.record)).toBe(e.leaf_input);
      expect(encodeBase64(leafHash(e.record))).toBe(e.leaf_hash);
    });
  });

  describe('§4 tree', () => {
    it('empty tree root', () => {
      expect(encodeBase64(EMPTY_ROOT)).toBe('47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=');
    });
    it.each((V.tree.roots_by_size as string[]).map((r, i) => [i + 1, r]))('root of the first %i entries', (n, r) => {
      expect(encodeBase64(merkleRoot(leafHashes.slice(0, n as number)))).toBe(r);
    });
    it('tree size and root', () => {
      expect(V.tree.size).toBe(V.entries.length);
      expect(encodeBase64(merkleRoot(leafHashes))).toBe(V.tree.root_hash);
    });
  });

  describe('§7 proofs', () => {
    it('inclusion proof for entry 3 in the tree of 7', () => {
      const { index, tree_size, proof } = INCLUSION_3;
      verifyInclusion(index, tree_size, V.entries[index].leaf_hash, proof, V.tree.root_hash);
      expect(inclusionPath(index, leafHashes).map(encodeBase64)).toEqual(proof); // RFC 9162 §2.1.3.1 PATH
    });
    it('consistency proof from 3 to 7', () => {
      const c = CONSISTENCY_3_7;
      expect(c.old_root).toBe(V.tree.roots_by_size[c.from - 1]);
      expect(c.new_root).toBe(V.tree.roots_by_size[c.to - 1]);
      verifyConsistency(c.from, c.to, c.proof, c.old_root, c.new_root);
      expect(consistencyProof(c.from, leafHashes).map(encodeBase64)).toEqual(c.proof); // RFC 9162 §2.1.4.1 PROOF
    });
  });

  describe('§6 checkpoint and cosignature', () => {
    it('checkpoint text parses', () => {
      const cp = parseCheckpointText(V.checkpoint.text);
      expect(cp).toMatchObject({ origin: ORIGIN, size: V.tree.size, root: V.tree.root_hash, extensions: [] });
    });
    it('signed checkpoint verifies with the log key', () => {
      const cp = verifyCheckpoint(V.checkpoint.signed_note, LOG);
      expect(cp.text).toBe(V.checkpoint.text);
      expect(cp.size).toBe(7);
      expect(cp.root).toBe(V.tree.root_hash);
    });
    it('the cosignature message is the one the witness signed', () => {
      expect(cosignatureMessage(V.checkpoint.text, BigInt(V.checkpoint.cosignature_time)).toString('utf8')).toBe(V.checkpoint.cosignature_message);
    });
    it('cosigned checkpoint verifies with the log key and a 1-of-1 witness quorum', () => {
      const cp = verifyCheckpoint(V.checkpoint.cosigned_note, LOG, witnessPolicy);
      expect(cp.cosignatures).toEqual([
        { name: V.witness_key.name, keyId: parseVerifierKey(WITNESS).keyId, vkey: WITNESS, timestamp: BigInt(V.checkpoint.cosignature_time) },
      ]);
    });
    it('cosigned checkpoint also verifies with the log key alone (witness line ignored)', () => {
      expect(verifyCheckpoint(V.checkpoint.cosigned_note, LOG).cosignatures).toEqual([]);
    });
    it('the cosigned note is the signed note plus one line made with the witness seed', () => {
      const line = cosignatureLine(witnessKey, V.checkpoint.text, BigInt(V.checkpoint.cosignature_time));
      expect(V.checkpoint.signed_note + line).toBe(V.checkpoint.cosigned_note); // Ed25519 is deterministic
      expect(note(V.checkpoint.text, logSignatureLine(logKey, V.checkpoint.text))).toBe(V.checkpoint.signed_note);
    });
  });

  describe('§8 receipt', () => {
    it('verifies and matches the vector fields and the event record', () => {
      const r = verifyReceipt(V.receipt.signed_note, LOG);
      expect(r).toMatchObject({ origin: ORIGIN, eventId: V.receipt.event_id, payloadSha256: V.receipt.payload_sha256, receivedAt: V.receipt.received_at });
      checkReceiptMatchesEvent(r, V.entries[0].record);
    });
  });

  describe('§9/§10 HTTP shapes', () => {
    it('GET /v1/audit/entries NDJSON recomputes the checkpoint root (log key only)', () => {
      const a = verifyEntriesAgainstCheckpoint(ndjson, V.checkpoint.signed_note, LOG);
      expect(a.entries.length).toBe(7);
      expect(a.leafHashes.map(encodeBase64)).toEqual(V.entries.map((e: Json) => e.leaf_hash));
    });
    it('... and with the witness quorum, from parsed lines', () => {
      verifyEntriesAgainstCheckpoint(entryLines, V.checkpoint.cosigned_note, LOG, witnessPolicy);
    });
    it('GET /v1/events/:id/proof for the first event (entries 0, 1, 4) with payload and receipt', () => {
      const r = verifyEventProof(JSON.stringify(eventProofBody(EVENT1)), LOG, {
        ...witnessPolicy,
        eventId: EVENT1,
        payload: V.payloads[0].payload,
        receipt: V.receipt.signed_note,
      });
      expect(r.entries.map((e) => e.index)).toEqual([0, 1, 4]);
      expect(r.events.length).toBe(1);
      expect(r.receipt?.eventId).toBe(EVENT1);
    });
    it('§9.1 export: the whole-log export of the test log verifies and recomputes the root; edits do not', () => {
      const text: string = V.routes.export;
      const r = verifyExport(text, LOG, { ...witnessPolicy });
      expect(r.scope).toBe('whole_log');
      expect([...r.entries.keys()].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6]);
      expect(encodeBase64(r.recomputedRoot!)).toBe(V.tree.root_hash);
      expect(r.events.map((e) => e.id)).toEqual([EVENT1, EVENT2]);
      expect(() => verifyExport(text.replace('"attempts":2', '"attempts":3'), LOG)).toThrow(/^export_changed: /);
      expect(() => verifyExport(text.replace('"status":"sent"', '"status":"sent" '), LOG)).toThrow(/^export_changed: /);
      const lines = text.trimEnd().split('\n');
      expect(() => verifyExport([lines[0], lines[2], lines[1], ...lines.slice(3)].join('\n') + '\n', LOG)).toThrow(/^bad_export: .*position/);
      expect(() => verifyExport(text, otherLog.vkey)).toThrow(/^no_trusted_signature: /);
    });
    it('GET /v1/events/:id/proof for the second event (entries 3, 6), entry 3 using the vector inclusion proof', () => {
      const body = eventProofBody(EVENT2);
      expect(body.entries[0].inclusion).toEqual(INCLUSION_3.proof);
      const r = verifyEventProof(body, LOG, { ...witnessPolicy, eventId: EVENT2, payload: V.payloads[1].payload });
      expect(r.entries.map((e) => [e.index, e.kind])).toEqual([
        [3, 'event'],
        [6, 'replay_item'],
      ]);
    });
  });
});

describe('test vectors added with the settled spec (§12)', () => {
  const secondWitnessKey = parseSignerKey(V.second_witness_key.signer_key);

  it('the second witness key derives from its published seed', () => {
    expect(secondWitnessKey.vkey).toBe(WITNESS2);
    expect(keyFromSeed(V.second_witness_key.name, 0x04, Buffer.from(V.second_witness_key.seed_hex, 'hex')).skey).toBe(V.second_witness_key.signer_key);
  });

  it.each((V.inclusion_proofs as Json[]).map((p) => [p.index, p.tree_size, p]))('inclusion proof for entry %i in the tree of %i', (_i, _n, p) => {
    expect(p.leaf_hash).toBe(V.entries[p.index].leaf_hash);
    expect(p.root).toBe(V.tree.roots_by_size[p.tree_size - 1]);
    verifyInclusion(p.index, p.tree_size, p.leaf_hash, p.proof, p.root);
    expect(inclusionPath(p.index, leafHashes.slice(0, p.tree_size)).map(encodeBase64)).toEqual(p.proof);
  });

  it('covers every index of the tree of 7, and the empty proof of the tree of 1', () => {
    expect((V.inclusion_proofs as Json[]).map((p) => `${p.index}/${p.tree_size}`)).toEqual(['0/7', '1/7', '2/7', '3/7', '4/7', '5/7', '6/7', '0/1']);
    expect(V.inclusion_proofs[7].proof).toEqual([]);
  });

  it.each((V.consistency_proofs as Json[]).map((c) => [c.from, c.to, c]))('consistency proof from %i to %i', (_f, _t, c) => {
    const rootOf = (n: number) => (n === 0 ? encodeBase64(EMPTY_ROOT) : V.tree.roots_by_size[n - 1]);
    expect([c.old_root, c.new_root]).toEqual([rootOf(c.from), rootOf(c.to)]);
    verifyConsistency(c.from, c.to, c.proof, c.old_root, c.new_root);
    const expected = c.from === 0 || c.from === c.to ? [] : consistencyProof(c.from, leafHashes.slice(0, c.to)).map(encodeBase64);
    expect(c.proof).toEqual(expected);
  });

  it('exercise a power-of-two from (§7.2 step 2) and both edges', () => {
    const pairs = (V.consistency_proofs as Json[]).map((c) => [c.from, c.to]);
    expect(pairs).toEqual(expect.arrayContaining([[4, 7], [1, 7], [7, 7], [0, 7]]));
    rejects(() => verifyConsistency(4, 7, V.consistency_proofs[1].proof, V.tree.roots_by_size[2], V.tree.root_hash), 'bad_consistency');
  });

  it('the checkpoint cosigned by both witnesses meets 2 of 2; the one cosigned once meets 1 of 2 only', () => {
    const both = V.checkpoint.cosigned_by_both_note as string;
    const line = cosignatureLine(secondWitnessKey, V.checkpoint.text, BigInt(V.checkpoint.second_cosignature_time));
    expect(both).toBe(V.checkpoint.cosigned_note + line);
    const cp = verifyCheckpoint(both, LOG, bothWitnesses);
    expect(cp.cosignatures.map((c) => [c.name, c.timestamp])).toEqual([
      [V.witness_key.name, BigInt(V.checkpoint.cosignature_time)],
      [V.second_witness_key.name, BigInt(V.checkpoint.second_cosignature_time)],
    ]);
    verifyCheckpoint(V.checkpoint.cosigned_note, LOG, { ...bothWitnesses, quorum: 1 });
    rejects(() => verifyCheckpoint(V.checkpoint.cosigned_note, LOG, bothWitnesses), 'quorum_not_met');
  });

  it('the size-0 checkpoint is signed, with the empty root, and an empty entries body matches it', () => {
    const cp = verifyCheckpoint(V.empty_checkpoint.signed_note, LOG);
    expect([cp.size, cp.root, cp.text]).toEqual([0, encodeBase64(EMPTY_ROOT), V.empty_checkpoint.text]);
    expect(V.tree.empty_root_hash).toBe(encodeBase64(EMPTY_ROOT));
    expect(verifyEntriesAgainstCheckpoint('', V.empty_checkpoint.signed_note, LOG).entries).toEqual([]);
    verifyConsistency(0, 0, [], EMPTY_ROOT, EMPTY_ROOT);
    rejects(() => verifyConsistency(0, 0, [], V.tree.root_hash, V.tree.root_hash), 'bad_consistency');
  });

  it('the record with non-ASCII text and escapes hashes as its leaf input', () => {
    const e = V.escapes_record;
    expect(leafInput(e.record).toString('utf8')).toBe(e.leaf_input);
    expect(canonicalize(e.record)).toBe(e.leaf_input);
    expect(encodeBase64(leafHash(e.record))).toBe(e.leaf_hash);
    for (const raw of ['\u007f', '\u00a0', '\u2028', '\u{1f600}', '\\u0007', '\\n', '\\t', '\\"', '\\\\'])
      expect(e.leaf_input).toContain(raw);
  });

  describe('route bodies (§9)', () => {
    const r = V.routes;
    it('GET /v1/audit/checkpoint: the latest checkpoint with the cosignatures collected', () => {
      expect(verifyCheckpoint(r.checkpoint, LOG, bothWitnesses).size).toBe(7);
    });
    it('GET /v1/audit/consistency?from=3&to=7: echoed sizes match the query; roots come from own checkpoints', () => {
      expect([r.consistency.from, r.consistency.to]).toEqual([3, 7]);
      verifyConsistency(3, 7, r.consistency.proof, V.tree.roots_by_size[2], verifyCheckpoint(r.checkpoint, LOG).root);
    });
    it('GET /v1/events/:id/proof: verifies from its text with quorum 2, payload and receipt', () => {
      const v = verifyEventProof(JSON.stringify(r.event_proof), LOG, {
        ...bothWitnesses,
        eventId: EVENT1,
        payload: V.payloads[0].payload,
        receipt: V.receipt.signed_note,
      });
      expect(v.entries.map((e) => [e.index, e.kind])).toEqual([
        [0, 'event'],
        [1, 'attempt'],
        [4, 'attempt'],
      ]);
      expect(r.event_proof).toEqual(eventProofBody(EVENT1, r.checkpoint));
    });
    it('GET /v1/audit/entries?from=0&to=7: NDJSON, every line ending in a newline, recomputes the root', () => {
      expect(r.entries.endsWith('\n')).toBe(true);
      expect(r.entries.split('\n').length).toBe(8);
      verifyEntriesAgainstCheckpoint(r.entries, r.checkpoint, LOG, bothWitnesses);
    });
  });

  describe('negative cases: each is rejected', () => {
    const run: Record<string, (input: Json, n: Json) => unknown> = {
      checkpoint: (input, n) => verifyCheckpoint(input, LOG, { witnesses: n.witnesses ?? [], quorum: n.quorum ?? 0 }),
      receipt: (input) => verifyReceipt(input, LOG),
      verifier_key: (input) => parseVerifierKey(input),
      entries_line: (input) => parseNdjson(input),
      inclusion: (i) => verifyInclusion(i.index, i.tree_size, i.leaf_hash, i.proof, i.root),
      consistency: (c) => verifyConsistency(c.from, c.to, c.proof, c.old_root, c.new_root),
    };
    it('has a check this verifier knows for every case', () => {
      expect((V.negative as Json[]).every((n) => n.check in run && typeof n.reason === 'string')).toBe(true);
    });
    it.each((V.negative as Json[]).map((n) => [n.name, n]))('%s', (_name, n) => rejects(() => run[n.check]!(n.input, n)));
  });
});

describe('RFC 9162 proofs on every small tree (generated from §2.1.3.1 / §2.1.4.1)', () => {
  const N = 33;
  const leaves = syntheticLeaves(N);
  it('every inclusion proof verifies, and the wrong index or size does not', () => {
    for (let size = 1; size <= N; size++) {
      const sub = leaves.slice(0, size);
      const root = merkleRoot(sub);
      for (let i = 0; i < size; i++) {
        const p = inclusionPath(i, sub);
        verifyInclusion(i, size, leaves[i]!, p, root);
        if (size > 1) rejects(() => verifyInclusion((i + 1) % size, size, leaves[i]!, p, root));
        rejects(() => verifyInclusion(i, size, leaves[i]!, [...p, root], root));
        if (p.length > 0) rejects(() => verifyInclusion(i, size, leaves[i]!, p.slice(0, -1), root));
      }
    }
  });
  it('every consistency proof verifies, and a truncated or extended one does not', () => {
    for (let to = 1; to <= N; to++) {
      const newRoot = merkleRoot(leaves.slice(0, to));
      for (let from = 0; from <= to; from++) {
        const oldRoot = merkleRoot(leaves.slice(0, from));
        const p = from === 0 ? [] : consistencyProof(from, leaves.slice(0, to));
        verifyConsistency(from, to, p, oldRoot, newRoot);
        if (p.length > 0) {
          rejects(() => verifyConsistency(from, to, p.slice(0, -1), oldRoot, newRoot));
          rejects(() => verifyConsistency(from, to, [...p, newRoot], oldRoot, newRoot));
        }
        if (from > 0 && from < to) rejects(() => verifyConsistency(from, to, p, newRoot, newRoot));
      }
    }
  });
});

describe('rejections', () => {
  describe('tampered record', () => {
    const tampered = clone(entryLines);
    tampered[1].record.http_status = 504;
    it('changes the leaf hash', () => {
      expect(encodeBase64(leafHash(tampered[1].record))).not.toBe(V.entries[1].leaf_hash);
    });
    it('full audit: root mismatch', () => rejects(() => verifyEntriesAgainstCheckpoint(tampered, V.checkpoint.signed_note, LOG), 'root_mismatch'));
    it('event proof: inclusion fails', () => {
      const body = eventProofBody(EVENT1);
      body.entries[1].record.latency_ms = 62;
      rejects(() => verifyEventProof(body, LOG), 'bad_inclusion');
    });
    it('event proof: a value outside §5 is refused before hashing', () => {
      const body = eventProofBody(EVENT1);
      body.entries[1].record.outcome = 'delivered';
      rejects(() => verifyEventProof(body, LOG), 'bad_record');
    });
    it('one flipped byte in the NDJSON text', () => {
      const i = ndjson.indexOf('not valid JSON') + 4;
      const bad = ndjson.slice(0, i) + 'V' + ndjson.slice(i + 1);
      rejects(() => verifyEntriesAgainstCheckpoint(bad, V.checkpoint.signed_note, LOG), 'root_mismatch');
    });
  });

  describe('tampered proof', () => {
    const { index, tree_size, proof } = INCLUSION_3;
    const leaf = V.entries[index].leaf_hash;
    const c = CONSISTENCY_3_7;
    it.each([0, 1, 2])('inclusion: flipped byte in proof hash %i', (k) => {
      const p = [...proof];
      p[k] = flipB64(p[k], 31);
      rejects(() => verifyInclusion(index, tree_size, leaf, p, V.tree.root_hash), 'bad_inclusion');
    });
    it.each([0, 1, 2, 3])('consistency: flipped byte in proof hash %i', (k) => {
      const p = [...c.proof];
      p[k] = flipB64(p[k], 7);
      rejects(() => verifyConsistency(c.from, c.to, p, c.old_root, c.new_root), 'bad_consistency');
    });
    it('inclusion: swapped proof order', () => {
      rejects(() => verifyInclusion(index, tree_size, leaf, [proof[1], proof[0], proof[2]], V.tree.root_hash), 'bad_inclusion');
      rejects(() => verifyInclusion(index, tree_size, leaf, [...proof].reverse(), V.tree.root_hash), 'bad_inclusion');
    });
    it('consistency: swapped proof order', () => {
      const p = c.proof;
      rejects(() => verifyConsistency(c.from, c.to, [p[1], p[0], p[2], p[3]], c.old_root, c.new_root), 'bad_consistency');
      rejects(() => verifyConsistency(c.from, c.to, [...p].reverse(), c.old_root, c.new_root), 'bad_consistency');
    });
    it('flipped roots', () => {
      rejects(() => verifyInclusion(index, tree_size, leaf, proof, flipB64(V.tree.root_hash)), 'bad_inclusion');
      rejects(() => verifyConsistency(c.from, c.to, c.proof, flipB64(c.old_root), c.new_root), 'bad_consistency');
      rejects(() => verifyConsistency(c.from, c.to, c.proof, c.old_root, flipB64(c.new_root)), 'bad_consistency');
    });
    it('wrong leaf, index or size', () => {
      rejects(() => verifyInclusion(index, tree_size, V.entries[2].leaf_hash, proof, V.tree.root_hash), 'bad_inclusion');
      rejects(() => verifyInclusion(2, tree_size, leaf, proof, V.tree.root_hash), 'bad_inclusion');
      rejects(() => verifyInclusion(index, 6, leaf, proof, V.tree.roots_by_size[5]), 'bad_inclusion');
      rejects(() => verifyInclusion(7, 7, leaf, proof, V.tree.root_hash), 'bad_inclusion');
      rejects(() => verifyConsistency(c.from, 6, c.proof, c.old_root, V.tree.roots_by_size[5]), 'bad_consistency');
      rejects(() => verifyConsistency(2, c.to, c.proof, c.old_root, c.new_root), 'bad_consistency');
    });
    it('a truncated proof ending at an interior node is not a proof for the larger size', () => {
      // [leaf 2, MTH(0..1)] really does lead from leaf 3 to MTH(0..3), the root of size 4, not of size 7.
      verifyInclusion(index, 4, leaf, proof.slice(0, 2), V.tree.roots_by_size[3]);
      rejects(() => verifyInclusion(index, tree_size, leaf, proof.slice(0, 2), V.tree.roots_by_size[3]), 'bad_inclusion');
      verifyConsistency(c.from, 4, c.proof.slice(0, 3), c.old_root, V.tree.roots_by_size[3]);
      rejects(() => verifyConsistency(c.from, c.to, c.proof.slice(0, 3), c.old_root, V.tree.roots_by_size[3]), 'bad_consistency');
    });
    it('§7.2 edges: from > to, from = to, from = 0', () => {
      rejects(() => verifyConsistency(7, 3, c.proof, c.new_root, c.old_root), 'bad_consistency');
      verifyConsistency(7, 7, [], c.new_root, c.new_root);
      rejects(() => verifyConsistency(7, 7, [], c.old_root, c.new_root), 'bad_consistency');
      rejects(() => verifyConsistency(7, 7, [c.new_root], c.new_root, c.new_root), 'bad_consistency');
      verifyConsistency(0, 7, [], EMPTY_ROOT, c.new_root);
      rejects(() => verifyConsistency(0, 7, [], c.old_root, c.new_root), 'bad_consistency');
      rejects(() => verifyConsistency(3, 7, [], c.old_root, c.new_root), 'bad_consistency');
    });
    it('§1 hashes must be canonical base64 of 32 bytes', () => {
      const unpadded = proof[0].replace(/=$/, '');
      rejects(() => verifyInclusion(index, tree_size, leaf, [unpadded, proof[1], proof[2]], V.tree.root_hash), 'bad_hash');
      // Same 32 bytes, but the last character carries non-zero padding bits: not canonical.
      const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
      const last = alphabet.indexOf(proof[0][42]);
      const noncanon = proof[0].slice(0, 42) + alphabet[last | 1] + '=';
      expect(Buffer.from(noncanon, 'base64').equals(Buffer.from(proof[0], 'base64'))).toBe(true);
      rejects(() => verifyInclusion(index, tree_size, leaf, [noncanon, proof[1], proof[2]], V.tree.root_hash), 'bad_hash');
      const urlsafe = 'll7A0zmrm4Aq_lgAMzdidS3SUd-fd5R9P2o0JFEX41A=';
      rejects(() => verifyInclusion(index, tree_size, urlsafe, proof, V.tree.root_hash), 'bad_hash');
      rejects(() => verifyInclusion(index, tree_size, leaf, proof, encodeBase64(Buffer.alloc(31))), 'bad_hash');
    });
  });

  describe('tampered signatures and notes', () => {
    it('flipped byte in the log signature of the checkpoint', () => {
      rejects(() => verifyCheckpoint(flipSignature(V.checkpoint.signed_note, 0, 10), LOG), 'bad_signature');
    });
    it('flipped byte in the log key ID: the line is then ignored, and nothing trusted signed', () => {
      rejects(() => verifyCheckpoint(flipSignature(V.checkpoint.signed_note, 0, 0), LOG), 'no_trusted_signature');
    });
    it('flipped byte in the witness signature or its timestamp', () => {
      rejects(() => verifyCheckpoint(flipSignature(V.checkpoint.cosigned_note, 1, 40), LOG, witnessPolicy), 'bad_signature');
      rejects(() => verifyCheckpoint(flipSignature(V.checkpoint.cosigned_note, 1, 11), LOG, witnessPolicy), 'bad_signature');
    });
    it('flipped byte in the receipt signature', () => {
      rejects(() => verifyReceipt(flipSignature(V.receipt.signed_note, 0, 20), LOG), 'bad_signature');
    });
    it('flipped root in the checkpoint text', () => {
      const bad = V.checkpoint.signed_note.replace(V.tree.root_hash, flipB64(V.tree.root_hash, 5));
      rejects(() => verifyCheckpoint(bad, LOG), 'bad_signature');
    });
    it('changed size in the checkpoint text', () => {
      rejects(() => verifyCheckpoint(V.checkpoint.signed_note.replace('\n7\n', '\n8\n'), LOG), 'bad_signature');
    });
    it('changed event id in the receipt text', () => {
      rejects(() => verifyReceipt(V.receipt.signed_note.replace('event 1111', 'event 2111'), LOG), 'bad_signature');
    });
  });

  describe('wrong keys', () => {
    it('another key with the same name: its signature is not trusted', () => {
      rejects(() => verifyCheckpoint(V.checkpoint.signed_note, otherLog.vkey), 'no_trusted_signature');
      rejects(() => verifyReceipt(V.receipt.signed_note, otherLog.vkey), 'no_trusted_signature');
    });
    it('a checkpoint signed by another key under the log name', () => {
      const n = note(V.checkpoint.text, logSignatureLine(otherLog, V.checkpoint.text));
      rejects(() => verifyCheckpoint(n, LOG), 'no_trusted_signature');
    });
    it('a vkey with a wrong key ID, a witness key as the log key, a log key as a witness key', () => {
      rejects(() => parseVerifierKey(LOG.replace('+0ea484fe+', '+0ea484ff+')), 'bad_vkey');
      rejects(() => parseVerifierKey(LOG.replace('+0ea484fe+', '+0EA484FE+')), 'bad_vkey');
      rejects(() => verifyCheckpoint(V.checkpoint.signed_note, WITNESS), 'bad_vkey');
      rejects(() => verifyCheckpoint(V.checkpoint.cosigned_note, LOG, { witnesses: [LOG], quorum: 1 }), 'bad_vkey');
    });
    it('a vkey whose name has a space or a plus, or whose key is not 32 bytes', () => {
      const k = keyFromSeed('bad name', 0x01, Buffer.alloc(32, 1));
      rejects(() => parseVerifierKey(k.vkey), 'bad_vkey');
      rejects(() => parseVerifierKey(`${ORIGIN}+0ea484fe+AYqI`), 'bad_vkey');
    });
    it('a checkpoint whose origin is not the log key name', () => {
      const text = `other.test/log\n7\n${V.tree.root_hash}\n`;
      const k = keyFromSeed('other.test/log', 0x01, Buffer.alloc(32, 1));
      verifyCheckpoint(note(text, logSignatureLine(k, text)), k.vkey);
      const n = note(text, logSignatureLine(logKey, text));
      rejects(() => verifyCheckpoint(n, LOG), 'bad_checkpoint');
    });
  });

  describe('witness quorum', () => {
    const text = V.checkpoint.text as string;
    const T = 1767225600n;
    const base = V.checkpoint.signed_note as string;
    const twoOfThree = base + cosignatureLine(witnessKey, text, T) + cosignatureLine(witness2, text, T + 5n);
    const pinned = [WITNESS, witness2.vkey, witness3.vkey];
    it('2 of 3 pinned witnesses cosigned: quorum 2 met, quorum 3 not', () => {
      expect(verifyCheckpoint(twoOfThree, LOG, { witnesses: pinned, quorum: 2 }).cosignatures.length).toBe(2);
      rejects(() => verifyCheckpoint(twoOfThree, LOG, { witnesses: pinned, quorum: 3 }), 'quorum_not_met');
    });
    it('the vector checkpoint without its cosignature does not meet quorum 1', () => {
      rejects(() => verifyCheckpoint(V.checkpoint.signed_note, LOG, witnessPolicy), 'quorum_not_met');
    });
    it('a cosignature by an unpinned witness does not count', () => {
      rejects(() => verifyCheckpoint(V.checkpoint.cosigned_note, LOG, { witnesses: [witness2.vkey], quorum: 1 }), 'quorum_not_met');
    });
    it('a repeated cosignature by the same witness counts once', () => {
      const n = base + cosignatureLine(witnessKey, text, T) + cosignatureLine(witnessKey, text, T + 1n);
      rejects(() => verifyCheckpoint(n, LOG, { witnesses: [WITNESS, witness2.vkey], quorum: 2 }), 'quorum_not_met');
    });
    it('one witness key pinned under two names counts once', () => {
      const alias = keyFromSeed('witness.test/alias', 0x04, Buffer.from(V.witness_key.seed_hex, 'hex'));
      const n = V.checkpoint.cosigned_note + cosignatureLine(alias, text, T);
      rejects(() => verifyCheckpoint(n, LOG, { witnesses: [WITNESS, alias.vkey], quorum: 2 }), 'bad_policy');
      rejects(() => verifyCheckpoint(n, LOG, { witnesses: [WITNESS, alias.vkey, witness2.vkey], quorum: 2 }), 'quorum_not_met');
    });
    it('a cosignature over another checkpoint is a bad signature', () => {
      const other = `${ORIGIN}\n6\n${V.tree.roots_by_size[5]}\n`;
      const line = cosignatureLine(witnessKey, other, T);
      rejects(() => verifyCheckpoint(base + line, LOG, witnessPolicy), 'bad_signature');
    });
    it('a witness that signed the log way (type 0x01 message) is rejected', () => {
      const asLog = keyFromSeed(witnessKey.name, 0x04, Buffer.from(V.witness_key.seed_hex, 'hex'));
      const line = logSignatureLine(asLog, text); // right name and key ID, but a plain signature over the text
      rejects(() => verifyCheckpoint(base + line, LOG, witnessPolicy), 'bad_signature');
    });
    it('a log key signature is not accepted as a cosignature (different key ID)', () => {
      rejects(() => verifyCheckpoint(base, LOG, { witnesses: [keyFromSeed(ORIGIN, 0x04, Buffer.alloc(32, 1)).vkey], quorum: 1 }), 'quorum_not_met');
    });
    it('future cosignature times can be refused, with 5 minutes of clock skew by default (§6)', () => {
      verifyCheckpoint(V.checkpoint.cosigned_note, LOG, { ...witnessPolicy, now: 1767225600 - 300 });
      rejects(() => verifyCheckpoint(V.checkpoint.cosigned_note, LOG, { ...witnessPolicy, now: 1767225600 - 301 }), 'future_cosignature');
      rejects(() => verifyCheckpoint(V.checkpoint.cosigned_note, LOG, { ...witnessPolicy, now: 1767225599, maxFutureSeconds: 0 }), 'future_cosignature');
    });
    it('quorum larger than the pinned set is a policy error', () => {
      rejects(() => verifyCheckpoint(V.checkpoint.cosigned_note, LOG, { witnesses: [WITNESS], quorum: 2 }), 'bad_policy');
    });
  });

  describe('§3 note form', () => {
    const n = V.checkpoint.signed_note as string;
    it.each([
      ['a carriage return', n.replace('audit\n7', 'audit\r\n7')],
      ['a tab', n.replace('audit\n7', 'audit\t\n7')],
      ['no empty line', n.replace('=\n\n\u2014', '=\n\u2014')],
      ['no final newline', n.slice(0, -1)],
      ['empty signature block', V.checkpoint.text + '\n'],
      ['a hyphen instead of an em dash', n.replace('\u2014 ', '- ')],
      ['no space after the name', n.replace('audit Dq', 'auditDq')],
      ['unpadded signature base64', n.replace(/=\n$/, '\n')],
      ['a signature of 4 bytes', `${V.checkpoint.text}\n\u2014 ${ORIGIN} DqSE/g==\n`],
      ['a name with a no-break space', n.replace(`\u2014 ${ORIGIN}`, `\u2014 ${ORIGIN}\u00a0x`)],
      ['an empty line inside the signature block', n + '\n'],
    ])('rejects a note with %s', (_what, bad) => rejects(() => verifyCheckpoint(bad as string, LOG)));
    it('rejects invalid UTF-8 bytes', () => {
      const bytes = Buffer.concat([Buffer.from(n.slice(0, 5)), Buffer.from([0xff]), Buffer.from(n.slice(5))]);
      rejects(() => parseNote(bytes), 'malformed_note');
      expect(verifyCheckpoint(Buffer.from(n), LOG).size).toBe(7);
    });
    it('accepts 100 signature lines, rejects 101', () => {
      const junk = `\u2014 someone.test/x ${encodeBase64(Buffer.alloc(68, 7))}\n`;
      verifyCheckpoint(n + junk.repeat(99), LOG);
      rejects(() => verifyCheckpoint(n + junk.repeat(100), LOG), 'malformed_note');
    });
    it('ignores unknown signatures but reports them; skips a repeated one by the same key', () => {
      const junk = `\u2014 someone.test/x ${encodeBase64(Buffer.alloc(68, 7))}\n`;
      const opened = openNote(n + junk + flipSignature(n, 0, 30).slice(n.lastIndexOf('\n\n') + 2), [ed25519NoteVerifier(LOG)]);
      expect(opened.unverified.length).toBe(1);
      expect(opened.verified.length).toBe(1);
    });
    it('the text may contain empty lines: split at the last empty line', () => {
      const text = 'a\n\nb\n';
      const parsed = parseNote(note(text, logSignatureLine(logKey, text)));
      expect(parsed.text).toBe(text);
    });
  });

  describe('§6 checkpoint text', () => {
    const root = V.tree.root_hash;
    it.each([
      ['two lines', `${ORIGIN}\n7\n`],
      ['an empty origin', `\n7\n${root}\n`],
      ['a leading zero', `${ORIGIN}\n07\n${root}\n`],
      ['a sign', `${ORIGIN}\n+7\n${root}\n`],
      ['a 31-byte root', `${ORIGIN}\n7\n${encodeBase64(Buffer.alloc(31))}\n`],
      ['an unpadded root', `${ORIGIN}\n7\n${root.slice(0, -1)}\n`],
      ['hex root', `${ORIGIN}\n7\n${decodeBase64(root).toString('hex')}\n`],
      ['an empty extension line', `${ORIGIN}\n7\n${root}\n\next\n`],
      ['no final newline', `${ORIGIN}\n7\n${root}`],
    ])('rejects %s', (_w, text) => rejects(() => parseCheckpointText(text as string), 'bad_checkpoint'));
    it('accepts non-empty extension lines and size 0', () => {
      expect(parseCheckpointText(`${ORIGIN}\n7\n${root}\next one\n`).extensions).toEqual(['ext one']);
      expect(parseCheckpointText(`${ORIGIN}\n0\n${encodeBase64(EMPTY_ROOT)}\n`).size).toBe(0);
    });
    it('a receipt is not a checkpoint, and a checkpoint is not a receipt', () => {
      rejects(() => verifyCheckpoint(V.receipt.signed_note, LOG), 'bad_checkpoint');
      rejects(() => verifyReceipt(V.checkpoint.signed_note, LOG), 'bad_receipt');
    });
  });

  describe('§8 receipt text', () => {
    const t = parseReceiptText(V.receipt.signed_note.slice(0, V.receipt.signed_note.lastIndexOf('\n\n') + 1)).text;
    it.each([
      ['an uppercase UUID', t.replace('event 11111111-1111-4111-8111-111111111111', 'event 11111111-1111-4111-8111-11111111111A')],
      ['a braced UUID', t.replace('event 11111111-1111-4111-8111-111111111111', 'event {11111111-1111-4111-8111-111111111111}')],
      ['an uppercase digest', t.replace(V.receipt.payload_sha256, (V.receipt.payload_sha256 as string).toUpperCase())],
      ['a short digest', t.replace(`${V.receipt.payload_sha256}\n`, `${(V.receipt.payload_sha256 as string).slice(0, -1)}\n`)],
      ['no milliseconds', t.replace('00:00:00.000Z', '00:00:00Z')],
      ['an offset instead of Z', t.replace('00:00:00.000Z', '00:00:00.000+00:00')],
      ['an impossible date', t.replace('2026-01-01', '2026-02-30')],
      ['a sixth line', t + 'extra\n'],
      ['another header', t.replace('receipt/v1', 'receipt/v2')],
      ['two spaces', t.replace('event 1', 'event  1')],
    ])('rejects %s', (_w, text) => rejects(() => parseReceiptText(text as string), 'bad_receipt'));
    it('a receipt whose origin is not the log key name', () => {
      const text = t.replace(ORIGIN, 'other.test/audit');
      rejects(() => verifyReceipt(note(text, logSignatureLine(logKey, text)), LOG), 'bad_receipt');
    });
    it('a receipt for another payload does not match the event record', () => {
      const r = verifyReceipt(V.receipt.signed_note, LOG);
      rejects(() => checkReceiptMatchesEvent(r, V.entries[3].record), 'receipt_mismatch');
      rejects(() => checkReceiptMatchesEvent({ ...r, payloadSha256: V.payloads[1].payload_sha256 }, V.entries[0].record), 'receipt_mismatch');
    });
  });

  describe('full audit (GET /v1/audit/entries)', () => {
    const cp = V.checkpoint.signed_note;
    it('a missing entry', () => rejects(() => verifyEntriesAgainstCheckpoint(entryLines.slice(0, 6), cp, LOG), 'entries_count'));
    it('an extra entry', () =>
      rejects(() => verifyEntriesAgainstCheckpoint([...entryLines, { ...entryLines[0]!, index: 7 }], cp, LOG), 'entries_count'));
    it('two entries swapped (with their indices)', () => {
      const l = clone(entryLines);
      [l[1], l[2]] = [l[2]!, l[1]!];
      rejects(() => verifyEntriesAgainstCheckpoint(l, cp, LOG), 'entries_order');
    });
    it('two records swapped (indices kept in order)', () => {
      const l = clone(entryLines);
      [l[1]!.record, l[2]!.record, l[1]!.kind, l[2]!.kind] = [l[2]!.record, l[1]!.record, l[2]!.kind, l[1]!.kind];
      rejects(() => verifyEntriesAgainstCheckpoint(l, cp, LOG), 'root_mismatch');
    });
    it('a line kind that differs from the record kind', () => {
      const l = clone(entryLines);
      l[1]!.kind = 'event';
      rejects(() => verifyEntriesAgainstCheckpoint(l, cp, LOG), 'bad_entry');
    });
    it('an unknown record kind', () => {
      const l = clone(entryLines);
      l[1]!.kind = l[1]!.record.kind = 'note';
      rejects(() => verifyEntriesAgainstCheckpoint(l, cp, LOG), 'bad_record');
    });
    it('the entries against an older checkpoint', () => {
      const text = `${ORIGIN}\n6\n${V.tree.roots_by_size[5]}\n`;
      const old = note(text, logSignatureLine(logKey, text));
      verifyEntriesAgainstCheckpoint(entryLines.slice(0, 6), old, LOG);
      rejects(() => verifyEntriesAgainstCheckpoint(entryLines, old, LOG), 'entries_count');
    });
    it('a record with a repeated member name (I-JSON)', () => {
      const bad = ndjson.replace('"kind":"attempt","event_id"', '"kind":"attempt","kind":"attempt","event_id"');
      expect(bad).not.toBe(ndjson);
      rejects(() => verifyEntriesAgainstCheckpoint(bad, cp, LOG), 'bad_json');
      const nested = JSON.stringify({ checkpoint: cp, entries: [] }).replace('"entries":[]', '"entries":[],"entries":[]');
      rejects(() => verifyEventProof(nested, LOG), 'bad_json');
      // The same name in different objects, or as a string value, is fine; escapes are decoded first.
      assertNoDuplicateMembers('{"kind":"x","a":{"kind":1,"s":"\\"kind\\""},"b":[{"kind":2},"kind",{"kind":3}]}');
      rejects(() => assertNoDuplicateMembers('{"kind":1,"\\u006bind":2}'), 'bad_json');
    });
    it('an empty line in the NDJSON', () => {
      rejects(() => verifyEntriesAgainstCheckpoint(ndjson.replace('\n', '\n\n'), cp, LOG), 'bad_ndjson');
    });
    it('a last line without its final newline (§9: every line ends in \\n)', () => {
      rejects(() => verifyEntriesAgainstCheckpoint(ndjson.slice(0, -1), cp, LOG), 'bad_ndjson');
    });
    it('a flipped checkpoint signature', () => {
      rejects(() => verifyEntriesAgainstCheckpoint(ndjson, flipSignature(cp, 0, 50), LOG), 'bad_signature');
    });
    it('quorum not met', () => rejects(() => verifyEntriesAgainstCheckpoint(ndjson, cp, LOG, witnessPolicy), 'quorum_not_met'));
  });

  describe('event proof (GET /v1/events/:id/proof)', () => {
    it('an entry about another event', () => {
      const body = eventProofBody(EVENT1);
      body.entries.splice(2, 0, { ...entryLines[3], inclusion: inclusionPath(3, leafHashes).map(encodeBase64) });
      rejects(() => verifyEventProof(body, LOG), 'wrong_event');
    });
    it('a body without event_id, or for another id than requested (§9)', () => {
      const { event_id: _omitted, ...body } = eventProofBody(EVENT1);
      rejects(() => verifyEventProof(body, LOG), 'bad_proof_body');
      rejects(() => verifyEventProof({ ...eventProofBody(EVENT1), event_id: EVENT2 }, LOG), 'wrong_event');
    });
    it('entries out of index order, or an index twice (§9)', () => {
      const swapped = eventProofBody(EVENT1);
      [swapped.entries[1], swapped.entries[2]] = [swapped.entries[2], swapped.entries[1]];
      rejects(() => verifyEventProof(swapped, LOG), 'bad_entry');
      const twice = eventProofBody(EVENT1);
      twice.entries.splice(1, 0, clone(twice.entries[1]));
      rejects(() => verifyEventProof(twice, LOG), 'bad_entry');
    });
    it('a kind an event proof never holds (§9: event, attempt, replay_item)', () => {
      const body = eventProofBody(EVENT2);
      body.entries.splice(1, 0, { ...clone(entryLines[5]), inclusion: inclusionPath(5, leafHashes).map(encodeBase64) });
      rejects(() => verifyEventProof(body, LOG), 'bad_entry');
    });
    it('two event entries for one event (§9: exactly one)', () => {
      const records = [V.entries[0].record, V.entries[0].record];
      const hashes = records.map((r) => leafHash(r));
      const text = `${ORIGIN}\n2\n${encodeBase64(merkleRoot(hashes))}\n`;
      const entries = records.map((record, index) => ({ index, kind: 'event', record, inclusion: inclusionPath(index, hashes).map(encodeBase64) }));
      const body = { event_id: EVENT1, checkpoint: note(text, logSignatureLine(logKey, text)), entries };
      rejects(() => verifyEventProof(body, LOG), 'no_event_entry');
      verifyEventProof({ ...body, entries: entries.slice(0, 1) }, LOG);
    });
    it('the proof of one event presented for another id', () => {
      rejects(() => verifyEventProof(eventProofBody(EVENT2), LOG, { eventId: EVENT1 }), 'wrong_event');
    });
    it('an entry with the wrong index', () => {
      const body = eventProofBody(EVENT1);
      body.entries[1].index = 2;
      rejects(() => verifyEventProof(body, LOG), 'bad_inclusion');
    });
    it('a flipped byte in an inclusion hash', () => {
      const body = eventProofBody(EVENT1);
      body.entries[2].inclusion[1] = flipB64(body.entries[2].inclusion[1], 3);
      rejects(() => verifyEventProof(body, LOG), 'bad_inclusion');
    });
    it('swapped inclusion proofs between two entries', () => {
      const body = eventProofBody(EVENT1);
      [body.entries[0].inclusion, body.entries[1].inclusion] = [body.entries[1].inclusion, body.entries[0].inclusion];
      rejects(() => verifyEventProof(body, LOG), 'bad_inclusion');
    });
    it('entry kind differing from record kind', () => {
      const body = eventProofBody(EVENT1);
      body.entries[1].kind = 'event';
      rejects(() => verifyEventProof(body, LOG), 'bad_entry');
    });
    it('no event entry', () => {
      const body = eventProofBody(EVENT1);
      body.entries.shift();
      rejects(() => verifyEventProof(body, LOG), 'no_event_entry');
    });
    it('no entries at all', () => rejects(() => verifyEventProof({ checkpoint: V.checkpoint.signed_note, entries: [] }, LOG), 'bad_proof_body'));
    it('payload or receipt not matching', () => {
      rejects(() => verifyEventProof(eventProofBody(EVENT1), LOG, { payload: V.payloads[1].payload }), 'payload_mismatch');
      rejects(() => verifyEventProof(eventProofBody(EVENT2), LOG, { receipt: V.receipt.signed_note }), 'receipt_mismatch');
    });
    it('proofs against a checkpoint signed by the wrong key, or without quorum', () => {
      rejects(() => verifyEventProof(eventProofBody(EVENT1), otherLog.vkey), 'no_trusted_signature');
      rejects(() => verifyEventProof(eventProofBody(EVENT1, V.checkpoint.signed_note), LOG, witnessPolicy), 'quorum_not_met');
    });
    it('proofs against a checkpoint for a different tree size', () => {
      const text = `${ORIGIN}\n6\n${V.tree.roots_by_size[5]}\n`;
      const body = eventProofBody(EVENT1, note(text, logSignatureLine(logKey, text)));
      rejects(() => verifyEventProof(body, LOG), 'bad_inclusion');
    });
  });

  describe('§4/§5 canonical JSON', () => {
    it('agrees with the canonicalize package on awkward values', () => {
      const awkward = [
        { b: 1, a: [1e21, 1e-7, -0, 0.1, 123456789012345680000, 5e-324], '\u20ac': 'é', '\ud83d\ude00': 'x', '\u0080': 1, a_: null },
        { s: '\u0000\u001f"\\/\u2028\u007f', t: true, f: false, n: { z: {}, y: [] } },
      ];
      for (const v of awkward) expect(canonicalJson(v)).toBe(canonicalize(v));
    });
    it('refuses what JSON cannot say', () => {
      rejects(() => canonicalJson({ x: NaN }), 'bad_json');
      rejects(() => canonicalJson({ x: undefined as unknown as null }), 'bad_json');
      rejects(() => canonicalJson({ x: '\ud800' }), 'bad_json');
    });
  });
});
