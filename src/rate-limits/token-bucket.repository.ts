import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** What the shared bucket gave: `granted` tokens now, `remaining` left in it after the grant. */
export interface Grant {
  granted: number;
  remaining: number;
}

export interface BucketLimits {
  ratePerSecond: number;
  burst: number;
}

/**
 * The partners' token buckets, in Postgres so every gateway process draws from the same one. A bucket
 * is refilled lazily: each grant adds what the elapsed time earned (up to `burst`), then takes up to
 * `wanted` whole tokens, in one statement under the row's lock.
 */
@Injectable()
export class TokenBucketRepository {
  constructor(private readonly db: DataSource) {}

  async take(partnerId: string, limits: BucketLimits, wanted: number): Promise<Grant> {
    const rows: { granted: number; remaining: number }[] = await this.db.query(
      `WITH current AS (
         SELECT COALESCE((SELECT LEAST($2::float8, b.tokens + extract(epoch FROM clock_timestamp() - b.refilled_at) * $3::float8)
                            FROM partner_rate_buckets b WHERE b.partner_id = $1 FOR UPDATE), $2::float8) AS available
       ), grant_ AS (
         SELECT available, LEAST($4::float8, floor(available)) AS granted FROM current
       )
       INSERT INTO partner_rate_buckets AS b (partner_id, tokens, refilled_at)
       SELECT $1, available - granted, clock_timestamp() FROM grant_
       ON CONFLICT (partner_id) DO UPDATE SET tokens = EXCLUDED.tokens, refilled_at = EXCLUDED.refilled_at
       RETURNING (SELECT granted FROM grant_)::float8 AS granted, b.tokens AS remaining`,
      [partnerId, limits.burst, limits.ratePerSecond, wanted],
    );
    return { granted: rows[0].granted, remaining: rows[0].remaining };
  }
}
