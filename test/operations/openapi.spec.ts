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

  it('declares on every /v1 operation its summary, bearer security with roles, problem+json errors, and Idempotency-Key on POSTs', () => {
    const v1 = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.entries(item as Record<string, any>).map(([method, operation]) => ({ name: `${method.toUpperCase()} ${path}`, method, operation })),
    ).filter(({ name }) => name.includes(' /v1/'));
    expect(v1.length).toBeGreaterThanOrEqual(20);
    for (const { name, method, operation } of v1) {
      expect({ name, summary: typeof operation.summary, security: operation.security }).toEqual({ name, summary: 'string', security: [{ bearer: [] }] });
      expect({ name, roles: /\*\*Roles:\*\*/.test(operation.description) }).toEqual({ name, roles: true });
      for (const [status, response] of Object.entries<any>(operation.responses))
        if (Number(status) >= 400)
          expect({ name, status, content: response.content }).toEqual({ name, status, content: { 'application/problem+json': expect.objectContaining({ schema: { $ref: '#/components/schemas/Problem' } }) } });
      expect({ name, unauthenticated: operation.responses['401'].headers['WWW-Authenticate'] }).toEqual({ name, unauthenticated: expect.anything() });
      if (method === 'post') expect({ name, idempotency: operation.parameters.some((p: { name: string }) => p.name === 'Idempotency-Key') }).toEqual({ name, idempotency: true });
    }
    expect(document.components.securitySchemes.bearer).not.toHaveProperty('bearerFormat');
    expect(document.info.license).toEqual({ name: 'Apache-2.0', url: expect.stringContaining('apache.org') });
    expect(document.servers).toEqual([expect.objectContaining({ url: '/' })]);
  });

  it('publishes the error-code catalogue: every code as a Problem type, with its status and meaning', () => {
    const problem = document.components.schemas.Problem;
    expect(problem.required).toEqual(expect.arrayContaining(['type', 'title', 'status', 'detail', 'code', 'request_id']));
    expect(problem.properties.code.enum).toEqual(expect.arrayContaining(['invalid_request', 'not_found', 'method_not_allowed', 'idempotency_key_reused', 'internal_error']));
    expect(problem.properties.type.enum).toEqual(problem.properties.code.enum.map((code: string) => `urn:bulletin-gateway:error:${code}`));
    for (const code of problem.properties.code.enum) expect(problem.description).toContain(`| \`${code}\` |`);
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
