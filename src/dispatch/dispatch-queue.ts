import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { DataSource } from 'typeorm';
import { storableText } from '../common/untrusted-json.js';
import { GroupCommit, isCausedByRow } from '../event-log/group-commit.js';
import { GATEWAY_CONFIG } from '../config/config.module.js';
import type { GatewayConfig } from '../config/gateway-config.js';
import { NotificationSender } from '../database/notification-sender.js';
import type { AttemptOutcome, AttemptTrigger, EventStatus } from '../event-log/event-status.js';
import { closeCircuitsStatement } from './account-circuit.js';
import type { Lane } from './fair-share.js';

/**
 * The queue's NOTIFY channels, which other gateway processes LISTEN on: events were queued on an
 * account; an awaited event's outcome was recorded. Only wake-ups: the database, not memory, guarantees
 * the work happens.
 */
export const QUEUED_CHANNEL = 'bulletin_queued';
export const OUTCOME_CHANNEL = 'bulletin_outcome';

/**
 * An event this process holds. Until `start` succeeds it is only reserved: the row carries a lease with
 * no owner, so other processes leave it alone, and if this process dies the lease simply expires and
 * the event is sent by whoever takes it next. Starting it names this process as the lease owner, and
 * an owned lease that expires means CleverTap may have the request (an abandoned attempt).
 */
export interface ClaimedEvent {
  eventId: string;
  accountId: string;
  partnerId: string;
  lane: Lane;
  /** The partner's dispatch weight when the event was reserved. */
  weight: number;
  receivedAt: Date;
  status: EventStatus;
  attempts: number;
  transientFailures: number;
  /**
   * The bulletin as Postgres's JSON text, sent as it is: the same content as the stored payload (jsonb's
   * text differs from the partner's only in spacing), and a string held while the event waits in memory
   * instead of a tree of objects parsed only to be serialized again.
   */
  payloadJson: string;
  /** Set by a replay: the next attempt is recorded as a replay and linked to it. */
  nextTrigger: AttemptTrigger | null;
  replayId: string | null;
  /** The previous lease expired unreleased: a process died mid-attempt, so CleverTap may have it. */
  abandonedByDeadProcess: boolean;
  /** The reservation's expiry, as Postgres wrote it: it tells our reservation from a later one. */
  reservation: string;
  /** The W3C traceparent of the event's ingest span, when that request was traced. */
  traceparent?: string | null;
}

/** `blocked`: the account's circuit is not closed, so only a probe admitted by AccountCircuit may start. */
export type StartResult = { started: true; event: ClaimedEvent } | { started: false; reason: 'blocked' | 'lost' };

/** One attempt as the log keeps it, and the event's next state. */
export interface AttemptRecord {
  eventId: string;
  accountId: string;
  attemptNumber: number;
  trigger: AttemptTrigger;
  /** The replay that caused this attempt, if any. */
  replayId: string | null;
  outcome: AttemptOutcome;
  resultingStatus: EventStatus;
  httpStatus?: number;
  clevertapStatus?: string;
  targets?: number;
  error?: string;
  errorCode?: string;
  startedAt: Date;
  latencyMs: number;
  nextAttemptAt?: Date;
  transientFailures: number;
  /** CleverTap answered this request: the account's circuit closes if it was not. */
  closesCircuit: boolean;
  /** A synchronous ingest request may be waiting for this outcome (see DeliveryAttempts). */
  awaited: boolean;
}

type Step = { kind: 'start'; event: ClaimedEvent; probe: boolean } | { kind: 'record'; attempt: AttemptRecord };
type StepResult = StartResult | boolean;

interface ReservedRow {
  event_id: string;
  account_id: string;
  partner_id: string;
  lane: Lane;
  weight: number;
  received_at: Date;
  status: EventStatus;
  attempts: number;
  transient_failures: number;
  payload_json: string;
  next_trigger: AttemptTrigger | null;
  replay_id: string | null;
  next_attempt_at: Date;
  reservation: string;
  abandoned: boolean;
  traceparent: string | null;
}

