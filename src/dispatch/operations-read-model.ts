import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Lane } from './fair-share.js';

/** One partner's line in one lane of an account, as the whole fleet sees it. */
export interface BacklogLine {
  accountId: string;
  partnerId: string;
  partnerName: string;
  lane: Lane;
  queued: number;
  retrying: number;
  /** Started and not yet recorded, by any gateway process. */
  inFlight: number;
  oldestAgeSeconds: number;
}

/** The waits from acceptance to first attempt of the first attempts that started in one bucket. */
export interface WaitBucket {
  /** Index of the bucket from the start of the window. */
  index: number;
  /** First attempts summarised (of at most the sample limit read per bucket). */
  count: number;
  p50Ms: number | null;
  p95Ms: number | null;
  maxMs: number | null;
  /** More first attempts started in this bucket than the sample limit: the figures are of the earliest ones. */
  sampled: boolean;
}

export interface WaitSeries {
  /** The window's start, as Postgres's clock has it. */
  from: Date;
  to: Date;
  buckets: WaitBucket[];
  /** Every summarised first attempt of the window. */
  overall: Omit<WaitBucket, 'index'>;
}

const LANE_ORDER = "CASE s.lane WHEN 'live' THEN 0 WHEN 'retry' THEN 1 ELSE 2 END";

/**
 * What the Operations screen reads: the backlog by account, partner and lane from the queue projection,
 * and the wait before the first attempt from the log itself (events and their first attempts), so both
 * hold across gateway processes and restarts. Read-only; the dispatch queue owns the writes.
 */
@Injectable()
export class OperationsReadModel {
  constructor(private readonly db: DataSource) {}

  /**
   * Pending events of the given accounts grouped by partner and lane. The work is bounded by the backlog
   * (the partial index of pending rows); each line's oldest event is found by its log position, one
   * lookup per line instead of one per pending event.
   */
  async backlog(accountIds: string[]): Promise<BacklogLine[]> {
    const rows: {
      account_id: string;
      partner_id: string;
      partner_name: string;
      lane: Lane;
      queued: number;
      retrying: number;
      in_flight: number;
      oldest_age_seconds: number;
    }[] = await this.db.query(
      `WITH lines AS (
         SELECT s.account_id, s.partner_id, s.lane,
                count(*) FILTER (WHERE s.status = 'queued')::int AS queued,
                count(*) FILTER (WHERE s.status = 'retrying')::int AS retrying,
                count(*) FILTER (WHERE s.lease_owner IS NOT NULL AND s.lease_expires_at > now())::int AS in_flight,
                min(s.event_position) AS oldest_position,
                min(${LANE_ORDER}) AS lane_order
           FROM event_status s
          WHERE s.status IN ('queued', 'retrying') AND s.account_id = ANY($1::text[])
          GROUP BY s.account_id, s.partner_id, s.lane
       )
       SELECT l.account_id, l.partner_id, p.name AS partner_name, l.lane, l.queued, l.retrying, l.in_flight,
              greatest(0, extract(epoch FROM now() - e.received_at))::float8 AS oldest_age_seconds
         FROM lines l
         JOIN bulletin_events e ON e.position = l.oldest_position
         JOIN partners p ON p.id = l.partner_id
        ORDER BY l.account_id, p.name, l.partner_id, l.lane_order`,
      [accountIds],
    );
    return rows.map((row) => ({
      accountId: row.account_id,
      partnerId: row.partner_id,
      partnerName: row.partner_name,
      lane: row.lane,
      queued: row.queued,
      retrying: row.retrying,
      inFlight: row.in_flight,
      oldestAgeSeconds: row.oldest_age_seconds,
    }));
  }

  /**
   * The wait from acceptance (the event's received_at) to its first attempt's start, for first attempts
   * that started in the last `windowSeconds`, in `buckets` equal buckets. Each bucket reads at most
   * `sampleLimit` first attempts (the earliest) through the partial index on first attempts' start, and
   * only then keeps the account's, so a busy window costs a bounded read whatever the filter. Attempts
   * recorded for a process that died are left out: their start is when the death was noticed, not when
   * the request left.
   */
  async waits(options: { windowSeconds: number; buckets: number; sampleLimit: number; accountId?: string }): Promise<WaitSeries> {
    const { windowSeconds, buckets, sampleLimit } = options;
    const rows: {
      bucket: number | null;
      window_start: Date;
      window_end: Date;
      count: number;
      p50: number | null;
      p95: number | null;
      max: number | null;
      sampled: boolean;
    }[] = await this.db.query(
      `WITH bounds AS (
         SELECT now() - make_interval(secs => $1::int) AS window_start, now() AS window_end,
                make_interval(secs => $1::float8 / $2::int) AS width
       ), bucket AS (
         SELECT i, starts, ends,
                EXISTS (SELECT 1 FROM dispatch_attempts a
                         WHERE a.attempt_number = 1 AND a.started_at >= starts AND a.started_at < ends OFFSET $3::int) AS sampled
           FROM (SELECT i, b.window_start + b.width * i AS starts, b.window_start + b.width * (i + 1) AS ends
                   FROM bounds b, generate_series(0, $2::int - 1) AS i) AS edges
       ), waits AS (
         SELECT bucket.i, bucket.sampled, w.wait_ms
           FROM bucket
           LEFT JOIN LATERAL (
             SELECT greatest(0, extract(epoch FROM a.started_at - e.received_at) * 1000)::float8 AS wait_ms
               FROM (SELECT a.event_id, a.started_at FROM dispatch_attempts a
                      WHERE a.attempt_number = 1 AND a.started_at >= bucket.starts AND a.started_at < bucket.ends
                        AND a.error_code IS DISTINCT FROM 'ABANDONED_ATTEMPT'
                      ORDER BY a.started_at
                      LIMIT $3::int) a
               JOIN bulletin_events e ON e.id = a.event_id
              WHERE $4::text IS NULL OR e.account_id = $4::text
           ) w ON true
       )
       SELECT i AS bucket, (SELECT window_start FROM bounds) AS window_start, (SELECT window_end FROM bounds) AS window_end,
              count(wait_ms)::int AS count,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY wait_ms) AS p50,
              percentile_cont(0.95) WITHIN GROUP (ORDER BY wait_ms) AS p95,
              max(wait_ms) AS max,
              bool_or(sampled) AS sampled
         FROM waits
        GROUP BY GROUPING SETS ((i), ())`,
      [windowSeconds, buckets, sampleLimit, options.accountId ?? null],
    );
    const ofBucket = new Map(rows.filter((row) => row.bucket !== null).map((row) => [row.bucket!, row]));
    // Every bucket has a row, so the grand total always exists.
    const total = rows.find((row) => row.bucket === null)!;
    const summary = (row: (typeof rows)[number] | undefined) => ({
      count: row?.count ?? 0,
      p50Ms: row?.p50 ?? null,
      p95Ms: row?.p95 ?? null,
      maxMs: row?.max ?? null,
      sampled: row?.sampled ?? false,
    });
    return {
      from: total.window_start,
      to: total.window_end,
      buckets: Array.from({ length: buckets }, (_, index) => ({ index, ...summary(ofBucket.get(index)) })),
      overall: summary(total),
    };
  }
}
