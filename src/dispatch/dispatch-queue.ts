import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { BulletinPayload } from '../event-log/bulletin-payload.js';
import type { AttemptTrigger, EventStatus } from '../event-log/event-status.js';

/** An event this process has leased for one upstream attempt. */
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
}

/** The dispatch queue is the `event_status` projection: due rows are claimed with a lease. */
@Injectable()
export class DispatchQueue {
  constructor(private readonly db: DataSource) {}

  async claimNext(accountId: string, owner: string, leaseMs: number): Promise<ClaimedEvent | undefined> {
    const [rows] = await this.db.query(
      `WITH due AS (
         SELECT event_id, lease_owner AS previous_owner FROM event_status
          WHERE account_id = $1 AND status IN ('queued', 'retrying') AND next_attempt_at <= now()
            AND (lease_expires_at IS NULL OR lease_expires_at < now())
          ORDER BY next_attempt_at
          LIMIT 1
          FOR UPDATE SKIP LOCKED
       )
       UPDATE event_status s
          SET lease_owner = $2, lease_expires_at = now() + make_interval(secs => $3 / 1000.0)
         FROM due, bulletin_events e
        WHERE s.event_id = due.event_id AND e.id = s.event_id
       RETURNING s.event_id, s.account_id, s.status, s.attempts, s.transient_failures, e.payload, s.next_trigger, s.replay_id,
                 due.previous_owner IS NOT NULL AS abandoned`,
      [accountId, owner, leaseMs],
    );
    const row = rows[0];
    if (!row) return undefined;
    return {
      eventId: row.event_id,
      accountId: row.account_id,
      status: row.status,
      attempts: row.attempts,
      transientFailures: row.transient_failures,
      payload: row.payload,
      nextTrigger: row.next_trigger,
      replayId: row.replay_id,
      abandonedByDeadProcess: row.abandoned,
    };
  }
}
