import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An event's status row is updated three times as it is dispatched: reserved, started (both only the
 * lease columns) and recorded. Full pages leave no room for the new row version beside the old one, so
 * a lease update then writes every index of the table anew instead of being a heap-only (HOT) update.
 * Free space in each page lets those updates stay on the page. Pages written before this keep their
 * old fill; new ones (the queue's churn) get the space.
 */
export class EventStatusFillfactor1764234000000 implements MigrationInterface {
  name = 'EventStatusFillfactor1764234000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE event_status SET (fillfactor = 70)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE event_status RESET (fillfactor)`);
  }
}
