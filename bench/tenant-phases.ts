import pg from 'pg';
import { randomUUID } from 'node:crypto';
import { round } from './load.js';
import { MINUTE } from './phases.js';
import { nextSequence, payloadSha256, vendorExample } from './payload.js';
import { insertBacklog, pendingCount, waitForEmptyQueue } from './seed.js';
import { type Bench, createKey } from './setup.js';
import { childEnv } from './processes.js';

export interface ManyAccountsFigures {
  accounts: number;
  /** Gateway processes sharing the database and the accounts' slots. */
  gateways: number;
  events: number;
  seconds: number;
  /** Events settled per second over the phase: only those that left the queue count. */
  eventsPerSecond: number;
  ceilingPerSecond: number;
  percentOfCeiling: number;
  drained: boolean;
  upstream429: number;
}

export interface WaitFigures {
  /** Events queued ahead (the deep backlog or the replay). */
  backlog: number;
  /** Live events sent at 1/s and the wait from acceptance to their first attempt. */
  liveEvents: number;
  waitP50Ms: number;
  waitP99Ms: number;
  waitMaxMs: number;
  latencyMs: number;
  /** The target: 2 × upstream latency + 100 ms. */
  targetMs: number;
}

/**
 * Many accounts at CleverTap's ceiling: a backlog spread over every account of the bench, drained
 * against an upstream that answers in `drainLatencyMs`; the ceiling is accounts × 3 / latency.
 */
export async function manyAccounts(bench: Bench): Promise<ManyAccountsFigures> {
  const { drainLatencyMs, concurrencyPerAccount } = bench.options;
  const accounts = bench.accounts.length;
  const events = bench.options.smoke ? 3_000 : Math.max(60_000, accounts * 600);
  await bench.simulator.setLatency(drainLatencyMs);
  await waitForEmptyQueue(bench.db, 5 * MINUTE);
  const ceilingPerSecond = (accounts * concurrencyPerAccount * 1000) / drainLatencyMs;
  const before = await bench.simulator.stats();
  await insertBacklog(bench.db, bench.partner.id, bench.accounts, events);
  const started = performance.now();
  const drained = await waitForEmptyQueue(bench.db, Math.max(MINUTE, (3 * events * 1000) / ceilingPerSecond), 100);
  const seconds = (performance.now() - started) / 1000;
  const settled = events - (await pendingCount(bench.db));
  const after = await bench.simulator.stats();
  const eventsPerSecond = settled / seconds;
  return {
    accounts,
    gateways: bench.gateways.length,
    events,
    seconds: round(seconds),
    eventsPerSecond: round(eventsPerSecond),
    ceilingPerSecond,
    percentOfCeiling: round((100 * eventsPerSecond) / ceilingPerSecond),
    drained,
    upstream429: after.rejected429 - before.rejected429,
  };
}

/** Fairness: partner A queues a deep backlog on one account, partner B sends one event a second there. */
export async function fairness(bench: Bench): Promise<WaitFigures> {
  const backlog = bench.options.smoke ? 2_000 : 50_000;
  return liveWaitBehind(bench, backlog, (account) => insertBacklog(bench.db, bench.partner.id, [account], backlog));
}

/** Live during replay: a replay of many events on one account while live events arrive at 1/s. */
export async function liveDuringReplay(bench: Bench): Promise<WaitFigures> {
  const backlog = bench.options.smoke ? 2_000 : 50_000;
  return liveWaitBehind(bench, backlog, (account) => insertReplayBacklog(bench.db, bench.partner.id, account, backlog));
}

