import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, type OperationObject, SwaggerModule, type SchemaObject } from '@nestjs/swagger';
import { TRIGGER_PATH } from '../dispatch/clevertap-client.js';
import { BEARER_SCHEME, GATEWAY_KEY_SCHEME, HEADERS, RESPONSE_HEADERS } from './api-docs.js';
import { ingestOperation } from './ingest-operation.js';
import { type DocumentedErrorCode, PROBLEM_MEDIA_TYPE, PROBLEM_SCHEMA, problemExample } from './problem.js';

export { BEARER_SCHEME, GATEWAY_KEY_SCHEME };

/** Routes anyone may call: probes, metrics (keep them on the internal network) and the console's static files. */
const PUBLIC_PREFIXES = ['/health/', '/metrics', '/console'];

const TAGS = [
  { name: 'ingest', description: "The CleverTap-compatible route partners raise bulletins with (CleverTap's error shape)" },
  { name: 'audit', description: 'Reading the log: events, refused requests, exports, and the transparency log (checkpoints, proofs, verification)' },
  { name: 'replay', description: 'Putting events back in the queue after an outage, never sending one twice by accident' },
  { name: 'partners', description: 'Partners, their keys and their limits (admin)' },
  { name: 'access', description: 'What a key may do' },
  { name: 'operations', description: 'Health, metrics and the CleverTap accounts' },
  { name: 'console', description: 'The audit console, a web page over this API' },
];

const DESCRIPTION = `A durable, auditable gateway in front of CleverTap's Bulletins API. Partners call \`POST /1/targets/trigger.json\` exactly as they call CleverTap, with the gateway host and their gateway key.

The audit, replay and administration routes live under \`/v1\`. Their conventions:

- **Authentication**: \`Authorization: Bearer <gateway key>\` on every /v1 operation; each operation says which roles may call it. A missing or invalid key answers 401 with \`WWW-Authenticate\`.
- **JSON**: field names are snake_case; times are RFC 3339 in UTC with milliseconds; ids are UUIDs; log positions are integers.
- **Errors**: RFC 9457 problem details (\`application/problem+json\`, the \`Problem\` schema, which lists every error code). A known path called with another method answers 405 with \`Allow\` (\`method_not_allowed\`); an unknown path 404.
- **Lists**: \`{ "data": [...], "next_cursor": ... }\`; pass \`next_cursor\` as \`cursor\` for the next page, also given as an RFC 8288 \`Link: <...>; rel="next"\` header.
- **Creation**: 201 with \`Location\` (a replay: 202 with \`Location\`). Every POST accepts an \`Idempotency-Key\`.`;

/**
 * Serves the OpenAPI document at /docs-json (and /docs-yaml) and Swagger UI at /docs. The document is
 * built from every controller in the app on first request, so the decorators of any module added
 * later appear without touching this file.
 */
export function setupOpenApi(app: INestApplication): void {
  SwaggerModule.setup('docs', app, () => buildOpenApiDocument(app), {
    jsonDocumentUrl: 'docs-json',
    yamlDocumentUrl: 'docs-yaml',
    customSiteTitle: 'Bulletin Gateway API',
  });
}

export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Bulletin Gateway')
    .setDescription(DESCRIPTION)
    .setVersion('1')
    .setLicense('Apache-2.0', 'https://www.apache.org/licenses/LICENSE-2.0')
    .addServer('/', 'The gateway serving this document')
    .addApiKey(
      { type: 'apiKey', in: 'header', name: 'X-CleverTap-Passcode', description: "The partner's gateway key (bgk_...), never the real CleverTap passcode (ingest only)" },
      GATEWAY_KEY_SCHEME,
    )
    .addSecurity(BEARER_SCHEME, {
      type: 'http',
      scheme: 'bearer',
      description: 'A gateway key (`bgk_...`, an opaque random string, not a JWT) as `Authorization: Bearer bgk_...`. Its role (partner, auditor, operator, admin) decides what it may call.',
    })
    .build();
  const document = SwaggerModule.createDocument(app, config);
  document.tags = TAGS;
  document.components = {
    ...document.components,
    schemas: closeObjects({ ...document.components?.schemas, Problem: PROBLEM_SCHEMA }),
    headers: RESPONSE_HEADERS,
  };
  describeIngest(document);
  describePathRefusals(document);
  for (const [path, item] of Object.entries(document.paths))
    for (const operation of operations(item)) if (!operation.security && PUBLIC_PREFIXES.some((prefix) => path.startsWith(prefix))) operation.security = [];
  return document;
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

function operations(item: OpenAPIObject['paths'][string]): OperationObject[] {
  return METHODS.map((method) => item[method]).filter((operation): operation is OperationObject => operation !== undefined);
}

/**
 * The API's objects are closed: bodies are refused with an unknown field (strictValidation), and answers
 * have exactly the fields described, so a field added without being documented fails the e2e validation.
 */
function closeObjects(schemas: Record<string, SchemaObject>): Record<string, SchemaObject> {
  for (const schema of Object.values(schemas)) if (schema.type === 'object' && schema.properties && schema.additionalProperties === undefined) schema.additionalProperties = false;
  return schemas;
}

/**
 * The ingest controller takes the raw body (validated by hand to CleverTap's rules), so its contract is
 * written here, from the vendor page, instead of being inferred from a DTO.
 */
function describeIngest(document: OpenAPIObject): void {
  const scanned = document.paths[TRIGGER_PATH]?.post;
  if (!scanned) return;
  document.paths[TRIGGER_PATH].post = { ...ingestOperation([{ [GATEWAY_KEY_SCHEME]: [] }, { [BEARER_SCHEME]: [] }], HEADERS), operationId: 'triggerBulletin' };
}

/**
 * Refusals made before any controller runs, on every /v1 route: a body of another media type, even on a
 * GET (415), and on a route with a path parameter, one the router cannot decode (400 bad_url) or one longer
 * than it accepts (414).
 */
function describePathRefusals(document: OpenAPIObject): void {
  const everywhere = { 415: ['unsupported_media_type', 'Content-Type must be application/json'] } as const;
  const withParameter = { 400: ['bad_url', 'The request URL is not valid'], 414: ['uri_too_long', 'A segment of the request path is longer than the gateway accepts'] } as const;
  for (const [path, item] of Object.entries(document.paths)) {
    if (!path.startsWith('/v1/')) continue;
    const refusals = path.includes('{') ? { ...everywhere, ...withParameter } : everywhere;
    for (const operation of operations(item)) {
      for (const [status, [code, detail]] of Object.entries(refusals) as [string, readonly [DocumentedErrorCode, string]][]) {
        const response = (operation.responses[status] ??= {
          description: status === '415' ? 'A body that is not application/json' : 'The path cannot be read',
          headers: { 'X-Request-Id': HEADERS.requestId },
          content: { [PROBLEM_MEDIA_TYPE]: { schema: { $ref: '#/components/schemas/Problem' }, examples: {} } },
        }) as { content: Record<string, { examples: Record<string, unknown> }> };
        const examples = response.content[PROBLEM_MEDIA_TYPE].examples;
        if (!Object.values(examples).some((example) => (example as { summary?: string }).summary === code))
          examples[code] = { summary: code, value: problemExample(code, Number(status), detail) };
      }
    }
  }
}

