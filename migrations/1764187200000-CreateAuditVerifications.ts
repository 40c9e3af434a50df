import type { MigrationInterface, QueryRunner } from 'typeorm';
import { makeAppendOnly } from './append-only.js';

/** Every verification of the chain, by whom and with what result: itself an audit fact. */
export class CreateAuditVerifications1764187200000 implements MigrationInterface {
  name = 'CreateAuditVerifications1764187200000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE audit_verifications (
        position          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        verified_at       timestamptz NOT NULL,
        verified_by       text NOT NULL,
        ok                boolean NOT NULL,
        entries_checked   bigint NOT NULL,
        checkpoints_checked integer NOT NULL,
        head_position     bigint NOT NULL,
        head_hash         text NOT NULL,
        first_broken_link jsonb
      );
    `);
    await makeAppendOnly(db, 'audit_verifications');
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE audit_verifications');
  }
}
