import type { INestApplication } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { isIngestPath } from '../common/error-response.js';
import { TRIGGER_PATH } from '../dispatch/clevertap-client.js';
import { GatewayMetrics } from './gateway-metrics.js';

/** Where AllExceptionsFilter leaves the code of the error it answered with. */
export const ERROR_CODE_LOCAL = 'errorCode';

/**
 * Errors the HTTP pipeline answers before routing (http-pipeline.ts) never reach the exception filter;
 * their status identifies them.
 */
const PIPELINE_ERRORS: Record<number, string> = { 400: 'malformed_json', 413: 'payload_too_large', 415: 'unsupported_media_type' };

/**
 * Counts every answered request by route template (never the raw URL: ids would explode the series),
 * and every ingest request refused before its event was logged. Installed first, so it sees requests
 * that the pipeline's own middleware answers too.
 */
export function instrumentHttp(app: INestApplication): void {
  const metrics = app.get(GatewayMetrics);
  app.use((request: Request, response: Response, next: NextFunction) => {
    const started = performance.now();
    response.once('finish', () => {
      const route = routeOf(request);
      metrics.httpRequestFinished(request.method, route, response.statusCode, (performance.now() - started) / 1000);
      const code = rejectionCode(request, response);
      if (code) metrics.eventRejected(code);
    });
    next();
  });
}

function routeOf(request: Request): string {
  if (request.route?.path) return `${request.baseUrl}${request.route.path}`;
  return request.path === TRIGGER_PATH ? TRIGGER_PATH : 'unmatched';
}

/**
 * A refusal is an error the gateway itself produced on the ingest route. A 4xx relayed from CleverTap
 * is not one: that event was logged and sent, and its outcome is counted by the dispatcher.
 */
function rejectionCode(request: Request, response: Response): string | undefined {
  if (request.method !== 'POST' || !isIngestPath(request.path) || response.statusCode < 400) return undefined;
  const filtered = response.locals[ERROR_CODE_LOCAL];
  if (typeof filtered === 'string') return filtered;
  if (request.route) return undefined;
  return PIPELINE_ERRORS[response.statusCode] ?? `http_${response.statusCode}`;
}
