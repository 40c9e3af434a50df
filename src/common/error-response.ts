import type { FastifyReply, FastifyRequest } from 'fastify';
import { GatewayError } from './gateway.error.js';
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
  const body = ingest
    ? { status: 'fail', error: message, code: error.httpStatus }
    : { type: `urn:bulletin-gateway:error:${error.code}`, title: message, status: error.httpStatus, code: error.code, request_id: request.id };
  const retryAfter = error.httpStatus === 503 ? { 'Retry-After': '5' } : {};
  if (reply.sent) {
    // The handler took the raw response over (reply.hijack) and failed before writing to it.
    reply.raw.writeHead(error.httpStatus, { 'Content-Type': contentType, 'X-Request-Id': request.id, ...retryAfter });
    reply.raw.end(JSON.stringify(body));
    return;
  }
  reply.code(error.httpStatus).headers(retryAfter).type(contentType).send(body);
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
