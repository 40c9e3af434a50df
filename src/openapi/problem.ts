import type { SchemaObject } from '@nestjs/swagger';
import type { ErrorCode } from '../common/gateway.error.js';

export const PROBLEM_MEDIA_TYPE = 'application/problem+json';
export const PROBLEM_TYPE_PREFIX = 'urn:bulletin-gateway:error:';

/**
 * Every error code, the statuses it comes with and what it means: the catalogue published in the OpenAPI
 * document. Keyed by the `ErrorCode` union, so a code added there without an entry here fails the
 * typecheck. `method_not_allowed` is the /v1 conventions' 405; `headers_too_large` is answered by the HTTP
 * parser's refusals (http-pipeline.ts), outside the union.
 */
export const ERROR_CATALOGUE: Record<ErrorCode | 'method_not_allowed' | 'headers_too_large', { statuses: number[]; meaning: string }> = {
  invalid_request: { statuses: [400], meaning: 'The body or a parameter is not valid; `errors` names each field and what is wrong with it.' },
  malformed_json: { statuses: [400], meaning: 'The body is not JSON.' },
  invalid_utf8: { statuses: [400], meaning: 'The body is not valid UTF-8.' },
  json_too_deep: { statuses: [400], meaning: 'The body nests arrays or objects deeper than MAX_JSON_DEPTH.' },
  unstorable_text: { statuses: [400], meaning: 'A string holds what Postgres cannot store (U+0000, a lone surrogate).' },
  unstorable_event: { statuses: [400], meaning: "Postgres refused this event's row for its content." },
  secret_in_bulletin: { statuses: [400], meaning: 'A bulletin field holds a gateway key or a configured passcode.' },
  secret_in_request: { statuses: [400], meaning: "Another stored field (a partner's name, a replay's reason or filter) holds a key or passcode." },
  malformed_body: { statuses: [400], meaning: 'The body could not be read as the declared content type.' },
  unsupported_media_type: { statuses: [415], meaning: 'The body is not application/json.' },
  unsupported_encoding: { statuses: [415], meaning: 'The body is not UTF-8.' },
  unsupported_content_encoding: { statuses: [415], meaning: 'A Content-Encoding other than identity.' },
  bad_url: { statuses: [400], meaning: 'The URL cannot be decoded.' },
  uri_too_long: { statuses: [414], meaning: 'A segment of the path is longer than the gateway accepts.' },
  bad_request: { statuses: [400], meaning: "Node's HTTP parser refused the request (malformed HTTP), or it could not be routed." },
  headers_too_large: { statuses: [431], meaning: 'The request headers are larger than the gateway accepts.' },
  request_timeout: { statuses: [408], meaning: 'The request did not arrive within HTTP_REQUEST_TIMEOUT_MS.' },
  payload_too_large: { statuses: [413], meaning: 'The body is larger than MAX_BODY_BYTES.' },
  unauthenticated: { statuses: [401], meaning: 'No valid gateway key (`Authorization: Bearer`); the answer carries `WWW-Authenticate`.' },
  forbidden: { statuses: [403], meaning: 'The key is valid but may not do this (its role, or an account it is not bound to).' },
  not_found: { statuses: [404], meaning: 'No such resource, or one the caller may not see (a partner never learns which).' },
  method_not_allowed: { statuses: [405], meaning: 'The path exists but not with this method; `Allow` lists the methods it has.' },
  account_missing: { statuses: [401], meaning: 'The ingest request names no CleverTap account.' },
  account_not_configured: { statuses: [403], meaning: 'The account named is not configured in this gateway.' },
  invalid_idempotency_key: { statuses: [400], meaning: 'Idempotency-Key is not 1 to 255 visible ASCII characters, or holds a key.' },
  idempotency_key_reused: { statuses: [422], meaning: 'The Idempotency-Key was used before with another body.' },
  idempotency_key_in_progress: { statuses: [409], meaning: 'The first request with this Idempotency-Key is still being processed: retry shortly.' },
  not_yet_checkpointed: { statuses: [409], meaning: 'The event is not covered by a signed checkpoint yet: retry after the next one.' },
  no_checkpoint: { statuses: [404], meaning: 'No checkpoint can be served: none is signed yet, or the log has no signing key.' },
  no_witnesses: { statuses: [409], meaning: 'A cosignature is submitted but no witness is configured (AUDIT_WITNESSES).' },
  invalid_cosignature: { statuses: [400], meaning: 'The cosignature is malformed or not by a configured witness.' },
  invalid_cursor: { statuses: [400], meaning: 'A list cursor that this gateway did not issue: use `next_cursor` from a previous page.' },
  already_erased: { statuses: [409], meaning: "The event's payload (or the rejection's excerpt) was already erased: an erasure happens once." },
  event_pending: { statuses: [409], meaning: 'The event is still queued or retrying: erase it once delivery has ended.' },
  nothing_to_erase: { statuses: [409], meaning: 'The rejection kept no payload excerpt: there is nothing to erase.' },
  payload_erased: { statuses: [409], meaning: 'The events a replay would send all had their payloads erased: nothing is left to send.' },
  rate_limited: { statuses: [429], meaning: 'The partner sends faster than its rate limit allows (with Retry-After and RateLimit fields).' },
  backlog_quota_exceeded: { statuses: [429], meaning: 'The partner already has its quota of events queued or retrying.' },
  database_unavailable: { statuses: [503], meaning: 'The database does not answer: retry later (with Retry-After; always safe with an Idempotency-Key).' },
  console_not_built: { statuses: [404], meaning: 'The console was not built (`npm run build`).' },
  http_error: { statuses: [400, 414], meaning: 'Another HTTP error raised by the framework.' },
  internal_error: { statuses: [500], meaning: 'A fault of the gateway; quote `request_id` when reporting it.' },
};

