import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { GatewayError } from '../common/gateway.error.js';
import { eventConditions, type EventFilter, type EventListQuery, LAST_ATTEMPT_JOIN } from '../event-log/event-filter.js';
import { EVENT_STATUSES, type EventStatus } from '../event-log/event-status.js';

export interface EventSummary {
  id: string;
  position: number;
  partner_id: string;
  partner_name: string;
  account_id: string;
  business_event: string;
  name: string;
  status: string;
  attempts: number;
  received_at: string;
  request_id: string;
  idempotency_key: string | null;
  last_error: string | null;
}

export interface EventPage {
  data: EventSummary[];
  next_cursor: string | null;
}

const DEFAULT_LIMIT = 50;

/** The columns every listing and export shows, over `bulletin_events e`, `event_status s`, `partners p`, `a`. */
export const SUMMARY_COLUMNS = `e.id, e.position, e.partner_id, p.name AS partner_name, e.account_id, e.business_event,
  e.payload->>'name' AS name, s.status, s.attempts, e.received_at, e.request_id, e.idempotency_key, a.error AS last_error`;

export const EVENT_SOURCE = `bulletin_events e
  JOIN event_status s ON s.event_id = e.id
  JOIN partners p ON p.id = e.partner_id
  ${LAST_ATTEMPT_JOIN}`;

/**
 * Newest first, paged by log position: new events get higher positions, so they never shift the pages
 * a reader is walking through.
 */
@Injectable()
export class EventAuditRepository {
  constructor(private readonly db: DataSource) {}

  async list(query: EventListQuery, onlyPartner?: string): Promise<EventPage> {
    const limit = query.limit ?? DEFAULT_LIMIT;
    const conditions = eventConditions(query, onlyPartner);
    if (query.cursor) conditions.add((p) => `e.position < ${p}`, decodeCursor(query.cursor));
    const rows = await this.db.query(
      `SELECT ${SUMMARY_COLUMNS} FROM ${EVENT_SOURCE} ${conditions.where} ORDER BY e.position DESC LIMIT ${limit + 1}`,
      conditions.params,
    );
    const page = rows.slice(0, limit).map(toSummary);
    return { data: page, next_cursor: rows.length > limit ? encodeCursor(page[page.length - 1].position) : null };
  }

  /** How many events match the filter in each status (the status filter itself is ignored). */
  async countByStatus(filter: EventFilter, onlyPartner?: string): Promise<{ counts: Record<EventStatus, number>; total: number }> {
    const conditions = eventConditions({ ...filter, status: undefined }, onlyPartner);
    const rows: { status: EventStatus; n: number }[] = await this.db.query(
      `SELECT s.status, count(*)::int AS n FROM ${EVENT_SOURCE} ${conditions.where} GROUP BY s.status`,
      conditions.params,
    );
    const counts = Object.fromEntries(EVENT_STATUSES.map((status) => [status, 0])) as Record<EventStatus, number>;
    for (const row of rows) counts[row.status] = row.n;
    return { counts, total: rows.reduce((sum, row) => sum + row.n, 0) };
  }

  /** The received payload and the whole timeline, or undefined (also for another partner's event). */
  async findWithTimeline(eventId: string, onlyPartner?: string): Promise<Record<string, unknown> | undefined> {
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(eventId)) return undefined;
    const conditions = eventConditions({}, onlyPartner);
    conditions.add((p) => `e.id = ${p}`, eventId);
    const [event] = await this.db.query(
      `SELECT ${SUMMARY_COLUMNS}, e.payload, e.payload_sha256,
              (SELECT jsonb_build_object('position', c.position, 'hash', c.hash) FROM audit_chain c
                WHERE c.entry_kind = 'event' AND c.entry_ref = e.position) AS chain
         FROM ${EVENT_SOURCE} ${conditions.where}`,
      conditions.params,
    );
    if (!event) return undefined;
    const attempts = await this.db.query(
      `SELECT attempt_number, trigger, outcome, resulting_status, http_status, clevertap_status, targets, error,
              error_code, started_at, latency_ms, next_attempt_at, recorded_at, replay_id
         FROM dispatch_attempts WHERE event_id = $1 ORDER BY attempt_number`,
      [eventId],
    );
    const replays = await this.db.query(
      `SELECT r.id AS replay_id, r.requested_by_name AS requested_by, r.reason, r.force_resend, r.include_uncertain, i.queued_at
         FROM replay_items i JOIN replay_requests r ON r.id = i.replay_id
        WHERE i.event_id = $1`,
      [eventId],
    );
    const { payload, payload_sha256, chain, ...summary } = event;
    const timeline = [
      { type: 'received', at: iso(event.received_at), request_id: event.request_id, partner: event.partner_name },
      ...attempts.map((attempt: Record<string, unknown>) => ({ type: 'attempt', at: iso(attempt.started_at), ...attempt })),
      ...replays.map((replay: Record<string, unknown>) => ({ type: 'replay_requested', at: iso(replay.queued_at), ...replay })),
    ].sort((a, b) => String(a.at).localeCompare(String(b.at)));
    return { ...toSummary(summary), payload, payload_sha256, chain, timeline };
  }
}

function toSummary(row: Record<string, any>): EventSummary {
  return { ...row, position: Number(row.position), received_at: iso(row.received_at) } as EventSummary;
}

const iso = (value: unknown) => (value instanceof Date ? value.toISOString() : (value as string));

export function encodeCursor(position: number): string {
  return Buffer.from(JSON.stringify({ before: position })).toString('base64url');
}

/** A cursor is opaque to clients; anything that is not one we issued is a 400, not a 500. */
export function decodeCursor(cursor: string): number {
  try {
    const { before } = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Number.isSafeInteger(before) && before > 0) return before;
  } catch {
    // fall through
  }
  throw new GatewayError('invalid_cursor', 400, 'cursor is not valid: use next_cursor from a previous page');
}
