import type { MigrationInterface, QueryRunner } from 'typeorm';
import { makeAppendOnly } from './append-only.js';

/** Tables the database itself keeps append-only. */
export const LOG_TABLES = ['bulletin_events', 'dispatch_attempts'] as const;

/**
 * The event log (append-only, enforced by triggers that fire ALWAYS, so neither
 * `session_replication_role = replica` nor an ORM can rewrite history), the partners who may write to it,
 * and `event_status`: the mutable projection of each event's current state, which doubles as the
 * dispatch queue and can be rebuilt from the log.
 */
export class CreateEventLog1764172800000 implements MigrationInterface {
  name = 'CreateEventLog1764172800000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE partners (
        id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name        text NOT NULL,
        role        text NOT NULL CHECK (role IN ('partner', 'auditor', 'operator', 'admin')),
        created_at  timestamptz NOT NULL DEFAULT now(),
        revoked_at  timestamptz
      );
      CREATE TABLE partner_keys (
        id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        partner_id  uuid NOT NULL REFERENCES partners (id),
        key_sha256  bytea NOT NULL UNIQUE,
        key_prefix  text NOT NULL,
        created_at  timestamptz NOT NULL DEFAULT now(),
        revoked_at  timestamptz
      );
      CREATE TABLE partner_accounts (
        partner_id  uuid NOT NULL REFERENCES partners (id),
        account_id  text NOT NULL,
        PRIMARY KEY (partner_id, account_id)
      );

      CREATE TABLE bulletin_events (
        id               uuid PRIMARY KEY,
        position         bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
        partner_id       uuid NOT NULL REFERENCES partners (id),
        account_id       text NOT NULL,
        business_event   text NOT NULL,
        payload          jsonb NOT NULL,
        payload_sha256   text NOT NULL,
        idempotency_key  text,
        request_id       text NOT NULL,
        received_at      timestamptz NOT NULL DEFAULT clock_timestamp()
      );
      -- Idempotency keys are scoped to the partner and kept as long as the event: forever.
      CREATE UNIQUE INDEX bulletin_events_idempotency ON bulletin_events (partner_id, idempotency_key)
        WHERE idempotency_key IS NOT NULL;
      CREATE INDEX bulletin_events_received_at ON bulletin_events USING brin (received_at);

      CREATE TABLE dispatch_attempts (
        position          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        event_id          uuid NOT NULL REFERENCES bulletin_events (id),
        attempt_number    integer NOT NULL CHECK (attempt_number > 0),
        trigger           text NOT NULL CHECK (trigger IN ('auto', 'retry', 'replay')),
        outcome           text NOT NULL
                          CHECK (outcome IN ('sent', 'failed', 'transient', 'uncertain', 'credentials_rejected')),
        resulting_status  text NOT NULL,
        http_status       integer,
        clevertap_status  text,
        targets           integer,
        error             text,
        error_code        text,
        started_at        timestamptz NOT NULL,
        latency_ms        integer NOT NULL,
        next_attempt_at   timestamptz,
        recorded_at       timestamptz NOT NULL DEFAULT clock_timestamp(),
        -- Two dispatchers can never both record attempt N of one event.
        UNIQUE (event_id, attempt_number)
      );

      CREATE TABLE event_status (
        event_id          uuid PRIMARY KEY REFERENCES bulletin_events (id),
        account_id        text NOT NULL,
        status            text NOT NULL,
        attempts          integer NOT NULL DEFAULT 0,
        transient_failures integer NOT NULL DEFAULT 0,
        next_attempt_at   timestamptz,
        lease_owner       text,
        lease_expires_at  timestamptz,
        updated_at        timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX event_status_due ON event_status (account_id, next_attempt_at)
        WHERE status IN ('queued', 'retrying');
      CREATE INDEX event_status_by_status ON event_status (status);

      CREATE FUNCTION reject_log_mutation() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'the log table % is append-only: % is not allowed', TG_TABLE_NAME, TG_OP
          USING ERRCODE = 'insufficient_privilege';
      END $$;
    `);
    for (const table of LOG_TABLES) await makeAppendOnly(db, table);
  }

  async down(): Promise<void> {
    throw new Error('The event log is permanent: this migration cannot be reverted.');
  }
}