/**
 * Starts and records of every slot are written in statements of up to this many; four may run at once
 * so that a slot whose answer has come does not wait for a whole batch in flight before its own (each
 * slot's next request waits for its start's commit, so that wait is on every slot's cycle). A step
 * whose row Postgres refuses is retried alone, so it cannot fail the other slots' steps.
 */
const STEP_BATCH = { maxBatch: 500, maxInFlight: 4, gatherTurn: true, retryAlone: isCausedByRow };

/** One account's pending events as the whole fleet sees them. */
export interface AccountBacklog {
  accountId: string;
  queueDepth: number;
  /** Leases held now, across every gateway process. */
  inFlight: number;
  oldestQueuedAgeSeconds: number;
}

/** The pending or parked events of one account, partner, lane and status. */
export interface QueueLine {
  accountId: string;
  partnerId: string;
  lane: Lane;
  status: EventStatus;
  events: number;
  oldestAgeSeconds: number;
}

/** Text as Postgres can store it (see storableText), or null. */
const storableOrNull = (text: unknown) => (text == null ? null : storableText(String(text)));

/**
 * Queues just-appended events, due at once, as a data-modifying CTE's body (RETURNING event_id,
 * account_id); `appended` is a relation of (id, account_id). The event log's append embeds it, so an
 * event and its queue row commit in one statement.
 */
export function enqueueStatement(appended: string): string {
  return `INSERT INTO event_status (event_id, account_id, status, next_attempt_at)
          SELECT id, account_id, 'queued', now() FROM ${appended}
          RETURNING event_id, account_id`;
}

/**
 * Puts the `matched` events (a relation of id) whose status is one of `statuses` (a text[] parameter)
 * back in the replay lane, due at once, as a data-modifying CTE's body (RETURNING event_id, account_id).
 * The replay embeds it, so the requeue and the replay's record commit in one statement; the row lock
 * taken here re-checks each status, so an event is queued by one replay at most.
 */
export function requeueStatement({ matched, replayId, statuses }: { matched: string; replayId: string; statuses: string }): string {
  return `UPDATE event_status s
             SET status = 'queued', next_attempt_at = now(), next_trigger = 'replay', replay_id = ${replayId},
                 transient_failures = 0, updated_at = now()
            FROM ${matched} m
           WHERE s.event_id = m.id AND s.status = ANY(${statuses})
          RETURNING s.event_id, s.account_id`;
}

