import { recordOfSql, LEAF_TABLES, rankOf } from './leaf-records.js';

/** Where sealing resumes: the (transaction, table rank, position) of the last row in the tree. */
export interface SealCursor {
  xid: string;
  rank: number;
  position: number;
}

export const START_OF_LOG: SealCursor = { xid: '0', rank: -1, position: 0 };

export function cursorOf(last: { kind: string; xid: string; position: number } | undefined): SealCursor {
  return last ? { xid: last.xid, rank: rankOf(last.kind), position: last.position } : START_OF_LOG;
}

/**
 * The query for the next `limit` rows to seal, in sealing order, after `cursor` and below the xmin
 * `horizon`, each with its leaf record. Each table gets a condition its `(inserted_xid, position)` index
 * can seek to, and its own LIMIT, so a batch reads about `limit` rows per table however many rows one
 * transaction wrote. The xid goes out as text under another name: ordering by a text column named
 * inserted_xid would sort '1000' before '999'.
 */
export function rowsToSealQuery(cursor: SealCursor, horizon: string, limit: number): { sql: string; params: unknown[] } {
  const params: unknown[] = [cursor.xid, horizon];
  const branches = LEAF_TABLES.map(({ kind, table }, rank) => {
    let after = rank < cursor.rank ? 't.inserted_xid > $1::xid8' : 't.inserted_xid >= $1::xid8';
    if (rank === cursor.rank) {
      params.push(cursor.position);
      after = `(t.inserted_xid, t.position) > ($1::xid8, $${params.length}::bigint)`;
    }
    return `(SELECT '${kind}'::text AS kind, ${rank} AS rank, t.position, t.inserted_xid
               FROM ${table} t WHERE ${after} AND t.inserted_xid < $2::xid8
              ORDER BY t.inserted_xid, t.position LIMIT ${limit})`;
  });
  // Records are built only for the rows chosen: a plan that sorts a transaction's rows would otherwise
  // build one for every row it sorts.
  const record = recordOfSql('chosen.kind', 'chosen.position');
  const sql = `SELECT chosen.kind, chosen.position, chosen.inserted_xid::text AS xid, ${record} AS record
                 FROM (SELECT * FROM (${branches.join('\nUNION ALL\n')}) rows
                        ORDER BY rows.inserted_xid, rank, position LIMIT ${limit}) chosen
                 
                ORDER BY chosen.inserted_xid, chosen.rank, chosen.position`;
  return { sql, params };
}
