import type { Request, Response } from 'express';
import { GatewayError } from './gateway.error.js';

/** The ingest route answers in CleverTap's shape, so partners' CleverTap clients understand it. */
export const isIngestPath = (path: string) => path.startsWith('/1/');

export function sendError(request: Request, response: Response, error: GatewayError): void {
  if (response.headersSent) return;
  const requestId = String((request as { id?: unknown }).id ?? '');
  if (error.httpStatus === 503) response.setHeader('Retry-After', '5');
  if (isIngestPath(request.path)) {
    response.status(error.httpStatus).json({ status: 'fail', error: error.message, code: error.httpStatus });
    return;
  }
  response
    .status(error.httpStatus)
    .type('application/problem+json')
    .json({ type: `urn:bulletin-gateway:error:${error.code}`, title: error.message, status: error.httpStatus, code: error.code, request_id: requestId });
}

/** Errors raised by the JSON body parser (express), in the gateway's terms. */
export function bodyParserError(error: { type?: string; status?: number; message?: string }): GatewayError | undefined {
  switch (error.type) {
    case 'entity.too.large':
      return new GatewayError('payload_too_large', 413, 'The request body is larger than the gateway accepts');
    case 'entity.parse.failed':
      return new GatewayError('malformed_json', 400, 'The request body is not valid JSON');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new GatewayError('unsupported_encoding', 415, 'The request body must be UTF-8 JSON');
    default:
      return undefined;
  }
}
