import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { BulletinPayload } from '../event-log/bulletin-payload.js';
import type { AttemptTrigger, EventStatus } from '../event-log/event-status.js';

/**
 * An event this process holds. Until `start` succeeds it is only reserved: the row carries a lease with
 * no owner, so other processes leave it alone, and if this process dies the lease simply expires and
 * the event is sent by whoever takes it next. Starting it names this process as the lease owner, and
 * an owned lease that expires means CleverTap may have the request (an abandoned attempt).
 */
export interface ClaimedEvent {
  eventId: string;
  accountId: string;
  status: EventStatus;
  attempts: number;
  transientFailures: number;
  payload: BulletinPayload;
  /** Set by a replay: the next attempt is recorded as a replay and linked to it. */
  nextTrigger: AttemptTrigger | null;
  replayId: string | null;
  /** The previous lease expired unreleased: a process died mid-attempt, so CleverTap may have it. */
  abandonedByDeadProcess: boolean;
  /** The reservation's expiry, as Postgres wrote it: it tells our reservation from a later one. */
  reservation: string;
}

/** `blocked`: the account's circuit is not closed, so only a probe admitted by AccountCircuit may start. */
export type StartResult = { started: true; event: ClaimedEvent } | { started: false; reason: 'blocked' | 'lost' };

/** One account's pending events as the whole fleet sees them. */
export interface AccountBacklog {
  accountId: string;
  queueDepth: number;
  /** Leases held now, across every gateway process. */
  inFlight: number;
  oldestQueuedAgeSeconds: number;
}

/** The dispatch queue is the `event_status` projection: due rows are reserved, then started one by one. */
@Injectable()
export class DispatchQueue {
  constructor(private readonly db: DataSource) {}

  /**
   * Reserves up to `limit` due events of the account, oldest first, in one query. An event whose owned
   * lease expired is leased to this process at once (it was perhaps sent, and is only to be recorded as
   * such): a mere reservation would erase that evidence if this process died too.
   */
  async reserve(accountId: string, owner: string, leaseMs: number, limit: number): Promise<ClaimedEvent[]> {
    const [rows] = await this.db.query(
      `WITH due AS (
         SELECT event_id, lease_owner AS previous_owner FROM event_status
          WHERE account_id = $1 AND status IN ('queued', 'retrying') AND next_attempt_at <= now()
            AND (lease_expires_at IS NULL OR lease_expires_at < now())
          ORDER BY next_attempt_at
          LIMIT $4
          FOR UPDATE SKIP LOCKED
       )
       UPDATE event_status s
          SET lease_owner = CASE WHEN due.previous_owner IS NOT NULL THEN $2 END,
              lease_expires_at = now() + make_interval(secs => $3 / 1000.0)
         FROM due, bulletin_events e
        WHERE s.event_id = due.event_id AND e.id = s.event_id
       RETURNING s.event_id, s.account_id, s.status, s.attempts, s.transient_failures, e.payload, s.next_trigger, s.replay_id,
                 s.next_attempt_at, s.lease_expires_at::text AS reservation, due.previous_owner IS NOT NULL AS abandoned`,
      [accountId, owner, leaseMs, limit],
    );
    // RETURNING has no order; the queue's is next_attempt_at (a stable sort keeps ties as they came).
    return (rows as Record<string, any>[])
      .sort((a, b) => a.next_attempt_at.getTime() - b.next_attempt_at.getTime())
      .map((row) => ({
        eventId: row.event_id,
        accountId: row.account_id,
        status: row.status,
        attempts: row.attempts,
        transientFailures: row.transient_failures,
        payload: row.payload,
        nextTrigger: row.next_trigger,
        replayId: row.replay_id,
        abandonedByDeadProcess: row.abandoned,
        reservation: row.reservation,
      }));
  }

  /**
   * Turns a reservation into this process's lease just before the request goes out, in one round trip
   * that also checks the account's circuit (what AccountCircuit.admit does when it is closed). A probe
   * was admitted already, so it skips that check. `lost`: the reservation expired and someone else took
   * the event, or it is no longer due; the caller moves on to the next one.
   */
  async start(event: ClaimedEvent, owner: string, leaseMs: number, probe: boolean): Promise<StartResult> {
    const [row] = await this.db.query(
      `WITH circuit AS (
         SELECT EXISTS (SELECT 1 FROM account_circuits WHERE account_id = $2 AND state <> 'closed') AS blocked
       ), started AS (
         UPDATE event_status s
            SET lease_owner = $3, lease_expires_at = now() + make_interval(secs => $4 / 1000.0)
           FROM circuit
          WHERE s.event_id = $1 AND s.lease_owner IS NULL AND s.lease_expires_at = $5::timestamptz
            AND s.status IN ('queued', 'retrying') AND ($6 OR NOT circuit.blocked)
         RETURNING s.status, s.attempts, s.transient_failures, s.next_trigger, s.replay_id
       )
       SELECT circuit.blocked, started.* FROM circuit LEFT JOIN started ON true`,
      [event.eventId, event.accountId, owner, leaseMs, event.reservation, probe],
    );
    if (row.status === null) return { started: false, reason: row.blocked && !probe ? 'blocked' : 'lost' };
    // The row as it is now: only a lease owner changes these, but the reservation may be old.
    return {
      started: true,
      event: {
        ...event,
        status: row.status,
        attempts: row.attempts,
        transientFailures: row.transient_failures,
        nextTrigger: row.next_trigger,
        replayId: row.replay_id,
      },
    };
  }

  /**
   * Turns a started event that was not sent back into a reservation of this process (a new one, as
   * reservations are told apart by their expiry). Undefined when the lease is no longer this process's.
   */
  async unstart(event: ClaimedEvent, owner: string, leaseMs: number): Promise<ClaimedEvent | undefined> {
    const [rows] = await this.db.query(
      `UPDATE event_status
          SET lease_owner = NULL, lease_expires_at = now() + make_interval(secs => $3 / 1000.0)
        WHERE event_id = $1 AND lease_owner = $2 AND status IN ('queued', 'retrying')
       RETURNING lease_expires_at::text AS reservation`,
      [event.eventId, owner, leaseMs],
    );
    return rows.length > 0 ? { ...event, reservation: rows[0].reservation } : undefined;
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
}
