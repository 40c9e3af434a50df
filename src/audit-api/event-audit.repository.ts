import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { decodeCursor, encodeCursor } from '../common/page-cursor.js';
import { eventConditions, LAST_ATTEMPT_JOIN, type SqlConditions } from '../event-log/event-conditions.js';
import { EVENT_JOINS, EVENT_SOURCE, type EventSummary, SUMMARY_COLUMNS, type SummaryRow, toSummary } from '../event-log/event-summary.js';
import type { EventFilter, EventListQuery } from '../event-log/event-filter.dto.js';
import { EVENT_STATUSES, type EventStatus } from '../event-log/event-status.js';
import { isUuid } from '../common/uuid.js';

export interface EventPage {
  data: EventSummary[];
  next_cursor: string | null;
}

const DEFAULT_LIMIT = 50;

/**
 * A time window is turned into the span of log positions its events have (exact: read from the
 * (received_at, position) index alone), so the position-ordered indexes are walked only inside it. In a
 * time-ordered log a past window's events are bunched together, which the planner cannot know: without
 * the span it walks every newer event first. Reading the span costs about half as much per event as
 * walking past one, so it is read when the window (estimated from the positions at its ends) holds
 * fewer events than twice those the walk would pass, or fewer than this floor.
 */
const WINDOW_SPAN_FLOOR = 100_000;

/** Positions bounding a window's events: the lowest when it has a start, the highest when it has an end. */
type WindowSpan = { first?: number; last?: number } | 'empty' | undefined;

/**
 * Newest first, paged by log position: new events get higher positions, so they never shift the pages
 * a reader is walking through.
 */
@Injectable()
export class EventAuditRepository {
  constructor(private readonly db: DataSource) {}

  /**
   * The page's positions come from one table's indexes: with a status, from the projection's
   * (status, [partner | account | business event,] position); otherwise from the log's. Only the page's
   * rows are then joined for display.
   */
  async list(query: EventListQuery, onlyPartner?: string): Promise<EventPage> {
    const limit = query.limit ?? DEFAULT_LIMIT;
    const before = query.cursor ? decodeCursor(query.cursor) : undefined;
    const span = await this.windowSpan(query, before);
    if (span === 'empty') return { data: [], next_cursor: null };
    const byStatus = query.status !== undefined;
    const position = byStatus ? 's.event_position' : 'e.position';
    const conditions = eventConditions(query, onlyPartner, byStatus ? 'projection' : 'log');
    // Bounds on both sides of the join: either one may be walked in position order.
    const sides = byStatus ? ['s.event_position', 'e.position'] : ['e.position'];
    for (const side of sides) {
      if (before !== undefined) conditions.add((p) => `${side} < ${p}`, before);
      boundPositions(conditions, side, span);
    }
    const source = byStatus
      ? 'event_status s JOIN bulletin_events e ON e.position = s.event_position'
      : 'bulletin_events e JOIN event_status s ON s.event_id = e.id';
    const rows = await this.db.query<SummaryRow[]>(
      `SELECT ${SUMMARY_COLUMNS}
         FROM (SELECT ${position} AS position FROM ${source} ${readsLastAttempt(query) ? LAST_ATTEMPT_JOIN : ''}
                ${conditions.where} ORDER BY ${position} DESC LIMIT ${limit + 1}) page
         JOIN bulletin_events e ON e.position = page.position
         ${EVENT_JOINS}
        ORDER BY e.position DESC`,
      conditions.params,
    );
    const page = rows.slice(0, limit).map(toSummary);
    return { data: page, next_cursor: rows.length > limit ? encodeCursor(page[page.length - 1].position) : null };
  }

  /** How many events match the filter (what an export of it writes). */
  async count(filter: EventFilter): Promise<number> {
    const conditions = eventConditions(filter);
    const [{ total }]: { total: number }[] = await this.db.query(
      `SELECT count(*)::int AS total FROM bulletin_events e JOIN event_status s ON s.event_id = e.id ${LAST_ATTEMPT_JOIN} ${conditions.where}`,
      conditions.params,
    );
    return total;
  }

