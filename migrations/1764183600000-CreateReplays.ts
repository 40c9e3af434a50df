import type { MigrationInterface, QueryRunner } from 'typeorm';
import { makeAppendOnly } from './append-only.js';

/**
 * Replays as facts: who asked, when, why, with which filter, and which events each one put back in the
 * queue. `event_status.next_trigger` tells the dispatcher the next attempt is a replay, and
 * `dispatch_attempts.replay_id` ties that attempt to the request in the timeline.
 */
export class CreateReplays1764183600000 implements MigrationInterface {
  name = 'CreateReplays1764183600000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE replay_requests (
        id                 uuid PRIMARY KEY,
        position           bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
        requested_by       text NOT NULL,
        requested_by_name  text NOT NULL,
        reason             text NOT NULL,
        filter             jsonb NOT NULL,
        include_uncertain  boolean NOT NULL,
        force_resend       boolean NOT NULL,
        matched            integer NOT NULL,
        requeued           integer NOT NULL,
        requested_at       timestamptz NOT NULL DEFAULT clock_timestamp(),
        inserted_xid       xid8 NOT NULL DEFAULT pg_current_xact_id()
      );
      CREATE INDEX replay_requests_inserted_xid ON replay_requests (inserted_xid, position);

      CREATE TABLE replay_items (
        position      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        replay_id     uuid NOT NULL REFERENCES replay_requests (id),
        event_id      uuid NOT NULL REFERENCES bulletin_events (id),
        queued_at     timestamptz NOT NULL DEFAULT clock_timestamp(),
        inserted_xid  xid8 NOT NULL DEFAULT pg_current_xact_id(),
        UNIQUE (replay_id, event_id)
      );
      CREATE INDEX replay_items_event ON replay_items (event_id);
      CREATE INDEX replay_items_inserted_xid ON replay_items (inserted_xid, position);

      ALTER TABLE event_status ADD COLUMN next_trigger text, ADD COLUMN replay_id uuid;
      ALTER TABLE dispatch_attempts ADD COLUMN replay_id uuid;
    `);
    for (const table of ['replay_requests', 'replay_items']) await makeAppendOnly(db, table);
  }

  async down(): Promise<void> {
    throw new Error('Replays are part of the permanent log: this migration cannot be reverted.');
  }
}
