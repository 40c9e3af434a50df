import { readFileSync } from 'node:fs';
import request from 'supertest';
import { CONSOLE_API_TYPES, consoleApiTypes, offlineOpenApiDocument } from '../../src/openapi/console-types.js';
import { startGateway, type GatewayHarness } from '../support/gateway-harness.js';

/** The console's API types are generated from the document, so they cannot drift from what the gateway serves. */
describe("the console's API types", () => {
  let gateway: GatewayHarness;
  let served: unknown;

  beforeAll(async () => {
    gateway = await startGateway();
    served = (await request(gateway.http).get('/docs-json').expect(200)).body;
  });
  afterAll(() => gateway.close());

  it(`${CONSOLE_API_TYPES} is what openapi-typescript makes of the served document (else: npm run openapi:types)`, async () => {
    expect(readFileSync(CONSOLE_API_TYPES, 'utf8')).toBe(await consoleApiTypes(served));
  });

  it('the generator reads the same document offline as the gateway serves', async () => {
    expect(JSON.parse(JSON.stringify(await offlineOpenApiDocument()))).toEqual(served);
  });
});
