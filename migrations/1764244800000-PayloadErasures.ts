import type { MigrationInterface, QueryRunner } from 'typeorm';
import { makeAppendOnly } from './append-only.js';

/**
 * Right to erasure (docs/audit.md#erasing-a-payload). `payload_erasures` is a log table like the others:
 * append-only, and each row a leaf of the tree (kind `erasure`), so the log itself shows that, when, why
 * and by whom a payload was erased, and the digest of what was erased.
 *
 * The append-only triggers of `bulletin_events` and `rejected_requests` keep refusing every UPDATE but
 * one: setting a present payload (excerpt) to SQL NULL, the erasure marker, with every other column
 * unchanged, in the transaction that recorded the erasure row for that very event (rejection) before. So
 * an erasure is always recorded, happens once, and cannot be undone; DELETE and TRUNCATE stay refused.
 */
export class PayloadErasures1764244800000 implements MigrationInterface {
  name = 'PayloadErasures1764244800000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE payload_erasures (
        position            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        event_id            uuid UNIQUE REFERENCES bulletin_events (id),
        rejection_position  bigint UNIQUE REFERENCES rejected_requests (position),
        erased_sha256       text NOT NULL CHECK (erased_sha256 ~ '^[0-9a-f]{64}$'),
        reason              text NOT NULL CHECK (reason ~ '\\S'),
        requested_by        text NOT NULL,
        erased_at           timestamptz NOT NULL DEFAULT clock_timestamp(),
        inserted_xid        xid8 NOT NULL DEFAULT pg_current_xact_id(),
        CHECK ((event_id IS NULL) <> (rejection_position IS NULL))
      );
      CREATE INDEX payload_erasures_inserted_xid ON payload_erasures (inserted_xid, position);

      -- SQL NULL is the erasure marker: no payload a partner can send is NULL.
      ALTER TABLE bulletin_events ALTER COLUMN payload DROP NOT NULL;

      CREATE FUNCTION reject_log_mutation_but_event_erasure() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'UPDATE' AND OLD.payload IS NOT NULL AND NEW.payload IS NULL
           AND to_jsonb(NEW) - 'payload' = to_jsonb(OLD) - 'payload'
           AND EXISTS (SELECT 1 FROM payload_erasures x
                        WHERE x.event_id = OLD.id AND x.inserted_xid = pg_current_xact_id()) THEN
          RETURN NEW;
        END IF;
        RAISE EXCEPTION 'the log table % is append-only: % is not allowed', TG_TABLE_NAME, TG_OP
          USING ERRCODE = 'insufficient_privilege';
      END $$;

      CREATE FUNCTION reject_log_mutation_but_excerpt_erasure() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'UPDATE' AND OLD.payload_excerpt IS NOT NULL AND NEW.payload_excerpt IS NULL
           AND to_jsonb(NEW) - 'payload_excerpt' = to_jsonb(OLD) - 'payload_excerpt'
           AND EXISTS (SELECT 1 FROM payload_erasures x
                        WHERE x.rejection_position = OLD.position AND x.inserted_xid = pg_current_xact_id()) THEN
          RETURN NEW;
        END IF;
        RAISE EXCEPTION 'the log table % is append-only: % is not allowed', TG_TABLE_NAME, TG_OP
          USING ERRCODE = 'insufficient_privilege';
      END $$;

      DROP TRIGGER bulletin_events_append_only ON bulletin_events;
      CREATE TRIGGER bulletin_events_append_only BEFORE UPDATE OR DELETE ON bulletin_events
        FOR EACH ROW EXECUTE FUNCTION reject_log_mutation_but_event_erasure();
      ALTER TABLE bulletin_events ENABLE ALWAYS TRIGGER bulletin_events_append_only;

      DROP TRIGGER rejected_requests_append_only ON rejected_requests;
      CREATE TRIGGER rejected_requests_append_only BEFORE UPDATE OR DELETE ON rejected_requests
        FOR EACH ROW EXECUTE FUNCTION reject_log_mutation_but_excerpt_erasure();
      ALTER TABLE rejected_requests ENABLE ALWAYS TRIGGER rejected_requests_append_only;
    `);
    // How many erased payloads a verification run found (null for runs before erasures existed).
    await db.query(`ALTER TABLE audit_verifications ADD COLUMN erased_payloads bigint`);
    await makeAppendOnly(db, 'payload_erasures');
  }

  async down(): Promise<void> {
    throw new Error('Erasures are part of the log: this migration cannot be reverted.');
  }
}