async function liveWaitBehind(bench: Bench, backlog: number, queueBacklog: (account: string) => Promise<unknown>): Promise<WaitFigures> {
  const latencyMs = bench.options.drainLatencyMs;
  const seconds = bench.options.smoke ? 5 : 30;
  await bench.simulator.setLatency(latencyMs);
  await waitForEmptyQueue(bench.db, 5 * MINUTE);
  const [account] = bench.accounts;
  const other = await otherPartner(bench, account);
  await queueBacklog(account);
  await new Promise((resolve) => setTimeout(resolve, 1000)); // the backlog is being sent
  const eventIds: string[] = [];
  for (let i = 0; i < seconds; i++) {
    const tick = new Promise((resolve) => setTimeout(resolve, 1000));
    eventIds.push(await sendOne(bench, other.key, account));
    await tick;
  }
  const waits = await waitsOf(bench.db, eventIds, 30_000);
  // What is left of the backlog goes at full speed, so later phases start from an empty queue.
  await bench.simulator.setLatency(0);
  await waitForEmptyQueue(bench.db, 20 * MINUTE);
  const sorted = waits.sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? Number.NaN;
  return {
    backlog,
    liveEvents: eventIds.length,
    waitP50Ms: round(at(0.5)),
    waitP99Ms: round(at(0.99)),
    waitMaxMs: round(sorted[sorted.length - 1] ?? Number.NaN),
    latencyMs,
    targetMs: 2 * latencyMs + 100,
  };
}

const partners = new WeakMap<Bench, { id: string; key: string }>();

async function otherPartner(bench: Bench, account: string): Promise<{ id: string; key: string }> {
  let partner = partners.get(bench);
  if (!partner) {
    partner = await createKey(childEnv({ DATABASE_URL: bench.database.url, LOG_LEVEL: 'warn' }), ['--name', 'bench live partner', '--account', account]);
    partners.set(bench, partner);
  }
  return partner;
}

async function sendOne(bench: Bench, key: string, account: string): Promise<string> {
  const response = await fetch(`${bench.gatewayUrl}/1/targets/trigger.json`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-clevertap-account-id': account, 'x-clevertap-passcode': key, prefer: 'respond-async' },
    body: JSON.stringify(vendorExample(nextSequence())),
  });
  const body = (await response.json()) as { event_id?: string };
  if (response.status !== 202 || !body.event_id) throw new Error(`live event refused: ${response.status} ${JSON.stringify(body)}`);
  return body.event_id;
}

/** Milliseconds from acceptance to the first attempt of each event, once all have one. */
async function waitsOf(db: pg.Pool, eventIds: string[], timeoutMs: number): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await db.query(
      `SELECT extract(epoch FROM a.started_at - e.received_at) * 1000 AS wait_ms
         FROM bulletin_events e JOIN dispatch_attempts a ON a.event_id = e.id AND a.attempt_number = 1
        WHERE e.id = ANY($1::uuid[])`,
      [eventIds],
    );
    if (rows.length === eventIds.length || Date.now() > deadline) return rows.map((row) => Number(row.wait_ms));
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Events waiting in the replay lane, as a replay of an outage's failures leaves them. */
async function insertReplayBacklog(db: pg.Pool, partnerId: string, account: string, count: number): Promise<void> {
  const rows = Array.from({ length: count }, () => {
    const payload = vendorExample(nextSequence());
    return { id: randomUUID(), payload: JSON.stringify(payload), sha: payloadSha256(payload) };
  });
  for (let done = 0; done < count; done += 5_000) {
    const batch = rows.slice(done, done + 5_000);
    await db.query(
      `WITH inserted AS (
         INSERT INTO bulletin_events (id, partner_id, account_id, business_event, payload, payload_sha256, request_id)
         SELECT id, $1, $2, 'Program Released', payload, sha, 'bench-replay-' || id
           FROM unnest($3::uuid[], $4::jsonb[], $5::text[]) AS t (id, payload, sha)
         RETURNING id, account_id
       )
       INSERT INTO event_status (event_id, account_id, status, next_attempt_at, next_trigger)
       SELECT id, account_id, 'queued', now(), 'replay' FROM inserted`,
      [partnerId, account, batch.map((r) => r.id), batch.map((r) => r.payload), batch.map((r) => r.sha)],
    );
  }
  await db.query(`SELECT pg_notify('bulletin_queued', $1)`, [account]);
}
