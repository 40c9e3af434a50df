import request from 'supertest';
import { VENDOR_EXAMPLE } from '../../src/openapi/ingest-operation.js';
import { exampleBulletin, startGateway, type GatewayHarness } from '../support/gateway-harness.js';

/**
 * Every route Nest mapped onto the HTTP server (it logs each one at boot), as OpenAPI writes it
 * (`/v1/events/{id}`).
 */
function servedRoutes(gateway: GatewayHarness): string[] {
  return gateway.logs.lines
    .map((line) => /^Mapped \{(\S+), (\w+)\} route$/.exec(JSON.parse(line).msg ?? ''))
    .filter((mapped) => mapped !== null)
    .map(([, path, method]) => `${method} ${path.replace(/:(\w+)/g, '{$1}')}`);
}

describe('the OpenAPI document and Swagger UI', () => {
  let gateway: GatewayHarness;
  let document: Record<string, any>;

  beforeAll(async () => {
    gateway = await startGateway();
    document = (await request(gateway.http).get('/docs-json').expect(200).expect('Content-Type', /json/)).body;
  });
  afterAll(() => gateway.close());

  it('documents the ingest route with the vendor example and CleverTap\'s documented errors', () => {
    const ingest = document.paths['/1/targets/trigger.json'].post;
    expect(ingest.requestBody.content['application/json'].examples.vendor.value).toEqual(VENDOR_EXAMPLE);
    expect(VENDOR_EXAMPLE).toEqual(exampleBulletin());
    const errors = JSON.stringify(ingest.responses['400']);
    for (const documented of ['Business Event Not Found', '\\"when\\" has an incorrect value - null', 'Propertyproduct_categorymissing'])
      expect(errors).toContain(documented);
    expect(Object.keys(ingest.responses)).toEqual(expect.arrayContaining(['200', '202', '400', '401', '403', '409', '413', '415', '422', '503']));
    expect(ingest.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['X-CleverTap-Account-Id', 'Idempotency-Key', 'Prefer']),
    );
    expect(ingest.security).toEqual([{ gatewayKey: [] }, { bearer: [] }]);
    expect(Object.keys(document.components.securitySchemes)).toEqual(expect.arrayContaining(['gatewayKey', 'bearer']));
  });

  it('documents health and metrics', () => {
    expect(document.paths['/health/live'].get.responses['200']).toBeDefined();
    expect(document.paths['/health/ready'].get.responses).toHaveProperty('503');
    expect(document.paths['/metrics'].get.responses['200'].content).toHaveProperty('text/plain');
  });

  it('covers every route the gateway serves', () => {
    const documented = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.keys(item as object).map((method) => `${method.toUpperCase()} ${path}`),
    );
    const served = servedRoutes(gateway);
    expect(served).toEqual(expect.arrayContaining(['POST /1/targets/trigger.json', 'GET /health/ready', 'GET /metrics', 'GET /v1/events/{id}']));
    expect(documented).toEqual(expect.arrayContaining(served));
  });

  it('serves Swagger UI and its assets at /docs', async () => {
    const page = await request(gateway.http).get('/docs').expect(200).expect('Content-Type', /html/);
    expect(page.text).toContain('swagger-ui');
    await request(gateway.http).get('/docs/swagger-ui-bundle.js').expect(200);
    const init = await request(gateway.http).get('/docs/swagger-ui-init.js').expect(200);
    expect(init.text).toContain('/1/targets/trigger.json');
  });
});
