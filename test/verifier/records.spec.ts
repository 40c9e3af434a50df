/**
 * The verifier's §5 record schemas and §10 cross-record rules, on the vector log
 * (docs/audit-format-vectors.json) and on logs signed here with the published test key.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  checkCrossRecordRules,
  checkRecord,
  encodeBase64,
  type EntryLine,
  isRecordTimestamp,
  leafHash,
  merkleRoot,
  RECORD_KINDS,
  RECORD_SCHEMAS,
  VerificationError,
  verifyEntriesAgainstCheckpoint,
} from './verifier.js';
import { logSignatureLine, note, parseSignerKey } from './test-signer.js';

type Json = any;
const V: Json = JSON.parse(readFileSync(join(process.cwd(), 'docs/audit-format-vectors.json'), 'utf8'));
const LOG = V.log_key.verifier_key as string;
const ORIGIN = V.log_key.origin as string;
const logKey = parseSignerKey(V.log_key.signer_key);
const entryLines = (): EntryLine[] => (V.entries as Json[]).map((e) => JSON.parse(JSON.stringify({ index: e.index, kind: e.kind, record: e.record })));
/** The vector record of a kind: from the log, or `erasure_record` (§5.6), which is not in the tree. */
const recordOf = (kind: string): Json =>
  JSON.parse(JSON.stringify(kind === 'erasure' ? V.erasure_record.record : (V.entries as Json[]).find((e) => e.kind === kind).record));

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(VerificationError);
    return (e as VerificationError).code;
  }
  return undefined;
}

/** The records, re-indexed in the given order, with a checkpoint of their root signed by the test log key. */
function signedLog(records: Json[]): { lines: EntryLine[]; checkpoint: string } {
  const lines = records.map((record, index) => ({ index, kind: record.kind, record }));
  const text = `${ORIGIN}\n${lines.length}\n${encodeBase64(merkleRoot(lines.map((l) => leafHash(l.record))))}\n`;
  return { lines, checkpoint: note(text, logSignatureLine(logKey, text)) };
}

describe('§5 record schemas', () => {
  it('the vector log holds every kind, and every record follows its schema', () => {
    expect(new Set([...entryLines().map((e) => e.kind), V.erasure_record.record.kind])).toEqual(new Set(RECORD_KINDS));
    expect(checkRecord(V.erasure_record.record)).toBeDefined();
    expect(encodeBase64(leafHash(V.erasure_record.record))).toBe(V.erasure_record.leaf_hash);
    for (const e of entryLines()) expect(checkRecord(e.record)).toBe(e.record);
    expect(checkRecord(V.escapes_record.record)).toBeDefined();
  });

  it.each(RECORD_KINDS)('a %s record with a member missing, or an extra one, is refused', (kind) => {
    for (const name of Object.keys(RECORD_SCHEMAS[kind])) {
      const { [name]: _dropped, ...missing } = recordOf(kind);
      expect(codeOf(() => checkRecord(missing))).toBe('bad_record');
    }
    expect(codeOf(() => checkRecord({ ...recordOf(kind), at: '2026-01-01T00:00:00.000000Z' }))).toBe('bad_record');
  });

  it.each(RECORD_KINDS)('a %s record with null where §5 allows none is refused', (kind) => {
    for (const [name, spec] of Object.entries(RECORD_SCHEMAS[kind])) {
      // An erasure names exactly one of event_id and rejection_request_id: without its event, it names a rejection.
      const other = kind === 'erasure' && name === 'event_id' ? { rejection_request_id: 'req-2' } : {};
      const record = { ...recordOf(kind), ...other, [name]: null };
      expect(codeOf(() => checkRecord(record))).toBe(spec.nullable ? undefined : 'bad_record');
    }
  });

  it.each([
    ['event', 'id', '11111111-1111-4111-8111-11111111111A'],
    ['event', 'id', 11111111],
    ['event', 'partner_id', 'partner-a'],
    ['event', 'payload_sha256', 'A'.repeat(64)],
    ['event', 'payload_sha256', 'a'.repeat(63)],
    ['event', 'received_at', '2026-01-01T00:00:00.000Z'],
    ['event', 'received_at', '2026-01-01T00:00:00.000000+00:00'],
    ['event', 'received_at', '2026-02-30T00:00:00.000000Z'],
    ['event', 'received_at', '2026-01-01T24:00:00.000000Z'],
    ['event', 'idempotency_key', 7],
    ['attempt', 'attempt_number', 0],
    ['attempt', 'attempt_number', 1.5],
    ['attempt', 'attempt_number', '1'],
    ['attempt', 'trigger', 'manual'],
    ['attempt', 'outcome', 'delivered'],
    ['attempt', 'resulting_status', 'done'],
    ['attempt', 'http_status', 2 ** 53],
    ['attempt', 'http_status', '503'],
    ['attempt', 'next_attempt_at', ''],
    ['rejection', 'payload_bytes', -(2 ** 53)],
    ['rejection', 'payload_excerpt_sha256', ''],
    ['replay', 'reason', ''],
    ['replay', 'filter', ['status', 'failed']],
    ['replay', 'filter', { limit: 1e300 }],
    ['replay', 'force_resend', 'false'],
    ['replay_item', 'replay_id', null],
    ['replay_item', 'queued_at', 1767225600],
  ])('%s.%s = %j is refused', (kind, name, value) => {
    expect(codeOf(() => checkRecord({ ...recordOf(kind), [name]: value }))).toBe('bad_record');
  });

  it('an attempt has a replay_id exactly when its trigger is "replay" (§5.2)', () => {
    const replay = '33333333-3333-4333-8333-333333333333';
    expect(codeOf(() => checkRecord({ ...recordOf('attempt'), trigger: 'replay', replay_id: replay }))).toBeUndefined();
    expect(codeOf(() => checkRecord({ ...recordOf('attempt'), trigger: 'replay', replay_id: null }))).toBe('bad_record');
    expect(codeOf(() => checkRecord({ ...recordOf('attempt'), trigger: 'retry', replay_id: replay }))).toBe('bad_record');
  });

  it('timestamps are microseconds in UTC, any real time', () => {
    expect(['2026-01-01T00:00:00.000000Z', '2024-02-29T23:59:59.999999Z', '2026-11-26T09:00:00.125000Z'].every(isRecordTimestamp)).toBe(true);
    expect(['2025-02-29T00:00:00.000000Z', '2026-01-01T00:00:00.0000000Z', '2026-01-01 00:00:00.000000Z'].some(isRecordTimestamp)).toBe(false);
  });

  it('a full audit refuses a log whose root matches but whose record breaks §5', () => {
    const records = entryLines().map((e) => e.record as Json);
    records[2].http_status = '400';
    const { lines, checkpoint } = signedLog(records);
    expect(codeOf(() => verifyEntriesAgainstCheckpoint(lines, checkpoint, LOG))).toBe('bad_record');
  });
});

