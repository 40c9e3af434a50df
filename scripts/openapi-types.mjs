// Writes the console's API types (console/src/api-types.ts) from the gateway's OpenAPI document, built
// without a database: `npm run openapi:types`, after changing a route, a DTO or a view class.
import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { CONSOLE_API_TYPES, consoleApiTypes, offlineOpenApiDocument } = await import('../dist/src/openapi/console-types.js');
writeFileSync(join(root, CONSOLE_API_TYPES), await consoleApiTypes(await offlineOpenApiDocument()));
console.log(`wrote ${CONSOLE_API_TYPES}`);
