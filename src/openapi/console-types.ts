import { NestFactory } from '@nestjs/core';
import { AppModule } from '../app.module.js';
import { loadConfig } from '../config/gateway-config.js';
import { createHttpAdapter } from '../http-pipeline.js';
import { buildOpenApiDocument } from './openapi.js';

/** Where `npm run openapi:types` writes the console's API types. */
export const CONSOLE_API_TYPES = 'console/src/api-types.ts';

const HEADER = `/**
 * GENERATED from the gateway's OpenAPI document by openapi-typescript: do not edit.
 * Regenerate with \`npm run openapi:types\` after changing a route, a DTO or a view class;
 * test/api/console-types.spec.ts fails while this file differs from what the document gives.
 */

`;

/**
 * The OpenAPI document without a database: Nest's preview mode scans the modules' controllers and their
 * decorators without creating a provider, so nothing connects anywhere.
 */
export async function offlineOpenApiDocument(): Promise<ReturnType<typeof buildOpenApiDocument>> {
  const config = loadConfig({ DATABASE_URL: 'postgres://offline.invalid/none', LOG_LEVEL: 'error' });
  const app = await NestFactory.create(AppModule.register(config, config.databaseUrl!), createHttpAdapter(config), { preview: true, logger: false, abortOnError: false });
  try {
    return buildOpenApiDocument(app);
  } finally {
    await app.close();
  }
}

/** The console's API types for a document, as committed in console/src/api-types.ts. */
export async function consoleApiTypes(document: unknown): Promise<string> {
  // A development dependency: loaded only by the generator script and the test that checks its output.
  const { default: openapiTS, astToString } = await import('openapi-typescript');
  const nodes = await openapiTS(JSON.stringify(document), { alphabetize: true, defaultNonNullable: false });
  return HEADER + astToString(nodes);
}