/** An event whose `event_status` row says something else than the log (or is missing). */
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
 * The dispatch queue is the `event_status` projection, and this is its one owner: every statement that
 * writes it is here (the event log's append and the replay embed enqueueStatement and requeueStatement).
 * Due rows are reserved, then started one by one just before their request leaves, then settled by the
 * attempt's record. Starts and records of all slots are grouped: one statement and one commit for all
 * of those of a moment.
 */
@Injectable()
export class DispatchQueue {
  /** This process, as the owner of the leases it takes. */
  readonly owner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private readonly steps = new GroupCommit<Step, StepResult>((steps) => this.writeSteps(steps), STEP_BATCH);
  private readonly reservations = new GroupCommit<{ accountId: string; limit: number }, ClaimedEvent[]>(
    (wanted) => this.reserveBatch(wanted),
    { maxBatch: 200, maxInFlight: 1, gatherTurn: true },
  );
  private readonly leaseMs: number;

  constructor(
    private readonly db: DataSource,
    private readonly notifications: NotificationSender,
    @Inject(GATEWAY_CONFIG) config: GatewayConfig,
  ) {
    this.leaseMs = config.dispatch.leaseMs;
  }

  /**
   * Reserves due events of the account: up to `limit` from the head of each partner's line in each lane,
   * oldest first. Reservations of many accounts share one statement. An event whose owned lease expired
   * is leased to this process at once (it was perhaps sent, and is only to be recorded as such): a mere
   * reservation would erase that evidence if this process died too.
   */
  reserve(accountId: string, limit: number): Promise<ClaimedEvent[]> {
    return this.reservations.submit({ accountId, limit });
  }

  private async reserveBatch(wanted: { accountId: string; limit: number }[]): Promise<ClaimedEvent[][]> {
    const [rows]: [ReservedRow[], number] = await this.db.query(
      `WITH wanted AS (
         SELECT DISTINCT ON (account_id) * FROM unnest($1::text[], $2::int[]) AS w(account_id, lim)
       ), line AS (
         SELECT w.account_id, w.lim, pa.partner_id, l.lane
           FROM wanted w
           JOIN partner_accounts pa ON pa.account_id = w.account_id
           CROSS JOIN unnest(ARRAY['live', 'retry', 'replay']) AS l(lane)
       ), due AS (
         SELECT d.event_id, d.previous_owner FROM line
         CROSS JOIN LATERAL (
           SELECT s.event_id, s.lease_owner AS previous_owner FROM event_status s
            WHERE s.account_id = line.account_id AND s.partner_id = line.partner_id AND s.lane = line.lane
              AND s.status IN ('queued', 'retrying') AND s.next_attempt_at <= now()
              AND (s.lease_expires_at IS NULL OR s.lease_expires_at < now())
            ORDER BY s.next_attempt_at
            LIMIT line.lim
            FOR UPDATE SKIP LOCKED
         ) d
       )
       UPDATE event_status s
          SET lease_owner = CASE WHEN due.previous_owner IS NOT NULL THEN $3 END,
              lease_expires_at = now() + make_interval(secs => $4 / 1000.0)
         FROM due
         JOIN bulletin_events e ON e.id = due.event_id
         LEFT JOIN partner_settings ps ON ps.partner_id = e.partner_id
        WHERE s.event_id = due.event_id
       RETURNING s.event_id, s.account_id, s.partner_id, s.lane, COALESCE(ps.dispatch_weight, 1) AS weight, e.received_at,
                 s.status, s.attempts, s.transient_failures, e.payload::text AS payload_json, s.next_trigger, s.replay_id,
                 s.next_attempt_at, s.lease_expires_at::text AS reservation, due.previous_owner IS NOT NULL AS abandoned,
                 e.traceparent`,
      [wanted.map((w) => w.accountId), wanted.map((w) => w.limit), this.owner, this.leaseMs],
    );
    // RETURNING has no order; a line's is next_attempt_at (a stable sort keeps ties as they came).
    rows.sort((a, b) => a.next_attempt_at.getTime() - b.next_attempt_at.getTime());
    const byAccount = new Map<string, ClaimedEvent[]>(wanted.map((w) => [w.accountId, []]));
    for (const row of rows)
      byAccount.get(row.account_id)!.push({
        eventId: row.event_id,
        accountId: row.account_id,
        partnerId: row.partner_id,
        lane: row.lane,
        weight: row.weight,
        receivedAt: row.received_at,
        status: row.status,
        attempts: row.attempts,
        transientFailures: row.transient_failures,
        payloadJson: row.payload_json,
        nextTrigger: row.next_trigger,
        replayId: row.replay_id,
        abandonedByDeadProcess: row.abandoned,
        reservation: row.reservation,
        traceparent: row.traceparent,
      });
    // An account asked twice in one batch (by two refills) gets its events once, with the first request.
    const answered = new Set<string>();
    return wanted.map((w) => {
      if (answered.has(w.accountId)) return [];
      answered.add(w.accountId);
      return byAccount.get(w.accountId)!;
    });
  }

  /**
   * The accounts among `accountIds` with due work nobody holds: one query however many accounts are
   * configured, so idle accounts cost nothing but an index probe each per poll.
   */
  async dueAccounts(accountIds: string[]): Promise<string[]> {
    const rows: { account_id: string }[] = await this.db.query(
      `SELECT a.account_id FROM unnest($1::text[]) AS a(account_id)
        WHERE EXISTS (
          SELECT 1 FROM event_status s
           WHERE s.account_id = a.account_id AND s.status IN ('queued', 'retrying') AND s.next_attempt_at <= now()
             AND (s.lease_expires_at IS NULL OR s.lease_expires_at < now()))`,
      [accountIds],
    );
    return rows.map((row) => row.account_id);
  }

  /**
   * Turns a reservation into this process's lease just before the request goes out; the same statement
   * checks the account's circuit (what AccountCircuit.admit does when it is closed). A probe was
   * admitted already, so it skips that check. `lost`: the reservation expired and someone else took the
   * event, or it is no longer due; the caller moves on to the next one.
   */
  start(event: ClaimedEvent, probe: boolean): Promise<StartResult> {
    return this.steps.submit({ kind: 'start', event, probe }) as Promise<StartResult>;
  }

  /**
   * Appends an attempt and moves the projection, only while this process still holds the event: a
   * dispatcher whose lease expired (and was re-claimed) cannot overwrite the newer claim's state. False
   * when nothing was written (the attempt was recorded already, or the lease is gone).
   */
  async record(attempt: AttemptRecord): Promise<boolean> {
    const recorded = (await this.steps.submit({ kind: 'record', attempt })) as boolean;
    // The wake-up for waiting sync requests follows the commit (see NotificationSender).
    if (attempt.awaited) this.notifications.send(OUTCOME_CHANNEL, attempt.eventId);
    return recorded;
  }

  /** Hands unstarted reservations back at once (shutdown), rather than when they expire. */
  async release(reserved: ClaimedEvent[]): Promise<void> {
    if (reserved.length === 0) return;
    await this.db.query(
      `UPDATE event_status s SET lease_expires_at = NULL
         FROM unnest($1::uuid[], $2::timestamptz[]) AS r (event_id, reservation)
        WHERE s.event_id = r.event_id AND s.lease_owner IS NULL AND s.lease_expires_at = r.reservation`,
      [reserved.map((event) => event.eventId), reserved.map((event) => event.reservation)],
    );
  }

  /**
   * One statement, so one commit, for the steps of a moment. Records go first: an attempt row conflicts
   * only with itself (a retry after a commit whose acknowledgement was lost), and then neither it nor the
   * projection is written again. Starts see the circuits as they were before this statement.
   */
  private async writeSteps(steps: Step[]): Promise<StepResult[]> {
    const records = steps.flatMap((step) => (step.kind === 'record' ? [step.attempt] : []));
    const starts = steps.flatMap((step) => (step.kind === 'start' ? [step] : []));
    const column = <T>(pick: (attempt: AttemptRecord) => T) => records.map(pick);
    const rows: { kind: 'record' | 'start'; event_id: string; blocked: boolean | null; status: EventStatus | null;
      attempts: number | null; transient_failures: number | null; next_trigger: AttemptTrigger | null; replay_id: string | null }[] =
      await this.db.query(
      `WITH rec AS (
         SELECT * FROM unnest($1::uuid[], $2::int[], $3::text[], $4::text[], $5::text[], $6::int[], $7::text[], $8::int[],
                              $9::text[], $10::text[], $11::timestamptz[], $12::int[], $13::timestamptz[], $14::uuid[],
                              $15::int[], $16::text[], $17::bool[])
           AS r(event_id, attempt_number, trigger, outcome, resulting_status, http_status, clevertap_status, targets,
                error, error_code, started_at, latency_ms, next_attempt_at, replay_id, transient_failures, account_id, closes)
       ), attempt AS (
         INSERT INTO dispatch_attempts
           (event_id, attempt_number, trigger, outcome, resulting_status, http_status, clevertap_status, targets,
            error, error_code, started_at, latency_ms, next_attempt_at, replay_id)
         SELECT event_id, attempt_number, trigger, outcome, resulting_status, http_status, clevertap_status, targets,
                error, error_code, started_at, latency_ms, next_attempt_at, replay_id
           FROM rec
         ON CONFLICT (event_id, attempt_number) DO NOTHING
         RETURNING event_id
       ), projected AS (
         UPDATE event_status s
            SET status = rec.resulting_status, attempts = rec.attempt_number, transient_failures = rec.transient_failures,
                next_attempt_at = rec.next_attempt_at, next_trigger = NULL, lease_owner = NULL, lease_expires_at = NULL,
                updated_at = now()
           FROM rec JOIN attempt ON attempt.event_id = rec.event_id
          WHERE s.event_id = rec.event_id AND s.lease_owner = $18
         RETURNING s.event_id
       ), closed AS (
         ${closeCircuitsStatement('(SELECT account_id FROM rec WHERE closes)')}
       ), st AS (
         SELECT * FROM unnest($19::uuid[], $20::text[], $21::timestamptz[], $22::bool[]) AS t(event_id, account_id, reservation, probe)
       ), gate AS (
         SELECT st.*, EXISTS (SELECT 1 FROM account_circuits c WHERE c.account_id = st.account_id AND c.state <> 'closed') AS blocked
           FROM st
       ), started AS (
         UPDATE event_status s
            SET lease_owner = $18, lease_expires_at = now() + make_interval(secs => $23 / 1000.0)
           FROM gate
          WHERE s.event_id = gate.event_id AND s.lease_owner IS NULL AND s.lease_expires_at = gate.reservation
            AND s.status IN ('queued', 'retrying') AND (gate.probe OR NOT gate.blocked)
         RETURNING s.event_id, s.status, s.attempts, s.transient_failures, s.next_trigger, s.replay_id
       )
       SELECT 'start' AS kind, gate.event_id::text, gate.blocked, started.status, started.attempts, started.transient_failures,
              started.next_trigger, started.replay_id
         FROM gate LEFT JOIN started ON started.event_id = gate.event_id
       UNION ALL
       SELECT 'record', event_id::text, NULL, NULL, NULL, NULL, NULL, NULL FROM projected
       UNION ALL
       SELECT 'closed', account_id, NULL, NULL, NULL, NULL, NULL, NULL FROM closed`,
      [
        column((a) => a.eventId),
        column((a) => a.attemptNumber),
        column((a) => a.trigger),
        column((a) => a.outcome),
        column((a) => a.resultingStatus),
        column((a) => a.httpStatus ?? null),
        // CleverTap's (or a proxy's) text: a NUL in it must not lose the attempt, nor the others of the batch.
        column((a) => storableOrNull(a.clevertapStatus)),
        column((a) => a.targets ?? null),
        column((a) => storableOrNull(a.error)),
        column((a) => storableOrNull(a.errorCode)),
        column((a) => a.startedAt),
        column((a) => a.latencyMs),
        column((a) => a.nextAttemptAt ?? null),
        column((a) => a.replayId),
        column((a) => a.transientFailures),
        column((a) => a.accountId),
        column((a) => a.closesCircuit),
        this.owner,
        starts.map((s) => s.event.eventId),
        starts.map((s) => s.event.accountId),
        starts.map((s) => s.event.reservation),
        starts.map((s) => s.probe),
        this.leaseMs,
      ],
    );
    const recorded = new Set(rows.filter((row) => row.kind === 'record').map((row) => row.event_id));
    const startRows = new Map(rows.filter((row) => row.kind === 'start').map((row) => [row.event_id, row]));
    return steps.map((step) => {
      if (step.kind === 'record') return recorded.has(step.attempt.eventId);
      const row = startRows.get(step.event.eventId)!;
      if (row.status === null) return { started: false, reason: row.blocked && !step.probe ? 'blocked' : 'lost' };
      // The row as it is now: only a lease owner changes these, but the reservation may be old.
      return {
        started: true,
        event: {
          ...step.event,
          status: row.status,
          attempts: row.attempts!,
          transientFailures: row.transient_failures!,
          nextTrigger: row.next_trigger,
          replayId: row.replay_id,
        },
      };
    });
  }

  /** The partner's events queued or retrying, on every account. */
  async pendingOf(partnerId: string): Promise<number> {
    const rows: { n: number }[] = await this.db.query(
      `SELECT count(*)::int AS n FROM event_status WHERE partner_id = $1 AND status IN ('queued', 'retrying')`,
      [partnerId],
    );
    return rows[0].n;
  }

  async backlogs(): Promise<AccountBacklog[]> {
    const rows: { account_id: string; queue_depth: number; in_flight: number; oldest: number }[] = await this.db.query(
      `SELECT s.account_id,
              count(*)::int AS queue_depth,
              count(*) FILTER (WHERE s.lease_owner IS NOT NULL AND s.lease_expires_at > now())::int AS in_flight,
              extract(epoch FROM now() - min(e.received_at))::float AS oldest
         FROM event_status s JOIN bulletin_events e ON e.id = s.event_id
        WHERE s.status IN ('queued', 'retrying')
        GROUP BY s.account_id`,
    );
    return rows.map((row) => ({
      accountId: row.account_id,
      queueDepth: row.queue_depth,
      inFlight: row.in_flight,
      oldestQueuedAgeSeconds: row.oldest,
    }));
  }

  /** Events queued, retrying or parked as uncertain, by account, partner, lane and status (for the metrics). */
  async lines(): Promise<QueueLine[]> {
    const rows: { account_id: string; partner_id: string; lane: Lane; status: EventStatus; events: number; oldest_age_seconds: number }[] =
      await this.db.query(
        `SELECT s.account_id, s.partner_id, s.lane, s.status, count(*)::int AS events,
                extract(epoch FROM now() - min(e.received_at))::float8 AS oldest_age_seconds
           FROM event_status s JOIN bulletin_events e ON e.id = s.event_id
          WHERE s.status IN ('queued', 'retrying', 'uncertain')
          GROUP BY s.account_id, s.partner_id, s.lane, s.status`,
      );
    return rows.map((row) => ({
      accountId: row.account_id,
      partnerId: row.partner_id,
      lane: row.lane,
      status: row.status,
      events: row.events,
      oldestAgeSeconds: row.oldest_age_seconds,
    }));
  }

  /**
   * Proves the projection: rebuilds it from the log in a query and lists (up to `limit`) the events
   * where the live projection says something else or has no row.
   */
  async compareWithLog(limit = 1000): Promise<{ differences: ProjectionDifference[]; events: number }> {
    const differences: ProjectionDifference[] = await this.db.query(
      `WITH derived AS (${DERIVED_STATUS})
       SELECT COALESCE(d.id, s.event_id) AS event_id, s.status AS live_status, d.status AS derived_status,
              s.attempts AS live_attempts, d.attempts AS derived_attempts
         FROM derived d FULL JOIN event_status s ON s.event_id = d.id
        WHERE s.event_id IS NULL OR d.id IS NULL OR s.status <> d.status OR s.attempts <> d.attempts
        LIMIT $1`,
      [limit],
    );
    const [{ events }]: { events: number }[] = await this.db.query('SELECT count(*)::int AS events FROM bulletin_events');
    return { differences, events };
  }

  /**
   * Rewrites the projection rows that differ from the log; returns how many. Pending events become due
   * at once and leases are dropped, so run it while no gateway is dispatching (a repair, not a routine).
   */
  async repairFromLog(): Promise<number> {
    const rows: unknown[] = await this.db.query(
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
}
