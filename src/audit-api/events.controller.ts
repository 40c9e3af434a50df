import { Controller, Get, Inject, Logger, Param, Query, Req, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { DataSource } from 'typeorm';
import { GatewayError } from '../common/gateway.error.js';
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

class ExportQuery extends EventFilter {
  @IsOptional() @IsIn(['ndjson', 'csv'], { message: 'format must be ndjson or csv' })
  format?: 'ndjson' | 'csv';
}

/** Partners see only their own events; auditors, operators and admins see all. */
const visibleTo = (principal: Principal) => (canReadEverything(principal) ? undefined : principal.partnerId);

const notFound = () => new GatewayError('not_found', 404, 'No such event');

@Controller('v1/events')
@UseGuards(ApiAuthGuard)
export class EventsController {
  private readonly logger = new Logger('Export');

  constructor(
    private readonly events: EventAuditRepository,
    private readonly db: DataSource,
    private readonly proofs: LogProofs,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  @Get()
  list(@Req() request: AuthenticatedRequest, @Query(strictValidation) query: EventListQuery): Promise<EventPage> {
    return this.events.list(query, visibleTo(request.principal));
  }

  @Get('counts')
  counts(@Req() request: AuthenticatedRequest, @Query(strictValidation) filter: EventFilter) {
    return this.events.countByStatus(filter, visibleTo(request.principal));
  }

  @Get('export')
  async export(@Req() request: AuthenticatedRequest, @Res() reply: FastifyReply, @Query(strictValidation) query: ExportQuery) {
    const { format = 'ndjson', ...filter } = query;
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
  async get(@Req() request: AuthenticatedRequest, @Param('id') id: string): Promise<Record<string, unknown>> {
    const event = await this.events.findWithTimeline(id, visibleTo(request.principal));
    if (!event) throw notFound();
    return event;
  }
}
