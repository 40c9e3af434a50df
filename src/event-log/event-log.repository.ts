import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { NotificationSender } from '../database/notification-sender.js';
import { enqueueStatement, QUEUED_CHANNEL } from '../dispatch/dispatch-queue.js';
import type { BulletinPayload } from './bulletin-payload.js';
import { GatewayError } from '../common/gateway.error.js';
import { findUnstorableText } from '../common/untrusted-json.js';
import { GroupCommit, isCausedByRow } from './group-commit.js';
import type { EventStatus } from './event-status.js';
import type { SpanContext } from '@opentelemetry/api';
import { tracedAppend, tracedInsert } from '../tracing/event-tracing.js';

export interface NewEvent {
  partnerId: string;
  accountId: string;
  payload: BulletinPayload;
  payloadSha256: string;
  idempotencyKey?: string;
  requestId: string;
  /** The W3C traceparent of the ingest span, when the request was traced; not part of the audit record. */
  traceparent?: string;
}

/** An event on its way into a group commit; `span` is its request's append span, when traced. */
type PendingEvent = NewEvent & { id: string; span?: SpanContext };

export interface IdempotentMatch {
  eventId: string;
  payloadSha256: string;
  /** When the event was stored, to the millisecond (what a receipt states). */
  receivedAt: Date;
}

export type AppendResult = { appended: true; eventId: string; receivedAt: Date } | { appended: false; existing: IdempotentMatch };

/**
 * The receive time to the millisecond as Postgres truncates it: pg's own parsing of microseconds goes
 * through floating point and can land a millisecond short.
 */
