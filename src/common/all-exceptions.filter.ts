import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { QueryFailedError } from 'typeorm';
import { ERROR_CODE_LOCAL } from '../metrics/http-metrics.js';
import { sendError } from './error-response.js';
import { GatewayError } from './gateway.error.js';

/**
 * The one place errors become responses: CleverTap's shape on the ingest route, problem+json on /v1.
 * Anything unexpected is logged with the request id and answered without internals; database trouble
 * becomes 503 so clients retry (with an Idempotency-Key, safely).
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    const error = this.toGatewayError(exception, request);
    response.locals[ERROR_CODE_LOCAL] = error.code; // the metrics middleware counts ingest refusals by code
    sendError(request, response, error);
  }

  private toGatewayError(exception: unknown, request: Request): GatewayError {
    if (exception instanceof GatewayError) return exception;
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      return new GatewayError(status === 404 ? 'not_found' : 'http_error', status, exception.message);
    }
    const requestId = String((request as { id?: unknown }).id ?? '');
    if (isDatabaseUnavailable(exception)) {
      this.logger.error(`database unavailable (request ${requestId}): ${(exception as Error).message}`);
      return new GatewayError('database_unavailable', 503, 'The gateway cannot reach its database, so the event was not accepted. Retry later (with an Idempotency-Key a retry is always safe).');
    }
    this.logger.error(`unexpected error (request ${requestId}): ${(exception as Error)?.stack ?? exception}`);
    return new GatewayError('internal_error', 500, `Internal error; quote request id ${requestId}`);
  }
}

const CONNECTION_ERROR_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', '57P01', '57P02', '57P03', '08006', '08001', '08003']);

function isDatabaseUnavailable(exception: unknown): boolean {
  const error = exception as { code?: string; driverError?: { code?: string }; message?: string };
  const code = error?.driverError?.code ?? error?.code;
  if (code && CONNECTION_ERROR_CODES.has(code)) return true;
  const message = error?.message ?? '';
  return (
    exception instanceof QueryFailedError && /terminat|connection|ECONNREFUSED/i.test(message)
  ) || /Connection terminated|timeout exceeded when trying to connect|connect ECONNREFUSED/i.test(message);
}
