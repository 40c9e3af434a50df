import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The per-account circuit, shared by every gateway process so that one probe (not one per process)
 * tests a recovering CleverTap. `paused` is the circuit opened by rejected credentials.
 */
export class CreateAccountCircuits1764176400000 implements MigrationInterface {
  name = 'CreateAccountCircuits1764176400000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE account_circuits (
        account_id            text PRIMARY KEY,
        state                 text NOT NULL DEFAULT 'closed' CHECK (state IN ('closed', 'open', 'half_open', 'paused')),
        consecutive_failures  integer NOT NULL DEFAULT 0,
        reason                text,
        open_until            timestamptz,
        probe_expires_at      timestamptz,
        updated_at            timestamptz NOT NULL DEFAULT now()
      );
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE account_circuits`);
  }
}
