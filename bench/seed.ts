import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';
import { nextSequence, payloadSha256, vendorExample } from './payload.js';

const BATCH = 5_000;
const LOG_CHUNK = 100_000;

/** Events still waiting for the dispatcher. */
export async function pendingCount(db: pg.Pool): Promise<number> {
  const { rows } = await db.query(`SELECT count(*)::int AS n FROM event_status WHERE status IN ('queued', 'retrying')`);
  return rows[0].n;
}

/**
 * Whether any event still waits for the dispatcher. The drain phases ask this every 100-250 ms while
 * the gateway works: a count of the whole queue would cost Postgres a scan each time (CPU the gateway's
 * own statements need), where EXISTS stops at the first pending row.
 */
async function anyPending(db: pg.Pool): Promise<boolean> {
  const { rows } = await db.query(`SELECT EXISTS (SELECT 1 FROM event_status WHERE status IN ('queued', 'retrying')) AS pending`);
  return rows[0].pending;
}

/** Waits until the dispatcher has nothing left to do; false if it did not get there in time. */
export async function waitForEmptyQueue(db: pg.Pool, timeoutMs: number, pollMs = 250): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (await anyPending(db)) {
    if (Date.now() > deadline) return false;
    await sleep(pollMs);
  }
  return true;
}

/**
 * Queues `count` events at once, as if an outage had left them behind: the same rows the gateway's
 * ingest writes (event + queued status), in one transaction, then the wake-up the gateway sends.
 */