const RECEIVED_MS = `to_char(received_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** The event's current status and, when it has one, the attempt that set it. */
export interface CurrentOutcome {
  eventId: string;
  status: EventStatus;
  receivedAt: Date;
  httpStatus: number | null;
  clevertapStatus: string | null;
  targets: number | null;
  error: string | null;
  errorCode: string | null;
  attempts: number;
}

interface OutcomeRow {
  event_id: string;
  status: EventStatus;
  attempts: number;
  received_at: Date;
  http_status: number | null;
  clevertap_status: string | null;
  targets: number | null;
  error: string | null;
  error_code: string | null;
}

function unstorableEvent(event: NewEvent): GatewayError {
  const reason = findUnstorableText(event.payload) ?? 'a value of the bulletin cannot be stored';
  return new GatewayError('unstorable_event', 400, `The bulletin was not accepted: ${reason}`);
}

/**
 * maxBatch bounds a statement's size. One batch at a time: the commits' WAL flushes are what ingest
 * waits on, and batches written side by side only queue behind each other's flushes (the bench's A/B of
 * 1, 2, 4 and 8 batches in flight is in docs/performance.md).
 */
const GROUP_COMMIT = { maxBatch: 200, maxInFlight: 1, retryAlone: isCausedByRow };

@Injectable()
export class EventLogRepository {
  private readonly appends = new GroupCommit<PendingEvent, Date | undefined>((events) => this.insertBatch(events), GROUP_COMMIT);

  constructor(
    private readonly db: DataSource,
    private readonly notifications: NotificationSender,
  ) {}

  /**
   * Appends an accepted event and queues it, committed (with the others of its group) before this
   * returns. With an idempotency key already used by this partner, nothing is written and the earlier
   * event is returned instead; the unique index settles concurrent requests with one key.
   */
  async append(event: NewEvent): Promise<AppendResult> {
    const eventId = randomUUID();
    let receivedAt: Date | undefined;
    try {
      receivedAt = await tracedAppend(eventId, (span) => this.appends.submit({ ...event, id: eventId, span }));
    } catch (error) {
      // Validation should have refused it; if Postgres still did, only this request fails, with a 400.
      if (isCausedByRow(error)) throw unstorableEvent(event);
      throw error;
    }
    if (receivedAt) return { appended: true, eventId, receivedAt };
    return { appended: false, existing: await this.findByIdempotencyKey(event.partnerId, event.idempotencyKey!) };
  }

  /**
   * One statement, so one implicit transaction: the events and their queue rows (the dispatch queue's
   * enqueueStatement); once it has committed,
   * a NOTIFY wakes other gateway processes (see NotificationSender). Returns, per event, when it was
   * stored, or undefined when it was not (its idempotency key was taken, by an earlier request or by
   * another event of the same batch).
   */
  private async insertBatch(events: PendingEvent[]): Promise<(Date | undefined)[]> {
    const column = <T>(pick: (event: PendingEvent) => T) => events.map(pick);
    const statement = () => this.db.query(
      `WITH input AS (
         SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::jsonb[], $6::text[], $7::text[], $8::text[], $9::text[])
                  WITH ORDINALITY AS t(id, partner_id, account_id, business_event, payload, payload_sha256, idempotency_key, request_id, traceparent, ord)
       ), inserted AS (
         INSERT INTO bulletin_events
           (id, partner_id, account_id, business_event, payload, payload_sha256, idempotency_key, request_id, traceparent)
         SELECT id, partner_id, account_id, business_event, payload, payload_sha256, idempotency_key, request_id, traceparent
           FROM input ORDER BY ord
         ON CONFLICT (partner_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
         RETURNING id, account_id, ${RECEIVED_MS} AS received_ms
       ), queued AS (
         ${enqueueStatement('inserted')}
       )
       SELECT q.event_id, q.account_id, i.received_ms FROM queued q JOIN inserted i ON i.id = q.event_id`,
      [
        column((e) => e.id),
        column((e) => e.partnerId),
        column((e) => e.accountId),
        column((e) => e.payload.business_event),
        column((e) => JSON.stringify(e.payload)),
        column((e) => e.payloadSha256),
        column((e) => e.idempotencyKey ?? null),
        column((e) => e.requestId),
        column((e) => e.traceparent ?? null),
      ],
    );
    const rows: { event_id: string; account_id: string; received_ms: string }[] = await tracedInsert(
      events.map((event) => event.span),
      statement,
    );
    for (const accountId of new Set(rows.map((row) => row.account_id))) this.notifications.send(QUEUED_CHANNEL, accountId);
    const inserted = new Map(rows.map((row) => [row.event_id, new Date(row.received_ms)]));
    return events.map((event) => inserted.get(event.id));
  }

  private async findByIdempotencyKey(partnerId: string, key: string): Promise<IdempotentMatch> {
    const [row] = await this.db.query<{ id: string; payload_sha256: string; received_ms: string }[]>(
      `SELECT id, payload_sha256, ${RECEIVED_MS} AS received_ms FROM bulletin_events WHERE partner_id = $1 AND idempotency_key = $2`,
      [partnerId, key],
    );
    return { eventId: row.id, payloadSha256: row.payload_sha256, receivedAt: new Date(row.received_ms) };
  }

  async currentOutcome(eventId: string): Promise<CurrentOutcome | undefined> {
    const [row] = await this.db.query<OutcomeRow[]>(
      `SELECT s.event_id, s.status, s.attempts, e.received_at,
              a.http_status, a.clevertap_status, a.targets, a.error, a.error_code
         FROM event_status s
         JOIN bulletin_events e ON e.id = s.event_id
         LEFT JOIN LATERAL (
           SELECT * FROM dispatch_attempts WHERE event_id = s.event_id ORDER BY attempt_number DESC LIMIT 1
         ) a ON true
        WHERE s.event_id = $1`,
      [eventId],
    );
    if (!row) return undefined;
    return {
      eventId: row.event_id,
      status: row.status,
      receivedAt: row.received_at,
      attempts: row.attempts,
      httpStatus: row.http_status,
      clevertapStatus: row.clevertap_status,
      targets: row.targets,
      error: row.error,
      errorCode: row.error_code,
    };
  }
}
