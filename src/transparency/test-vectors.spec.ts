import { readFileSync, writeFileSync } from 'node:fs';
import { openCheckpoint } from './checkpoint.js';
import { cosignatureTimestamp, parseWitnessVerifier } from './cosignature.js';
import { leafInput, payloadSha256 } from './leaf.js';
import { parseStrictJson } from './strict-json.js';
import { leafHash, verifyConsistency, verifyInclusion } from './merkle.js';
import { openReceipt } from './receipt.js';
import { parseVerifierKey } from './signed-note.js';
import { buildTestVectors, testVectorsJson } from './test-vectors.js';

/**
 * The committed vectors, and their copy in the doc, must be exactly what the code produces. To change
 * them on purpose: UPDATE_AUDIT_VECTORS=1 node --experimental-vm-modules node_modules/jest/bin/jest.js \
 *   src/transparency/test-vectors
 */
const VECTORS = new URL('../../docs/audit-format-vectors.json', import.meta.url);
const DOC = new URL('../../docs/audit-format.md', import.meta.url);
const BEGIN = '<!-- test vectors: generated from docs/audit-format-vectors.json, do not edit -->\n```json\n';
const END = '```\n<!-- end of test vectors -->';

function docWith(vectors: string): string {
  const doc = readFileSync(DOC, 'utf8');
  const start = doc.indexOf(BEGIN);
  const end = doc.indexOf(END);
  if (start < 0 || end < start) throw new Error('docs/audit-format.md has lost its test vector markers');
  return doc.slice(0, start + BEGIN.length) + vectors + doc.slice(end);
}

const b = (text: string) => Buffer.from(text, 'base64');