  /**
   * How many events match the filter in each status (the status filter itself is ignored), counted one
   * status at a time so that each count is a range of a (status, ...) index of the projection.
   */
  async countByStatus(filter: EventFilter, onlyPartner?: string): Promise<{ counts: Record<EventStatus, number>; total: number }> {
    const counts = Object.fromEntries(EVENT_STATUSES.map((status) => [status, 0])) as Record<EventStatus, number>;
    const span = await this.windowSpan(filter);
    if (span === 'empty') return { counts, total: 0 };
    const conditions = eventConditions({ ...filter, status: undefined }, onlyPartner, 'projection');
    const joinsLog = Boolean(filter.received_from || filter.received_to || filter.q || readsLastAttempt(filter));
    if (joinsLog) {
      boundPositions(conditions, 's.event_position', span);
      boundPositions(conditions, 'e.position', span);
    }
    const source = joinsLog
      ? `event_status s JOIN bulletin_events e ON e.position = s.event_position ${readsLastAttempt(filter) ? LAST_ATTEMPT_JOIN : ''}`
      : 'event_status s';
    const rows: { status: EventStatus; n: number }[] = await this.db.query(
      `SELECT st.status, (SELECT count(*) FROM ${source} WHERE ${['s.status = st.status', ...conditions.clauses].join(' AND ')})::int AS n
         FROM unnest($${conditions.params.length + 1}::text[]) AS st (status)`,
      [...conditions.params, EVENT_STATUSES],
    );
    for (const row of rows) counts[row.status] = row.n;
    return { counts, total: rows.reduce((sum, row) => sum + row.n, 0) };
  }

  /** The span of a time window's events, 'empty' when it has none, undefined when walking is cheaper. */
  private async windowSpan(filter: EventFilter, before?: number): Promise<WindowSpan> {
    const { received_from: from, received_to: to } = filter;
    if (!from && !to) return undefined;
    const [ends] = await this.db.query<{ newest: string | null; at_from: string | null; at_to: string | null }[]>(
      `SELECT (SELECT max(position) FROM bulletin_events) AS newest,
              (SELECT position FROM bulletin_events WHERE received_at >= $1::timestamptz ORDER BY received_at LIMIT 1) AS at_from,
              (SELECT position FROM bulletin_events WHERE received_at < $2::timestamptz ORDER BY received_at DESC LIMIT 1) AS at_to`,
      [from ?? '-infinity', to ?? 'infinity'],
    );
    if (ends.at_from === null || ends.at_to === null) return 'empty';
    const start = Math.min(before ?? Infinity, Number(ends.newest));
    const passed = to ? Math.max(0, start - Number(ends.at_to)) : 0;
    const budget = Math.max(WINDOW_SPAN_FLOOR, 2 * passed);
    if (Number(ends.at_to) - Number(ends.at_from) > budget) return undefined;
    const window = eventConditions({ received_from: from, received_to: to });
    const [span] = await this.db.query<{ first: string | null; last: string | null; n: number }[]>(
      `SELECT min(position) AS first, max(position) AS last, count(*)::int AS n
         FROM (SELECT e.position FROM bulletin_events e ${window.where} ORDER BY e.received_at LIMIT ${budget + 1}) w`,
      window.params,
    );
    if (span.n === 0) return 'empty';
    if (span.n > budget) return undefined;
    return { first: from ? Number(span.first) : undefined, last: to ? Number(span.last) : undefined };
  }

