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
  return canonicalJson(record);
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