describe('the audit format test vectors', () => {
  if (process.env.UPDATE_AUDIT_VECTORS === '1')
    beforeAll(async () => {
      const vectors = await testVectorsJson();
      writeFileSync(VECTORS, vectors);
      writeFileSync(DOC, docWith(vectors));
    });

  it('are committed byte for byte as the code generates them', async () => {
    expect(readFileSync(VECTORS, 'utf8')).toBe(await testVectorsJson());
  });

  it('are reproduced unchanged in docs/audit-format.md', () => {
    const vectors = readFileSync(VECTORS, 'utf8');
    expect(readFileSync(DOC, 'utf8')).toBe(docWith(vectors));
  });

  it('verify with the published algorithms', async () => {
    const v = await buildTestVectors();
    for (const p of v.payloads) expect(payloadSha256(p.payload)).toBe(p.payload_sha256);
    for (const e of [...v.entries, v.escapes_record, v.erasure_record]) {
      expect(leafInput(e.record).toString('utf8')).toBe(e.leaf_input);
      expect(leafHash(Buffer.from(e.leaf_input, 'utf8')).toString('base64')).toBe(e.leaf_hash);
    }
    expect(v.inclusion_proofs.map((p) => [p.index, p.tree_size])).toEqual([0, 1, 2, 3, 4, 5, 6, 0].map((i, n) => [i, n < 7 ? 7 : 1]));
    for (const { index, tree_size, leaf_hash, proof, root } of v.inclusion_proofs) {
      expect(leaf_hash).toBe(v.entries[index].leaf_hash);
      expect(verifyInclusion(index, tree_size, b(leaf_hash), proof.map(b), b(root))).toBe(true);
    }
    for (const c of v.consistency_proofs) {
      expect([c.old_root, c.new_root]).toEqual([c.from, c.to].map((n) => (n === 0 ? v.tree.empty_root_hash : v.tree.roots_by_size[n - 1])));
      expect(verifyConsistency(c.from, c.to, c.proof.map(b), b(c.old_root), b(c.new_root))).toBe(true);
    }
    const logKey = parseVerifierKey(v.log_key.verifier_key);
    const witnesses = [v.witness_key, v.second_witness_key].map((w) => parseWitnessVerifier(w.verifier_key));
    const opened = openCheckpoint(v.checkpoint.cosigned_note, logKey, witnesses.slice(0, 1), 1);
    expect(opened.checkpoint.rootHash.toString('base64')).toBe(v.tree.root_hash);
    expect(opened.cosignatures.map(cosignatureTimestamp)).toEqual([BigInt(v.checkpoint.cosignature_time)]);
    const both = openCheckpoint(v.checkpoint.cosigned_by_both_note, logKey, witnesses, 2);
    expect(both.cosignatures.map(cosignatureTimestamp)).toEqual(
      [v.checkpoint.cosignature_time, v.checkpoint.second_cosignature_time].map(BigInt),
    );
    expect(() => openCheckpoint(v.checkpoint.cosigned_note, logKey, witnesses, 2)).toThrow(/fewer than the 2 required/);
    const empty = openCheckpoint(v.empty_checkpoint.signed_note, logKey).checkpoint;
    expect([empty.size, empty.rootHash.toString('base64')]).toEqual([0, v.tree.empty_root_hash]);
    expect(openReceipt(v.receipt.signed_note, logKey).payloadSha256).toBe(v.payloads[0].payload_sha256);
  });

  it('include route bodies built from the vector log', async () => {
    const { routes, entries, tree } = await buildTestVectors();
    expect(routes.entries.endsWith('\n')).toBe(true);
    const lines = routes.entries.slice(0, -1).split('\n').map(parseStrictJson);
    expect(lines).toEqual(entries.map(({ index, kind, record }) => ({ index, kind, record })));
    const proof = parseStrictJson(JSON.stringify(routes.event_proof)) as typeof routes.event_proof;
    const { checkpoint } = openCheckpoint(proof.checkpoint, parseVerifierKey((await buildTestVectors()).log_key.verifier_key));
    expect(proof.entries.map((e) => [e.index, e.kind])).toEqual([
      [0, 'event'],
      [1, 'attempt'],
      [4, 'attempt'],
    ]);
    for (const e of proof.entries) {
      expect(e.kind === 'event' ? e.record.id : e.record.event_id).toBe(proof.event_id);
      expect(verifyInclusion(e.index, checkpoint.size, leafHash(leafInput(e.record)), e.inclusion.map(b), checkpoint.rootHash)).toBe(true);
    }
    const c = routes.consistency;
    expect(verifyConsistency(c.from, c.to, c.proof.map(b), b(tree.roots_by_size[c.from - 1]), b(tree.root_hash))).toBe(true);
  });

  it('list negative cases that this code rejects, each for its stated reason only', async () => {
    const v = await buildTestVectors();
    const logKey = parseVerifierKey(v.log_key.verifier_key);
    const reject: Record<string, (n: (typeof v.negative)[number]) => unknown> = {
      checkpoint: (n) => {
        const pinned = ('witnesses' in n ? (n.witnesses ?? []) : []).map(parseWitnessVerifier);
        return openCheckpoint(n.input as string, logKey, pinned, 'quorum' in n ? (n.quorum ?? 0) : 0);
      },
      receipt: (n) => openReceipt(n.input as string, logKey),
      verifier_key: (n) => parseVerifierKey(n.input as string),
      entries_line: (n) => parseStrictJson((n.input as string).slice(0, -1)),
      inclusion: (n) => {
        const { index, tree_size, leaf_hash, proof, root } = n.input as (typeof v.inclusion_proofs)[number];
        if (!verifyInclusion(index, tree_size, b(leaf_hash), proof.map(b), b(root))) throw new Error('proof fails');
      },
      consistency: (n) => {
        const { from, to, proof, old_root, new_root } = n.input as (typeof v.consistency_proofs)[number];
        if (!verifyConsistency(from, to, proof.map(b), b(old_root), b(new_root))) throw new Error('proof fails');
      },
    };
    const why: Record<string, RegExp> = {
      checkpoint_bad_signature: /invalid signature for key bulletin-gateway/,
      checkpoint_other_key_same_name: /no verifiable signatures/,
      checkpoint_noncanonical_base64: /bad signature line/,
      checkpoint_size_leading_zero: /leading zeros/,
      checkpoint_wrong_origin: /origin other.test\/audit is not the log key name/,
      checkpoint_cosignature_time_too_large: /invalid signature for key witness.test\/w1/,
      receipt_as_checkpoint: /size is not a decimal/,
      checkpoint_as_receipt: /not a receipt/,
      receipt_impossible_date: /not in canonical form/,
      receipt_wrong_origin: /origin other.test\/audit is not the log key name/,
      verifier_key_wrong_key_id: /does not match the key/,
      entries_line_repeated_member: /repeats the member name "id"/,
      inclusion_truncated: /proof fails/,
      consistency_from_zero_with_hashes: /proof fails/,
    };
    expect(v.negative.map((n) => n.name)).toEqual(Object.keys(why));
    for (const n of v.negative) expect(() => reject[n.check](n)).toThrow(why[n.name]);
  });
});
