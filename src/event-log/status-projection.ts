import type { DataSource } from 'typeorm';

export interface ProjectionDifference {
  event_id: string;
  live_status: string | null;
  derived_status: string | null;
  live_attempts: number | null;
  derived_attempts: number | null;
}

/**
 * Each event's status as the log alone says it is: queued when nothing happened yet or when a replay
 * came after its latest attempt, otherwise what its latest attempt left it in.
 */
const DERIVED_STATUS = `
  SELECT e.id, e.account_id,
         CASE WHEN last.attempt_number IS NULL OR replayed.queued_at > last.recorded_at THEN 'queued'
              ELSE last.resulting_status END AS status,
         COALESCE(last.attempt_number, 0) AS attempts,
         CASE WHEN replayed.queued_at > last.recorded_at THEN replayed.queued_at ELSE last.next_attempt_at END AS next_attempt_at,
         (SELECT count(*) FROM dispatch_attempts t
           WHERE t.event_id = e.id AND t.outcome = 'transient'
             AND (replayed.queued_at IS NULL OR t.recorded_at > replayed.queued_at))::int AS transient_failures
    FROM bulletin_events e
    LEFT JOIN LATERAL (
      SELECT resulting_status, attempt_number, next_attempt_at, recorded_at FROM dispatch_attempts a
       WHERE a.event_id = e.id ORDER BY attempt_number DESC LIMIT 1
    ) last ON true
    LEFT JOIN LATERAL (SELECT max(queued_at) AS queued_at FROM replay_items i WHERE i.event_id = e.id) replayed ON true`;

/**
 * Proves the `event_status` projection: rebuilds it from the log in a query and lists every event where
 * the live projection says something else (or is missing).
 */
export async function compareStatusProjection(db: DataSource, limit = 1000): Promise<{ differences: ProjectionDifference[]; events: number }> {
  const differences = await db.query(
    `WITH derived AS (${DERIVED_STATUS})
     SELECT COALESCE(d.id, s.event_id) AS event_id, s.status AS live_status, d.status AS derived_status,
            s.attempts AS live_attempts, d.attempts AS derived_attempts
       FROM derived d FULL JOIN event_status s ON s.event_id = d.id
      WHERE s.event_id IS NULL OR d.id IS NULL OR s.status <> d.status OR s.attempts <> d.attempts
      LIMIT $1`,
    [limit],
  );
  const [{ events }] = await db.query('SELECT count(*)::int AS events FROM bulletin_events');
  return { differences, events };
}

/**
 * Rewrites the projection rows that differ from the log. Pending events become due at once; leases are
 * dropped, so run it while no gateway is dispatching (it is a repair, not a routine).
 */
export async function repairStatusProjection(db: DataSource): Promise<number> {
  const rows = await db.query(
    `WITH derived AS (${DERIVED_STATUS})
     INSERT INTO event_status AS s (event_id, account_id, status, attempts, transient_failures, next_attempt_at)
     SELECT id, account_id, status, attempts, transient_failures,
            CASE WHEN status IN ('queued', 'retrying') THEN COALESCE(next_attempt_at, now()) END
       FROM derived
     ON CONFLICT (event_id) DO UPDATE
        SET status = EXCLUDED.status, attempts = EXCLUDED.attempts, transient_failures = EXCLUDED.transient_failures,
            next_attempt_at = EXCLUDED.next_attempt_at, lease_owner = NULL, lease_expires_at = NULL, updated_at = now()
      WHERE s.status <> EXCLUDED.status OR s.attempts <> EXCLUDED.attempts
     RETURNING 1`,
  );
  return rows.length;
}
