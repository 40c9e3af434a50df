import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { TRIGGER_PATH } from '../dispatch/clevertap-client.js';
import { ingestOperation, PROBLEM_SCHEMA } from './ingest-operation.js';

export const GATEWAY_KEY_SCHEME = 'gatewayKey';
export const BEARER_SCHEME = 'bearer';

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
    .setDescription(
      "A durable, auditable gateway in front of CleverTap's Bulletins API. Partners call " +
        '`POST /1/targets/trigger.json` exactly as they call CleverTap, with the gateway host and their gateway key.',
    )
    .setVersion('1')
    .addApiKey(
      { type: 'apiKey', in: 'header', name: 'X-CleverTap-Passcode', description: "The partner's gateway key (bgk_...), never the real CleverTap passcode" },
      GATEWAY_KEY_SCHEME,
    )
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'The same gateway key as `Authorization: Bearer bgk_...`' }, BEARER_SCHEME)
    .build();
  const document = SwaggerModule.createDocument(app, config);
  document.components = { ...document.components, schemas: { ...document.components?.schemas, Problem: PROBLEM_SCHEMA } };
  describeIngest(document);
  return document;
}

/**
 * The ingest controller takes the raw body (validated by hand to CleverTap's rules), so its contract is
 * written here, from the vendor page, instead of being inferred from a DTO.
 */
function describeIngest(document: OpenAPIObject): void {
  const scanned = document.paths[TRIGGER_PATH]?.post;
  if (!scanned) return;
  document.paths[TRIGGER_PATH].post = { ...ingestOperation([{ [GATEWAY_KEY_SCHEME]: [] }, { [BEARER_SCHEME]: [] }]), operationId: scanned.operationId };
}
