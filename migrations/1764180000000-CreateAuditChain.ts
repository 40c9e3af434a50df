import type { MigrationInterface, QueryRunner } from 'typeorm';
import { makeAppendOnly } from './append-only.js';

/**
 * Tamper evidence. Every log row records the transaction that wrote it (`inserted_xid`); a background
 * sealer appends rows to `audit_chain` in batches of transactions that have all finished (below the
 * snapshot's xmin), so ingest never waits on a chain lock and no row is ever skipped. Each chain entry
 * holds the SHA-256 of the row's RFC 8785 form and a hash linking it to the entry before.
 * `audit_checkpoints` are Ed25519-signed (position, head hash) pairs.
 */
export class CreateAuditChain1764180000000 implements MigrationInterface {
  name = 'CreateAuditChain1764180000000';

  async up(db: QueryRunner): Promise<void> {
    for (const table of ['bulletin_events', 'dispatch_attempts']) {
      await db.query(`ALTER TABLE ${table} ADD COLUMN inserted_xid xid8 NOT NULL DEFAULT pg_current_xact_id()`);
      await db.query(`CREATE INDEX ${table}_inserted_xid ON ${table} (inserted_xid, position)`);
    }
    await db.query(`
      CREATE TABLE rejected_requests (
        position        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        partner_id      uuid NOT NULL REFERENCES partners (id),
        account_id      text,
        reason_code     text NOT NULL,
        reason          text NOT NULL,
        http_status     integer NOT NULL,
        payload_excerpt text,
        payload_bytes   integer NOT NULL,
        request_id      text NOT NULL,
        received_at     timestamptz NOT NULL DEFAULT clock_timestamp(),
        inserted_xid    xid8 NOT NULL DEFAULT pg_current_xact_id()
      );
      CREATE INDEX rejected_requests_inserted_xid ON rejected_requests (inserted_xid, position);
      CREATE INDEX rejected_requests_partner ON rejected_requests (partner_id, position);

      CREATE TABLE audit_chain (
        position      bigint PRIMARY KEY,
        entry_kind    text NOT NULL,
        entry_ref     bigint NOT NULL,
        entry_xid     xid8 NOT NULL,
        digest        text NOT NULL,
        hash          text NOT NULL,
        sealed_at     timestamptz NOT NULL DEFAULT now(),
        UNIQUE (entry_kind, entry_ref)
      );

      CREATE TABLE audit_checkpoints (
        position     bigint PRIMARY KEY,
        head_hash    text NOT NULL,
        signed_at    timestamptz NOT NULL,
        public_key   text NOT NULL,
        signature    text NOT NULL
      );
    `);
    for (const table of ['rejected_requests', 'audit_chain', 'audit_checkpoints']) await makeAppendOnly(db, table);
  }

  async down(): Promise<void> {
    throw new Error('The audit chain is permanent: this migration cannot be reverted.');
  }
}
