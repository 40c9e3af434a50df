import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit list pages newest first by log position, and its status filter lives in the `event_status`
 * projection while every other filter lives in the log. Filtering one table by the other meant walking
 * the log and looking each row up: a status with a second filter that matched little (or nothing) read
 * most of the log. So the projection carries the event's log position, partner and business event (it
 * already had the account), copied from the log by a trigger whatever inserts the row, and indexes
 * (status, [filter,] position) walk exactly the matching events newest first.
 *
 * Time windows are turned into the range of log positions they span; (received_at, position) gives that
 * range from the index alone.
 */
export class IndexAuditByStatus1764194400000 implements MigrationInterface {
  name = 'IndexAuditByStatus1764194400000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      -- ALTER TABLE holds its lock to the end of the migration: no row can be inserted between the
      -- backfill and the trigger.
      ALTER TABLE event_status
        ADD COLUMN event_position bigint, ADD COLUMN partner_id uuid, ADD COLUMN business_event text;

      UPDATE event_status s
         SET event_position = e.position, partner_id = e.partner_id, business_event = e.business_event
        FROM bulletin_events e
       WHERE e.id = s.event_id;
      ALTER TABLE event_status
        ALTER COLUMN event_position SET NOT NULL,
        ALTER COLUMN partner_id SET NOT NULL,
        ALTER COLUMN business_event SET NOT NULL;

      -- The log's facts, never the writer's: every insert path (ingest, projection repair, tools) gets them.
      CREATE FUNCTION event_status_copy_event_keys() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        SELECT e.position, e.partner_id, e.business_event INTO NEW.event_position, NEW.partner_id, NEW.business_event
          FROM bulletin_events e WHERE e.id = NEW.event_id;
        IF NOT FOUND THEN
          RAISE EXCEPTION 'event_status row for % has no event in bulletin_events', NEW.event_id
            USING ERRCODE = 'foreign_key_violation';
        END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER event_status_event_keys
        BEFORE INSERT OR UPDATE OF event_id, event_position, partner_id, business_event ON event_status
        FOR EACH ROW EXECUTE FUNCTION event_status_copy_event_keys();

      CREATE INDEX event_status_status_position ON event_status (status, event_position);
      CREATE INDEX event_status_status_account_position ON event_status (status, account_id, event_position);
      CREATE INDEX event_status_status_partner_position ON event_status (status, partner_id, event_position);
      CREATE INDEX event_status_status_business_event_position ON event_status (status, business_event, event_position);
      -- (status, position) serves everything this one did.
      DROP INDEX event_status_by_status;

      CREATE INDEX bulletin_events_received_at_position ON bulletin_events (received_at, position);
      ANALYZE event_status;
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      DROP INDEX bulletin_events_received_at_position;
      CREATE INDEX event_status_by_status ON event_status (status);
      DROP INDEX event_status_status_position;
      DROP INDEX event_status_status_account_position;
      DROP INDEX event_status_status_partner_position;
      DROP INDEX event_status_status_business_event_position;
      DROP TRIGGER event_status_event_keys ON event_status;
      DROP FUNCTION event_status_copy_event_keys();
      ALTER TABLE event_status DROP COLUMN event_position, DROP COLUMN partner_id, DROP COLUMN business_event;
    `);
  }
}
