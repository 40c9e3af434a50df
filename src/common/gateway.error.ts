/**
 * Every code the gateway answers with, stable for clients and dashboards (`events_rejected_total{code}`).
 * On /v1 it is the problem's `code`; on the ingest route it is logged and counted, and the body keeps
 * CleverTap's shape.
 */
export type ErrorCode =
  /** The body or a parameter is not valid; the message names what. */
  | 'invalid_request'
  /** The body is not JSON. */
  | 'malformed_json'
  /** The body is not valid UTF-8. */
  | 'invalid_utf8'
  /** The body nests arrays or objects deeper than MAX_JSON_DEPTH. */
  | 'json_too_deep'
  /** A string holds what Postgres cannot store (U+0000, a lone surrogate); the message names the field. */
  | 'unstorable_text'
  /** Postgres refused this event's row for its content; the message names the field. */
  | 'unstorable_event'
  /** A bulletin field holds a gateway key or a configured passcode. */
  | 'secret_in_bulletin'
  /** Another stored field (a partner's name, a replay's reason or filter) holds a key or passcode. */
  | 'secret_in_request'
  /** The body could not be read as the declared content type. */
  | 'malformed_body'
  | 'unsupported_media_type'
  | 'unsupported_encoding'
  /** A Content-Encoding other than identity. */
  | 'unsupported_content_encoding'
  /** The URL cannot be decoded. */
  | 'bad_url'
  | 'uri_too_long'
  /** Node's HTTP parser refused the request (malformed HTTP, headers too large). */
  | 'bad_request'
  /** The request did not arrive within HTTP_REQUEST_TIMEOUT_MS. */
  | 'request_timeout'
  | 'payload_too_large'
  /** No valid gateway key. */
  | 'unauthenticated'
  /** The key is valid but may not do this (role, or an account it is not bound to). */
  | 'forbidden'
  /** No such resource, or one the caller may not see (a partner never learns which). */
  | 'not_found'
  /** The ingest request names no CleverTap account. */
  | 'account_missing'
  /** The account named is not configured in this gateway. */
  | 'account_not_configured'
  | 'invalid_idempotency_key'
  /** The Idempotency-Key was used before with another body. */
  | 'idempotency_key_reused'
  /** The first request with this Idempotency-Key is still being processed. */
  | 'idempotency_key_in_progress'
  /** The event is not covered by a signed checkpoint yet: retry after the next one. */
  | 'not_yet_checkpointed'
  /** No checkpoint can be served: the log has no signing key. */
  | 'no_checkpoint'
  /** A cosignature is submitted but no witness is configured (AUDIT_WITNESSES). */
  | 'no_witnesses'
  /** The cosignature is malformed or not by a configured witness. */
  | 'invalid_cosignature'
  /** A list cursor that this gateway did not issue. */
  | 'invalid_cursor'
  /** The payload (or excerpt) was already erased: an erasure happens once and cannot be undone. */
  | 'already_erased'
  /** The event is still queued or retrying: it can be erased once delivery has ended. */
  | 'event_pending'
  /** The rejection kept no payload excerpt: there is nothing to erase. */
  | 'nothing_to_erase'
  /** The events a replay would send have had their payloads erased: nothing is left to send. */
  | 'payload_erased'
  /** The partner sends faster than its rate limit allows (429, with Retry-After and RateLimit fields). */
  | 'rate_limited'
  /** The partner already has its quota of events queued or retrying (429). */
  | 'backlog_quota_exceeded'
  /** The database does not answer: retry later (always safe with an Idempotency-Key). */
  | 'database_unavailable'
  /** The console was not built (`npm run build`). */
  | 'console_not_built'
  /** The path exists but not with this method (405, with an Allow header). */
  | 'method_not_allowed'
  /** The request headers are larger than the gateway accepts (431). */
  | 'headers_too_large'
  /** Another HTTP error raised by the framework (e.g. 414). */
  | 'http_error'
  | 'internal_error';

/**
 * The problem `title` of each code (RFC 9457): fixed per type, so clients and dashboards may match on it;
 * what this request did wrong is the problem's `detail`. docs/api-conventions.md explains each type.
 */
export const PROBLEM_TITLES: Record<ErrorCode, string> = {
  invalid_request: 'Invalid request',
  malformed_json: 'Malformed JSON',
  invalid_utf8: 'Invalid UTF-8',
  json_too_deep: 'JSON nested too deep',
  unstorable_text: 'Unstorable text',
  unstorable_event: 'Unstorable event',
  secret_in_bulletin: 'Secret in bulletin',
  secret_in_request: 'Secret in request',
  malformed_body: 'Malformed body',
  unsupported_media_type: 'Unsupported media type',
  unsupported_encoding: 'Unsupported character encoding',
  unsupported_content_encoding: 'Unsupported content encoding',
  bad_url: 'Bad URL',
  uri_too_long: 'URI too long',
  bad_request: 'Bad request',
  request_timeout: 'Request timeout',
  payload_too_large: 'Payload too large',
  unauthenticated: 'Unauthenticated',
  forbidden: 'Forbidden',
  not_found: 'Not found',
  account_missing: 'Account missing',
  account_not_configured: 'Account not configured',
  invalid_idempotency_key: 'Invalid Idempotency-Key',
  idempotency_key_reused: 'Idempotency-Key reused',
  idempotency_key_in_progress: 'Idempotency-Key in progress',
  not_yet_checkpointed: 'Not yet checkpointed',
  no_checkpoint: 'No checkpoint',
  no_witnesses: 'No witnesses',
  invalid_cosignature: 'Invalid cosignature',
  invalid_cursor: 'Invalid cursor',
  already_erased: 'Already erased',
  event_pending: 'Event pending',
  nothing_to_erase: 'Nothing to erase',
  payload_erased: 'Payload erased',
  rate_limited: 'Rate limited',
  backlog_quota_exceeded: 'Backlog quota exceeded',
  database_unavailable: 'Database unavailable',
  console_not_built: 'Console not built',
  method_not_allowed: 'Method not allowed',
  headers_too_large: 'Request headers too large',
  http_error: 'HTTP error',
  internal_error: 'Internal error',
};

/** One invalid field of a body or query string: its name (`accounts[0]` for an item) and what is wrong. */
export interface FieldError {
  field: string;
  message: string;
}

/**
 * The one exception type of the gateway: a stable string code for clients and logs, the HTTP status,
 * and a message safe to show (never a secret), which is the problem's `detail`. The global filter renders
 * it in CleverTap's shape on the ingest route and as problem+json elsewhere. `errors` lists the invalid
 * fields of a validation failure.
 */
export class GatewayError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly httpStatus: number,
    message: string,
    readonly errors?: FieldError[],
    /** Response headers that belong to this refusal (Allow on a 405). */
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }
}

/** A validation failure of one named field. */
export const invalidField = (field: string, message: string) => new GatewayError('invalid_request', 400, message, [{ field, message }]);

export const unauthenticated = () =>
  new GatewayError('unauthenticated', 401, 'Invalid Credentials: send a valid gateway key (X-CleverTap-Passcode or Authorization: Bearer)');
