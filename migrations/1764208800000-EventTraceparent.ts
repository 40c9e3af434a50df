import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `bulletin_events.traceparent`: the W3C traceparent of the span that ingested the event (null when the
 * request was not traced), so that a dispatch hours later can link its trace to the ingest's. It is
 * the gateway's own span context, never a partner's raw header, and it is not part of the event's
 * audit record (docs/audit-format.md §5): tracing can be turned on or off without touching the log.
 *
 * A nullable column with no default changes only the catalogue; the check is added NOT VALID, so the
 * existing rows (all null) are not scanned, and every new row is held to it.
 */
export class EventTraceparent1764208800000 implements MigrationInterface {
  name = 'EventTraceparent1764208800000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE bulletin_events ADD COLUMN traceparent text;
      ALTER TABLE bulletin_events ADD CONSTRAINT bulletin_events_traceparent_format
        CHECK (traceparent ~ '^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$') NOT VALID;
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE bulletin_events DROP COLUMN traceparent;`);
  }
}
