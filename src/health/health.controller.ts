import { Controller, Get, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService, type HealthCheckResult } from '@nestjs/terminus';
import type { FastifyReply } from 'fastify';
import { AccountsIndicator } from './accounts.indicator.js';
import { AuditLogIndicator } from './audit-log.indicator.js';
import { DatabaseIndicator } from './database.indicator.js';
import { DispatcherIndicator } from './dispatcher.indicator.js';
import { ApiProblems, PROBLEMS } from '../openapi/api-docs.js';
import { READY_DEGRADED_EXAMPLE, READY_DOWN_EXAMPLE, READY_OK_EXAMPLE } from './health.examples.js';

/** Short, so a probe learns about a hung database well within its own timeout. */
const DATABASE_TIMEOUT_MS = 1000;

@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicator: HealthIndicatorService,
    private readonly database: DatabaseIndicator,
    private readonly dispatcher: DispatcherIndicator,
    private readonly accounts: AccountsIndicator,
    private readonly auditLog: AuditLogIndicator,
  ) {}

  @Get('live')
  @HealthCheck({ noCache: true, swaggerDocumentation: false })
  @ApiOperation({ operationId: 'getLiveness', summary: 'Liveness: the process answers', description: 'Does not touch the database, so an outage there does not get the process restarted.' })
  @ApiOkResponse({ description: 'The process is alive', schema: { example: { status: 'ok', info: { process: { status: 'up', pid: 1, uptime_seconds: 42 } }, error: {}, details: {} } } })
  @ApiProblems(PROBLEMS.unreadableRequest)
  live(): Promise<HealthCheckResult> {
    return this.health.check([
      () => this.indicator.check('process').up({ pid: process.pid, uptime_seconds: Math.round(process.uptime()) }),
    ]);
  }

  @Get('ready')
  @HealthCheck({ noCache: true, swaggerDocumentation: false })
  @ApiOperation({
    operationId: 'getReadiness',
    summary: 'Readiness: database, migrations, dispatcher, CleverTap accounts',
    description:
      '503 when the database does not answer within 1 s, a migration is pending, the dispatcher is not running or the ' +
      'process is shutting down. An account with an open circuit or paused for rejected credentials keeps it at 200 ' +
      'with status "degraded": its events are still accepted and queued. So does the audit log when the checkpoint signer ' +
      'refuses to sign (the database no longer matches its last checkpoint) or event_status disagrees with the log.',
  })
  @ApiOkResponse({ description: 'Ready (status ok) or ready with troubled accounts (status degraded)', content: { 'application/json': { examples: { ok: { value: READY_OK_EXAMPLE }, degraded: { value: READY_DEGRADED_EXAMPLE } } } } })
  @ApiServiceUnavailableResponse({ description: 'Not ready', content: { 'application/json': { example: READY_DOWN_EXAMPLE } } })
  @ApiProblems(PROBLEMS.unreadableRequest)
  async ready(@Res({ passthrough: true }) response: FastifyReply): Promise<HealthCheckResult> {
    try {
      return await this.health.check([
        () => this.database.reachable(DATABASE_TIMEOUT_MS),
        () => this.database.migrated(DATABASE_TIMEOUT_MS),
        () => this.dispatcher.running(),
        () => this.accounts.states(DATABASE_TIMEOUT_MS),
        () => this.auditLog.state(),
      ]);
    } catch (error) {
      // Answered here, not by the global filter, which would drop the details a probe's reader needs.
      if (!(error instanceof ServiceUnavailableException)) throw error;
      response.code(503).header('Retry-After', '5');
      return error.getResponse() as HealthCheckResult;
    }
  }
}
