import type { FastifyReply, FastifyRequest } from 'fastify';
import { GatewayError, PROBLEM_TITLES } from './gateway.error.js';
import { scrubGatewayKeys } from './secret-scrubber.js';

/** The ingest route answers in CleverTap's shape, so partners' CleverTap clients understand it. */
export const isIngestPath = (path: string) => path.startsWith('/1/');

/** The request's path, without its query string. */
export function pathOf(request: FastifyRequest): string {
  const query = request.url.indexOf('?');
  return query === -1 ? request.url : request.url.slice(0, query);
}

export function sendError(request: FastifyRequest, reply: FastifyReply, error: GatewayError): void {
  // A streamed answer (an export) that fails midway can only be cut short.
  if (reply.raw.headersSent) return;
  const ingest = isIngestPath(pathOf(request));
  const contentType = ingest ? 'application/json; charset=utf-8' : 'application/problem+json; charset=utf-8';
  // A message may quote the request (an unknown field's name): a key pasted there does not come back.
  const message = scrubGatewayKeys(error.message);
  const body = ingest ? { status: 'fail', error: message, code: error.httpStatus } : problemOf(error, message, request.id);
  const headers = { ...(error.httpStatus === 503 ? { 'Retry-After': '5' } : {}), ...challengeOf(request, error), ...error.headers };
  if (reply.sent) {
    // The handler took the raw response over (reply.hijack) and failed before writing to it.
    reply.raw.writeHead(error.httpStatus, { 'Content-Type': contentType, 'X-Request-Id': request.id, ...headers });
    reply.raw.end(JSON.stringify(body));
    return;
  }
  reply.code(error.httpStatus).headers(headers).type(contentType).send(body);
}

/** An RFC 9457 problem: a fixed title per type, this request's detail, and the invalid fields of a validation failure. */
export function problemOf(error: GatewayError, detail: string, requestId?: string): Record<string, unknown> {
  return {
    type: `urn:bulletin-gateway:error:${error.code}`,
    title: PROBLEM_TITLES[error.code] ?? PROBLEM_TITLES.http_error,
    status: error.httpStatus,
    detail,
    code: error.code,
    ...(requestId === undefined ? {} : { request_id: requestId }),
    ...(error.errors?.length ? { errors: error.errors.map((e) => ({ field: scrubGatewayKeys(e.field), message: scrubGatewayKeys(e.message) })) } : {}),
  };
}

/**
 * RFC 6750's challenge on every 401, the ingest route's included: `invalid_token` when a key was sent
 * (in either header the gateway reads keys from) but is not valid.
 */
function challengeOf(request: FastifyRequest, error: GatewayError): Record<string, string> {
  if (error.httpStatus !== 401) return {};
  const sent = Boolean(request.headers.authorization || request.headers['x-clevertap-passcode']);
  return { 'WWW-Authenticate': `Bearer realm="bulletin-gateway"${sent ? ', error="invalid_token"' : ''}` };
}

/** Fastify's own refusals of a request body (see http-pipeline.ts for the JSON parser's), in the gateway's terms. */
export function frameworkError(error: { code?: unknown }): GatewayError | undefined {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new GatewayError('payload_too_large', 413, 'The request body is larger than the gateway accepts');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_TYPE':
      return new GatewayError('unsupported_media_type', 415, 'Content-Type must be application/json');
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new GatewayError('malformed_body', 400, 'The request body does not match its Content-Length');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new GatewayError('malformed_json', 400, 'The request body is not valid JSON');
    default:
      return undefined;
  }
}

/** The gateway's refusals of a body it could not read; on the ingest route they are kept in the rejection log. */
export const BODY_REFUSALS = new Set([
  'payload_too_large',
  'unsupported_media_type',
  'unsupported_content_encoding',
  'malformed_body',
  'malformed_json',
  'unsupported_encoding',
  'invalid_utf8',
  'json_too_deep',
  'unstorable_text',
]);
