import { ApiProperty, ApiSchema, getSchemaPath } from '@nestjs/swagger';
import { EVENT_STATUSES, type EventStatus } from '../event-log/event-status.js';

/** The /v1/events answers, as the OpenAPI document describes them (the repository builds them). */

const EXAMPLE_EVENT_ID = '0b8f3c5e-6a1d-4c2e-9f7a-2d4b6e8f0a1c';
const EXAMPLE_PARTNER_ID = '5a3e9c1d-2b4f-4e6a-8c0d-1f3b5d7e9a2c';

export const EVENT_SUMMARY_EXAMPLE = {
  id: EXAMPLE_EVENT_ID,
  position: 1042,
  partner_id: EXAMPLE_PARTNER_ID,
  partner_name: 'Acme CMS',
  account_id: 'ACCOUNT_ID',
  business_event: 'Program Released',
  name: 'Sa Re Ga Ma episode 12',
  status: 'sent',
  attempts: 1,
  received_at: '2026-12-02T03:04:05.678Z',
  request_id: 'req-7f3a',
  idempotency_key: 'episode-12-released',
  last_error: null,
};

@ApiSchema({ name: 'EventSummary', description: 'One event as lists show it' })
export class EventSummaryView {
  @ApiProperty({ type: 'string', format: 'uuid' })
  id: string;

  @ApiProperty({ type: 'integer', minimum: 1, description: 'The event\'s position in the log: newer events have higher positions' })
  position: number;

  @ApiProperty({ type: 'string', format: 'uuid' })
  partner_id: string;

  @ApiProperty({ type: 'string' })
  partner_name: string;

  @ApiProperty({ type: 'string', description: 'The CleverTap account' })
  account_id: string;

  @ApiProperty({ type: 'string' })
  business_event: string;

  @ApiProperty({ type: 'string', nullable: true, description: "The bulletin's name" })
  name: string | null;

  @ApiProperty({ enum: EVENT_STATUSES })
  status: EventStatus;

  @ApiProperty({ type: 'integer', minimum: 0 })
  attempts: number;

  @ApiProperty({ type: 'string', format: 'date-time' })
  received_at: string;

  @ApiProperty({ type: 'string' })
  request_id: string;

  @ApiProperty({ type: 'string', nullable: true })
  idempotency_key: string | null;

  @ApiProperty({ type: 'string', nullable: true, description: 'The error of the latest attempt, if it failed' })
  last_error: string | null;
}

@ApiSchema({ name: 'EventPage', description: 'A page of events, newest first' })
export class EventPageView {
  @ApiProperty({ type: [EventSummaryView] })
  data: EventSummaryView[];

  @ApiProperty({ type: 'string', nullable: true, description: 'Pass as `cursor` for the next page; null on the last page' })
  next_cursor: string | null;
}

@ApiSchema({ name: 'StatusCountMap' })
export class StatusCountMapView {
  @ApiProperty({ type: 'integer', minimum: 0 }) queued: number;
  @ApiProperty({ type: 'integer', minimum: 0 }) retrying: number;
  @ApiProperty({ type: 'integer', minimum: 0 }) sent: number;
  @ApiProperty({ type: 'integer', minimum: 0 }) failed: number;
  @ApiProperty({ type: 'integer', minimum: 0 }) exhausted: number;
  @ApiProperty({ type: 'integer', minimum: 0 }) uncertain: number;
}

@ApiSchema({ name: 'StatusCounts', description: 'How many events match the filter in each status' })
export class StatusCountsView {
  @ApiProperty({ type: StatusCountMapView })
  counts: StatusCountMapView;

  @ApiProperty({ type: 'integer', minimum: 0 })
  total: number;
}

@ApiSchema({ name: 'ReceivedEntry', description: 'The event arrived' })
export class ReceivedEntryView {
  @ApiProperty({ enum: ['received'] }) type: 'received';
  @ApiProperty({ type: 'string', format: 'date-time' }) at: string;
  @ApiProperty({ type: 'string' }) request_id: string;
  @ApiProperty({ type: 'string', description: "The partner's name" }) partner: string;
}