  /** The received payload and the whole timeline, or undefined (also for another partner's event). */
  async findWithTimeline(eventId: string, onlyPartner?: string): Promise<Record<string, unknown> | undefined> {
    if (!isUuid(eventId)) return undefined;
    const conditions = eventConditions({}, onlyPartner);
    conditions.add((p) => `e.id = ${p}`, eventId);
    const [event] = await this.db.query<(SummaryRow & { payload: unknown; payload_sha256: string; leaf: unknown })[]>(
      `SELECT ${SUMMARY_COLUMNS}, e.payload, e.payload_sha256,
              (SELECT jsonb_build_object('index', l.leaf_index, 'hash', encode(l.leaf_hash, 'base64')) FROM audit_leaves l
                WHERE l.kind = 'event' AND l.source_position = e.position) AS leaf
         FROM ${EVENT_SOURCE} ${conditions.where}`,
      conditions.params,
    );
    if (!event) return undefined;
    const attempts = await this.db.query<Record<string, unknown>[]>(
      `SELECT attempt_number, trigger, outcome, resulting_status, http_status, clevertap_status, targets, error,
              error_code, started_at, latency_ms, next_attempt_at, recorded_at, replay_id,
              (SELECT l.leaf_index FROM audit_leaves l WHERE l.kind = 'attempt' AND l.source_position = a.position) AS leaf_index
         FROM dispatch_attempts a WHERE event_id = $1 ORDER BY attempt_number`,
      [eventId],
    );
    const replays = await this.db.query<Record<string, unknown>[]>(
      `SELECT r.id AS replay_id, r.requested_by_name AS requested_by, r.reason, r.force_resend, r.include_uncertain, i.queued_at,
              (SELECT l.leaf_index FROM audit_leaves l WHERE l.kind = 'replay_item' AND l.source_position = i.position) AS leaf_index
         FROM replay_items i JOIN replay_requests r ON r.id = i.replay_id
        WHERE i.event_id = $1`,
      [eventId],
    );
    const [erasure] = await this.db.query<{ erased_at: Date; reason: string; leaf_index: string | null }[]>(
      `SELECT x.erased_at, x.reason,
              (SELECT l.leaf_index FROM audit_leaves l WHERE l.kind = 'erasure' AND l.source_position = x.position) AS leaf_index
         FROM payload_erasures x WHERE x.event_id = $1`,
      [eventId],
    );
    const { payload, payload_sha256, leaf, ...summary } = event;
    const timeline = [
      { type: 'received', at: iso(event.received_at), request_id: event.request_id, partner: event.partner_name },
      ...attempts.map((attempt) => ({ type: 'attempt', at: iso(attempt.started_at), ...attempt, leaf_index: leafIndex(attempt) })),
      ...replays.map((replay) => ({ type: 'replay_requested', at: iso(replay.queued_at), ...replay, leaf_index: leafIndex(replay) })),
      ...(erasure ? [{ type: 'payload_erased', at: iso(erasure.erased_at), reason: erasure.reason, leaf_index: leafIndex(erasure) }] : []),
    ].sort((a, b) => String(a.at).localeCompare(String(b.at)));
    // An erased payload is null; payload_sha256 still names what it was, and the log still proves it.
    const payloadErasure = erasure ? { erased_at: iso(erasure.erased_at), reason: erasure.reason } : null;
    return { ...toSummary(summary), payload, payload_sha256, payload_erasure: payloadErasure, leaf, timeline };
  }
}

const readsLastAttempt = (filter: EventFilter) => Boolean(filter.error || filter.error_code);

/** Adds a time window's span of log positions: redundant with the window's own conditions, but indexable. */
function boundPositions(conditions: SqlConditions, position: string, span: WindowSpan): void {
  if (span === undefined || span === 'empty') return;
  if (span.first !== undefined) conditions.add((p) => `${position} >= ${p}`, span.first);
  if (span.last !== undefined) conditions.add((p) => `${position} <= ${p}`, span.last);
}


/** The entry's index in the audit log's tree (a bigint, read as text), or null while it is not sealed yet. */
const leafIndex = (row: Record<string, unknown>) => (row.leaf_index === null ? null : Number(row.leaf_index));

const iso = (value: unknown) => (value instanceof Date ? value.toISOString() : (value as string));
