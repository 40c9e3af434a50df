import { applyDecorators, type Type } from '@nestjs/common';
import { ApiBearerAuth, ApiExtraModels, ApiHeader, ApiOperation, ApiResponse, ApiTags, getSchemaPath, type HeaderObject, type ReferenceObject } from '@nestjs/swagger';
import type { Role } from '../access/principal.js';
import { type DocumentedErrorCode, PROBLEM_MEDIA_TYPE, problemExample } from './problem.js';

/**
 * The decorators the /v1 controllers describe themselves with. The build does not run the Nest CLI's
 * swagger plugin, so every property, response and header is declared explicitly.
 */

export const GATEWAY_KEY_SCHEME = 'gatewayKey';
export const BEARER_SCHEME = 'bearer';

/** Response headers declared once in the document's components (see openapi.ts). */
export const HEADERS = {
  requestId: { $ref: '#/components/headers/RequestId' },
  location: { $ref: '#/components/headers/Location' },
  link: { $ref: '#/components/headers/Link' },
  wwwAuthenticate: { $ref: '#/components/headers/WWWAuthenticate' },
  retryAfter: { $ref: '#/components/headers/RetryAfter' },
  idempotentReplayed: { $ref: '#/components/headers/IdempotentReplayed' },
  auditLogMismatch: { $ref: '#/components/headers/AuditLogMismatch' },
} satisfies Record<string, ReferenceObject>;

export const RESPONSE_HEADERS: Record<string, HeaderObject> = {
  RequestId: { description: 'Correlation id: the one sent in X-Request-Id, or a new one. Quote it when reporting a problem.', required: true, schema: { type: 'string' } },
  Location: { description: 'The path of the resource created or started', required: true, schema: { type: 'string' } },
  Link: {
    description: 'RFC 8288: `</v1/...?cursor=...&<the same filters>>; rel="next"` when there is a next page (path-relative)',
    schema: { type: 'string' },
  },
  WWWAuthenticate: {
    description: 'RFC 6750: `Bearer realm="bulletin-gateway"`, with `error="invalid_token"` when a key was sent but is not valid',
    required: true,
    schema: { type: 'string' },
  },
  RetryAfter: { description: 'Seconds to wait before retrying', required: true, schema: { type: 'integer', minimum: 0 } },
  IdempotentReplayed: { description: '`true` when this is the stored answer to an earlier request with the same Idempotency-Key', schema: { type: 'string', enum: ['true'] } },
  AuditLogMismatch: {
    description: 'Present while the database no longer matches the last signed checkpoint: what is served is that checkpoint, and why',
    schema: { type: 'string' },
  },
};

/** A /v1 controller: its tag, and the bearer key on every operation. */
export const ApiV1Controller = (tag: string) => applyDecorators(ApiTags(tag), ApiBearerAuth(BEARER_SCHEME));

/** An operation with a stable operationId (the console's generated types name them) and the roles that may call it. */
export function ApiV1Operation(options: { id: string; summary: string; description?: string; roles: readonly Role[] }) {
  const who = options.roles.length === 4 ? 'any role (partners see only their own events)' : options.roles.join(', ');
  return ApiOperation({
    operationId: options.id,
    summary: options.summary,
    description: [options.description, `**Roles:** ${who}.`].filter(Boolean).join('\n\n'),
  });
}

export const ANY_ROLE: readonly Role[] = ['partner', 'auditor', 'operator', 'admin'];
export const READERS: readonly Role[] = ['auditor', 'operator', 'admin'];

/** A JSON success answer with its schema (a class with @ApiProperty) and an example. */
export function ApiJsonResponse(
  status: number,
  model: Type<unknown>,
  options: { description: string; example?: unknown; examples?: Record<string, { summary: string; value: unknown }>; headers?: Record<string, ReferenceObject | HeaderObject> },
) {
  const examples = options.examples ?? (options.example === undefined ? undefined : { example: { summary: options.description, value: options.example } });
  return applyDecorators(
    ApiExtraModels(model),
    ApiResponse({
      status,
      description: options.description,
      headers: { 'X-Request-Id': HEADERS.requestId, ...options.headers },
      content: { 'application/json': { schema: { $ref: getSchemaPath(model) }, ...(examples ? { examples } : {}) } },
    }),
  );
}

/** The optional Idempotency-Key header of every POST under /v1. */
export const ApiIdempotencyKey = () =>
  ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description:
      "Makes a retry safe: same key + same body within 24 hours answers the stored status, Location and body again with " +
      "`Idempotent-Replayed: true` and does nothing twice; same key + another body: 422; first request still running: 409. " +
      "Scoped to the caller's key and the route. A structured-field string (`\"...\"`) or a bare token, 1 to 255 visible ASCII characters.",
    schema: { type: 'string', minLength: 1, maxLength: 257 },
    example: '"3f6c1e9a-0d7b-4c55-b8a2-9e4f1d2c7a60"',
  });

export interface ProblemSpec {
  status: number | '4XX';
  description: string;
  examples: Record<string, { code: DocumentedErrorCode; detail: string; errors?: { field: string; message: string }[] }>;
  headers?: Record<string, ReferenceObject>;
}