@ApiSchema({ name: 'AttemptEntry', description: 'One attempt to send the event to CleverTap' })
export class AttemptEntryView {
  @ApiProperty({ enum: ['attempt'] }) type: 'attempt';
  @ApiProperty({ type: 'string', format: 'date-time' }) at: string;
  @ApiProperty({ type: 'integer', minimum: 1 }) attempt_number: number;
  @ApiProperty({ enum: ['auto', 'retry', 'replay'] }) trigger: string;
  @ApiProperty({ enum: ['sent', 'failed', 'transient', 'uncertain', 'credentials_rejected'] }) outcome: string;
  @ApiProperty({ enum: EVENT_STATUSES, description: "The event's status after this attempt" }) resulting_status: string;
  @ApiProperty({ type: 'integer', nullable: true, description: "CleverTap's HTTP status, when it answered" }) http_status: number | null;
  @ApiProperty({ type: 'string', nullable: true }) clevertap_status: string | null;
  @ApiProperty({ type: 'integer', nullable: true }) targets: number | null;
  @ApiProperty({ type: 'string', nullable: true }) error: string | null;
  @ApiProperty({ type: 'string', nullable: true }) error_code: string | null;
  @ApiProperty({ type: 'string', format: 'date-time' }) started_at: string;
  @ApiProperty({ type: 'integer', minimum: 0 }) latency_ms: number;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true }) next_attempt_at: string | null;
  @ApiProperty({ type: 'string', format: 'date-time' }) recorded_at: string;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true }) replay_id: string | null;
  @ApiProperty({ type: 'integer', nullable: true, description: "The entry's index in the audit log's tree; null until sealed" }) leaf_index: number | null;
}

@ApiSchema({ name: 'ReplayRequestedEntry', description: 'The event was put back in the queue by a replay' })
export class ReplayRequestedEntryView {
  @ApiProperty({ enum: ['replay_requested'] }) type: 'replay_requested';
  @ApiProperty({ type: 'string', format: 'date-time' }) at: string;
  @ApiProperty({ type: 'string', format: 'uuid' }) replay_id: string;
  @ApiProperty({ type: 'string' }) requested_by: string;
  @ApiProperty({ type: 'string' }) reason: string;
  @ApiProperty({ type: 'boolean' }) force_resend: boolean;
  @ApiProperty({ type: 'boolean' }) include_uncertain: boolean;
  @ApiProperty({ type: 'string', format: 'date-time' }) queued_at: string;
  @ApiProperty({ type: 'integer', nullable: true, description: "The entry's index in the audit log's tree; null until sealed" }) leaf_index: number | null;
}

@ApiSchema({ name: 'PayloadErasedEntry', description: "The event's payload was erased (right to erasure); the erasure is an entry of the log" })
export class PayloadErasedEntryView {
  @ApiProperty({ enum: ['payload_erased'] }) type: 'payload_erased';
  @ApiProperty({ type: 'string', format: 'date-time' }) at: string;
  @ApiProperty({ type: 'string', description: 'Why it was erased (a request or ticket number)' }) reason: string;
  @ApiProperty({ type: 'integer', nullable: true, description: "The erasure's index in the audit log's tree; null until sealed" }) leaf_index: number | null;
}

@ApiSchema({ name: 'EventDetail', description: 'One event: its summary, the payload as received and its whole timeline' })
export class EventDetailView extends EventSummaryView {
  @ApiProperty({
    type: 'object',
    nullable: true,
    additionalProperties: true,
    description: 'The bulletin as the partner sent it; null once erased (see `payload_erasure`)',
  })
  payload: Record<string, unknown> | null;

  @ApiProperty({ type: 'string', pattern: '^[0-9a-f]{64}$', description: "Lowercase hex SHA-256 of the payload's canonical JSON (RFC 8785)" })
  payload_sha256: string;

