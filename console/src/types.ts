/** The shapes of the gateway's /v1 answers that the console reads. */

export const STATUSES = ['queued', 'retrying', 'sent', 'failed', 'exhausted', 'uncertain'] as const;
export type Status = (typeof STATUSES)[number];

export type Role = 'partner' | 'auditor' | 'operator' | 'admin';

export interface Identity {
  name: string;
  role: Role;
}

export const canOperate = (role: Role) => role === 'operator' || role === 'admin';

/** The audit API's filters, as the console's forms hold them (empty string = not set). */
export interface Filters {
  status: '' | Status;
  business_event: string;
  partner: string;
  account: string;
  /** Local date-times from <input type="datetime-local">; sent as RFC 3339 UTC. */
  received_from: string;
  received_to: string;
  q: string;
  error: string;
  error_code: string;
}

export const EMPTY_FILTERS: Filters = {
  status: '',
  business_event: '',
  partner: '',
  account: '',
  received_from: '',
  received_to: '',
  q: '',
  error: '',
  error_code: '',
};

export interface EventSummary {
  id: string;
  position: number;
  partner_id: string;
  partner_name: string;
  account_id: string;
  business_event: string;
  name: string | null;
  status: Status;
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

export interface StatusCounts {
  counts: Record<Status, number>;
  total: number;
}

export interface ReceivedEntry {
  type: 'received';
  at: string;
  request_id: string;
  partner: string;
}

export interface AttemptEntry {
  type: 'attempt';
  at: string;
  attempt_number: number;
  trigger: string;
  outcome: string;
  resulting_status: string;
  http_status: number | null;
  clevertap_status: string | null;
  targets: number | null;
  error: string | null;
  error_code: string | null;
  latency_ms: number | null;
  next_attempt_at: string | null;
  replay_id: string | null;
}

export interface ReplayEntry {
  type: 'replay_requested';
  at: string;
  replay_id: string;
  requested_by: string;
  reason: string;
  force_resend: boolean;
  include_uncertain: boolean;
}

/** The payload was erased on request (right to erasure); the erasure is a leaf of its own. */
export interface ErasureEntry {
  type: 'payload_erased';
  at: string;
  reason: string;
  leaf_index: number | null;
}

export type TimelineEntry = ReceivedEntry | AttemptEntry | ReplayEntry | ErasureEntry;

export interface EventDetail extends EventSummary {
  /** Null once erased (see payload_erasure); payload_sha256 still names it. */
  payload: Record<string, unknown> | null;
  payload_sha256?: string;
  payload_erasure?: { erased_at: string; reason: string } | null;
  /** The event's leaf in the audit log's Merkle tree; null until sealed. */
  leaf: { index: number; hash: string } | null;
  timeline: TimelineEntry[];
}

export interface LogProblem {
  /** Leaf index in the audit log's tree; null for a row missing from the tree or a checkpoint. */
  index: number | null;
  kind: string;
  ref: number;
  problem: string;
  detail: string;
}

export interface Verification {
  ok: boolean;
  entries_checked: number;
  checkpoints_checked: number;
  signatures_checked?: boolean | null;
  head: { size: number; root: string };
  first_problem: LogProblem | null;
  verified_at: string;
  verified_by?: string;
}

export interface AccountOverview {
  account_id: string;
  circuit: string;
  reason: string | null;
  open_until: string | null;
  in_flight: number;
  limit: number;
  queue_depth: number;
  oldest_queued_age_seconds: number | null;
}

export interface ReplayPreview {
  dry_run: true;
  matched: number;
  will_queue: number;
  already_pending: number;
  skipped_uncertain: number;
  skipped_sent: number;
  sample: EventSummary[];
}

export interface ReplayStarted {
  dry_run: false;
  id: string;
  matched: number;
  queued: number;
  status_url: string;
}

export interface ReplayProgress {
  id: string;
  requested_by: string;
  reason: string;
  matched: number;
  queued: number;
  sent: number;
  failed: number;
  pending: number;
  done: boolean;
}
