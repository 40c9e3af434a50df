import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { QueryFailedError } from 'typeorm';
import { noteRefusal } from '../metrics/http-metrics.js';
import { allowedMethods } from './allowed-methods.js';
import { BODY_REFUSALS, frameworkError, isIngestPath, pathOf, sendError } from './error-response.js';
import { GatewayError } from './gateway.error.js';
import { scrubGatewayKeys } from './secret-scrubber.js';

/** Keeps a refused ingest body (in the rejection log) before the refusal is answered. */
export type BodyRefusalRecorder = (request: FastifyRequest, error: GatewayError, rawBody?: string) => Promise<void>;

/**
 * The one place errors become responses: CleverTap's shape on the ingest route, problem+json on /v1.
 * Anything unexpected is logged with the request id and answered without internals; database trouble
 * becomes 503 so clients retry (with an Idempotency-Key, safely).
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  constructor(
    private readonly recordBodyRefusal?: BodyRefusalRecorder,
    /** Blanks the secrets the gateway knows of (see secretScrubber) in messages that quote the request. */
    private readonly scrub: (text: string) => string = (text) => text,
  ) {}

  async catch(exception: unknown, host: ArgumentsHost): Promise<void> {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    // A client that went away mid-request (an abandoned upload) is nobody's error and has no one to answer.
    if (request.raw.socket?.destroyed) return;
    const error = this.toGatewayError(exception, request);
    noteRefusal(request, error.code); // the metrics hook counts ingest refusals by code
    if (this.recordBodyRefusal && BODY_REFUSALS.has(error.code) && isIngestPath(pathOf(request)))
      await this.recordBodyRefusal(request, error, (exception as { rawBody?: string }).rawBody);
    sendError(request, reply, this.shown(error));
  }

  /** A message may quote the request (an unknown field's or parameter's name): bounded, and never a secret. */
  private shown(error: GatewayError): GatewayError {
    const bounded = (text: string) => this.scrub(text.length > MAX_MESSAGE_CHARS ? `${text.slice(0, MAX_MESSAGE_CHARS)}...` : text);
    const message = bounded(error.message);
    const errors = error.errors?.map((e) => ({ field: bounded(e.field), message: bounded(e.message) }));
    const same = message === error.message && (errors ?? []).every((e, i) => e.field === error.errors![i].field && e.message === error.errors![i].message);
    return same ? error : new GatewayError(error.code, error.httpStatus, message, errors, error.headers);
  }

  private toGatewayError(exception: unknown, request: FastifyRequest): GatewayError {
    if (exception instanceof GatewayError) return exception;
    // Nest hands Fastify's own errors over as an HttpException caused by them.
    const refusedByFramework = frameworkError(((exception as { cause?: unknown })?.cause ?? exception) as { code?: unknown });
    if (refusedByFramework) return refusedByFramework;
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      if (status === 404) {
        // No route matched: a path that exists with other methods is a 405, not a 404.
        const allowed = allowedMethods(request.server, pathOf(request));
        if (allowed.length > 0 && !allowed.includes(request.method))
          return new GatewayError('method_not_allowed', 405, `${request.method} is not allowed on this path; it allows ${allowed.join(', ')}`, undefined, { Allow: allowed.join(', ') });
      }
      return new GatewayError(status === 404 ? 'not_found' : 'http_error', status, exception.message);
    }
    if (isDatabaseUnavailable(exception)) {
      this.logger.error(`database unavailable (request ${request.id}): ${(exception as Error).message}`);
      return new GatewayError('database_unavailable', 503, 'The gateway cannot reach its database, so the event was not accepted. Retry later (with an Idempotency-Key a retry is always safe).');
    }
    // A driver's message may quote a value from the request.
    this.logger.error(scrubGatewayKeys(`unexpected error (request ${request.id}): ${(exception as Error)?.stack ?? exception}`));
    return new GatewayError('internal_error', 500, `Internal error; quote request id ${request.id}`);
  }
}

const MAX_MESSAGE_CHARS = 1000;

const CONNECTION_ERROR_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', '57P01', '57P02', '57P03', '08006', '08001', '08003']);

function isDatabaseUnavailable(exception: unknown): boolean {
  const error = exception as { code?: string; syscall?: string; driverError?: { code?: string }; message?: string };
  const code = error?.driverError?.code ?? error?.code;
  if (code && CONNECTION_ERROR_CODES.has(code)) return true;
  // Over a Unix socket (the embedded Postgres), a stopped server has removed its socket file.
  if (code === 'ENOENT' && error?.syscall === 'connect') return true;
  const message = error?.message ?? '';
  return (
    exception instanceof QueryFailedError && /terminat|connection|ECONNREFUSED/i.test(message)
  ) || /Connection terminated|timeout exceeded when trying to connect|connect (ECONNREFUSED|ENOENT)/i.test(message);
}
