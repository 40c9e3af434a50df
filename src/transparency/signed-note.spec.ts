import {
  addSignatures,
  appendSignatureLines,
  generateNoteKey,
  keyId,
  NoteError,
  noteKeyFromSeed,
  openNote,
  parseNote,
  parseSignerKey,
  parseVerifierKey,
  signNote,
} from './signed-note.js';

// Published in Go's golang.org/x/mod/sumdb/note/note_test.go: a key pair, a text and its signed note.
const PETER_SKEY = 'PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz';
const PETER_VKEY = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
const ENOCH_VKEY = 'EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop';
const TEXT = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
const PETER_SIG =
  '\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n';
const ENOCH_SIG =
  '\u2014 EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n';

describe('signed notes (C2SP signed-note, interoperable with Go sumdb/note)', () => {
  it("parses Go's published key pair and derives the same key ID", () => {
    const signer = parseSignerKey(PETER_SKEY);
    const verifier = parseVerifierKey(PETER_VKEY);
    expect([signer.name, signer.keyId]).toEqual(['PeterNeumann', 0xc74f20a3]);
    expect([verifier.name, verifier.keyId]).toEqual(['PeterNeumann', 0xc74f20a3]);
    const seed = Buffer.from(PETER_SKEY.split('+').slice(4).join('+'), 'base64').subarray(1);
    expect(noteKeyFromSeed('PeterNeumann', seed)).toEqual({ signingKey: PETER_SKEY, verifierKey: PETER_VKEY });
    const publicKey = Buffer.from(PETER_VKEY.split('+').slice(2).join('+'), 'base64').subarray(1);
    expect(keyId('PeterNeumann', 0x01, publicKey)).toBe(0xc74f20a3);
  });

  it("signs Go's test text byte for byte as Go does", () => {
    expect(signNote(TEXT, parseSignerKey(PETER_SKEY))).toBe(`${TEXT}\n${PETER_SIG}`);
  });

  it('opens a note, verifying known keys and setting unknown ones aside', () => {
    const peter = parseVerifierKey(PETER_VKEY);
    const enoch = parseVerifierKey(ENOCH_VKEY);
    const note = `${TEXT}\n${PETER_SIG}${ENOCH_SIG}`;
    const one = openNote(note, [peter]);
    expect(one.text).toBe(TEXT);
    expect(one.verified.map((s) => s.name)).toEqual(['PeterNeumann']);
    expect(one.unknown.map((s) => s.name)).toEqual(['EnochRoot']);
    expect(openNote(note, [peter, enoch]).verified.map((s) => s.name)).toEqual(['PeterNeumann', 'EnochRoot']);
    expect(openNote(Buffer.from(note), [enoch]).verified.map((s) => s.keyId)).toEqual([0xaf0cfe78]);
  });

  it('rejects a note no known key signed, or that a known key signed badly', () => {
    const peter = parseVerifierKey(PETER_VKEY);
    expect(() => openNote(`${TEXT}\n${ENOCH_SIG}`, [peter])).toThrow('note has no verifiable signatures');
    const forged = `${TEXT}\n${PETER_SIG.slice(0, 60)}ABCD${PETER_SIG.slice(60)}`;
    expect(() => openNote(forged, [peter])).toThrow('invalid signature for key PeterNeumann+c74f20a3');
    expect(() => openNote(`${TEXT.replace('problem', 'Problem')}\n${PETER_SIG}`, [peter])).toThrow(NoteError);
    expect(() => openNote(`${TEXT}\n${PETER_SIG}`, [peter, peter])).toThrow('ambiguous key');
  });

  it('ignores a signature that shares only the name or only the key ID with a known key', () => {
    const peter = parseVerifierKey(PETER_VKEY);
    const renamed = PETER_SIG.replace('PeterNeumann', 'CarmenSandiego');
    expect(openNote(`${TEXT}\n${PETER_SIG}${renamed}`, [peter]).unknown.map((s) => s.name)).toEqual(['CarmenSandiego']);
  });

  it('rejects malformed notes as Go does', () => {
    const peter = parseVerifierKey(PETER_VKEY);
    const bad = [
      TEXT,
      `${TEXT}\n`,
      `${TEXT}\n${PETER_SIG.slice(0, -1)}`,
      `\x01${TEXT}\n${PETER_SIG}`,
      `${TEXT}\n\u2014 Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n`,
      `${TEXT}\n${PETER_SIG}Unexpected line.\n`,
      `${TEXT}\n${PETER_SIG.replace('\u2014', '-')}`,
      `${TEXT}\n${PETER_SIG.repeat(101)}`,
      `${TEXT}\n\u2014 PeterNeumann x08g\n`, // too short to hold a key ID and a signature
    ];
    for (const note of bad) expect(() => openNote(note, [peter])).toThrow(/malformed note/);
    expect(() => openNote(Buffer.concat([Buffer.from([0xff]), Buffer.from(`${TEXT}\n${PETER_SIG}`)]), [peter])).toThrow(
      /not valid UTF-8/,
    );
  });

  it("checks only a trusted key's first signature line and skips its repeats unchecked, as Go does", () => {
    const peter = parseVerifierKey(PETER_VKEY);
    const garbage = `\u2014 PeterNeumann ${Buffer.concat([Buffer.from('c74f20a3', 'hex'), Buffer.alloc(64)]).toString('base64')}\n`;
    expect(openNote(`${TEXT}\n${PETER_SIG}${garbage}`, [peter]).verified).toHaveLength(1);
    expect(() => openNote(`${TEXT}\n${garbage}${PETER_SIG}`, [peter])).toThrow(/invalid signature/);
  });

  it('accepts 100 signature lines and rejects 101, rather than reading the first 100', () => {
    const peter = parseVerifierKey(PETER_VKEY);
    expect(openNote(`${TEXT}\n${PETER_SIG.repeat(100)}`, [peter]).verified).toHaveLength(1);
    expect(() => openNote(`${TEXT}\n${PETER_SIG.repeat(101)}`, [peter])).toThrow(/more than 100/);
  });

  it('rejects base64 with non-zero trailing bits, which Go would decode', () => {
    const peter = parseVerifierKey(PETER_VKEY);
    const loose = PETER_SIG.replace('AM=\n', 'AN=\n'); // same bytes, one unused bit set
    expect(Buffer.from('AN=', 'base64')).toEqual(Buffer.from('AM=', 'base64'));
    expect(() => openNote(`${TEXT}\n${loose}`, [peter])).toThrow(/malformed note/);
  });

  it('refuses key names with any Unicode White_Space, as Go unicode.IsSpace does', () => {
    for (const space of ['\u0085', '\u00a0', '\u2028', '\u3000', '\u200a'])
      expect(() => generateNoteKey(`log${space}name`)).toThrow(/white space/);
    expect(generateNoteKey('log\ufeffname').verifierKey).toMatch(/^log\ufeffname\+/); // U+FEFF is not White_Space
  });

  it('accepts upper-case key ID hex in a verifier key, as Go does, and writes lower case', () => {
    const [name, id, key] = [PETER_VKEY.split('+')[0], PETER_VKEY.split('+')[1], PETER_VKEY.split('+').slice(2).join('+')];
    expect(parseVerifierKey(`${name}+${id.toUpperCase()}+${key}`).keyId).toBe(0xc74f20a3);
    expect(generateNoteKey('a.example/log').verifierKey.split('+')[1]).toMatch(/^[0-9a-f]{8}$/);
  });

  it('refuses to sign text that does not end in a newline', () => {
    expect(() => signNote('no newline', parseSignerKey(PETER_SKEY))).toThrow(/end in a newline/);
  });

  it('appends signatures to a signed note, replacing one by the same key', () => {
    const a = generateNoteKey('a.example/log');
    const b = generateNoteKey('b.example/witness');
    const first = signNote('hello\n', parseSignerKey(a.signingKey));
    const both = addSignatures(first, parseSignerKey(b.signingKey));
    expect(both.startsWith(first)).toBe(true);
    expect(addSignatures(both, parseSignerKey(b.signingKey))).toBe(both); // Ed25519 is deterministic
    const opened = openNote(both, [parseVerifierKey(a.verifierKey), parseVerifierKey(b.verifierKey)]);
    expect(opened.verified.map((s) => s.name)).toEqual(['a.example/log', 'b.example/witness']);
    expect(parseNote(both).signatures).toHaveLength(2);
  });

  it('appends signature lines made elsewhere, checking their form', () => {
    const peter = parseVerifierKey(PETER_VKEY);
    const enoch = parseVerifierKey(ENOCH_VKEY);
    const both = appendSignatureLines(`${TEXT}\n${PETER_SIG}`, ENOCH_SIG);
    expect(both).toBe(`${TEXT}\n${PETER_SIG}${ENOCH_SIG}`);
    expect(appendSignatureLines(both, ENOCH_SIG)).toBe(both);
    expect(openNote(both, [peter, enoch]).verified).toHaveLength(2);
    expect(() => appendSignatureLines(both, 'not a signature\n')).toThrow(/malformed/);
    expect(() => appendSignatureLines(both, ENOCH_SIG.slice(0, -1))).toThrow(/malformed/);
  });

  it('rejects mangled key strings without echoing the secret', () => {
    const secret = PETER_SKEY.split('+').slice(4).join('+');
    const mangled = [
      PETER_SKEY.replace('PRIVATE', 'PUBLIC'),
      PETER_SKEY.replace('c74f20a3', 'c74f20a4'),
      PETER_SKEY.replace('PeterNeumann', 'Peter Neumann'),
      PETER_SKEY.slice(0, -2),
      PETER_SKEY.replace('+AYEK', '+AoEK'),
      `${PETER_SKEY}+extra`,
    ];
    for (const skey of mangled) {
      let message = '';
      try {
        parseSignerKey(skey);
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toMatch(/^signer key: /);
      expect(message).not.toContain(secret.slice(4, 20));
    }
    expect(() => parseVerifierKey(PETER_VKEY.replace('c74f20a3', 'c74f20a4'))).toThrow(/does not match/);
    expect(() => parseVerifierKey('PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW')).toThrow(/type/);
    expect(() => parseVerifierKey(PETER_VKEY.replace('+', '+x+'))).toThrow(NoteError);
    expect(() => parseVerifierKey(PETER_SKEY)).toThrow(NoteError);
  });

  it('generates keys that work together, and refuses bad names', () => {
    const { signingKey, verifierKey } = generateNoteKey('gateway.example/audit');
    expect(signingKey).toMatch(/^PRIVATE\+KEY\+gateway\.example\/audit\+[0-9a-f]{8}\+/);
    expect(verifierKey.split('+')[1]).toBe(signingKey.split('+')[3]);
    const note = signNote('text\n', parseSignerKey(signingKey));
    expect(openNote(note, [parseVerifierKey(verifierKey)]).text).toBe('text\n');
    for (const name of ['', 'a b', 'a+b', 'a\u00a0b', 'tab\there']) expect(() => generateNoteKey(name)).toThrow(NoteError);
  });
});
