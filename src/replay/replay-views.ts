import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { EVENT_SUMMARY_EXAMPLE, EventSummaryView } from '../audit-api/event-views.js';
import { EventFilter } from '../event-log/event-filter.dto.js';

/** The /v1/replays answers, as the OpenAPI document describes them. */

const EXAMPLE_REPLAY_ID = '7c1d9e2f-3a4b-4c5d-8e6f-0a1b2c3d4e5f';

@ApiSchema({ name: 'ReplayPreview', description: 'A dry run: what the replay would queue, and what it would leave alone' })
export class ReplayPreviewView {
  @ApiProperty({ enum: [true] }) dry_run: true;
  @ApiProperty({ type: 'integer', minimum: 0, description: 'Events matching the filters' }) matched: number;
  @ApiProperty({ type: 'integer', minimum: 0, description: 'Events that would be queued' }) will_queue: number;
  @ApiProperty({ type: 'integer', minimum: 0, description: 'Events already queued or retrying' }) already_pending: number;
  @ApiProperty({ type: 'integer', minimum: 0, description: 'Uncertain events left alone (include_uncertain: false)' }) skipped_uncertain: number;
  @ApiProperty({ type: 'integer', minimum: 0, description: 'Sent events left alone (force: false)' }) skipped_sent: number;
  @ApiProperty({ type: 'integer', minimum: 0, description: 'Events that would be queued but whose payload was erased: nothing is left to send' }) skipped_erased: number;
  @ApiProperty({ type: [EventSummaryView], maxItems: 10, description: 'The first events that would be queued, oldest first' }) sample: EventSummaryView[];
}

@ApiSchema({ name: 'ReplayStarted', description: 'The replay is recorded and its events are queued' })
export class ReplayStartedView {
  @ApiProperty({ enum: [false] }) dry_run: false;
  @ApiProperty({ type: 'string', format: 'uuid' }) id: string;
  @ApiProperty({ type: 'integer', minimum: 0 }) matched: number;
  @ApiProperty({ type: 'integer', minimum: 0 }) queued: number;
  @ApiProperty({ type: 'string', description: 'Where to follow its progress (also in Location)' }) status_url: string;
}

@ApiSchema({ name: 'ReplayProgress', description: 'A replay and how far its events have got' })
export class ReplayProgressView {
  @ApiProperty({ type: 'string', format: 'uuid' }) id: string;
  @ApiProperty({ type: 'string', description: "The requester's name" }) requested_by: string;
  @ApiProperty({ type: 'string' }) reason: string;
  @ApiProperty({ type: EventFilter, description: 'The filters it was requested with' }) filter: EventFilter;
  @ApiProperty({ type: 'string', format: 'date-time' }) requested_at: string;
  @ApiProperty({ type: 'integer', minimum: 0 }) matched: number;
  @ApiProperty({ type: 'integer', minimum: 0 }) queued: number;
  @ApiProperty({ type: 'integer', minimum: 0 }) sent: number;
  @ApiProperty({ type: 'integer', minimum: 0, description: 'Failed, exhausted or uncertain again' }) failed: number;
  @ApiProperty({ type: 'integer', minimum: 0, description: 'Still queued or retrying' }) pending: number;
  @ApiProperty({ type: 'boolean', description: 'No event of the replay is pending any more' }) done: boolean;
}

export const REPLAY_PREVIEW_EXAMPLE = {
  dry_run: true,
  matched: 120,
  will_queue: 117,
  already_pending: 2,
  skipped_uncertain: 1,
  skipped_sent: 0,
  skipped_erased: 0,
  sample: [{ ...EVENT_SUMMARY_EXAMPLE, status: 'exhausted', attempts: 11, last_error: 'connect ECONNREFUSED' }],
};

export const REPLAY_STARTED_EXAMPLE = { dry_run: false, id: EXAMPLE_REPLAY_ID, matched: 120, queued: 117, status_url: `/v1/replays/${EXAMPLE_REPLAY_ID}` };

export const REPLAY_PROGRESS_EXAMPLE = {
  id: EXAMPLE_REPLAY_ID,
  requested_by: 'Ops on call',
  reason: 'CleverTap outage of 2 December, 02:10-02:40 UTC',
  filter: { status: 'exhausted', received_from: '2026-12-02T02:10:00Z', received_to: '2026-12-02T02:40:00Z' },
  requested_at: '2026-12-02T03:10:00.000Z',
  matched: 120,
  queued: 117,
  sent: 100,
  failed: 2,
  pending: 15,
  done: false,
};
