import type { OperationObject, ReferenceObject, SchemaObject, SecurityRequirementObject } from '@nestjs/swagger';

const EVENT_ID = '0b8f3c5e-6a1d-4c2e-9f7a-2d4b6e8f0a1c';

/** The example payload of CleverTap's Bulletins documentation page. */
export const VENDOR_EXAMPLE = {
  business_event: 'Program Released',
  name: 'Sa Re Ga Ma episode 12',
  properties: { program_id: '234567', language: 'Hindi', prev_program_id: '123457' },
  'c-by': 'editor@example.com',
  when: 'now',
};

const BULLETIN_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['business_event', 'name', 'properties', 'c-by', 'when'],
  additionalProperties: false,
  properties: {
    business_event: { type: 'string', minLength: 1, description: 'The business event, as defined on the CleverTap dashboard' },
    name: { type: 'string', minLength: 1, description: 'The name of the bulletin' },
    properties: {
      type: 'object',
      description: 'String values only; keys at most 120 characters, values at most 512 bytes in UTF-8',
      additionalProperties: { type: 'string' },
    },
    'c-by': { type: 'string', minLength: 1, description: 'Creator of the bulletin (an email)' },
    when: {
      oneOf: [{ type: 'string', enum: ['now'] }, { type: 'integer', minimum: 0, description: 'UNIX time in seconds' }, { type: 'string', pattern: '^\\d{1,11}$' }],
      description: '"now" or a UNIX timestamp in seconds for a scheduled bulletin',
    },
  },
};

const CLEVERTAP_ERROR_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['status', 'error', 'code'],
  properties: {
    status: { type: 'string', enum: ['fail', 'partial'] },
    error: { type: 'string' },
    code: { type: 'integer', description: 'Equals the HTTP status for errors raised by the gateway' },
    event_id: { type: 'string', format: 'uuid', description: 'Present when the event was logged and CleverTap gave this answer' },
    receipt: {
      type: 'string',
      description:
        "The log's signed promise that this event, with this payload digest, is in the audit log: a C2SP signed note " +
        '(docs/audit-format.md §8). Present when the gateway has an audit signing key; redeem it later with GET /v1/events/{id}/proof.',
    },
  },
};

const ACCEPTED_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['status', 'event_id'],
  properties: {
    status: { type: 'string', enum: ['success', 'queued', 'uncertain', 'fail', 'partial'], description: "The gateway's (queued, uncertain) or CleverTap's (success, fail, partial)" },
    targets: { type: 'integer', description: 'Bulletins sent for the business event (status success)' },
    error: { type: 'string' },
    code: { type: 'integer', description: "CleverTap's code, relayed with status fail or partial" },
    event_id: { type: 'string', format: 'uuid' },
    receipt: {
      type: 'string',
      description:
        "The log's signed promise that this event, with this payload digest, is in the audit log: a C2SP signed note " +
        '(docs/audit-format.md §8). Present when the gateway has an audit signing key; redeem it later with GET /v1/events/{id}/proof.',
    },
  },
};

const fail = (error: string, code: number, eventId?: string) => ({ status: 'fail', error, code, ...(eventId ? { event_id: EVENT_ID } : {}) });

