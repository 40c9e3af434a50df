import { Controller, Get, Inject, Query, UseGuards } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { invalidField } from '../common/gateway.error.js';
import { strictValidation } from '../common/query-validation.pipe.js';
import { GATEWAY_CONFIG } from '../config/config.module.js';
import type { GatewayConfig } from '../config/gateway-config.js';
import { AllowRoles, ApiAuthGuard } from '../access/api-auth.guard.js';
import { ApiJsonResponse, ApiProblems, ApiV1Controller, ApiV1Operation, invalidRequest, PROBLEMS } from '../openapi/api-docs.js';
import { BACKLOG_EXAMPLE, BacklogListDoc, WAIT_EXAMPLE, WaitSeriesDoc } from './account-views.js';
import { type BacklogLine, OperationsReadModel, type WaitBucket } from './operations-read-model.js';

/** The windows the wait chart offers, each cut into WAIT_BUCKETS buckets. */
export const WAIT_WINDOWS = { '15m': 15 * 60, '1h': 3600, '6h': 6 * 3600, '24h': 24 * 3600 } as const;
export type WaitWindow = keyof typeof WAIT_WINDOWS;
const WAIT_BUCKETS = 60;
/** First attempts read per bucket at most: bounds the cost of a chart however busy the window was. */
export const WAIT_SAMPLE_LIMIT = 2000;

class WaitQuery {
  @ApiPropertyOptional({ enum: Object.keys(WAIT_WINDOWS), default: '1h', description: 'How far back: 60 buckets over this window' })
  @IsOptional() @IsIn(Object.keys(WAIT_WINDOWS), { message: `window must be one of ${Object.keys(WAIT_WINDOWS).join(', ')}` })
  window?: WaitWindow;

  @ApiPropertyOptional({ description: 'One configured CleverTap account (default: all)' })
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(200)
  account?: string;
}

export interface BacklogLineView {
  partner_id: string;
  partner_name: string;
  lane: BacklogLine['lane'];
  queued: number;
  retrying: number;
  in_flight: number;
  oldest_age_seconds: number;
}

export interface AccountBacklogView {
  account_id: string;
  queued: number;
  retrying: number;
  in_flight: number;
  /** One row per partner and lane with events waiting; none when the account's queue is empty. */
  lines: BacklogLineView[];
}

export interface WaitBucketView {
  start: string;
  count: number;
  p50_ms: number | null;
  p95_ms: number | null;
  max_ms: number | null;
  sampled: boolean;
}

export interface WaitView {
  account_id: string | null;
  window: WaitWindow;
  from: string;
  to: string;
  bucket_seconds: number;
  sample_limit: number;
  overall: Omit<WaitBucketView, 'start'>;
  buckets: WaitBucketView[];
}

const roundMs = (ms: number | null) => (ms === null ? null : Math.round(ms * 10) / 10);
const bucketView = (bucket: Omit<WaitBucket, 'index'>) => ({
  count: bucket.count,
  p50_ms: roundMs(bucket.p50Ms),
  p95_ms: roundMs(bucket.p95Ms),
  max_ms: roundMs(bucket.maxMs),
  sampled: bucket.sampled,
});

/**
 * The Operations screen's figures for operators: each configured account's backlog by partner and lane,
 * and the wait from acceptance to first attempt over a recent window. Both are read from Postgres, so
 * they are the whole fleet's and survive restarts.
 */
@Controller('v1/accounts')
@ApiV1Controller('operations')
@UseGuards(ApiAuthGuard)
@AllowRoles('operator', 'admin')
export class AccountOperationsController {
  constructor(
    private readonly readModel: OperationsReadModel,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  @Get('backlog')
  @ApiV1Operation({
    id: 'getBacklog',
    summary: 'Backlog of each configured account by partner and lane',
    description: 'Events queued or retrying, in flight (started, any gateway process), and the age of the oldest, per partner and lane (live, retry, replay).',
    roles: ['operator', 'admin'],
  })
  @ApiJsonResponse(200, BacklogListDoc, { description: 'Every configured account', example: BACKLOG_EXAMPLE })
  @ApiProblems(PROBLEMS.unauthenticated, PROBLEMS.forbidden, PROBLEMS.databaseUnavailable)
  async backlog(): Promise<{ data: AccountBacklogView[] }> {
    const ids = this.config.accounts.map((account) => account.id);
    const lines = await this.readModel.backlog(ids);
    return {
      data: ids.map((accountId) => {
        const own = lines.filter((line) => line.accountId === accountId);
        const sum = (field: 'queued' | 'retrying' | 'inFlight') => own.reduce((total, line) => total + line[field], 0);
        return {
          account_id: accountId,
          queued: sum('queued'),
          retrying: sum('retrying'),
          in_flight: sum('inFlight'),
          lines: own.map((line) => ({
            partner_id: line.partnerId,
            partner_name: line.partnerName,
            lane: line.lane,
            queued: line.queued,
            retrying: line.retrying,
            in_flight: line.inFlight,
            oldest_age_seconds: Math.round(line.oldestAgeSeconds),
          })),
        };
      }),
    };
  }

  @Get('wait')
  @ApiV1Operation({
    id: 'getWait',
    summary: 'Wait from acceptance to first attempt, in 60 buckets over a recent window',
    description: `Each bucket summarises at most ${WAIT_SAMPLE_LIMIT} first attempts (\`sampled\` says when it had more).`,
    roles: ['operator', 'admin'],
  })
  @ApiJsonResponse(200, WaitSeriesDoc, { description: 'The series', example: WAIT_EXAMPLE })
  @ApiProblems(invalidRequest('window', 'window must be one of 15m, 1h, 6h, 24h'), PROBLEMS.unauthenticated, PROBLEMS.forbidden, PROBLEMS.databaseUnavailable)
  async wait(@Query(strictValidation) query: WaitQuery): Promise<WaitView> {
    const window = query.window ?? '1h';
    if (query.account !== undefined && !this.config.accounts.some((account) => account.id === query.account))
      throw invalidField('account', 'account must be one of the configured CleverTap accounts');
    const windowSeconds = WAIT_WINDOWS[window];
    const series = await this.readModel.waits({ windowSeconds, buckets: WAIT_BUCKETS, sampleLimit: WAIT_SAMPLE_LIMIT, accountId: query.account });
    const bucketSeconds = windowSeconds / WAIT_BUCKETS;
    return {
      account_id: query.account ?? null,
      window,
      from: series.from.toISOString(),
      to: series.to.toISOString(),
      bucket_seconds: bucketSeconds,
      sample_limit: WAIT_SAMPLE_LIMIT,
      overall: bucketView(series.overall),
      buckets: series.buckets.map((bucket) => ({
        start: new Date(series.from.getTime() + bucket.index * bucketSeconds * 1000).toISOString(),
        ...bucketView(bucket),
      })),
    };
  }
}