export async function insertBacklog(db: pg.Pool, partnerId: string, accounts: string[], count: number): Promise<string[]> {
  const client = await db.connect();
  const ids: string[] = [];
  try {
    await client.query('BEGIN');
    for (let done = 0; done < count; done += BATCH) {
      const batch = Array.from({ length: Math.min(BATCH, count - done) }, () => backlogRow(accounts));
      ids.push(...batch.map((row) => row.id));
      await client.query(
        `WITH inserted AS (
           INSERT INTO bulletin_events (id, partner_id, account_id, business_event, payload, payload_sha256, request_id)
           SELECT id, $1, account, 'Program Released', payload, sha, 'bench-drain-' || id
             FROM unnest($2::uuid[], $3::text[], $4::jsonb[], $5::text[]) AS t (id, account, payload, sha)
           RETURNING id, account_id
         )
         INSERT INTO event_status (event_id, account_id, status, next_attempt_at)
         SELECT id, account_id, 'queued', now() FROM inserted`,
        [partnerId, batch.map((r) => r.id), batch.map((r) => r.account), batch.map((r) => r.payload), batch.map((r) => r.sha)],
      );
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
  await db.query(`SELECT pg_notify('bulletin_queued', account) FROM unnest($1::text[]) AS account`, [accounts]);
  return ids;
}

function backlogRow(accounts: string[]) {
  const n = nextSequence();
  const payload = vendorExample(n);
  return { id: randomUUID(), account: accounts[n % accounts.length], payload: JSON.stringify(payload), sha: payloadSha256(payload) };
}

/** Final statuses of the given events, e.g. { sent: 49990, failed: 10 }. */
export async function statusesOf(db: pg.Pool, eventIds: string[]): Promise<Record<string, number>> {
  const { rows } = await db.query(
    `SELECT status, count(*)::int AS n FROM event_status WHERE event_id = ANY($1::uuid[]) GROUP BY status ORDER BY status`,
    [eventIds],
  );
  return Object.fromEntries(rows.map((row) => [row.status, row.n]));
}

/**
 * A historical log of `count` events with one attempt each, written by SQL alone (generate_series),
 * in chunks so progress shows and no statement holds millions of rows. Statuses: 90% sent, 6% failed,
 * 2% exhausted, 2% uncertain (none pending, so the dispatcher leaves them alone); 10% are another
 * business event; received_at spreads over the 30 days before now. payload_sha256 hashes Postgres's
 * JSON text rather than RFC 8785: same length, and nothing checks it against the payload.
 */
export async function generateLog(
  db: pg.Pool,
  options: { partnerId: string; accounts: string[]; count: number; onProgress?: (done: number) => void },
): Promise<void> {
  const stepMs = (30 * 24 * 3600 * 1000) / options.count;
  for (let from = 1; from <= options.count; from += LOG_CHUNK) {
    const to = Math.min(options.count, from + LOG_CHUNK - 1);
    await db.query(LOG_CHUNK_SQL, [from, to, stepMs, options.partnerId, options.accounts]);
    options.onProgress?.(to);
  }
}

const LOG_CHUNK_SQL = `
  WITH numbered AS (
    SELECT n, now() - interval '30 days' + n * $3::double precision * interval '1 millisecond' AS at,
           CASE WHEN n % 10 = 0 THEN 'Product Launched' ELSE 'Program Released' END AS business_event,
           ($5::text[])[n % array_length($5::text[], 1) + 1] AS account_id
      FROM generate_series($1::int, $2::int) AS n
  ), payloads AS (
    SELECT *, jsonb_build_object(
             'business_event', business_event,
             'name', 'Sa Re Ga Ma episode ' || (n % 500),
             'properties', jsonb_build_object('program_id', (234567 + n)::text,
                                              'language', (ARRAY['Hindi', 'Tamil', 'Telugu', 'Bengali', 'Marathi'])[n % 5 + 1],
                                              'prev_program_id', (234566 + n)::text),
             'c-by', 'editor@example.com', 'when', 'now') AS payload
      FROM numbered
  ), events AS (
    INSERT INTO bulletin_events (id, partner_id, account_id, business_event, payload, payload_sha256, request_id, received_at)
    SELECT gen_random_uuid(), $4::uuid, account_id, business_event, payload,
           encode(sha256(convert_to(payload::text, 'UTF8')), 'hex'), 'bench-log-' || n, at
      FROM payloads ORDER BY n
    RETURNING id, account_id, received_at, position
  ), outcomes AS (
    SELECT e.*, o.* FROM events e
      JOIN (VALUES (0, 90, 'sent', 'sent', 200, 'success', 1, NULL, NULL),
                   (90, 96, 'failed', 'failed', 400, 'fail', NULL, 'Business Event Not Found', '400'),
                   (96, 98, 'exhausted', 'transient', 503, NULL, NULL, 'Simulated 503 error', '503'),
                   (98, 100, 'uncertain', 'uncertain', NULL, NULL, NULL, 'upstream timeout after the request was sent', 'ETIMEDOUT'))
        AS o (lo, hi, status, outcome, http_status, clevertap_status, targets, error, error_code)
        ON e.position % 100 >= o.lo AND e.position % 100 < o.hi
  ), statuses AS (
    INSERT INTO event_status (event_id, account_id, status, attempts, updated_at)
    SELECT id, account_id, status, 1, received_at + interval '80 milliseconds' FROM outcomes
  )
  INSERT INTO dispatch_attempts (event_id, attempt_number, trigger, outcome, resulting_status, http_status,
                                 clevertap_status, targets, error, error_code, started_at, latency_ms)
  SELECT id, 1, 'auto', outcome, status, http_status, clevertap_status, targets, error, error_code,
         received_at + interval '20 milliseconds', 60
    FROM outcomes`;

/** Rows of the log tables the background sealer has not yet added to the tree. */
export async function unsealedCount(db: pg.Pool): Promise<number> {
  const { rows } = await db.query(
    `SELECT (SELECT count(*) FROM bulletin_events) + (SELECT count(*) FROM dispatch_attempts)
          + (SELECT count(*) FROM rejected_requests) + (SELECT count(*) FROM replay_requests)
          + (SELECT count(*) FROM replay_items) - (SELECT count(*) FROM audit_leaves) AS n`,
  );
  return Number(rows[0].n);
}
