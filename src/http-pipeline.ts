import helmet from '@fastify/helmet';
import type { INestApplication } from '@nestjs/common';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type IncomingMessage, STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { RejectionLog } from './rejections/rejection-log.js';
import { withReceivedBytes } from './rejections/received-bytes.js';
import { recordRoutes } from './common/allowed-methods.js';
import { NextPageLinkInterceptor } from './common/next-page-link.interceptor.js';
import { AllExceptionsFilter, type BodyRefusalRecorder } from './common/all-exceptions.filter.js';
import { isIngestPath, pathOf, problemOf, sendError } from './common/error-response.js';
import { type ErrorCode, GatewayError } from './common/gateway.error.js';
import { isSafeHeaderToken } from './common/header-tokens.js';
import { secretScrubber } from './common/secret-scrubber.js';
import { findUnstorableText, jsonNestsDeeperThan } from './common/untrusted-json.js';
import type { GatewayConfig } from './config/gateway-config.js';
import { headerOf, presentedKey } from './access/partner-auth.guard.js';
import { KeyAuthenticator } from './access/key-authenticator.js';

const PROBE_PATH = /^\/(health|metrics)\b/;
/** `application/json` and the structured `+json` types, with any parameters. */
const JSON_MEDIA_TYPE = /^application\/([\w.-]+\+)?json\s*(;|$)/i;
const CHARSET = /;\s*charset\s*=\s*"?([^";\s]+)/i;

/**
 * Fastify under Nest: on this machine a bare Nest route answered about 6 times more requests per second
 * on Fastify than on Express, and the HTTP layer was the largest cost of ingest. The timeouts bound how
 * long a client may hold a connection without sending (docs/security.md).
 */
export function createHttpAdapter(config: GatewayConfig): FastifyAdapter {
  const scrub = secretScrubber(config);
  const adapter = new FastifyAdapter({
    bodyLimit: config.maxBodyBytes,
    genReqId: (request: IncomingMessage) => requestIdOf(request, scrub),
    // One line per request is written by the onResponse hook below, in the gateway's own format.
    logger: false,
    // Express, which the API was first built on, matched `/v1/events/` like `/v1/events`.
    routerOptions: { ignoreTrailingSlash: true },
    requestTimeout: config.http.requestTimeoutMs,
    connectionTimeout: config.http.idleTimeoutMs,
    keepAliveTimeout: config.http.keepAliveTimeoutMs,
    http: {
      headersTimeout: config.http.headersTimeoutMs,
      // How often Node looks for requests past their timeouts (30 s by default, which would double them).
      connectionsCheckingInterval: Math.min(1000, config.http.headersTimeoutMs),
    },
    // A bad URL or an over-long path segment is refused in the route's error shape, without echoing it.
    frameworkErrors: answerFrameworkError,
    clientErrorHandler: answerClientError,
  });
  adapter.getInstance().server.maxConnections = config.http.maxConnections;
  return adapter;
}

/**
 * A caller's `X-Request-Id` is kept (so logs correlate across systems) only when it may be copied into
 * logs, the database and exports (see isSafeHeaderToken); otherwise the gateway makes one, and the
 * response's X-Request-Id says which.
 */
function requestIdOf(request: IncomingMessage, scrub: (text: string) => string): string {
  const given = request.headers['x-request-id'];
  return typeof given === 'string' && isSafeHeaderToken(given, scrub) ? given : randomUUID();
}

function answerFrameworkError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  reply.header('X-Request-Id', request.id);
  const refusal =
    error.code === 'FST_ERR_MAX_PARAM_LENGTH'
      ? new GatewayError('uri_too_long', 414, 'A segment of the request path is longer than the gateway accepts')
      : error.code === 'FST_ERR_BAD_URL'
        ? new GatewayError('bad_url', 400, 'The request URL is not valid')
        : new GatewayError('bad_request', 400, 'The request could not be routed');
  sendError(request, reply, refusal);
}

/**
 * Refusals of Node's HTTP parser, before Fastify has a request: a request past its timeout (408),
 * headers too large (431), bytes that are not HTTP (400). Answered in the route's error shape when the
 * request line was read (CleverTap's for ingest, problem+json otherwise), never echoing input.
 */
function answerClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, code, message] =
    error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? [408, 'request_timeout', 'The request was not received in time']
      : error.code === 'HPE_HEADER_OVERFLOW'
        ? [431, 'headers_too_large', 'The request headers are larger than the gateway accepts']
        : [400, 'bad_request', 'The request is not valid HTTP'];
  const url = (socket as { parser?: { incoming?: { url?: string } } }).parser?.incoming?.url ?? '';
  const [contentType, body] = isIngestPath(url)
    ? ['application/json; charset=utf-8', JSON.stringify({ status: 'fail', error: message, code: status })]
    : ['application/problem+json; charset=utf-8', JSON.stringify(problemOf(new GatewayError(code as ErrorCode, status, message), message))];
  if (socket.writable)
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: ${contentType}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `X-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n${body}`,
    );
  socket.destroy(error);
}

/**
 * Everything a request passes through besides its controller: security headers, correlation id, one
 * log line, the Content-Type and Content-Encoding rules and the JSON body parser. Every refusal, the
 * parser's included, goes through AllExceptionsFilter, so it is answered in the route's error shape.
 */
