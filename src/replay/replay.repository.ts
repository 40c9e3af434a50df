import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { EVENT_SOURCE, type EventSummary, SUMMARY_COLUMNS, type SummaryRow, toSummary } from '../event-log/event-summary.js';
import { QUEUED_CHANNEL, requeueStatement } from '../dispatch/dispatch-queue.js';
import { eventConditions } from '../event-log/event-conditions.js';
import type { EventFilter } from '../event-log/event-filter.dto.js';
import type { EventStatus } from '../event-log/event-status.js';
import { isUuid } from '../common/uuid.js';
import { GatewayError } from '../common/gateway.error.js';

export interface ReplayScope {
  filter: EventFilter;
  includeUncertain: boolean;
  force: boolean;
}

export interface ReplayPreview {
  matched: number;
  will_queue: number;
  already_pending: number;
  skipped_uncertain: number;
  skipped_sent: number;
  /** Events that would be queued but whose payload was erased: nothing is left to send. */
  skipped_erased: number;
  sample: EventSummary[];
}

export interface ReplayProgress {
  id: string;
  requested_by: string;
  reason: string;
  filter: EventFilter;
  requested_at: string;
  matched: number;
  queued: number;
  sent: number;
  failed: number;
  pending: number;
  done: boolean;
}

interface ProgressRow {
  id: string;
  requested_by_name: string;
  reason: string;
  filter: EventFilter;
  requested_at: Date;
  matched: number;
  queued: number;
  sent: number;
  failed: number;
  pending: number;
}

const SAMPLE_SIZE = 10;
export const REPLAY_LOCK_KEY = 0x7265706c; // "repl"

/** The statuses a replay may put back in the queue. Pending events are never queued twice. */
export function replayableStatuses(scope: Pick<ReplayScope, 'includeUncertain' | 'force'>): EventStatus[] {
  return ['failed', 'exhausted', ...(scope.includeUncertain ? (['uncertain'] as const) : []), ...(scope.force ? (['sent'] as const) : [])];
}

@Injectable()
export class ReplayRepository {
  constructor(private readonly db: DataSource) {}

  async preview(scope: ReplayScope): Promise<ReplayPreview> {
    const conditions = eventConditions(scope.filter);
    const counts: { status: EventStatus; n: number; erased: number }[] = await this.db.query(
      `SELECT s.status, count(*)::int AS n, count(*) FILTER (WHERE e.payload IS NULL)::int AS erased
         FROM ${EVENT_SOURCE} ${conditions.where} GROUP BY s.status`,
      conditions.params,
    );
    const count = (...statuses: EventStatus[]) => counts.filter((c) => statuses.includes(c.status)).reduce((sum, c) => sum + c.n, 0);
    const eligible = replayableStatuses(scope);
    const erased = counts.filter((c) => eligible.includes(c.status)).reduce((sum, c) => sum + c.erased, 0);
    conditions.add((p) => `s.status = ANY(${p})`, eligible);
    conditions.add((p) => `(e.payload IS NULL) = ${p}::boolean`, false);
    const sample = await this.db.query<SummaryRow[]>(
      `SELECT ${SUMMARY_COLUMNS} FROM ${EVENT_SOURCE} ${conditions.where} ORDER BY e.position LIMIT ${SAMPLE_SIZE}`,
      conditions.params,
    );
    return {
      matched: count('queued', 'retrying', 'sent', 'failed', 'exhausted', 'uncertain'),
      will_queue: count(...eligible) - erased,
      already_pending: count('queued', 'retrying'),
      skipped_uncertain: scope.includeUncertain ? 0 : count('uncertain'),
      skipped_sent: scope.force ? 0 : count('sent'),
      skipped_erased: erased,
      sample: sample.map(toSummary),
    };
  }

  /**
   * Records the replay and re-queues its events in one statement. The UPDATE re-checks each row's
   * status under its row lock, so of two overlapping replays only one queues a given event, and a
   * replay run twice queues nothing that is still pending.
   */
  async requeue(scope: ReplayScope, requestedBy: { id: string; name: string }, reason: string): Promise<{ id: string; matched: number; queued: number }> {
    const id = randomUUID();
    const conditions = eventConditions(scope.filter);
    const p = (value: unknown) => {
      conditions.params.push(value);
      return `$${conditions.params.length}`;
    };
    // Replays take turns: two with different filters would lock rows in different orders and deadlock.
    const [row] = await this.db.transaction(async (tx): Promise<{ matched: number; requeued: number }[]> => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [REPLAY_LOCK_KEY]);
      const statuses = p(replayableStatuses(scope));
      const rows = await tx.query(
      `WITH matched AS (SELECT e.id, e.payload IS NULL AS erased, s.status FROM ${EVENT_SOURCE} ${conditions.where}),
       requeued AS (${requeueStatement({ matched: '(SELECT id FROM matched WHERE NOT erased)', replayId: p(id), statuses })}),
       items AS (INSERT INTO replay_items (replay_id, event_id) SELECT ${p(id)}, event_id FROM requeued RETURNING 1),
       request AS (
         INSERT INTO replay_requests (id, requested_by, requested_by_name, reason, filter, include_uncertain, force_resend, matched, requeued)
         VALUES (${p(id)}, ${p(requestedBy.id)}, ${p(requestedBy.name)}, ${p(reason)}, ${p(JSON.stringify(scope.filter))},
                 ${p(scope.includeUncertain)}, ${p(scope.force)}, (SELECT count(*) FROM matched), (SELECT count(*) FROM requeued))
         RETURNING matched, requeued
       )
       SELECT request.matched, request.requeued, (SELECT count(*) FROM items) AS items,
              (SELECT count(*)::int FROM matched WHERE erased AND status = ANY(${statuses})) AS erased,
              (SELECT count(pg_notify('${QUEUED_CHANNEL}', account_id)) FROM (SELECT DISTINCT account_id FROM requeued) a) AS woken
         FROM request`,
      conditions.params,
      );
      // Refused, recording nothing, when every event it would send was erased.
      if (Number(rows[0].requeued) === 0 && rows[0].erased > 0)
        throw new GatewayError(
          'payload_erased',
          409,
          `The ${rows[0].erased} event(s) this replay would send had their payloads erased: nothing is left to send, nothing was queued`,
        );
      return rows;
    });
    return { id, matched: row.matched, queued: row.requeued };
  }

  async progress(id: string): Promise<ReplayProgress | undefined> {
    if (!isUuid(id)) return undefined;
    const [row]: ProgressRow[] = await this.db.query(
      `SELECT r.id, r.requested_by_name, r.reason, r.filter, r.requested_at, r.matched,
              count(i.event_id)::int AS queued,
              count(*) FILTER (WHERE s.status = 'sent')::int AS sent,
              count(*) FILTER (WHERE s.status IN ('failed', 'exhausted', 'uncertain'))::int AS failed,
              count(*) FILTER (WHERE s.status IN ('queued', 'retrying'))::int AS pending
         FROM replay_requests r
         LEFT JOIN replay_items i ON i.replay_id = r.id
         LEFT JOIN event_status s ON s.event_id = i.event_id
        WHERE r.id = $1
        GROUP BY r.id`,
      [id],
    );
    if (!row) return undefined;
    return {
      id: row.id,
      requested_by: row.requested_by_name,
      reason: row.reason,
      filter: row.filter,
      requested_at: row.requested_at.toISOString(),
      matched: row.matched,
      queued: row.queued,
      sent: row.sent,
      failed: row.failed,
      pending: row.pending,
      done: row.pending === 0,
    };
  }
}