export function ingestOperation(security: SecurityRequirementObject[], headers: { requestId: ReferenceObject; wwwAuthenticate: ReferenceObject; retryAfter: ReferenceObject; idempotentReplayed: ReferenceObject }): OperationObject {
  const REQUEST_ID_HEADER = headers.requestId;
  const errors = (description: string, examples: Record<string, { summary: string; value: unknown }>, extra: Record<string, ReferenceObject> = {}) => ({
    description,
    headers: { 'X-Request-Id': REQUEST_ID_HEADER, ...extra },
    content: { 'application/json': { schema: CLEVERTAP_ERROR_SCHEMA, examples } },
  });
  return {
    tags: ['ingest'],
    summary: 'Raise a bulletin (drop-in for CleverTap)',
    description:
      "Same body and headers as CleverTap's `POST /1/targets/trigger.json`: change only the host and send your gateway key " +
      'as the passcode. The event is logged before any answer. By default the request waits up to SYNC_WAIT_MS for ' +
      "CleverTap's answer and relays it (with `event_id`); otherwise, or with `Prefer: respond-async`, it answers 202. " +
      'Errors raised by the gateway itself use CleverTap\'s shape with the HTTP status equal to `code`.',
    security,
    parameters: [
      { name: 'X-CleverTap-Account-Id', in: 'header', required: true, description: 'The CleverTap account id you already use', schema: { type: 'string' }, example: 'ACCOUNT_ID' },
      { name: 'Idempotency-Key', in: 'header', required: false, description: 'Same key + same body returns the stored outcome (Idempotent-Replayed: true) and sends nothing; same key + other body: 422; first request still in progress: 409', schema: { type: 'string', maxLength: 255 }, example: '"order-4711-released"' },
      { name: 'Prefer', in: 'header', required: false, description: '`respond-async`: answer 202 as soon as the event is logged', schema: { type: 'string', enum: ['respond-async'] } },
      { name: 'X-Request-Id', in: 'header', required: false, description: 'Your correlation id (1-128 of [A-Za-z0-9_.:-]); stored with the event', schema: { type: 'string' } },
      { name: 'traceparent', in: 'header', required: false, description: "W3C Trace Context: when the gateway's tracing is on, the ingest span continues your trace and every dispatch attempt links to it; a malformed value starts a new trace; tracestate is not read", schema: { type: 'string', pattern: '^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}' }, example: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' },
    ],
    requestBody: {
      required: true,
      content: { 'application/json': { schema: BULLETIN_SCHEMA, examples: { vendor: { summary: "The vendor page's example", value: VENDOR_EXAMPLE } } } },
    },
    responses: {
      '200': {
        description: "CleverTap's answer, relayed (HTTP 200 with status fail/partial is relayed as CleverTap gave it)",
        headers: { 'X-Request-Id': REQUEST_ID_HEADER, 'Idempotent-Replayed': headers.idempotentReplayed },
        content: {
          'application/json': {
            schema: ACCEPTED_SCHEMA,
            examples: {
              success: { summary: 'Sent', value: { status: 'success', targets: 1, event_id: EVENT_ID } },
              failBody: { summary: 'CleverTap answered 200 with status fail', value: fail('Simulated failure', 200, EVENT_ID) },
            },
          },
        },
      },
      '202': {
        description: "Logged; CleverTap's answer did not come in time (queue, open circuit, retries), or `Prefer: respond-async`",
        headers: { 'X-Request-Id': REQUEST_ID_HEADER },
        content: {
          'application/json': {
            schema: ACCEPTED_SCHEMA,
            examples: {
              queued: { summary: 'Queued', value: { status: 'queued', event_id: EVENT_ID } },
              uncertain: {
                summary: 'Timed out after it was sent: not resent automatically',
                value: { status: 'uncertain', error: 'CleverTap did not answer in time: the bulletin may or may not have been raised. It is not resent automatically.', event_id: EVENT_ID },
              },
            },
          },
        },
      },
      '400': errors('Invalid request (checked by the gateway, nothing logged) or CleverTap\'s 400, relayed with the event id', {
        businessEventNotFound: { summary: 'CleverTap: the business event is not defined on the dashboard', value: fail('Business Event Not Found', 400, EVENT_ID) },
        whenMissing: { summary: '"when" missing or null (checked by the gateway, CleverTap\'s wording)', value: fail('"when" has an incorrect value - null', 400) },
        propertyMissing: { summary: 'CleverTap: a property the business event needs is absent', value: fail('Propertyproduct_categorymissing', 400, EVENT_ID) },
        valueTooLong: { summary: 'A property value over 512 bytes', value: fail('properties.language is 600 bytes in UTF-8; at most 512 bytes are allowed', 400) },
        malformedJson: { summary: 'Not JSON', value: fail('The request body is not valid JSON', 400) },
        invalidUtf8: { summary: 'Bytes that are not UTF-8', value: fail('The request body is not valid UTF-8', 400) },
        tooDeep: { summary: 'Nested deeper than MAX_JSON_DEPTH', value: fail('The request body nests arrays or objects deeper than 8 levels', 400) },
        unstorable: { summary: 'A NUL or lone surrogate, which Postgres cannot store', value: fail('properties.language contains U+0000 (NUL), which cannot be stored', 400) },
        secretInBulletin: { summary: 'A gateway key or passcode pasted into a field', value: fail('name holds a gateway key or CleverTap passcode: the bulletin was not accepted (rotate that key)', 400) },
      }),
      '401': errors('No valid gateway key, or no account id', {
        invalidCredentials: { summary: 'Unknown or revoked key', value: fail('Invalid Credentials: send your gateway key in X-CleverTap-Passcode', 401) },
      }, { 'WWW-Authenticate': headers.wwwAuthenticate }),
      '403': errors('The key may not use this account', {
        forbidden: { summary: 'Account not bound to this key', value: fail('This gateway key may not raise bulletins on account ACCOUNT_ID', 403) },
      }),
      '409': errors('The first request with this Idempotency-Key is still in progress', {
        inProgress: { summary: 'Retry shortly', value: fail('A request with this Idempotency-Key is still being processed; retry shortly to get its outcome', 409) },
      }),
      '413': errors('Body larger than MAX_BODY_BYTES', { tooLarge: { summary: 'Too large', value: fail('The request body is larger than the gateway accepts', 413) } }),
      '415': errors('Not application/json, or compressed', {
        mediaType: { summary: 'Wrong Content-Type', value: fail('Content-Type must be application/json', 415) },
        contentEncoding: { summary: 'Content-Encoding other than identity', value: fail('Content-Encoding is not supported: send the body uncompressed (identity)', 415) },
      }),
      '422': errors('Idempotency-Key reused with another body', {
        reused: { summary: 'Use a new key for a new bulletin', value: fail('This Idempotency-Key was already used with a different request body; use a new key for a new bulletin', 422) },
      }),
      '429': errors(
        'Over the partner\'s rate limit or backlog quota (set by an operator): nothing was logged. `RateLimit-Policy` and `RateLimit` (IETF draft) describe the limit.',
        {
          rateLimited: { summary: 'Over the rate limit', value: fail('Too many requests: this partner is over its rate limit', 429) },
          backlogQuota: { summary: 'Over the backlog quota', value: fail('Too many events waiting: this partner is over its quota of queued events', 429) },
        },
        { 'Retry-After': headers.retryAfter },
      ),
      '502': errors('CleverTap could not be reached through the whole retry schedule', {
        exhausted: { summary: 'Exhausted (an operator can replay it)', value: fail('CleverTap could not be reached after 11 attempts', 502, EVENT_ID) },
      }),
      '503': errors('The database is unreachable: nothing was logged. Retry (safe with an Idempotency-Key).', {
        databaseUnavailable: {
          summary: 'Retry-After: 5',
          value: fail('The gateway cannot reach its database, so the event was not accepted. Retry later (with an Idempotency-Key a retry is always safe).', 503),
        },
      }, { 'Retry-After': headers.retryAfter }),
    },
  };
}
