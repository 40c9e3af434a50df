import { Controller, Get, Inject, Logger, Param, Query, Req, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { DataSource } from 'typeorm';
import { GatewayError } from '../common/gateway.error.js';
import { secretScrubber } from '../common/secret-scrubber.js';
import { strictValidation } from '../common/query-validation.pipe.js';
import { GATEWAY_CONFIG } from '../config/config.module.js';
import type { GatewayConfig } from '../config/gateway-config.js';
import { EventFilter, EventListQuery } from '../event-log/event-filter.dto.js';
import { ApiAuthGuard, canReadEverything } from '../access/api-auth.guard.js';
import type { AuthenticatedRequest } from '../access/partner-auth.guard.js';
import type { Principal } from '../access/principal.js';
import { EventAuditRepository, type EventPage } from './event-audit.repository.js';
import { exportEvents, type ExportCheckpoint, failedMidStream } from './event-export.js';
import { LogProofs } from '../audit-log/log-proofs.service.js';
import { IsIn, IsOptional } from 'class-validator';
import { ApiExtraModels, ApiPropertyOptional, ApiResponse } from '@nestjs/swagger';
import { ANY_ROLE, ApiJsonResponse, ApiProblems, ApiV1Controller, ApiV1Operation, HEADERS, invalidRequest, notFound as notFoundProblem, PROBLEMS, type ProblemSpec } from '../openapi/api-docs.js';
import { ERASED_EVENT_DETAIL_EXAMPLE, EVENT_DETAIL_EXAMPLE, EVENT_SUMMARY_EXAMPLE, EventDetailView, EventPageView, StatusCountsView, TIMELINE_MODELS } from './event-views.js';

class ExportQuery extends EventFilter {
  @ApiPropertyOptional({ enum: ['ndjson', 'csv'], default: 'ndjson', description: 'NDJSON (one event per line, then a signed trailer) or CSV' })
  @IsOptional() @IsIn(['ndjson', 'csv'], { message: 'format must be ndjson or csv' })
  format?: 'ndjson' | 'csv';
}

/** Partners see only their own events; auditors, operators and admins see all. */
const visibleTo = (principal: Principal) => (canReadEverything(principal) ? undefined : principal.partnerId);

const notFound = () => new GatewayError('not_found', 404, 'No such event');

const SECRET_IN_FILTER: ProblemSpec = {
  status: 400,
  description: 'A filter holds a gateway key or passcode: nothing is exported',
  examples: { secretInFilter: { code: 'secret_in_request', detail: 'The export filter holds a gateway key or passcode: nothing was exported (rotate that key)' } },
};

@Controller('v1/events')
@UseGuards(ApiAuthGuard)
@ApiV1Controller('audit')
export class EventsController {
  private readonly logger = new Logger('Export');

  private readonly scrub: (text: string) => string;

  constructor(
    private readonly events: EventAuditRepository,
    private readonly db: DataSource,
    private readonly proofs: LogProofs,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {
    this.scrub = secretScrubber(config);
  }

  @Get()
  @ApiV1Operation({ id: 'listEvents', summary: 'List events, newest first', roles: ANY_ROLE, description: 'Filtered and paged by log position: new events never shift the pages being walked.' })
  @ApiJsonResponse(200, EventPageView, { description: 'A page of events', example: { data: [EVENT_SUMMARY_EXAMPLE], next_cursor: 'MTA0MQ' }, headers: { Link: HEADERS.link } })
  @ApiProblems(invalidRequest('limit', 'limit must be an integer from 1 to 500'), PROBLEMS.invalidCursor, PROBLEMS.unauthenticated, PROBLEMS.databaseUnavailable)
  list(@Req() request: AuthenticatedRequest, @Query(strictValidation) query: EventListQuery): Promise<EventPage> {
    return this.events.list(query, visibleTo(request.principal));
  }

  @Get('counts')
  @ApiV1Operation({ id: 'countEvents', summary: 'Count events by status', roles: ANY_ROLE, description: 'How many events match the filters in each status (the status filter itself is ignored).' })
  @ApiJsonResponse(200, StatusCountsView, { description: 'Counts per status', example: { counts: { queued: 3, retrying: 1, sent: 1200, failed: 4, exhausted: 0, uncertain: 1 }, total: 1209 } })
  @ApiProblems(invalidRequest('status', 'status must be one of queued, retrying, sent, failed, exhausted, uncertain'), PROBLEMS.unauthenticated, PROBLEMS.databaseUnavailable)
  counts(@Req() request: AuthenticatedRequest, @Query(strictValidation) filter: EventFilter) {
    return this.events.countByStatus(filter, visibleTo(request.principal));
  }

  @Get('export')
  @ApiV1Operation({
    id: 'exportEvents',
    summary: 'Export events as a file',
    roles: ANY_ROLE,
    description:
      'Streamed, any size. NDJSON is a proof: a header naming the signed checkpoint it was made against, each event with its leaves and their inclusion proofs, ' +
      'and a trailer signed by the log key (docs/audit-format.md §9.1; check it with `bulletin-gateway verify-export`). CSV is a view, not a proof. ' +
      'A failure midway ends the file with an error line.',
  })
  @ApiResponse({
    status: 200,
    description: 'The file (Content-Disposition: attachment)',
    headers: { 'X-Request-Id': HEADERS.requestId, 'Content-Disposition': { description: 'attachment; filename="bulletin-events.<format>"', schema: { type: 'string' } } },
    content: {
      'application/x-ndjson': { schema: { type: 'string' }, example: `${JSON.stringify(EVENT_SUMMARY_EXAMPLE)}\n` },
      'text/csv': { schema: { type: 'string' }, example: 'id,position,partner_id,partner_name,account_id,business_event,name,status,attempts,received_at,request_id,idempotency_key,last_error\n' },
    },
  })
  @ApiProblems(invalidRequest('format', 'format must be ndjson or csv'), SECRET_IN_FILTER, PROBLEMS.unauthenticated, PROBLEMS.databaseUnavailable)
  async export(@Req() request: AuthenticatedRequest, @Res() reply: FastifyReply, @Query(strictValidation) query: ExportQuery) {
    const { format = 'ndjson', ...filter } = query;
    // The filter is written into the file's header: a key pasted into it would be exported (and signed).
    const asked = JSON.stringify(filter);
    if (this.scrub(asked) !== asked)
      throw new GatewayError('secret_in_request', 400, 'The export filter holds a gateway key or passcode: nothing was exported (rotate that key)');
    const checkpoint = format === 'ndjson' ? await this.exportCheckpoint() : undefined;
    // Streamed straight to the socket, with backpressure; the rows never sit in memory together.
    reply.hijack();
    const response = reply.raw;
    response.statusCode = 200;
    response.setHeader('Content-Type', format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8');
    response.setHeader('Content-Disposition', `attachment; filename="bulletin-events.${format}"`);
    response.setHeader('X-Request-Id', request.id);
    try {
      await exportEvents({
        db: this.db,
        filter,
        format,
        output: response,
        onlyPartner: visibleTo(request.principal),
        checkpoint,
        signer: this.config.auditLog.signer,
        requestId: request.id,
      });
    } catch (error) {
      if (!failedMidStream(error) && !response.headersSent) {
        // Nothing sent yet: the error filter answers problem+json instead of a file.
        response.removeHeader('Content-Disposition');
        throw error;
      }
      // The file already ends with an error line (when the client is still there to read it).
      this.logger.error(`export failed midway (request ${request.id}, after ${(error as { rowsBeforeFailure?: number }).rowsBeforeFailure ?? 0} events): ${(error as Error).message}`);
    }
  }

  /** The checkpoint GET /v1/audit/checkpoint serves now; none while the log has no key. */
  private async exportCheckpoint(): Promise<ExportCheckpoint | undefined> {
    try {
      const served = await this.proofs.checkpoint();
      return { note: served.note, treeSize: served.treeSize };
    } catch (error) {
      if (error instanceof GatewayError && error.code === 'no_checkpoint') return undefined;
      throw error;
    }
  }

  @Get(':id')
  @ApiV1Operation({ id: 'getEvent', summary: 'One event with its payload and timeline', roles: ANY_ROLE })
  @ApiJsonResponse(200, EventDetailView, {
    description: 'The event',
    examples: {
      sent: { summary: 'A sent event', value: EVENT_DETAIL_EXAMPLE },
      erased: { summary: 'An event whose payload was erased', value: ERASED_EVENT_DETAIL_EXAMPLE },
    },
  })
  @ApiExtraModels(...TIMELINE_MODELS)
  @ApiProblems(notFoundProblem('No such event'), PROBLEMS.unauthenticated, PROBLEMS.databaseUnavailable)
  async get(@Req() request: AuthenticatedRequest, @Param('id') id: string): Promise<Record<string, unknown>> {
    const event = await this.events.findWithTimeline(id, visibleTo(request.principal));
    if (!event) throw notFound();
    return event;
  }
}