describe('§10 cross-record rules', () => {
  const records = () => entryLines().map((e) => e.record as Json);

  it('hold on the vector log, and a full audit checks them', () => {
    expect(() => checkCrossRecordRules(entryLines())).not.toThrow();
    const { lines, checkpoint } = signedLog(records());
    expect(verifyEntriesAgainstCheckpoint(lines, checkpoint, LOG).entries).toHaveLength(7);
  });

  it.each([
    ['an attempt before its event', (r: Json[]) => [r[1], r[0], ...r.slice(2)]],
    ['an attempt of an event never recorded', (r: Json[]) => [r[1], ...r.slice(2)]],
    ['a replay item before its event', (r: Json[]) => [r[0], r[1], r[2], r[4], r[5], r[6], r[3]]],
    ['a replay item before its replay', (r: Json[]) => [...r.slice(0, 5), r[6], r[5]]],
    ['a replay item of a replay never recorded', (r: Json[]) => r.slice(0, 5).concat([r[6]])],
    ['an attempt caused by a replay never recorded', (r: Json[]) => [...r.slice(0, 4), { ...r[4], trigger: 'replay', replay_id: r[5].id }, r[5], r[6]]],
    ['the same event recorded twice', (r: Json[]) => [...r, { ...r[0], request_id: 'req-again' }]],
    ['the same replay recorded twice', (r: Json[]) => [...r, { ...r[5], reason: 'again' }]],
    ['an attempt number used twice for one event', (r: Json[]) => [...r, { ...r[4], recorded_at: '2026-01-01T00:00:09.000000Z' }]],
  ])('%s is refused, even under a validly signed root', (_what, reorder) => {
    const { lines, checkpoint } = signedLog(reorder(records()));
    expect(codeOf(() => verifyEntriesAgainstCheckpoint(lines, checkpoint, LOG))).toBe('cross_record');
  });

  it('an attempt caused by a replay recorded earlier is accepted', () => {
    const r = records();
    const replayed = { ...r[4], attempt_number: 3, trigger: 'replay', replay_id: r[5].id, recorded_at: '2026-01-01T00:00:06.000000Z' };
    const { lines, checkpoint } = signedLog([...r, replayed]);
    expect(verifyEntriesAgainstCheckpoint(lines, checkpoint, LOG).entries).toHaveLength(8);
  });
});

describe('§5.6 erasures and the §10 rules about them', () => {
  const erasure = (fields: Json = {}) => ({ ...recordOf('erasure'), ...fields });
  const withErasures = (...records: Json[]): EntryLine[] => [
    ...entryLines(),
    ...records.map((record, i) => ({ index: V.entries.length + i, kind: 'erasure', record })),
  ];

  it('accepts the erasure of an earlier event, naming the digest its record commits to, and signs into a log that verifies', () => {
    expect(() => checkCrossRecordRules(withErasures(erasure()))).not.toThrow();
    const { lines, checkpoint } = signedLog(withErasures(erasure()).map((l) => l.record));
    expect(verifyEntriesAgainstCheckpoint(lines, checkpoint, LOG).entries.at(-1)!.kind).toBe('erasure');
  });

  it('accepts the erasure of a rejection excerpt named by its request id and digest', () => {
    const rejection = recordOf('rejection');
    const excerpt = erasure({ event_id: null, rejection_request_id: rejection.request_id, erased_sha256: rejection.payload_excerpt_sha256 });
    expect(checkRecord(excerpt)).toBeDefined();
    expect(() => checkCrossRecordRules(withErasures(excerpt))).not.toThrow();
  });

  it.each([
    ['another digest than the event record', [erasure({ erased_sha256: '0'.repeat(64) })]],
    ['an event no earlier entry records', [erasure({ event_id: '77777777-7777-4777-8777-777777777777' })]],
    ['a second erasure of one event', [erasure(), erasure()]],
    ['an unknown rejection', [erasure({ event_id: null, rejection_request_id: 'req-unknown' })]],
  ])('refuses an erasure of %s', (_what, records) => {
    expect(codeOf(() => checkCrossRecordRules(withErasures(...records)))).toBe('cross_record');
  });

  it('refuses an erasure naming both an event and a rejection, or neither', () => {
    expect(codeOf(() => checkRecord(erasure({ rejection_request_id: 'req-2' })))).toBe('bad_record');
    expect(codeOf(() => checkRecord(erasure({ event_id: null })))).toBe('bad_record');
  });
});
