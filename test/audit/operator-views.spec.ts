import request from 'supertest';
import { exampleBulletin, startGateway, type GatewayHarness } from '../support/gateway-harness.js';

/** The read models behind the console: counts by status, accounts, the caller's role, the last verification. */
describe('operator and auditor views', () => {
  let gateway: GatewayHarness;
  let keys: Record<'partner' | 'auditor' | 'operator', string>;
  const get = (path: string, key: string) => request(gateway.http).get(path).set('Authorization', `Bearer ${key}`);

  beforeAll(async () => {
    gateway = await startGateway({ simulator: { latencyMs: 200 } });
    keys = {
      partner: await gateway.createPartner({ name: 'Pat' }),
      auditor: await gateway.createPartner({ role: 'auditor', accounts: [], name: 'Audrey' }),
      operator: await gateway.createPartner({ role: 'operator', accounts: [], name: 'Otto' }),
    };
    const raise = (body: object) =>
      request(gateway.http).post('/1/targets/trigger.json').set(gateway.partnerHeaders(keys.partner)).send(body);
    await raise(exampleBulletin()).expect(200);
    await raise({ ...exampleBulletin(), business_event: 'Unknown Event' }).expect(400);
  });
  afterAll(() => gateway.close());

  it('counts events by status for the filter, ignoring the status filter itself', async () => {
    const { body } = await get('/v1/events/counts?status=sent', keys.auditor).expect(200);
    expect(body).toEqual({ counts: { queued: 0, retrying: 0, sent: 1, failed: 1, exhausted: 0, uncertain: 0 }, total: 2 });
    const filtered = await get('/v1/events/counts?business_event=Unknown%20Event', keys.auditor).expect(200);
    expect(filtered.body.total).toBe(1);
  });

  it('shows each account with its circuit, in-flight requests against the limit and queue, to operators only', async () => {
    await request(gateway.http)
      .post('/1/targets/trigger.json')
      .set(gateway.partnerHeaders(keys.partner))
      .set('Prefer', 'respond-async')
      .send(exampleBulletin())
      .expect(202);
    const { body } = await get('/v1/accounts', keys.operator).expect(200);
    expect(body.data).toEqual([
      expect.objectContaining({ account_id: 'sim-account', circuit: 'closed', limit: 3, queue_depth: expect.any(Number) }),
    ]);
    await get('/v1/accounts', keys.auditor).expect(403);
    await get('/v1/accounts', keys.partner).expect(403);
  });

  it('tells a key its name and role', async () => {
    expect((await get('/v1/whoami', keys.operator).expect(200)).body).toEqual({ name: 'Otto', role: 'operator', accounts: [] });
    expect((await get('/v1/whoami', keys.partner).expect(200)).body).toMatchObject({ name: 'Pat', role: 'partner' });
    await request(gateway.http).get('/v1/whoami').expect(401);
  });

  it('records every verification, and serves the latest with who ran it', async () => {
    await get('/v1/audit/verifications/latest', keys.auditor).expect(404);
    const report = (await get('/v1/audit/verify', keys.auditor).expect(200)).body;
    const latest = (await get('/v1/audit/verifications/latest', keys.operator).expect(200)).body;
    expect(latest).toEqual({ ...report, verified_by: 'Audrey' });
    await get('/v1/audit/verifications/latest', keys.partner).expect(403);
  });
});
