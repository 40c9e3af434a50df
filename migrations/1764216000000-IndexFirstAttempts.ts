import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The Operations screen's wait chart reads the first attempts that started in the last hour (or day);
 * without this the log of attempts would be read whole. Partial (first attempts only) and carrying what the
 * chart reads of the attempt, so a bucket is one range of this index and one lookup per event.
 */
export class IndexFirstAttempts1764216000000 implements MigrationInterface {
  name = 'IndexFirstAttempts1764216000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE INDEX dispatch_attempts_first_started_at ON dispatch_attempts (started_at) INCLUDE (event_id, error_code)
        WHERE attempt_number = 1;
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX dispatch_attempts_first_started_at`);
  }
}
