import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Dispatch for many tenants.
 *
 * - `event_status.lane`: which line an event waits in, derived from its own columns so every writer
 *   (ingest, replay, attempts, repair) keeps it right: a replay, else a retry (any earlier attempt),
 *   else a live first attempt. The due index per (account, partner, lane) lets one query take the head
 *   of every partner's line on many accounts.
 * - `partner_settings`: per-partner dispatch weight and ingress limits (null: the configured default).
 * - `partner_rate_buckets`: the token buckets of the per-partner rate limit, shared by every process.
 */
export class TenantDispatch1764205200000 implements MigrationInterface {
  name = 'TenantDispatch1764205200000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE event_status ADD COLUMN lane text GENERATED ALWAYS AS (
        CASE WHEN next_trigger = 'replay' THEN 'replay' WHEN attempts > 0 OR status = 'retrying' THEN 'retry' ELSE 'live' END
      ) STORED;
      CREATE INDEX event_status_due_by_partner ON event_status (account_id, partner_id, lane, next_attempt_at)
        WHERE status IN ('queued', 'retrying');
      DROP INDEX event_status_due;

      CREATE TABLE partner_settings (
        partner_id       uuid PRIMARY KEY REFERENCES partners (id),
        dispatch_weight  integer CHECK (dispatch_weight BETWEEN 1 AND 100),
        rate_per_second  double precision CHECK (rate_per_second > 0),
        burst            integer CHECK (burst >= 1),
        max_backlog      integer CHECK (max_backlog >= 0),
        updated_at       timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE partner_rate_buckets (
        partner_id   uuid PRIMARY KEY REFERENCES partners (id),
        tokens       double precision NOT NULL,
        refilled_at  timestamptz NOT NULL
      );
      ANALYZE event_status;
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      DROP TABLE partner_rate_buckets;
      DROP TABLE partner_settings;
      CREATE INDEX event_status_due ON event_status (account_id, next_attempt_at) WHERE status IN ('queued', 'retrying');
      DROP INDEX event_status_due_by_partner;
      ALTER TABLE event_status DROP COLUMN lane;
    `);
  }
}
