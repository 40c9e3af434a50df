import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `event_status` rows are written once per accepted event, inside the ingest statement. Each carried two
 * look-ups of its event: the foreign key's check (which also locks the event row FOR KEY SHARE) and the
 * `event_status_event_keys` trigger, which copies the event's keys and already refuses a row whose event
 * does not exist (with the foreign key's error code). Events cannot be deleted (the log is append-only),
 * so the foreign key guarded nothing the trigger does not. Without it, Postgres spent 62 instead of 70 µs
 * per event on a 30-event ingest batch timed alone; in the bench's saturated ingest the gain was within
 * the run-to-run noise.
 */
export class DropEventStatusForeignKey1764198000000 implements MigrationInterface {
  name = 'DropEventStatusForeignKey1764198000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE event_status DROP CONSTRAINT event_status_event_id_fkey`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE event_status ADD CONSTRAINT event_status_event_id_fkey FOREIGN KEY (event_id) REFERENCES bulletin_events (id)`);
  }
}
