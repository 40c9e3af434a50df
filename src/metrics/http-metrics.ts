import type { INestApplication } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';
import { isIngestPath, pathOf } from '../common/error-response.js';
import { GatewayMetrics } from './gateway-metrics.js';

/** The code of the error each refused request was answered with (left by AllExceptionsFilter). */
const refusals = new WeakMap<FastifyRequest, string>();

export function noteRefusal(request: FastifyRequest, code: string): void {
  refusals.set(request, code);
}

/**
 * Counts every answered request by route template (never the raw URL: ids would explode the series),
 * and every ingest request refused before its event was logged, whether by a handler or by the body
 * parser (every refusal passes through AllExceptionsFilter).
 */
export function instrumentHttp(app: INestApplication): void {
  const metrics = app.get(GatewayMetrics);
  const fastify = (app as NestFastifyApplication).getHttpAdapter().getInstance();
  fastify.addHook('onResponse', async (request, reply) => {
    metrics.httpRequestFinished(request.method, request.routeOptions.url ?? 'unmatched', reply.statusCode, reply.elapsedTime / 1000);
    const code = rejectionCode(request, reply.statusCode);
    if (code) metrics.eventRejected(code);
  });
}

/**
 * A refusal is an error the gateway itself produced on the ingest route. A 4xx relayed from CleverTap
 * is not one: that event was logged and sent, and its outcome is counted by the dispatcher.
 */
function rejectionCode(request: FastifyRequest, statusCode: number): string | undefined {
  if (request.method !== 'POST' || statusCode < 400 || !isIngestPath(pathOf(request))) return undefined;
  return refusals.get(request);
}