export async function configureHttpPipeline(app: INestApplication, config: GatewayConfig, logger: Logger): Promise<void> {
  const fastify = (app as NestFastifyApplication).getHttpAdapter().getInstance();
  // Registered before the hooks below so its headers are set even on a request they refuse.
  await fastify.register(helmet, { contentSecurityPolicy: { directives: CONTENT_SECURITY_POLICY } });
  recordRoutes(fastify);
  fastify.addHook('onRequest', async (request, reply) => {
    reply.header('X-Request-Id', request.id);
    refuseEncodedBodies(request);
    if (request.method === 'POST' && isIngestPath(pathOf(request)) && !JSON_MEDIA_TYPE.test(headerOf(request, 'content-type') ?? ''))
      throw new GatewayError('unsupported_media_type', 415, 'Content-Type must be application/json');
  });
  logEachRequest(fastify, config, logger);
  parseJsonBodies(fastify, config);
  app.useGlobalFilters(new AllExceptionsFilter(recordBodyRefusal(app, config), secretScrubber(config)));
  app.useGlobalInterceptors(new NextPageLinkInterceptor(secretScrubber(config)));
}

/**
 * Swagger UI (/docs) loads its scripts from this origin and styles itself inline; the console sets a
 * stricter policy of its own. No `upgrade-insecure-requests`: a gateway reached over plain HTTP on a
 * private network must keep working.
 */
const CONTENT_SECURITY_POLICY = {
  defaultSrc: ["'self'"],
  baseUri: ["'self'"],
  fontSrc: ["'self'", 'data:'],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
  imgSrc: ["'self'", 'data:'],
  objectSrc: ["'none'"],
  scriptSrc: ["'self'"],
  scriptSrcAttr: ["'none'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  upgradeInsecureRequests: null,
};

/**
 * Compressed bodies are refused rather than inflated: CleverTap's body is a few hundred bytes, and
 * inflating would let a small upload expand past every limit checked on the wire.
 */
function refuseEncodedBodies(request: FastifyRequest): void {
  const encoding = headerOf(request, 'content-encoding');
  if (encoding !== undefined && !/^\s*identity\s*$/i.test(encoding))
    throw new GatewayError('unsupported_content_encoding', 415, 'Content-Encoding is not supported: send the body uncompressed (identity)');
}

function logEachRequest(fastify: FastifyInstance, config: GatewayConfig, logger: Logger): void {
  const scrub = secretScrubber(config);
  fastify.addHook('onResponse', async (request, reply) => {
    const status = reply.statusCode;
    // Probes and scrapes come every few seconds: keep them out of the info stream.
    const level = status >= 500 ? 'error' : PROBE_PATH.test(request.url) ? 'debug' : 'info';
    if (!logger.isLevelEnabled(level)) return;
    const account = headerOf(request, 'x-clevertap-account-id');
    logger[level](
      {
        // Both come from the client: a key pasted into the wrong header or the query string stays out of the log.
        req: { id: request.id, method: request.method, url: scrub(request.url), account: account === undefined ? undefined : safeAccountId(account, scrub) },
        res: { statusCode: status },
        responseTime: Math.round(reply.elapsedTime),
      },
      'request completed',
    );
  });
}

/** An account id header as it may be logged or stored (see isSafeHeaderToken). */
export function safeAccountId(value: string | undefined, scrub: (text: string) => string): string | undefined {
  if (value === undefined) return undefined;
  return isSafeHeaderToken(value, scrub) ? value : '(not an account id)';
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * JSON bodies of any top-level type (a bare string or array is refused by validation, in the route's
 * terms, not here), strict UTF-8, nested at most `maxJsonDepth` deep (checked on the text, before
 * anything recursive runs), every string storable by Postgres. Fastify enforces the size limit before
 * this runs.
 */
function parseJsonBodies(fastify: FastifyInstance, config: GatewayConfig): void {
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser(JSON_MEDIA_TYPE, { parseAs: 'buffer' }, (request, body, done) => {
    try {
      const parsed = parseJsonBody(headerOf(request, 'content-type'), body as Buffer, config.maxJsonDepth);
      done(null, withReceivedBytes(parsed, (body as Buffer).length));
    } catch (error) {
      done(error as Error, undefined);
    }
  });
}

function parseJsonBody(contentType: string | undefined, body: Buffer, maxDepth: number): unknown {
  const charset = CHARSET.exec(contentType ?? '')?.[1];
  if (charset && !/^utf-?8$/i.test(charset)) throw new GatewayError('unsupported_encoding', 415, 'The request body must be UTF-8 JSON');
  let text: string;
  try {
    text = UTF8.decode(body);
  } catch {
    throw withRawBody(new GatewayError('invalid_utf8', 400, 'The request body is not valid UTF-8'), body.toString('utf8'));
  }
  if (jsonNestsDeeperThan(text, maxDepth))
    throw withRawBody(new GatewayError('json_too_deep', 400, `The request body nests arrays or objects deeper than ${maxDepth} levels`), text);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw withRawBody(new GatewayError('malformed_json', 400, 'The request body is not valid JSON'), text);
  }
  const unstorable = findUnstorableText(parsed);
  if (unstorable) throw withRawBody(new GatewayError('unstorable_text', 400, unstorable), text);
  return parsed;
}

const withRawBody = (error: GatewayError, rawBody: string) => Object.assign(error, { rawBody });

/**
 * A body refused before routing still came from someone: if from a partner with a valid key, the
 * refusal is appended to the rejection log before it is answered (no guard or handler sees these).
 */
function recordBodyRefusal(app: INestApplication, config: GatewayConfig): BodyRefusalRecorder {
  const scrub = secretScrubber(config);
  return async (request: FastifyRequest, error: GatewayError, rawBody?: string): Promise<void> => {
    const key = presentedKey(request);
    const principal = key ? await app.get(KeyAuthenticator).authenticate(key).catch(() => undefined) : undefined;
    if (!principal) return;
    await app
      .get(RejectionLog)
      .record({
        partnerId: principal.partnerId,
        accountId: safeAccountId(headerOf(request, 'x-clevertap-account-id'), scrub),
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
