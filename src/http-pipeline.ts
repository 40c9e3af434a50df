import type { INestApplication } from '@nestjs/common';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { IncomingMessage } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { RejectionLog } from './rejections/rejection-log.js';
import { withReceivedBytes } from './rejections/received-bytes.js';
import { AllExceptionsFilter, type BodyRefusalRecorder } from './common/all-exceptions.filter.js';
import { isIngestPath, pathOf } from './common/error-response.js';
import { GatewayError } from './common/gateway.error.js';
import { secretScrubber } from './common/secret-scrubber.js';
import type { GatewayConfig } from './config/gateway-config.js';
import { headerOf, presentedKey } from './access/partner-auth.guard.js';
import { KeyAuthenticator } from './access/key-authenticator.js';

const REQUEST_ID = /^[\w.:-]{1,128}$/;
const PROBE_PATH = /^\/(health|metrics)\b/;
/** `application/json` and the structured `+json` types, with any parameters. */
const JSON_MEDIA_TYPE = /^application\/([\w.-]+\+)?json\s*(;|$)/i;
const CHARSET = /;\s*charset\s*=\s*"?([^";\s]+)/i;

/**
 * Fastify under Nest: on this machine a bare Nest route answered about 6 times more requests per second
 * on Fastify than on Express, and the HTTP layer was the largest cost of ingest.
 */
export function createHttpAdapter(config: GatewayConfig): FastifyAdapter {
  return new FastifyAdapter({
    bodyLimit: config.maxBodyBytes,
    genReqId: requestIdOf,
    // One line per request is written by the onResponse hook below, in the gateway's own format.
    logger: false,
    // Express, which the API was first built on, matched `/v1/events/` like `/v1/events`.
    routerOptions: { ignoreTrailingSlash: true },
  });
}

/** A caller's `X-Request-Id` is kept (so logs correlate across systems) when it is a sane token. */
function requestIdOf(request: IncomingMessage): string {
  const given = request.headers['x-request-id'];
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
}

/**
 * Everything a request passes through besides its controller: correlation id, one log line, the
 * Content-Type rule of the ingest route and the JSON body parser. Every refusal, the parser's included,
 * goes through AllExceptionsFilter, so it is answered in the route's error shape.
 */
export function configureHttpPipeline(app: INestApplication, config: GatewayConfig, logger: Logger): void {
  const fastify = (app as NestFastifyApplication).getHttpAdapter().getInstance();
  fastify.addHook('onRequest', async (request, reply) => {
    reply.header('X-Request-Id', request.id);
    if (request.method === 'POST' && isIngestPath(pathOf(request)) && !JSON_MEDIA_TYPE.test(headerOf(request, 'content-type') ?? ''))
      throw new GatewayError('unsupported_media_type', 415, 'Content-Type must be application/json');
  });
  logEachRequest(fastify, config, logger);
  parseJsonBodies(fastify);
  app.useGlobalFilters(new AllExceptionsFilter(recordBodyRefusal(app)));
}

function logEachRequest(fastify: FastifyInstance, config: GatewayConfig, logger: Logger): void {
  const scrub = secretScrubber(config);
  fastify.addHook('onResponse', async (request, reply) => {
    const status = reply.statusCode;
    // Probes and scrapes come every few seconds: keep them out of the info stream.
    const level = status >= 500 ? 'error' : PROBE_PATH.test(request.url) ? 'debug' : 'info';
    if (!logger.isLevelEnabled(level)) return;
    logger[level](
      {
        // Both come from the client: a key pasted into the wrong header or the query string stays out of the log.
        req: { id: request.id, method: request.method, url: scrub(request.url), account: scrub(headerOf(request, 'x-clevertap-account-id') ?? '') || undefined },
        res: { statusCode: status },
        responseTime: Math.round(reply.elapsedTime),
      },
      'request completed',
    );
  });
}

/**
 * JSON bodies of any top-level type (a bare string or array is refused by validation, in the route's
 * terms, not here), UTF-8 only. Fastify enforces the size limit before this runs.
 */
function parseJsonBodies(fastify: FastifyInstance): void {
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser(JSON_MEDIA_TYPE, { parseAs: 'string' }, (request, body, done) => {
    const charset = CHARSET.exec(headerOf(request, 'content-type') ?? '')?.[1];
    if (charset && !/^utf-?8$/i.test(charset)) {
      done(new GatewayError('unsupported_encoding', 415, 'The request body must be UTF-8 JSON'), undefined);
      return;
    }
    try {
      done(null, withReceivedBytes(JSON.parse(body as string), Buffer.byteLength(body as string, 'utf8')));
    } catch {
      done(Object.assign(new GatewayError('malformed_json', 400, 'The request body is not valid JSON'), { rawBody: body }), undefined);
    }
  });
}

/**
 * A body refused before routing still came from someone: if from a partner with a valid key, the
 * refusal is appended to the rejection log before it is answered (no guard or handler sees these).
 */
function recordBodyRefusal(app: INestApplication): BodyRefusalRecorder {
  return async (request: FastifyRequest, error: GatewayError, rawBody?: string): Promise<void> => {
    const key = presentedKey(request);
    const principal = key ? await app.get(KeyAuthenticator).authenticate(key).catch(() => undefined) : undefined;
    if (!principal) return;
    await app
      .get(RejectionLog)
      .record({
        partnerId: principal.partnerId,
        accountId: headerOf(request, 'x-clevertap-account-id'),
        error,
        body: rawBody ?? `(${error.code}: body not kept)`,
        bodyBytes: rawBody !== undefined ? Buffer.byteLength(rawBody, 'utf8') : declaredBodyBytes(request),
        requestId: request.id,
      })
      .catch(() => undefined);
  };
}

/**
 * A body refused unread (too large, wrong type) is known by its Content-Length; a chunked one has no
 * known size, recorded as 0.
 */
function declaredBodyBytes(request: FastifyRequest): number {
  const length = Number(request.headers['content-length']);
  return Number.isSafeInteger(length) && length >= 0 ? length : 0;
}
