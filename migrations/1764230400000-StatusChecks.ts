import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The statuses an event can be in, enforced by Postgres as the attempt outcomes and triggers already
 * are: `dispatch_attempts.resulting_status` is part of each attempt's audit record, and `event_status`
 * is what dispatch reads, so a mistyped status must be refused at the insert rather than stall a queue
 * or reach an auditor. NOT VALID first, then VALIDATE: the scan of a large log holds no lock that
 * stops writers.
 */
const STATUSES = `('queued', 'retrying', 'sent', 'failed', 'exhausted', 'uncertain')`;

export class StatusChecks1764230400000 implements MigrationInterface {
  name = 'StatusChecks1764230400000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE dispatch_attempts ADD CONSTRAINT dispatch_attempts_resulting_status
        CHECK (resulting_status IN ${STATUSES}) NOT VALID;
      ALTER TABLE event_status ADD CONSTRAINT event_status_status
        CHECK (status IN ${STATUSES}) NOT VALID;
    `);
    await db.query(`ALTER TABLE dispatch_attempts VALIDATE CONSTRAINT dispatch_attempts_resulting_status`);
    await db.query(`ALTER TABLE event_status VALIDATE CONSTRAINT event_status_status`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE event_status DROP CONSTRAINT event_status_status;
      ALTER TABLE dispatch_attempts DROP CONSTRAINT dispatch_attempts_resulting_status;
    `);
  }
}
