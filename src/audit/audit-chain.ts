import canonicalize from 'canonicalize';
import { createHash } from 'node:crypto';

/** The log tables the chain covers, in the order entries of one transaction are sealed. */
export const CHAINED_TABLES = [
  { kind: 'event', table: 'bulletin_events' },
  { kind: 'attempt', table: 'dispatch_attempts' },
  { kind: 'rejection', table: 'rejected_requests' },
  { kind: 'replay', table: 'replay_requests' },
  { kind: 'replay_item', table: 'replay_items' },
] as const;

export type EntryKind = (typeof CHAINED_TABLES)[number]['kind'];

/** The hash before the first entry. */
export const GENESIS_HASH = '0'.repeat(64);

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/**
 * The digest of one log row: SHA-256 of the RFC 8785 canonical JSON of the row (as Postgres renders it
 * with `to_jsonb` in UTC, so timestamps keep their microseconds) together with its kind.
 */
export function entryDigest(kind: string, row: unknown): string {
  return sha256(canonicalize({ kind, row })!);
}

/** Each link commits to everything before it. */
export function linkHash(previousHash: string, digest: string): string {
  return sha256(previousHash + digest);
}

/** SQL selecting every chained row of one table as `(kind, rank, position, xid, row)`. */
export function chainedRowsSql(where: string): string {
  return CHAINED_TABLES.map(
    ({ kind, table }, rank) =>
      `SELECT '${kind}'::text AS kind, ${rank} AS rank, t.position, t.inserted_xid, to_jsonb(t) AS row
         FROM ${table} t WHERE ${where}`,
  ).join('\nUNION ALL\n');
}