  @ApiProperty({
    type: 'object',
    nullable: true,
    selfRequired: true,
    required: ['index', 'hash'],
    additionalProperties: false,
    properties: { index: { type: 'integer', minimum: 0 }, hash: { type: 'string', description: 'base64 leaf hash' } },
    description: "The event's leaf in the audit log's Merkle tree; null until sealed (inline: OpenAPI 3.0 has no nullable $ref)",
  })
  leaf: { index: number; hash: string } | null;

  @ApiProperty({
    type: 'object',
    nullable: true,
    selfRequired: true,
    required: ['erased_at', 'reason'],
    additionalProperties: false,
    properties: { erased_at: { type: 'string', format: 'date-time' }, reason: { type: 'string', description: 'Why it was erased' } },
    description: 'When and why the payload was erased; null while it is kept. `payload_sha256` still names what it was (inline: OpenAPI 3.0 has no nullable $ref)',
  })
  payload_erasure: { erased_at: string; reason: string } | null;

  @ApiProperty({
    type: 'array',
    description: 'What happened to the event, oldest first',
    items: {
      oneOf: [{ $ref: getSchemaPath(ReceivedEntryView) }, { $ref: getSchemaPath(AttemptEntryView) }, { $ref: getSchemaPath(ReplayRequestedEntryView) }, { $ref: getSchemaPath(PayloadErasedEntryView) }],
      discriminator: {
        propertyName: 'type',
        mapping: {
          received: getSchemaPath(ReceivedEntryView),
          attempt: getSchemaPath(AttemptEntryView),
          replay_requested: getSchemaPath(ReplayRequestedEntryView),
          payload_erased: getSchemaPath(PayloadErasedEntryView),
        },
      },
    },
  })
  timeline: (ReceivedEntryView | AttemptEntryView | ReplayRequestedEntryView | PayloadErasedEntryView)[];
}

export const TIMELINE_MODELS = [ReceivedEntryView, AttemptEntryView, ReplayRequestedEntryView, PayloadErasedEntryView];

export const EVENT_DETAIL_EXAMPLE = {
  ...EVENT_SUMMARY_EXAMPLE,
  payload: {
    business_event: 'Program Released',
    name: 'Sa Re Ga Ma episode 12',
    properties: { program_id: '234567', language: 'Hindi', prev_program_id: '123457' },
    'c-by': 'editor@example.com',
    when: 'now',
  },
  payload_sha256: '9f2c4b7e1a3d5f6081b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718',
  leaf: { index: 2087, hash: 'q3v6m2v0Jr0m7c6l4lS0a8fJbq2w5uTnq0h2kq6gI1U=' },
  payload_erasure: null,
  timeline: [
    { type: 'received', at: '2026-12-02T03:04:05.678Z', request_id: 'req-7f3a', partner: 'Acme CMS' },
    {
      type: 'attempt',
      at: '2026-12-02T03:04:05.701Z',
      attempt_number: 1,
      trigger: 'auto',
      outcome: 'sent',
      resulting_status: 'sent',
      http_status: 200,
      clevertap_status: 'success',
      targets: 1,
      error: null,
      error_code: null,
      started_at: '2026-12-02T03:04:05.701Z',
      latency_ms: 84,
      next_attempt_at: null,
      recorded_at: '2026-12-02T03:04:05.790Z',
      replay_id: null,
      leaf_index: 2088,
    },
  ],
};

/** An event whose payload was erased: the payload is null, its digest and the log's entries stay. */
export const ERASED_EVENT_DETAIL_EXAMPLE = {
  ...EVENT_DETAIL_EXAMPLE,
  payload: null,
  payload_erasure: { erased_at: '2026-12-09T10:00:00.000Z', reason: 'data-subject request DSR-2026-0042' },
  timeline: [
    ...EVENT_DETAIL_EXAMPLE.timeline,
    { type: 'payload_erased', at: '2026-12-09T10:00:00.000Z', reason: 'data-subject request DSR-2026-0042', leaf_index: 3120 },
  ],
};
