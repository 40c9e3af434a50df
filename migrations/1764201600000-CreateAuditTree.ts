import type { MigrationInterface, QueryRunner } from 'typeorm';
import { recordOfSql } from '../src/audit-log/leaf-records.js';
import { TreeBuilder } from '../src/audit-log/tree-builder.js';
import { makeAppendOnly } from './append-only.js';

const CARRY_OVER_BATCH = 5000;

/**
 * The audit log becomes an RFC 9162 Merkle tree (docs/audit-records.md, docs/audit-operations.md):
 * `audit_leaves` numbers every log row from 0 in sealing order with its leaf hash, `audit_tree_nodes`
 * keeps the hash of every complete aligned subtree, `audit_tree_checkpoints` the signed C2SP checkpoints,
 * `audit_cosignatures` the witnesses' cosignatures and `audit_signer_events` every time the signer refused
 * to sign and how an operator resolved it. All append-only.
 *
 * Rows already in the hash chain become the first leaves, in chain order; the sealer then carries on
 * from the chain's last row, so rows not yet chained follow in sealing order. `audit_chain` and
 * `audit_checkpoints` stay as history and are no longer written.
 */
export class CreateAuditTree1764201600000 implements MigrationInterface {
  name = 'CreateAuditTree1764201600000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE audit_leaves (
        leaf_index       bigint PRIMARY KEY CHECK (leaf_index >= 0),
        kind             text NOT NULL,
        source_position  bigint NOT NULL,
        source_xid       xid8 NOT NULL,
        leaf_hash        bytea NOT NULL CHECK (length(leaf_hash) = 32),
        sealed_at        timestamptz NOT NULL DEFAULT now(),
        UNIQUE (kind, source_position)
      );
      CREATE TABLE audit_tree_nodes (
        level  smallint NOT NULL CHECK (level > 0),
        idx    bigint NOT NULL,
        hash   bytea NOT NULL CHECK (length(hash) = 32),
        PRIMARY KEY (level, idx)
      );
      CREATE TABLE audit_tree_checkpoints (
        position   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        tree_size  bigint NOT NULL,
        root_hash  bytea NOT NULL,
        note       text NOT NULL,
        signed_at  timestamptz NOT NULL DEFAULT clock_timestamp()
      );
      CREATE INDEX audit_tree_checkpoints_size ON audit_tree_checkpoints (tree_size, position);
      CREATE TABLE audit_cosignatures (
        position             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        checkpoint_position  bigint NOT NULL REFERENCES audit_tree_checkpoints (position),
        witness              text NOT NULL,
        signature_line       text NOT NULL,
        submitted_by         text NOT NULL,
        submitted_at         timestamptz NOT NULL DEFAULT clock_timestamp(),
        UNIQUE (checkpoint_position, witness)
      );
      CREATE TABLE audit_signer_events (
        position     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        at           timestamptz NOT NULL DEFAULT clock_timestamp(),
        kind         text NOT NULL CHECK (kind IN ('refused', 'resolved')),
        recorded_by  text NOT NULL,
        detail       jsonb NOT NULL
      );
    `);
    await keepExcerptDigests(db);
    // Whether a run checked checkpoint signatures (with a key it was given): null for runs of the chain era.
    await db.query(`ALTER TABLE audit_verifications ADD COLUMN signatures_checked boolean`);
    for (const table of ['audit_leaves', 'audit_tree_nodes', 'audit_tree_checkpoints', 'audit_cosignatures', 'audit_signer_events'])
      await makeAppendOnly(db, table);
    await carryOverChain(db);
  }

  async down(): Promise<void> {
    throw new Error('The audit tree is permanent: this migration cannot be reverted.');
  }
}

/**
 * A rejection's record commits to its payload excerpt through a digest kept in the row, set once when the
 * row is written, so erasing the excerpt later changes no record.
 */
async function keepExcerptDigests(db: QueryRunner): Promise<void> {
  const digest = (column: string) => `encode(sha256(convert_to(${column}, 'UTF8')), 'hex')`;
  await db.query(`
    ALTER TABLE rejected_requests ADD COLUMN payload_excerpt_sha256 text;
    CREATE FUNCTION set_payload_excerpt_sha256() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      NEW.payload_excerpt_sha256 := ${digest('NEW.payload_excerpt')};
      RETURN NEW;
    END $$;
    CREATE TRIGGER rejected_requests_excerpt_digest BEFORE INSERT ON rejected_requests
      FOR EACH ROW EXECUTE FUNCTION set_payload_excerpt_sha256();
    ALTER TABLE rejected_requests ENABLE ALWAYS TRIGGER rejected_requests_excerpt_digest;
    ALTER TABLE rejected_requests DISABLE TRIGGER rejected_requests_append_only;
    UPDATE rejected_requests SET payload_excerpt_sha256 = ${digest('payload_excerpt')};
    ALTER TABLE rejected_requests ENABLE ALWAYS TRIGGER rejected_requests_append_only;
  `);
}

/** Builds the first leaves from the hash chain, in its order. A chained row that is gone stops the upgrade. */
async function carryOverChain(db: QueryRunner): Promise<void> {
  // The kinds of the hash chain's era: later kinds' tables do not exist yet at this migration.
  const record = recordOfSql('c.entry_kind', 'c.entry_ref', ['event', 'attempt', 'rejection', 'replay', 'replay_item']);
  const builder = await TreeBuilder.open(db);
  for (let after = 0; ; ) {
    const rows: { position: string; entry_kind: string; entry_ref: string; xid: string; record: any }[] = await db.query(
      `SELECT c.position, c.entry_kind, c.entry_ref, c.entry_xid::text AS xid, ${record} AS record
         FROM audit_chain c  WHERE c.position > $1 ORDER BY c.position LIMIT ${CARRY_OVER_BATCH}`,
      [after],
    );
    for (const row of rows) {
      if (row.record === null)
        throw new Error(
          `audit_chain entry ${row.position} (${row.entry_kind} ${row.entry_ref}) has no log row: the log was tampered with. ` +
            'Run `bulletin-gateway verify` with the previous version and resolve it before upgrading.',
        );
      builder.add({ kind: row.entry_kind, position: row.entry_ref, xid: row.xid, record: row.record });
    }
    await builder.flush(db);
    if (rows.length < CARRY_OVER_BATCH) return;
    after = Number(rows[rows.length - 1].position);
  }
}
