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

/**
 * The query for the next `limit` rows to seal, in sealing order, after the last sealed row (`cursor`)
 * and below the xmin `horizon`. Each table gets a condition its `(inserted_xid, position)` index can
 * seek to, and its own LIMIT, so a batch reads about `limit` rows per table however many rows one
 * transaction wrote.
 */
export function rowsToSealQuery(
  cursor: { xid: string; rank: number; position: number },
  horizon: string,
  limit: number,
): { sql: string; params: unknown[] } {
  const params: unknown[] = [cursor.xid, horizon];
  const branches = CHAINED_TABLES.map(({ kind, table }, rank) => {
    let after = rank < cursor.rank ? 't.inserted_xid > $1::xid8' : 't.inserted_xid >= $1::xid8';
    if (rank === cursor.rank) {
      params.push(cursor.position);
      after = `(t.inserted_xid, t.position) > ($1::xid8, $${params.length}::bigint)`;
    }
    return `(SELECT '${kind}'::text AS kind, ${rank} AS rank, t.position, t.inserted_xid, to_jsonb(t) AS row
               FROM ${table} t WHERE ${after} AND t.inserted_xid < $2::xid8
              ORDER BY t.inserted_xid, t.position LIMIT ${limit})`;
  });
  const sql = `SELECT kind, rank, position, inserted_xid::text AS xid, row FROM (${branches.join('\nUNION ALL\n')}) rows
                ORDER BY rows.inserted_xid, rank, position LIMIT ${limit}`;
  return { sql, params };
}
