import { formatCheckpoint, openCheckpoint, signCheckpoint } from './checkpoint.js';
import {
  cosignatureMessage,
  cosignatureTimestamp,
  cosignCheckpoint,
  generateWitnessKey,
  parseWitnessSigner,
  parseWitnessVerifier,
  witnessKeyFromSeed,
} from './cosignature.js';
import { generateNoteKey, NoteError, parseNote, parseSignerKey, parseVerifierKey } from './signed-note.js';

// A witness verifier key with type 0x04, from transparency-dev/formats note/note_cosigv1_test.go.
const PUBLISHED_WITNESS_VKEY = 'remora.n621.de+da77ade7+BOvN63jn/bLvkieywe8R6UYAtVtNbZpXh34x7onlmtw2';

// The example cosigned checkpoint of the C2SP tlog-cosignature spec (its keys are not published).
const SPEC_NOTE =
  'example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\n' +
  '\u2014 example.com/behind-the-sofa Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=\n' +
  '\u2014 witness.example.com/w1 jWbPPwAAAABkGFDLEZMHwSRaJNiIDoe9DYn/zXcrtPHeolMI5OWXEhZCB9dlrDJsX3b2oyin1nPZqhf5nNo0xUe+mbIUBkBIfZ+qnA==\n';

const checkpoint = { origin: 'gateway.example/audit', size: 3, rootHash: Buffer.alloc(32, 3), extensions: [] };

function setUp() {
  const log = generateNoteKey('gateway.example/audit');
  const witness = generateWitnessKey('witness.example/w1');
  const note = signCheckpoint(checkpoint, parseSignerKey(log.signingKey));
  return { log, witness, note };
}

describe('witness cosignatures (C2SP tlog-cosignature, Ed25519 cosignature/v1)', () => {
  it('derives key IDs with type 0x04, as a published witness key shows', () => {
    const verifier = parseWitnessVerifier(PUBLISHED_WITNESS_VKEY);
    expect([verifier.name, verifier.keyId]).toEqual(['remora.n621.de', 0xda77ade7]);
    expect(() => parseVerifierKey(PUBLISHED_WITNESS_VKEY)).toThrow(/type is 0x04, expected 0x01/);
  });

  it("reads the timestamp of the spec's example cosignature", () => {
    const [, witness] = parseNote(SPEC_NOTE).signatures;
    expect(witness.name).toBe('witness.example.com/w1');
    expect(cosignatureTimestamp(witness)).toBe(1679315147n);
  });

  it('signs the cosignature/v1 message: header, time line, then the checkpoint text', () => {
    expect(cosignatureMessage(1679315147, formatCheckpoint(checkpoint)).toString()).toBe(
      `cosignature/v1\ntime 1679315147\n${formatCheckpoint(checkpoint)}`,
    );
  });

  it('cosigns a checkpoint so that a quorum check passes, with the time it was given', () => {
    const { log, witness, note } = setUp();
    const cosigned = cosignCheckpoint(note, parseWitnessSigner(witness.signingKey, () => 1700000000));
    expect(cosigned.startsWith(note)).toBe(true);
    const opened = openCheckpoint(cosigned, parseVerifierKey(log.verifierKey), [parseWitnessVerifier(witness.verifierKey)], 1);
    expect(opened.checkpoint).toEqual(checkpoint);
    expect(opened.cosignatures.map(cosignatureTimestamp)).toEqual([1700000000n]);
  });

  it('fails a quorum that the witnesses did not meet', () => {
    const { log, witness, note } = setUp();
    const stranger = generateWitnessKey('witness.example/w2');
    const cosigned = cosignCheckpoint(note, parseWitnessSigner(stranger.signingKey));
    expect(() =>
      openCheckpoint(cosigned, parseVerifierKey(log.verifierKey), [parseWitnessVerifier(witness.verifierKey)], 1),
    ).toThrow(/fewer than the 1 required/);
  });

  it('rejects a cosignature whose timestamp was changed, or made over another checkpoint', () => {
    const { log, witness, note } = setUp();
    const cosigned = cosignCheckpoint(note, parseWitnessSigner(witness.signingKey, () => 1700000000));
    const { text, signatures } = parseNote(cosigned);
    const stamp = signatures[1].signature;
    stamp.writeBigUInt64BE(1700000001n);
    const id = Buffer.alloc(4);
    id.writeUInt32BE(signatures[1].keyId);
    const tampered = `${cosigned.split('\u2014 witness')[0]}\u2014 witness.example/w1 ${Buffer.concat([id, stamp]).toString('base64')}\n`;
    expect(tampered.startsWith(text)).toBe(true);
    const verifiers = [parseWitnessVerifier(witness.verifierKey)];
    expect(() => openCheckpoint(tampered, parseVerifierKey(log.verifierKey), verifiers, 1)).toThrow(/invalid signature/);
  });

  it('counts witnesses by public key: one key pinned under two names is one witness', () => {
    const { log, note } = setUp();
    const seed = Buffer.alloc(32, 5);
    const [a, b] = [witnessKeyFromSeed('witness.example/a', seed), witnessKeyFromSeed('witness.example/b', seed)];
    const cosigned = cosignCheckpoint(
      cosignCheckpoint(note, parseWitnessSigner(a.signingKey, () => 1700000000)),
      parseWitnessSigner(b.signingKey, () => 1700000000),
    );
    const logKey = parseVerifierKey(log.verifierKey);
    const pinned = [parseWitnessVerifier(a.verifierKey), parseWitnessVerifier(b.verifierKey)];
    expect(openCheckpoint(cosigned, logKey, pinned, 1).cosignatures).toHaveLength(2);
    expect(() => openCheckpoint(cosigned, logKey, pinned, 2)).toThrow(/quorum 2 is not between 0 and the 1 distinct/);
    const other = generateWitnessKey('witness.example/c');
    expect(() => openCheckpoint(cosigned, logKey, [...pinned, parseWitnessVerifier(other.verifierKey)], 2)).toThrow(
      /1 distinct witness cosignatures, fewer than the 2 required/,
    );
  });

  it('takes timestamps up to 2^63 - 1 exactly, and refuses larger ones', () => {
    const { log, witness, note } = setUp();
    const max = 2n ** 63n - 1n;
    const cosigned = cosignCheckpoint(note, parseWitnessSigner(witness.signingKey, () => max));
    const opened = openCheckpoint(cosigned, parseVerifierKey(log.verifierKey), [parseWitnessVerifier(witness.verifierKey)], 1);
    expect(opened.cosignatures.map(cosignatureTimestamp)).toEqual([max]);
    expect(cosignatureMessage(max, 'x\n').toString()).toBe('cosignature/v1\ntime 9223372036854775807\nx\n');
    expect(() => cosignatureMessage(max + 1n, 'x\n')).toThrow(/2\^63/);
    expect(() => cosignatureMessage(-1, 'x\n')).toThrow(/2\^63/);
    expect(() => cosignCheckpoint(note, parseWitnessSigner(witness.signingKey, () => max + 1n))).toThrow(/2\^63/);
  });

  it('refuses to cosign text that is not a checkpoint, and keys of the wrong type', () => {
    const { witness } = setUp();
    const signer = parseWitnessSigner(witness.signingKey);
    expect(() => signer.sign(Buffer.from('hello\n'))).toThrow(NoteError);
    expect(() => parseSignerKey(witness.signingKey)).toThrow(/type is 0x04/);
    const seed = Buffer.alloc(32, 1);
    expect(witnessKeyFromSeed('w.example/1', seed)).toEqual(witnessKeyFromSeed('w.example/1', seed));
  });
});
