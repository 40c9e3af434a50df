import type { INestApplication } from '@nestjs/common';
import express, { type NextFunction, type Request, type Response } from 'express';
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import { AllExceptionsFilter } from './common/all-exceptions.filter.js';
import { bodyParserError, isIngestPath, sendError } from './common/error-response.js';
import { GatewayError } from './common/gateway.error.js';
import { secretScrubber } from './common/secret-scrubber.js';
import type { GatewayConfig } from './config/gateway-config.js';
import { RejectionLog } from './audit/rejection-log.js';
import { presentedKey } from './partners/partner-auth.guard.js';
import { KeyAuthenticator } from './partners/key-authenticator.js';

const REQUEST_ID = /^[\w.:-]{1,128}$/;
const PROBE_PATH = /^\/(health|metrics)\b/;

/**
 * Everything a request passes through before a controller: correlation id, one log line, the
 * Content-Type rule of the ingest route and the JSON body parser, whose errors are answered in the
 * route's error shape instead of Express's HTML page.
 */
export function configureHttpPipeline(app: INestApplication, config: GatewayConfig, logger: Logger): void {
  const scrub = secretScrubber(config);
  app.use(
    pinoHttp({
      logger,
      genReqId: (request, response) => {
        const given = request.headers['x-request-id'];
        const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
        response.setHeader('X-Request-Id', id);
        return id;
      },
      customLogLevel: (request, response, error) => {
        if (error || response.statusCode >= 500) return 'error';
        // Probes and scrapes come every few seconds: keep them out of the info stream.
        return PROBE_PATH.test(request.url ?? '') ? 'debug' : 'info';
      },
      serializers: {
        // Both come from the client: a key pasted into the wrong header or the query string stays out of the log.
        req: (request) => ({
          id: request.id,
          method: request.method,
          url: scrub(String(request.url)),
          account: scrub(String(request.headers['x-clevertap-account-id'] ?? '')) || undefined,
        }),
        res: (response) => ({ statusCode: response.statusCode }),
      },
    }),
  );
  const refuse = refuseIngest(app);
  app.use((request: Request, response: Response, next: NextFunction) => {
    if (request.method === 'POST' && isIngestPath(request.path) && !request.is('application/json'))
      void refuse(request, response, new GatewayError('unsupported_media_type', 415, 'Content-Type must be application/json'));
    else next();
  });
  app.use(express.json({ limit: config.maxBodyBytes, type: ['application/json', 'application/*+json'], strict: false }));
  app.use((error: unknown, request: Request, response: Response, next: NextFunction) => {
    const translated = bodyParserError(error as { type?: string });
    if (translated) void refuse(request, response, translated, (error as { body?: string }).body);
    else next(error);
  });
  app.useGlobalFilters(new AllExceptionsFilter());
}

/**
 * Refuses a body the parser could not accept. If it came from a partner with a valid key, the refusal
 * is appended to the rejection log first (these requests never reach a guard or a handler).
 */
function refuseIngest(app: INestApplication) {
  return async (request: Request, response: Response, error: GatewayError, rawBody?: string): Promise<void> => {
    const key = isIngestPath(request.path) ? presentedKey(request) : undefined;
    const principal = key ? await app.get(KeyAuthenticator).authenticate(key).catch(() => undefined) : undefined;
    if (principal)
      await app
        .get(RejectionLog)
        .record({
          partnerId: principal.partnerId,
          accountId: request.header('x-clevertap-account-id'),
          error,
          body: rawBody ?? `(${error.code}: body not kept)`,
          requestId: String(request.id),
        })
        .catch(() => undefined);
    sendError(request, response, error);
  };
}
