import { ApiProperty, ApiSchema } from '@nestjs/swagger';

/** The /v1/accounts answer, as the OpenAPI document describes it. */

@ApiSchema({ name: 'AccountOverview', description: 'A configured CleverTap account as the whole fleet sees it' })
export class AccountOverviewView {
  @ApiProperty({ type: 'string' }) account_id: string;
  @ApiProperty({ enum: ['closed', 'open', 'half_open', 'paused'], description: 'The circuit breaker; paused when CleverTap rejected the credentials' }) circuit: string;
  @ApiProperty({ type: 'string', nullable: true, description: 'Why the circuit is not closed' }) reason: string | null;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true }) open_until: string | null;
  @ApiProperty({ type: 'integer', minimum: 0, description: 'Requests to CleverTap in flight now' }) in_flight: number;
  @ApiProperty({ type: 'integer', minimum: 1, description: 'Requests in flight allowed (CleverTap allows 3)' }) limit: number;
  @ApiProperty({ type: 'integer', minimum: 0 }) queue_depth: number;
  @ApiProperty({ type: 'integer', minimum: 0, nullable: true }) oldest_queued_age_seconds: number | null;
}

@ApiSchema({ name: 'AccountList', description: 'Every configured CleverTap account' })
export class AccountListView {
  @ApiProperty({ type: [AccountOverviewView] }) data: AccountOverviewView[];
}

export const ACCOUNT_LIST_EXAMPLE = {
  data: [{ account_id: 'ACCOUNT_ID', circuit: 'closed', reason: null, open_until: null, in_flight: 2, limit: 3, queue_depth: 14, oldest_queued_age_seconds: 3 }],
};

@ApiSchema({ name: 'BacklogLine', description: "One partner's events waiting in one lane of an account" })
export class BacklogLineDoc {
  @ApiProperty({ type: 'string', format: 'uuid' }) partner_id: string;
  @ApiProperty({ type: 'string' }) partner_name: string;
  @ApiProperty({ enum: ['live', 'retry', 'replay'], description: 'live: first attempts; retry: after a failed attempt; replay: re-queued by a replay' }) lane: string;
  @ApiProperty({ type: 'integer', minimum: 0, description: 'Waiting for their first attempt in this lane' }) queued: number;
  @ApiProperty({ type: 'integer', minimum: 0, description: 'Waiting for a retry' }) retrying: number;
  @ApiProperty({ type: 'integer', minimum: 0, description: 'Started by any gateway process and not yet recorded' }) in_flight: number;
  @ApiProperty({ type: 'integer', minimum: 0, description: 'Age of the oldest waiting event' }) oldest_age_seconds: number;
}

@ApiSchema({ name: 'AccountBacklog', description: "A configured account's backlog, by partner and lane" })
export class AccountBacklogDoc {
  @ApiProperty({ type: 'string' }) account_id: string;
  @ApiProperty({ type: 'integer', minimum: 0 }) queued: number;
  @ApiProperty({ type: 'integer', minimum: 0 }) retrying: number;
  @ApiProperty({ type: 'integer', minimum: 0 }) in_flight: number;
  @ApiProperty({ type: [BacklogLineDoc], description: 'One line per partner and lane with events waiting; empty when nothing waits' }) lines: BacklogLineDoc[];
}

@ApiSchema({ name: 'BacklogList', description: 'Every configured account' })
export class BacklogListDoc {
  @ApiProperty({ type: [AccountBacklogDoc] }) data: AccountBacklogDoc[];
}

@ApiSchema({ name: 'WaitSummary', description: 'The waits from acceptance to first attempt of some first attempts' })
export class WaitSummaryDoc {
  @ApiProperty({ type: 'integer', minimum: 0, description: 'First attempts summarised' }) count: number;
  @ApiProperty({ type: 'number', nullable: true }) p50_ms: number | null;
  @ApiProperty({ type: 'number', nullable: true }) p95_ms: number | null;
  @ApiProperty({ type: 'number', nullable: true }) max_ms: number | null;
  @ApiProperty({ type: 'boolean', description: 'true when there were more first attempts than sample_limit: the figures cover the earliest ones' }) sampled: boolean;
}

@ApiSchema({ name: 'WaitBucket', description: 'One bucket of the wait chart' })
export class WaitBucketDoc extends WaitSummaryDoc {
  @ApiProperty({ type: 'string', format: 'date-time' }) start: string;
}

@ApiSchema({ name: 'WaitSeries', description: 'The wait from acceptance to first attempt over a recent window, in 60 buckets' })
export class WaitSeriesDoc {
  @ApiProperty({ type: 'string', nullable: true, description: 'The account asked for; null: all accounts' }) account_id: string | null;
  @ApiProperty({ enum: ['15m', '1h', '6h', '24h'] }) window: string;
  @ApiProperty({ type: 'string', format: 'date-time' }) from: string;
  @ApiProperty({ type: 'string', format: 'date-time' }) to: string;
  @ApiProperty({ type: 'number' }) bucket_seconds: number;
  @ApiProperty({ type: 'integer', description: 'First attempts read per bucket at most' }) sample_limit: number;
  @ApiProperty({ type: WaitSummaryDoc }) overall: WaitSummaryDoc;
  @ApiProperty({ type: [WaitBucketDoc] }) buckets: WaitBucketDoc[];
}

export const BACKLOG_EXAMPLE = {
  data: [
    {
      account_id: 'ACCOUNT_ID',
      queued: 12,
      retrying: 1,
      in_flight: 3,
      lines: [
        { partner_id: '5a3e9c1d-2b4f-4e6a-8c0d-1f3b5d7e9a2c', partner_name: 'Acme CMS', lane: 'live', queued: 10, retrying: 0, in_flight: 3, oldest_age_seconds: 2 },
        { partner_id: '5a3e9c1d-2b4f-4e6a-8c0d-1f3b5d7e9a2c', partner_name: 'Acme CMS', lane: 'retry', queued: 2, retrying: 1, in_flight: 0, oldest_age_seconds: 41 },
      ],
    },
  ],
};

const exampleBucket = (minute: number, count: number) => ({
  start: new Date(Date.UTC(2026, 11, 1, 9, minute)).toISOString(),
  count,
  p50_ms: count ? 104.2 : null,
  p95_ms: count ? 180.5 : null,
  max_ms: count ? 212 : null,
  sampled: false,
});

export const WAIT_EXAMPLE = {
  account_id: null,
  window: '1h',
  from: '2026-12-01T09:00:00.000Z',
  to: '2026-12-01T10:00:00.000Z',
  bucket_seconds: 60,
  sample_limit: 2000,
  overall: { count: 180, p50_ms: 104.2, p95_ms: 180.5, max_ms: 212, sampled: false },
  buckets: [exampleBucket(0, 120), exampleBucket(1, 60)],
};
