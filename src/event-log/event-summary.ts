import { LAST_ATTEMPT_JOIN } from './event-conditions.js';

/**
 * How an event is shown in lists, replay samples and exports: its summary columns over the log, its
 * status and its partner. Read-only SQL fragments, shared by the readers of the log (audit API, replay,
 * export) so that they show an event the same way.
 */

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

/** An event summary as Postgres returns it: positions are bigints (text), times are Dates. */
export type SummaryRow = Omit<EventSummary, 'position' | 'received_at'> & { position: string; received_at: Date };

/** The columns every listing and export shows, over `bulletin_events e`, `event_status s`, `partners p`, `a`. */
export const SUMMARY_COLUMNS = `e.id, e.position, e.partner_id, p.name AS partner_name, e.account_id, e.business_event,
  e.payload->>'name' AS name, s.status, s.attempts, e.received_at, e.request_id, e.idempotency_key, a.error AS last_error`;

/** What `e` is joined with to show it. */
export const EVENT_JOINS = `JOIN event_status s ON s.event_id = e.id
  JOIN partners p ON p.id = e.partner_id
  ${LAST_ATTEMPT_JOIN}`;

export const EVENT_SOURCE = `bulletin_events e
  ${EVENT_JOINS}`;

export function toSummary(row: SummaryRow): EventSummary {
  return { ...row, position: Number(row.position), received_at: iso(row.received_at) };
}

const iso = (value: Date | string) => (value instanceof Date ? value.toISOString() : value);
