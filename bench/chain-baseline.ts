import canonicalize from 'canonicalize';
import { createHash } from 'node:crypto';
import type pg from 'pg';
import QueryStream from 'pg-query-stream';
import type { DataSource } from 'typeorm';

/**
 * The hash-chain sealer the tree replaced, kept only as the bench's baseline so both run on the same
 * machine at the same time: same batches (1,000 rows, fetched 50 at a time), same writes to audit_chain.
 */
const TABLES = ['bulletin_events', 'dispatch_attempts', 'rejected_requests', 'replay_requests', 'replay_items'];
const KINDS = ['event', 'attempt', 'rejection', 'replay', 'replay_item'];
const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

export async function sealChain(db: DataSource): Promise<number> {
  let total = 0;
  let head = { position: 0, hash: '0'.repeat(64), cursor: { xid: '0', rank: -1, position: 0 } };
  for (;;) {
    const sealed = await db.transaction(async (tx) => {
      const [{ horizon }] = await tx.query('SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS horizon');
      await tx.query(`SET LOCAL TimeZone = 'UTC'`);
      const params: unknown[] = [head.cursor.xid, horizon];
      const branches = TABLES.map((table, rank) => {
        let after = rank < head.cursor.rank ? 't.inserted_xid > $1::xid8' : 't.inserted_xid >= $1::xid8';
        if (rank === head.cursor.rank) {
          params.push(head.cursor.position);
          after = `(t.inserted_xid, t.position) > ($1::xid8, $${params.length}::bigint)`;
        }
        return `(SELECT '${KINDS[rank]}'::text AS kind, ${rank} AS rank, t.position, t.inserted_xid, to_jsonb(t) AS row
                   FROM ${table} t WHERE ${after} AND t.inserted_xid < $2::xid8 ORDER BY t.inserted_xid, t.position LIMIT 1000)`;
      });
      const sql = `SELECT kind, rank, position, inserted_xid::text AS xid, row FROM (${branches.join(' UNION ALL ')}) rows
                    ORDER BY rows.inserted_xid, rank, position LIMIT 1000`;
      const client = (await tx.queryRunner!.connect()) as pg.PoolClient;
      const rows = client.query(new QueryStream(sql, params, { batchSize: 50 }));
      const c = { position: [] as number[], kind: [] as string[], ref: [] as string[], xid: [] as string[], digest: [] as string[], hash: [] as string[] };
      let hash = head.hash;
      let last: { xid: string; rank: number; position: number } | undefined;
      for await (const row of rows as AsyncIterable<{ kind: string; rank: number; position: string; xid: string; row: unknown }>) {
        const digest = sha256(canonicalize({ kind: row.kind, row: row.row })!);
        hash = sha256(hash + digest);
        c.position.push(head.position + c.position.length + 1);
        c.kind.push(row.kind);
        c.ref.push(row.position);
        c.xid.push(row.xid);
        c.digest.push(digest);
        c.hash.push(hash);
        last = { xid: row.xid, rank: row.rank, position: Number(row.position) };
      }
      if (c.position.length === 0) return 0;
      await tx.query(
        `INSERT INTO audit_chain (position, entry_kind, entry_ref, entry_xid, digest, hash)
         SELECT * FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::xid8[], $5::text[], $6::text[])`,
        [c.position, c.kind, c.ref, c.xid, c.digest, c.hash],
      );
      head = { position: head.position + c.position.length, hash, cursor: last! };
      return c.position.length;
    });
    total += sealed;
    if (sealed < 1000) return total;
  }
}
