import { Controller, Get, Header, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { GatewayMetrics } from './gateway-metrics.js';
import { MetricsCollector } from './metrics-collector.js';
import { ApiProblems, PROBLEMS } from '../openapi/api-docs.js';

const EXAMPLE = `# HELP bulletin_gateway_events_accepted_total Events appended to the log (idempotent replays are not counted again)
# TYPE bulletin_gateway_events_accepted_total counter
bulletin_gateway_events_accepted_total{account="sim-account"} 12
# HELP bulletin_gateway_queue_depth Events waiting for an attempt (queued or retrying), read from the database at scrape time
# TYPE bulletin_gateway_queue_depth gauge
bulletin_gateway_queue_depth{account="sim-account",status="queued"} 0
`;

@ApiTags('operations')
@Controller()
export class MetricsController {
  constructor(
    private readonly metrics: GatewayMetrics,
    private readonly collector: MetricsCollector,
  ) {}

  @Get('metrics')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ operationId: 'getMetrics', summary: 'Prometheus metrics', description: 'Text exposition format. Not authenticated: keep it on the internal network.' })
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'The metrics of this gateway process', content: { 'text/plain': { schema: { type: 'string' }, example: EXAMPLE } } })
  @ApiProblems(PROBLEMS.unreadableRequest)
  async scrape(@Res({ passthrough: true }) response: FastifyReply): Promise<string> {
    await this.collector.collect();
    response.type(this.metrics.contentType);
    return this.metrics.scrape();
  }
}
