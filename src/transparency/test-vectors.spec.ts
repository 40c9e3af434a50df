import { readFileSync, writeFileSync } from 'node:fs';
import { openCheckpoint } from './checkpoint.js';
import { cosignatureTimestamp, parseWitnessVerifier } from './cosignature.js';
import { leafInput, payloadSha256 } from './leaf.js';
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
    for (const e of v.entries) {
      expect(leafInput(e.record).toString('utf8')).toBe(e.leaf_input);
      expect(leafHash(Buffer.from(e.leaf_input, 'utf8')).toString('base64')).toBe(e.leaf_hash);
    }
    const { index, tree_size, proof } = v.inclusion;
    expect(verifyInclusion(index, tree_size, b(v.entries[index].leaf_hash), proof.map(b), b(v.tree.root_hash))).toBe(true);
    const c = v.consistency;
    expect(verifyConsistency(c.from, c.to, c.proof.map(b), b(c.old_root), b(c.new_root))).toBe(true);
    expect(c.old_root).toBe(v.tree.roots_by_size[c.from - 1]);
    const logKey = parseVerifierKey(v.log_key.verifier_key);
    const witness = parseWitnessVerifier(v.witness_key.verifier_key);
    const opened = openCheckpoint(v.checkpoint.cosigned_note, logKey, [witness], 1);
    expect(opened.checkpoint.rootHash.toString('base64')).toBe(v.tree.root_hash);
    expect(opened.cosignatures.map(cosignatureTimestamp)).toEqual([BigInt(v.checkpoint.cosignature_time)]);
    expect(openReceipt(v.receipt.signed_note, logKey).payloadSha256).toBe(v.payloads[0].payload_sha256);
  });
});
