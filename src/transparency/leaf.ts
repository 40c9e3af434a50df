import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import { leafHash } from './merkle.js';

/**
 * What goes into the tree: each log entry's `record` object as RFC 8785 canonical JSON in UTF-8. Every
 * record names its `kind`, so two kinds of entry can never hash alike.
 */
export interface LeafRecord {
  kind: string;
  [field: string]: unknown;
}

/** RFC 8785 (JCS) canonical JSON as UTF-8 bytes; throws on what JSON cannot hold (undefined, NaN, cycles). */
export function canonicalJson(value: unknown): Buffer {
  const text = canonicalize(value);
  if (text === undefined) throw new TypeError('value has no JSON form');
  return Buffer.from(text, 'utf8');
}

export function leafInput(record: LeafRecord): Buffer {
  if (typeof record !== 'object' || record === null || Array.isArray(record) || typeof record.kind !== 'string')
    throw new TypeError('a leaf record is a JSON object with a string "kind"');
  checkRecordValues(record, 'record');
  return canonicalJson(record);
}

/**
 * docs/audit-format.md §5: numbers in records are integers within ±(2^53 - 1), since canonical JSON writes
 * them as doubles and a larger one would hash differently elsewhere; text has no lone surrogates, which
 * UTF-8 cannot carry. Payloads are not records: they keep whatever JSON the partner sent.
 */
function checkRecordValues(value: unknown, path: string): void {
  if (typeof value === 'number' && !Number.isSafeInteger(value))
    throw new TypeError(`${path} is ${value}: numbers in a record are integers within ±(2^53 - 1); use a string`);
  if (typeof value === 'string' && /\p{Cs}/u.test(value)) throw new TypeError(`${path} holds a lone surrogate`);
  if (typeof value !== 'object' || value === null) return;
  for (const [key, member] of Object.entries(value)) {
    if (/\p{Cs}/u.test(key)) throw new TypeError(`${path} has a member name with a lone surrogate`);
    checkRecordValues(member, Array.isArray(value) ? `${path}[${key}]` : `${path}.${key}`);
  }
}

export function recordLeafHash(record: LeafRecord): Buffer {
  return leafHash(leafInput(record));
}

/**
 * Lowercase hex SHA-256 of a payload's canonical JSON. Event records commit to this rather than to the
 * payload, so a payload can be erased later without breaking any proof.
 */
export function payloadSha256(payload: unknown): string {
  return createHash('sha256').update(canonicalJson(payload)).digest('hex');
}
