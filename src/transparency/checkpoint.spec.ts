import { formatCheckpoint, openCheckpoint, parseCheckpoint, signCheckpoint } from './checkpoint.js';
import { generateNoteKey, NoteError, openNote, parseSignerKey, parseVerifierKey, signNote } from './signed-note.js';

// The example checkpoint of the C2SP tlog-checkpoint spec.
const SPEC_TEXT = 'example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n';

describe('checkpoints (C2SP tlog-checkpoint)', () => {
  it("parses the spec's example and formats it back byte for byte", () => {
    const checkpoint = parseCheckpoint(SPEC_TEXT);
    expect(checkpoint.origin).toBe('example.com/behind-the-sofa');
    expect(checkpoint.size).toBe(20852163);
    expect(checkpoint.rootHash.toString('base64')).toBe('CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=');
    expect(formatCheckpoint(checkpoint)).toBe(SPEC_TEXT);
  });

  it('keeps extension lines, and formats the empty tree as size 0', () => {
    const withExtension = `${SPEC_TEXT}extension line\n`;
    expect(parseCheckpoint(withExtension).extensions).toEqual(['extension line']);
    expect(formatCheckpoint(parseCheckpoint(withExtension))).toBe(withExtension);
    const empty = { origin: 'a.example/log', size: 0, rootHash: Buffer.alloc(32), extensions: [] };
    expect(formatCheckpoint(empty)).toBe(`a.example/log\n0\n${Buffer.alloc(32).toString('base64')}\n`);
  });

  it('rejects malformed checkpoint text', () => {
    const root = 'CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=';
    const bad = [
      SPEC_TEXT.slice(0, -1),
      'example.com/log\n20852163\n',
      `\n1\n${root}\n`,
      `example.com/log\n007\n${root}\n`,
      `example.com/log\n-1\n${root}\n`,
      `example.com/log\n1.0\n${root}\n`,
      `example.com/log\n 1\n${root}\n`,
      `example.com/log\n99999999999999999999\n${root}\n`,
      'example.com/log\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I\n',
      'example.com/log\n1\nAAAA\n',
      `example.com/log\n1\n${root}\n\nafter a blank line\n`,
    ];
    for (const text of bad) expect(() => parseCheckpoint(text)).toThrow(NoteError);
  });

  it('signs with the log key and opens only with it, the origin being the key name', () => {
    const log = generateNoteKey('gateway.example/audit');
    const other = generateNoteKey('other.example/log');
    const checkpoint = { origin: 'gateway.example/audit', size: 7, rootHash: Buffer.alloc(32, 7), extensions: [] };
    const note = signCheckpoint(checkpoint, parseSignerKey(log.signingKey));
    expect(openCheckpoint(note, parseVerifierKey(log.verifierKey)).checkpoint).toEqual(checkpoint);
    expect(() => openCheckpoint(note, parseVerifierKey(other.verifierKey))).toThrow(/no verifiable signatures/);
    expect(() => signCheckpoint(checkpoint, parseSignerKey(other.signingKey))).toThrow(/origin/);
    const misnamed = signNote(formatCheckpoint({ ...checkpoint, origin: 'elsewhere.example/log' }), parseSignerKey(log.signingKey));
    expect(() => openCheckpoint(misnamed, parseVerifierKey(log.verifierKey))).toThrow(/origin/);
    expect(openNote(note, [parseVerifierKey(log.verifierKey)]).text).toBe(formatCheckpoint(checkpoint));
  });
});
