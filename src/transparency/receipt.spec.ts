import { formatReceipt, openReceipt, parseReceipt, type Receipt, signReceipt } from './receipt.js';
import { generateNoteKey, NoteError, parseSignerKey, parseVerifierKey } from './signed-note.js';

const receipt: Receipt = {
  origin: 'gateway.example/audit',
  eventId: '0b7c6a2e-4f1d-4c1e-9a57-3d2f1e0c9b8a',
  payloadSha256: 'ab'.repeat(32),
  receivedAt: new Date('2026-12-01T23:30:00.123Z'),
};
const TEXT =
  'gateway.example/audit\nbulletin-gateway receipt/v1\nevent 0b7c6a2e-4f1d-4c1e-9a57-3d2f1e0c9b8a\n' +
  `payload-sha256 ${'ab'.repeat(32)}\nreceived 2026-12-01T23:30:00.123Z\n`;

describe('partner receipts', () => {
  it('formats the five documented lines and parses them back', () => {
    expect(formatReceipt(receipt)).toBe(TEXT);
    expect(parseReceipt(TEXT)).toEqual(receipt);
  });

  it('rejects anything but the canonical form', () => {
    const bad = [
      TEXT.slice(0, -1),
      TEXT.replace('receipt/v1', 'receipt/v2'),
      TEXT.replace('0b7c6a2e', '0B7C6A2E'),
      TEXT.replace('ab'.repeat(32), 'AB'.repeat(32)),
      TEXT.replace('.123Z', 'Z'),
      TEXT.replace('.123Z', '.123+00:00'),
      TEXT.replace('2026-12-01', '2026-02-30'),
      TEXT.replace('2026-12-01', '2025-02-29'),
      TEXT.replace('23:30:00', '23:59:60'),
      TEXT.replace('23:30:00', '24:00:00'),
      TEXT.replace('2026-12-01', '2026-13-01'),
      TEXT.replace('event ', 'event  '),
      `${TEXT}extra\n`,
      'gateway.example/audit\n7\nAAAA\n',
    ];
    for (const text of bad) expect(() => parseReceipt(text)).toThrow(NoteError);
  });

  it('is signed and opened with the log key', () => {
    const log = generateNoteKey('gateway.example/audit');
    const other = generateNoteKey('gateway.example/audit');
    const note = signReceipt(receipt, parseSignerKey(log.signingKey));
    expect(openReceipt(note, parseVerifierKey(log.verifierKey))).toEqual(receipt);
    expect(() => openReceipt(note, parseVerifierKey(other.verifierKey))).toThrow(NoteError);
    expect(() => signReceipt({ ...receipt, origin: 'x.example/log' }, parseSignerKey(log.signingKey))).toThrow(/origin/);
  });
});
