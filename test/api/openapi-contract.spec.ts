import request from 'supertest';
import { TreeSealer } from '../../src/audit-log/tree-sealer.service.js';
import { cosignCheckpoint, generateWitnessKey, parseWitnessSigner } from '../../src/transparency/cosignature.js';
import { sealedAndSigned, signingLog } from '../support/audit-log-keys.js';
import { bearer, bulletin, raise } from '../support/fixtures.js';
import { startGateway, type GatewayHarness } from '../support/gateway-harness.js';
import { type Answer, type Mismatch, OpenApiContract, operationsOf } from '../support/openapi-contract.js';

const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

/** Every route Nest mapped (it logs each one at boot), as OpenAPI writes it. */
function servedRoutes(gateway: GatewayHarness): string[] {
  return gateway.logs.lines
    .map((line) => /^Mapped \{(\S+), (\w+)\} route$/.exec(JSON.parse(line).msg ?? ''))
    .filter((mapped) => mapped !== null)
    .map(([, path, method]) => `${method} ${path.replace(/:(\w+)/g, '{$1}')}`);
}

/**
 * Every operation the gateway serves, called at least once with success and (for /v1 and ingest) with a
 * typical error, each answer checked against the document it serves; and proof that the check can fail.
 */
describe('the OpenAPI document against real answers', () => {
  let gateway: GatewayHarness;
  let contract: OpenApiContract;
  const log = signingLog();
  const witness = generateWitnessKey('witness.example');
  const keys = {} as Record<'admin' | 'auditor' | 'operator' | 'partner', string>;
  /** Operation -> the statuses it answered. */
  const exercised = new Map<string, Set<number>>();
  const unexpected: Mismatch[] = [];
  /** The console is served only once built (`npm run build`, which `npm test` runs first). */
  let consoleBuilt = false;

  const call = async (method: 'get' | 'post' | 'patch', url: string, key?: string, body?: unknown, headers: Record<string, string> = {}) => {
    let pending = request(gateway.http)[method](url).set(headers);
    if (key) pending = pending.set(bearer(key));
    if (body !== undefined) pending = pending.send(body as object);
    const response = await pending.buffer(true).parse((res, done) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => done(null, text));
    });
    const text = response.body as unknown as string;
    const answer = { method: method.toUpperCase(), url, status: response.status, headers: response.headers, body: text };
    const operation = contract.operationName(method, url);
    if (!exercised.has(operation)) exercised.set(operation, new Set());
    exercised.get(operation)!.add(response.status);
    if (contract.covers(url) || url.startsWith('/1/')) unexpected.push(...contract.check(answer));
    else unexpected.push(...contract.check(answer).filter((m) => m.kind === 'status'));
    return { status: response.status, json: () => JSON.parse(text), text };
  };

  beforeAll(async () => {
    gateway = await startGateway({ env: { ...log.env, AUDIT_WITNESSES: witness.verifierKey } });
    contract = new OpenApiContract((await request(gateway.http).get('/docs-json').expect(200)).body);
    keys.admin = await gateway.createPartner({ role: 'admin', accounts: [] });
    keys.auditor = await gateway.createPartner({ role: 'auditor', accounts: [] });
    keys.operator = await gateway.createPartner({ role: 'operator', accounts: [] });
    keys.partner = await gateway.createPartner();
  });
  afterAll(() => gateway.close());

  it('answers every served operation as documented: success and a typical error', async () => {
    // Ingest (CleverTap's shape).
    expect((await call('post', '/1/targets/trigger.json', undefined, bulletin(), gateway.partnerHeaders(keys.partner))).status).toBe(200);
    expect((await call('post', '/1/targets/trigger.json', undefined, bulletin(), gateway.partnerHeaders('bgk_unknown'))).status).toBe(401);
    const failed = await raise(gateway, keys.partner, bulletin({ business_event: 'Undefined Event' }));
    // A refused request, for the rejection log.
    await call('post', '/1/targets/trigger.json', undefined, { ...bulletin(), when: null }, gateway.partnerHeaders(keys.partner));

    // Events.
    expect((await call('get', '/v1/events?limit=1', keys.auditor)).status).toBe(200);
    expect((await call('get', '/v1/events?limit=0', keys.auditor)).status).toBe(400);
    expect((await call('get', '/v1/events?cursor=not-a-cursor', keys.auditor)).status).toBe(400);
    expect((await call('get', '/v1/events')).status).toBe(401);
    expect((await call('get', '/v1/events/counts', keys.partner)).status).toBe(200);
    expect((await call('get', '/v1/events/counts?status=lost', keys.partner)).status).toBe(400);
    expect((await call('get', '/v1/events/export', keys.auditor)).status).toBe(200);
    expect((await call('get', '/v1/events/export?format=csv', keys.auditor)).status).toBe(200);
    expect((await call('get', '/v1/events/export?format=xml', keys.auditor)).status).toBe(400);
    expect((await call('get', `/v1/events/${failed}`, keys.auditor)).status).toBe(200);
    expect((await call('get', `/v1/events/${UNKNOWN_ID}`, keys.auditor)).status).toBe(404);
    // Erasure: a delivered event's payload erased, then the event as it reads once erased.
    const erasable = await raise(gateway, keys.partner, bulletin({ name: 'Contract erasure' }));
    expect((await call('post', `/v1/events/${erasable}/erasure`, keys.admin, { reason: 'contract DSR-1' })).status).toBe(201);
    expect((await call('get', `/v1/events/${erasable}`, keys.auditor)).json()).toMatchObject({ payload: null, payload_erasure: { reason: 'contract DSR-1' } });
    expect((await call('post', `/v1/events/${erasable}/erasure`, keys.admin, { reason: 'contract DSR-1' })).status).toBe(409);
    expect((await call('post', `/v1/events/${erasable}/erasure`, keys.admin, { reason: ' ' })).status).toBe(400);
    expect((await call('post', `/v1/events/${erasable}/erasure`, keys.operator, { reason: 'contract DSR-1' })).status).toBe(403);
    expect((await call('post', `/v1/events/${UNKNOWN_ID}/erasure`, keys.admin, { reason: 'contract DSR-1' })).status).toBe(404);
    expect((await call('get', '/v1/rejections', keys.auditor)).status).toBe(200);
    expect((await call('get', '/v1/rejections?limit=9999', keys.auditor)).status).toBe(400);

    // Access and accounts.
    expect((await call('get', '/v1/whoami', keys.partner)).status).toBe(200);
    expect((await call('get', '/v1/whoami', 'bgk_unknown')).status).toBe(401);
    expect((await call('get', '/v1/accounts', keys.operator)).status).toBe(200);
    expect((await call('get', '/v1/accounts', keys.partner)).status).toBe(403);
    expect((await call('get', '/v1/accounts/backlog', keys.operator)).status).toBe(200);
    expect((await call('get', '/v1/accounts/backlog', keys.auditor)).status).toBe(403);
    expect((await call('get', '/v1/accounts/wait?window=15m', keys.operator)).status).toBe(200);
    expect((await call('get', '/v1/accounts/wait?window=2d', keys.operator)).status).toBe(400);

    // Partners.
    const created = await call('post', '/v1/partners', keys.admin, { name: 'Contract partner', accounts: ['sim-account'] });
    expect(created.status).toBe(201);
    const partnerId = created.json().id as string;
    expect((await call('post', '/v1/partners', keys.admin, { name: 'No accounts' })).status).toBe(400);
    expect((await call('post', '/v1/partners', keys.auditor, { name: 'Not allowed', accounts: ['sim-account'] })).status).toBe(403);
    expect((await call('get', '/v1/partners', keys.admin)).status).toBe(200);
    expect((await call('get', '/v1/partners', keys.operator)).status).toBe(403);
    expect((await call('get', `/v1/partners/${partnerId}`, keys.admin)).status).toBe(200);
    expect((await call('get', `/v1/partners/${UNKNOWN_ID}`, keys.admin)).status).toBe(404);
    expect((await call('post', `/v1/partners/${partnerId}/keys`, keys.admin)).status).toBe(201);
    expect((await call('post', `/v1/partners/${UNKNOWN_ID}/keys`, keys.admin)).status).toBe(404);
    expect((await call('patch', `/v1/partners/${partnerId}`, keys.admin, { weight: 2, max_backlog: null })).status).toBe(200);
    expect((await call('patch', `/v1/partners/${partnerId}`, keys.admin, { weight: 1000 })).status).toBe(400);
    expect((await call('post', `/v1/partners/${partnerId}/revoke`, keys.admin)).status).toBe(200);
    expect((await call('post', `/v1/partners/${partnerId}/revoke`, keys.admin)).status).toBe(404);

    // Replays.
    expect((await call('post', '/v1/replays', keys.operator, { status: 'failed', reason: 'contract', dry_run: true })).status).toBe(200);
    const started = await call('post', '/v1/replays', keys.operator, { status: 'failed', reason: 'contract' });
    expect(started.status).toBe(202);
    expect((await call('post', '/v1/replays', keys.operator, { status: 'failed' })).status).toBe(400);
    expect((await call('get', `/v1/replays/${started.json().id}`, keys.auditor)).status).toBe(200);
    expect((await call('get', `/v1/replays/${UNKNOWN_ID}`, keys.auditor)).status).toBe(404);

    // The transparency log.
    expect((await call('get', '/v1/audit/verifications/latest', keys.auditor)).status).toBe(404);
    const size = await sealedAndSigned(gateway, TreeSealer);
    expect((await call('get', '/v1/audit/verify', keys.auditor)).status).toBe(200);
    expect((await call('get', '/v1/audit/verify', keys.partner)).status).toBe(403);
    expect((await call('get', '/v1/audit/verifications/latest', keys.auditor)).status).toBe(200);
    const checkpoint = await call('get', '/v1/audit/checkpoint', keys.auditor);
    expect(checkpoint.status).toBe(200);
    expect((await call('get', '/v1/audit/checkpoint', keys.partner)).status).toBe(403);
    expect((await call('get', `/v1/audit/consistency?from=1&to=${size}`, keys.auditor)).status).toBe(200);
    expect((await call('get', `/v1/audit/consistency?from=${size}&to=1`, keys.auditor)).status).toBe(400);
    expect((await call('get', `/v1/audit/entries?from=0&to=${size}`, keys.auditor)).status).toBe(200);
    expect((await call('get', `/v1/audit/entries?from=0&to=${size + 1000}`, keys.auditor)).status).toBe(400);
    const line = cosignCheckpoint(checkpoint.text, parseWitnessSigner(witness.signingKey)).trimEnd().split('\n').pop()!;
    expect([200, 201]).toContain((await call('post', '/v1/audit/cosignatures', keys.auditor, { checkpoint: checkpoint.text, cosignature: line })).status);
    expect((await call('post', '/v1/audit/cosignatures', keys.auditor, { checkpoint: checkpoint.text, cosignature: `${line.slice(0, -6)}AAAA==` })).status).toBe(400);
    expect((await call('get', `/v1/events/${failed}/proof`, keys.partner)).status).toBe(200);
    expect((await call('get', `/v1/events/${UNKNOWN_ID}/proof`, keys.partner)).status).toBe(404);

    // Outside /v1: only their statuses are checked.
    expect((await call('get', '/health/live')).status).toBe(200);
    expect((await call('get', '/health/ready')).status).toBe(200);
    expect((await call('get', '/metrics')).status).toBe(200);
    const page = await call('get', '/console');
    expect([200, 404]).toContain(page.status);
    consoleBuilt = page.status === 200;
    const asset = /\/console\/assets\/[\w.-]+/.exec(page.text)?.[0];
    if (consoleBuilt) expect((await call('get', asset!)).status).toBe(200);
    expect((await call('get', '/console/assets/no-such-file.js')).status).toBe(404);

    expect(unexpected.map((m) => `${m.operation} -> ${m.status} (${m.url}): ${m.kind}: ${m.message}`)).toEqual([]);
  });

  it('exercised every operation the gateway serves, with a 2xx, and a 4xx on /v1 and ingest', () => {
    const served = servedRoutes(gateway);
    const missing = served.filter((operation) => consoleBuilt || !operation.startsWith('GET /console')).filter((operation) => {
      const statuses = [...(exercised.get(operation) ?? [])];
      const needsError = operation.includes(' /v1/') || operation.includes(' /1/');
      return !statuses.some((s) => s < 300) || (needsError && !statuses.some((s) => s >= 400 && s < 500));
    });
    expect(missing).toEqual([]);
    // The document describes nothing the gateway does not serve.
    expect(operationsOf(contract.document).filter((operation) => !served.includes(operation))).toEqual([]);
  });

  it('can compile the schema of every JSON answer the document declares', () => {
    expect(contract.compileAll()).toEqual([]);
  });

  describe('the check can fail', () => {
    const answer = (overrides: Partial<Omit<Answer, 'body'>> & { body: unknown }) => ({
      method: 'GET',
      url: '/v1/whoami',
      status: 200,
      headers: { 'content-type': 'application/json; charset=utf-8', 'x-request-id': 'r1' },
      ...overrides,
      body: typeof overrides.body === 'string' ? overrides.body : JSON.stringify(overrides.body),
    });

    it('accepts a valid answer, and a HEAD answered like its GET', () => {
      expect(contract.check(answer({ body: { name: 'Acme', role: 'partner', accounts: ['a'] } }))).toEqual([]);
      expect(contract.check(answer({ method: 'HEAD', body: '' }))).toEqual([]);
      expect(contract.check(answer({ method: 'HEAD', status: 418, body: '' }))[0]).toMatchObject({ kind: 'status' });
    });

    it('refuses a body with a wrong type, a missing field or an undocumented field', () => {
      expect(contract.check(answer({ body: { name: 'Acme', role: 'partner', accounts: 'a' } }))[0]).toMatchObject({ kind: 'body', message: expect.stringContaining('accounts') });
      expect(contract.check(answer({ body: { name: 'Acme', accounts: [] } }))[0]).toMatchObject({ kind: 'body', message: expect.stringContaining('role') });
      expect(contract.check(answer({ body: { name: 'Acme', role: 'partner', accounts: [], key: 'x' } }))[0]).toMatchObject({ kind: 'body' });
      const summary = { id: UNKNOWN_ID, position: '12', partner_id: UNKNOWN_ID, partner_name: 'p', account_id: 'a', business_event: 'b', name: 'n', status: 'sent', attempts: 1, received_at: 'yesterday', request_id: 'r', idempotency_key: null, last_error: null };
      const mismatches = contract.check(answer({ url: '/v1/events', body: { data: [summary], next_cursor: null } }));
      expect(mismatches.map((m) => m.errors?.map((e) => e.instancePath)).flat().sort()).toEqual(['/data/0/position', '/data/0/received_at']);
    });

    it('refuses an undeclared status, content type or a missing required header', () => {
      expect(contract.check(answer({ status: 418, body: {} }))[0]).toMatchObject({ kind: 'status' });
      expect(contract.check(answer({ headers: { 'content-type': 'text/html', 'x-request-id': 'r1' }, body: '<p>' }))[0]).toMatchObject({ kind: 'content-type' });
      expect(contract.check(answer({ headers: { 'content-type': 'application/json' }, body: { name: 'Acme', role: 'partner', accounts: [] } }))[0]).toMatchObject({
        kind: 'header',
        message: expect.stringContaining('X-Request-Id'),
      });
    });

    it('refuses a problem that is not RFC 9457 as documented (an unknown code, no request id)', () => {
      const problem = { type: 'urn:bulletin-gateway:error:not_found', title: 'Not found', status: 404, detail: 'No such event', code: 'not_found', request_id: 'r1' };
      const problemAnswer = (body: unknown) => answer({ url: `/v1/events/${UNKNOWN_ID}`, status: 404, headers: { 'content-type': 'application/problem+json', 'x-request-id': 'r1' }, body });
      expect(contract.check(problemAnswer(problem))).toEqual([]);
      expect(contract.check(problemAnswer({ ...problem, code: 'lost' }))[0]).toMatchObject({ kind: 'body' });
      const { request_id: _dropped, ...anonymous } = problem;
      expect(contract.check(problemAnswer(anonymous))[0]).toMatchObject({ kind: 'body', message: expect.stringContaining('request_id') });
    });

    it('refuses a problem without its detail or its title', () => {
      const problemAnswer = (body: unknown) => answer({ url: `/v1/events/${UNKNOWN_ID}`, status: 404, headers: { 'content-type': 'application/problem+json', 'x-request-id': 'r1' }, body });
      const problem = { type: 'urn:bulletin-gateway:error:not_found', title: 'Not found', status: 404, detail: 'No such event', code: 'not_found', request_id: 'r1' };
      const { detail: _detail, ...withoutDetail } = problem;
      const { title: _title, ...withoutTitle } = problem;
      expect(contract.check(problemAnswer(withoutDetail))[0]).toMatchObject({ kind: 'body', message: expect.stringContaining('detail') });
      expect(contract.check(problemAnswer(withoutTitle))[0]).toMatchObject({ kind: 'body', message: expect.stringContaining('title') });
    });
  });
});
