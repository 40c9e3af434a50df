import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The answers to POSTs under /v1 sent with an Idempotency-Key, so that a retried request is answered
 * again instead of being done twice (docs/api-conventions.md). Not part of the log and not append-only:
 * a cache whose rows expire (24 h) and are deleted, and whose in-progress rows are completed in place.
 * Owned by src/idempotency/idempotency.repository.ts.
 *
 * - `principal`: the caller's partner id (`bootstrap-admin` for GATEWAY_ADMIN_KEY), never a key.
 * - `route`: method and path (`POST /v1/partners/<id>/keys`).
 * - `status` is null while the first request runs; `claim_id` tells a run from one that took its
 *   abandoned claim over.
 * - `body` never holds a newly created key: those fields are left out before it is stored.
 */
export class CreateApiIdempotencyKeys1764212400000 implements MigrationInterface {
  name = 'CreateApiIdempotencyKeys1764212400000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE api_idempotency_keys (
        principal        text NOT NULL,
        route            text NOT NULL,
        idempotency_key  text NOT NULL,
        request_sha256   text NOT NULL,
        claim_id         uuid NOT NULL,
        status           integer,
        location         text,
        body             jsonb,
        created_at       timestamptz NOT NULL DEFAULT now(),
        expires_at       timestamptz NOT NULL,
        PRIMARY KEY (principal, route, idempotency_key)
      );
      CREATE INDEX api_idempotency_keys_expiry ON api_idempotency_keys (expires_at);
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE api_idempotency_keys');
  }
}
