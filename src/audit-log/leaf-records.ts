import type { LeafRecord } from '../transparency/leaf.js';

/**
 * The log tables whose rows are the leaves of the tree, in the order rows of one transaction are sealed
 * (their rank). Each row becomes one `record`: a JSON object built here, in SQL, and nowhere else, so the
 * record sealed into the tree, the record served with a proof and the record the verifier recomputes
 * are the same JSON. docs/audit-format.md §5 is the published form of these definitions.
 */
export const LEAF_TABLES = [
  { kind: 'event', table: 'bulletin_events', time: 'received_at' },
  { kind: 'attempt', table: 'dispatch_attempts', time: 'recorded_at' },
  { kind: 'rejection', table: 'rejected_requests', time: 'received_at' },
  { kind: 'replay', table: 'replay_requests', time: 'requested_at' },
  { kind: 'replay_item', table: 'replay_items', time: 'queued_at' },
  { kind: 'erasure', table: 'payload_erasures', time: 'erased_at' },
] as const;

export type LeafKind = (typeof LEAF_TABLES)[number]['kind'];

export const LEAF_KINDS: readonly LeafKind[] = LEAF_TABLES.map(({ kind }) => kind);

export function leafTable(kind: string): (typeof LEAF_TABLES)[number] {
  const table = LEAF_TABLES.find((t) => t.kind === kind);
  if (!table) throw new Error(`unknown leaf kind ${kind}`);
  return table;
}

export const rankOf = (kind: string) => LEAF_TABLES.findIndex((t) => t.kind === kind);

/** RFC 3339 in UTC with exactly six fractional digits: Postgres keeps microseconds, JavaScript dates do not. */
const time = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** Lowercase hex SHA-256 of a text's UTF-8 bytes, or null. */
export const textSha256Sql = (column: string) => `encode(sha256(convert_to(${column}, 'UTF8')), 'hex')`;

/** Field name → SQL expression over the row alias `t`, per kind. */
const RECORD_FIELDS: Record<LeafKind, [string, string][]> = {
  event: [
    ['id', 't.id'],
    ['partner_id', 't.partner_id'],
    ['account_id', 't.account_id'],
    ['business_event', 't.business_event'],
    // The payload is committed to through its digest only, so it can be erased without breaking a proof.
    ['payload_sha256', 't.payload_sha256'],
    ['idempotency_key', 't.idempotency_key'],
    ['request_id', 't.request_id'],
    ['received_at', time('t.received_at')],
  ],
  attempt: [
    ['event_id', 't.event_id'],
    ['attempt_number', 't.attempt_number'],
    ['trigger', 't.trigger'],
    ['replay_id', 't.replay_id'],
    ['outcome', 't.outcome'],
    ['resulting_status', 't.resulting_status'],
    ['http_status', 't.http_status'],
    ['clevertap_status', 't.clevertap_status'],
    ['targets', 't.targets'],
    ['error', 't.error'],
    ['error_code', 't.error_code'],
    ['started_at', time('t.started_at')],
    ['latency_ms', 't.latency_ms'],
    ['next_attempt_at', time('t.next_attempt_at')],
    ['recorded_at', time('t.recorded_at')],
  ],
  rejection: [
    ['partner_id', 't.partner_id'],
    ['account_id', 't.account_id'],
    ['reason_code', 't.reason_code'],
    ['reason', 't.reason'],
    ['http_status', 't.http_status'],
    ['payload_bytes', 't.payload_bytes'],
    // Like an event's payload, the excerpt may hold personal data: committed to by the digest the row
    // got when it was written (a trigger sets it), so erasing the excerpt changes no record.
    ['payload_excerpt_sha256', 't.payload_excerpt_sha256'],
    ['request_id', 't.request_id'],
    ['received_at', time('t.received_at')],
  ],
  replay: [
    ['id', 't.id'],
    ['requested_by', 't.requested_by'],
    ['requested_by_name', 't.requested_by_name'],
    ['reason', 't.reason'],
    ['filter', 't.filter'],
    ['include_uncertain', 't.include_uncertain'],
    ['force_resend', 't.force_resend'],
    ['matched', 't.matched'],
    ['requeued', 't.requeued'],
    ['requested_at', time('t.requested_at')],
  ],
  replay_item: [
    ['replay_id', 't.replay_id'],
    ['event_id', 't.event_id'],
    ['queued_at', time('t.queued_at')],
  ],
  // Names what it erased as an auditor sees it in the log: the event's id, or the rejection's request id,
  // and the digest its record commits to.
  erasure: [
    ['event_id', 't.event_id'],
    ['rejection_request_id', '(SELECT r.request_id FROM rejected_requests r WHERE r.position = t.rejection_position)'],
    ['erased_sha256', 't.erased_sha256'],
    ['reason', 't.reason'],
    ['requested_by', 't.requested_by'],
    ['erased_at', time('t.erased_at')],
  ],
};

/**
 * The SQL expression (over a row of the kind's table aliased `alias`) that yields the row's leaf record as
 * jsonb. jsonb_build_object keeps SQL nulls as JSON null, integers as JSON numbers and booleans as booleans.
 */
export function recordSql(kind: LeafKind, alias = 't'): string {
  const fields = [['kind', `'${kind}'::text`], ...RECORD_FIELDS[kind]];
  const sql = `jsonb_build_object(${fields.map(([name, expression]) => `'${name}', ${expression}`).join(', ')})`;
  return alias === 't' ? sql : sql.replace(/\bt\./g, `${alias}.`);
}

/**
 * The current record of the row a (kind, source position) pair names, or null when the row is gone: one
 * index look-up per row (a scalar subquery of the row's own kind), whatever the planner thinks of the
 * table sizes. `kinds` limits it to the tables a migration knows exist at its point in the schema.
 */
export function recordOfSql(kindColumn: string, positionColumn: string, kinds: readonly LeafKind[] = LEAF_KINDS): string {
  const branches = LEAF_TABLES.filter(({ kind }) => kinds.includes(kind)).map(
    ({ kind, table }) => `WHEN '${kind}' THEN (SELECT ${recordSql(kind)} FROM ${table} t WHERE t.position = ${positionColumn})`,
  );
  return `CASE ${kindColumn} ${branches.join(' ')} END`;
}