/** Error answers as application/problem+json; specs with one status are merged into one response. */
export function ApiProblems(...specs: ProblemSpec[]) {
  const byStatus = new Map<number | '4XX', ProblemSpec>();
  for (const spec of specs) {
    const seen = byStatus.get(spec.status);
    byStatus.set(
      spec.status,
      seen
        ? { status: spec.status, description: `${seen.description}; ${spec.description}`, examples: { ...seen.examples, ...spec.examples }, headers: { ...seen.headers, ...spec.headers } }
        : spec,
    );
  }
  return applyDecorators(
    ...[...byStatus.values()].map((spec) =>
      ApiResponse({
        status: spec.status,
        description: spec.description,
        headers: { 'X-Request-Id': HEADERS.requestId, ...spec.headers },
        content: {
          [PROBLEM_MEDIA_TYPE]: {
            schema: { $ref: '#/components/schemas/Problem' },
            examples: Object.fromEntries(
              Object.entries(spec.examples).map(([name, example]) => [
                name,
                { summary: example.code, value: problemExample(example.code, spec.status === '4XX' ? 400 : spec.status, example.detail, example.errors) },
              ]),
            ),
          },
        },
      }),
    ),
  );
}

/** The problems most operations share. */
export const PROBLEMS = {
  unreadableRequest: {
    status: '4XX',
    description: 'A request the gateway could not read, on any route: malformed HTTP, a URL it cannot decode, headers too large, too slow',
    examples: { badUrl: { code: 'bad_url', detail: 'The request URL is not valid' } },
  },
  unauthenticated: {
    status: 401,
    description: 'No valid gateway key in `Authorization: Bearer`',
    examples: { unauthenticated: { code: 'unauthenticated', detail: 'Invalid Credentials: send a valid gateway key (X-CleverTap-Passcode or Authorization: Bearer)' } },
    headers: { 'WWW-Authenticate': HEADERS.wwwAuthenticate },
  },
  forbidden: {
    status: 403,
    description: "The key's role may not do this",
    examples: { forbidden: { code: 'forbidden', detail: 'This action needs one of the roles: auditor, operator, admin' } },
  },
  databaseUnavailable: {
    status: 503,
    description: 'The database does not answer: retry later',
    examples: { databaseUnavailable: { code: 'database_unavailable', detail: 'The gateway cannot reach its database. Retry later.' } },
    headers: { 'Retry-After': HEADERS.retryAfter },
  },
  invalidCursor: {
    status: 400,
    description: 'A cursor this gateway did not issue',
    examples: { invalidCursor: { code: 'invalid_cursor', detail: 'cursor is not valid: use next_cursor from a previous page' } },
  },
  invalidBody: {
    status: 400,
    description: 'The body is not valid',
    examples: {
      malformedJson: { code: 'malformed_json', detail: 'The request body is not valid JSON' },
    },
  },
  payloadTooLarge: {
    status: 413,
    description: 'Body larger than MAX_BODY_BYTES',
    examples: { payloadTooLarge: { code: 'payload_too_large', detail: 'The request body is larger than the gateway accepts' } },
  },
  unsupportedMediaType: {
    status: 415,
    description: 'Not application/json',
    examples: { unsupportedMediaType: { code: 'unsupported_media_type', detail: 'Content-Type must be application/json' } },
  },
  invalidIdempotencyKey: {
    status: 400,
    description: 'Idempotency-Key is malformed',
    examples: { invalidIdempotencyKey: { code: 'invalid_idempotency_key', detail: 'Idempotency-Key must be 1 to 255 visible ASCII characters' } },
  },
  idempotencyInProgress: {
    status: 409,
    description: 'The first request with this Idempotency-Key is still running: retry shortly',
    examples: { inProgress: { code: 'idempotency_key_in_progress', detail: 'A request with this Idempotency-Key is still being processed; retry shortly to get its outcome' } },
  },
  idempotencyReused: {
    status: 422,
    description: 'This Idempotency-Key was used with another body',
    examples: { reused: { code: 'idempotency_key_reused', detail: 'This Idempotency-Key was already used with a different request body; use a new key' } },
  },
} satisfies Record<string, ProblemSpec>;

/** 404 for a resource that does not exist, or that the caller may not see. */
export const notFound = (detail: string): ProblemSpec => ({ status: 404, description: detail, examples: { notFound: { code: 'not_found', detail } } });

/** 400 for a query or body that fails validation, with the per-field errors. */
export const invalidRequest = (field: string, message: string): ProblemSpec => ({
  status: 400,
  description: 'A parameter or body field is not valid; `errors` names each',
  examples: { invalidRequest: { code: 'invalid_request', detail: message, errors: [{ field, message }] } },
});

/** The problems of every POST with a JSON body and an Idempotency-Key. */
export const POST_PROBLEMS = [
  PROBLEMS.invalidBody,
  PROBLEMS.invalidIdempotencyKey,
  PROBLEMS.idempotencyInProgress,
  PROBLEMS.idempotencyReused,
  PROBLEMS.payloadTooLarge,
  PROBLEMS.unsupportedMediaType,
] satisfies ProblemSpec[];
