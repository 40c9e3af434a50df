import type { EventFilter } from './event-filter.dto.js';

/** Bind parameters and WHERE clauses, built together so they cannot drift apart. */
export class SqlConditions {
  readonly clauses: string[] = [];
  readonly params: unknown[] = [];

  add(clause: (placeholder: string) => string, value: unknown): void {
    this.params.push(value);
    this.clauses.push(clause(`$${this.params.length}`));
  }

  get where(): string {
    return this.clauses.length > 0 ? `WHERE ${this.clauses.join(' AND ')}` : '';
  }
}

const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * WHERE conditions over `bulletin_events e` joined with `event_status s` (and `last_attempt a` for the
 * error filters). `onlyPartner` confines a partner to its own events. Partner, account and business event
 * are read from the log by default; `keys: 'projection'` reads the projection's copies of them instead,
 * so that a status and one of them can be answered by one index of `event_status`.
 */
export function eventConditions(filter: EventFilter, onlyPartner?: string, keys: 'log' | 'projection' = 'log'): SqlConditions {
  const conditions = new SqlConditions();
  const keysIn = keys === 'projection' ? 's' : 'e';
  if (onlyPartner) conditions.add((p) => `${keysIn}.partner_id = ${p}`, onlyPartner);
  if (filter.partner) conditions.add((p) => `${keysIn}.partner_id = ${p}`, filter.partner);
  if (filter.status) conditions.add((p) => `s.status = ${p}`, filter.status);
  if (filter.business_event) conditions.add((p) => `${keysIn}.business_event = ${p}`, filter.business_event);
  if (filter.account) conditions.add((p) => `${keysIn}.account_id = ${p}`, filter.account);
  if (filter.received_from) conditions.add((p) => `e.received_at >= ${p}::timestamptz`, filter.received_from);
  if (filter.received_to) conditions.add((p) => `e.received_at < ${p}::timestamptz`, filter.received_to);
  if (filter.q) conditions.add((p) => `e.payload->>'name' ILIKE ${p}`, likePattern(filter.q));
  if (filter.error) conditions.add((p) => `a.error ILIKE ${p}`, likePattern(filter.error));
  if (filter.error_code) conditions.add((p) => `a.error_code = ${p}`, filter.error_code);
  return conditions;
}

/** The latest attempt of each event, for the error filters and the listings. */
export const LAST_ATTEMPT_JOIN = `LEFT JOIN LATERAL (
    SELECT * FROM dispatch_attempts WHERE event_id = e.id ORDER BY attempt_number DESC LIMIT 1
  ) a ON true`;