export const ERROR_CODES = Object.keys(ERROR_CATALOGUE) as (keyof typeof ERROR_CATALOGUE)[];
export type DocumentedErrorCode = (typeof ERROR_CODES)[number];

/** The catalogue as a Markdown table, for the document's description of the Problem schema. */
function catalogueTable(): string {
  const rows = ERROR_CODES.map((code) => `| \`${code}\` | ${ERROR_CATALOGUE[code].statuses.join(', ')} | ${ERROR_CATALOGUE[code].meaning} |`);
  return ['| code | HTTP status | meaning |', '| --- | --- | --- |', ...rows].join('\n');
}

/** RFC 9457 problem details: the shape of every /v1 error (the ingest route keeps CleverTap's). */
export const PROBLEM_SCHEMA: SchemaObject = {
  type: 'object',
  description:
    'An error on /v1, as RFC 9457 problem details (`application/problem+json`). `type` and `title` are fixed per ' +
    '`code`; `detail` explains this occurrence; `errors` lists each invalid field of a body or query (invalid_request ' +
    'only). Every code:\n\n' +
    catalogueTable(),
  required: ['type', 'title', 'status', 'detail', 'code', 'request_id'],
  additionalProperties: false,
  properties: {
    type: { type: 'string', enum: ERROR_CODES.map((code) => `${PROBLEM_TYPE_PREFIX}${code}`), description: '`urn:bulletin-gateway:error:` followed by `code`' },
    title: { type: 'string', description: 'A short summary of the problem type; the same for every occurrence of a code' },
    status: { type: 'integer', minimum: 400, maximum: 599, description: 'The HTTP status' },
    detail: { type: 'string', description: "This occurrence's explanation (never a secret)" },
    code: { type: 'string', enum: [...ERROR_CODES], description: 'The stable error code (see the table above)' },
    request_id: { type: 'string', description: 'The X-Request-Id of the request; quote it when reporting a problem' },
    errors: {
      type: 'array',
      minItems: 1,
      description: 'Validation failures of a body or query, one per field and message (invalid_request only)',
      items: {
        type: 'object',
        required: ['field', 'message'],
        additionalProperties: false,
        properties: {
          field: { type: 'string', description: 'The field, as a path such as `accounts[0]`', example: 'limit' },
          message: { type: 'string', example: 'limit must be an integer from 1 to 500' },
        },
      },
    },
  },
};

/** A fixed short title per code for the examples (the gateway's own titles are in docs/api-conventions.md). */
const exampleTitle = (code: DocumentedErrorCode) => {
  const text = code.replace(/_/g, ' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
};

/** An example problem, valid against PROBLEM_SCHEMA. */
export function problemExample(code: DocumentedErrorCode, status: number, detail: string, errors?: { field: string; message: string }[]) {
  return {
    type: `${PROBLEM_TYPE_PREFIX}${code}`,
    title: exampleTitle(code),
    status,
    detail,
    code,
    request_id: '6f1c2a4e-8d3b-4b7a-9c1e-2f4d6a8b0c3e',
    ...(errors ? { errors } : {}),
  };
}
