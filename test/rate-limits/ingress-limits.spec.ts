import pg from 'pg';
import request from 'supertest';
import { CleverTapSimulator } from '../../src/simulator/clevertap-simulator.js';
import { ACCOUNT_ID, startGateway, type GatewayHarness, UPSTREAM_PASSCODE } from '../support/gateway-harness.js';
import { createPartnerIn, GatewayProcess, liveGatewayEnv, runCli } from '../support/gateway-process.js';
import { uniqueBulletin } from '../support/load.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { waitFor } from '../support/wait-for.js';

describe('per-partner ingress limits', () => {
  let gateway: GatewayHarness;
  let adminKey: string;

  beforeAll(async () => {
    gateway = await startGateway({ simulator: { latencyMs: 20 } });
    adminKey = await gateway.createPartner({ role: 'admin', accounts: [], name: 'Ada' });
  });
  afterAll(() => gateway.close());

  const partner = async (name: string) => {
    const key = await gateway.createPartner({ name });
    const [{ id }] = await gateway.sql('SELECT id FROM partners WHERE name = $1', [name]);
    return { key, id: id as string };
  };
  const limit = (id: string, settings: Record<string, unknown>) =>
    request(gateway.http).patch(`/v1/partners/${id}`).set('Authorization', `Bearer ${adminKey}`).send(settings);
  const post = (key: string, programId: string) =>
    request(gateway.http).post('/1/targets/trigger.json').set(gateway.partnerHeaders(key)).set('Prefer', 'respond-async').send(uniqueBulletin(programId));
  const eventsOf = async (partnerId: string) =>
    (await gateway.sql('SELECT count(*)::int AS n FROM bulletin_events WHERE partner_id = $1', [partnerId]))[0].n as number;

  it('refuses requests over the rate with 429 in CleverTap\'s shape, Retry-After and RateLimit fields, storing nothing', async () => {
    const flood = await partner('flood');
    await limit(flood.id, { rate_limit_per_second: 1, rate_limit_burst: 3 }).expect(200);
    await new Promise((resolve) => setTimeout(resolve, 1100)); // settings apply within a second
    const answers = [];
    for (let i = 0; i < 10; i++) answers.push(await post(flood.key, `rate-${i}`));

    const accepted = answers.filter((answer) => answer.status === 202);
    const refused = answers.filter((answer) => answer.status === 429);
    expect(accepted.length).toBeGreaterThanOrEqual(3);
    expect(accepted.length).toBeLessThanOrEqual(4); // the burst, and perhaps one token refilled meanwhile
    expect(refused.length).toBe(10 - accepted.length);
    expect(accepted[0].headers['ratelimit-policy']).toBe('"partner";q=3;w=3');
    expect(accepted[0].headers.ratelimit).toMatch(/^"partner";r=\d+;t=\d+$/);
    expect(refused[0].body).toEqual({ status: 'fail', error: expect.stringContaining('rate limit'), code: 429 });
    expect(Number(refused[0].headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(refused[0].headers.ratelimit).toMatch(/^"partner";r=0;t=[1-9]\d*$/);
    expect(await eventsOf(flood.id)).toBe(accepted.length); // a refused request stores no event

    // One rejection-log row for the whole flood's second, with the count in it.
    await waitFor(async () => (await gateway.sql(`SELECT 1 FROM rejected_requests WHERE partner_id = $1`, [flood.id])).length > 0, 5000);
    const rows = await gateway.sql(`SELECT reason_code, reason, http_status FROM rejected_requests WHERE partner_id = $1`, [flood.id]);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ reason_code: 'rate_limited', http_status: 429 });
    expect(rows[0].reason).toContain(`${refused.length} request(s) refused`);
    const metrics = await request(gateway.http).get('/metrics').set('Authorization', `Bearer ${adminKey}`);
    expect(metrics.text).toContain(`bulletin_gateway_partner_refusals_total{partner="${flood.id}",reason="rate_limited"} ${refused.length}`);

    // The bucket refills: after a second, one more goes through.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect((await post(flood.key, 'rate-later')).status).toBe(202);
  });

  it('keeps a key sent in the account header of a refused request out of the rejection log', async () => {
    const leaky = await partner('leaky');
    await limit(leaky.id, { rate_limit_per_second: 1, rate_limit_burst: 1 }).expect(200);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const answers = [];
    for (let i = 0; i < 4; i++)
      answers.push(
        await request(gateway.http)
          .post('/1/targets/trigger.json')
          .set({ ...gateway.partnerHeaders(leaky.key), 'X-CleverTap-Account-Id': leaky.key })
          .send(uniqueBulletin(`leak-${i}`)),
      );
    expect(answers.some((answer) => answer.status === 429)).toBe(true);
    await waitFor(async () => (await gateway.sql(`SELECT 1 FROM rejected_requests WHERE partner_id = $1 AND http_status = 429`, [leaky.id])).length > 0, 5000);
    const rows = await gateway.sql(`SELECT row_to_json(r)::text AS row FROM rejected_requests r WHERE partner_id = $1`, [leaky.id]);
    expect(rows.map((row) => row.row).join('\n')).not.toContain(leaky.key);
  });

  it('refuses events beyond the partner\'s backlog quota until some are sent', async () => {
    const busy = await partner('busy');
    await limit(busy.id, { max_backlog: 4 }).expect(200);
    await new Promise((resolve) => setTimeout(resolve, 1100)); // settings apply within a second
    gateway.simulator.setLatency(3000); // nothing leaves the queue for now
    const answers = [];
    for (let i = 0; i < 8; i++) answers.push(await post(busy.key, `quota-${i}`));
    expect(answers.map((answer) => answer.status)).toEqual([202, 202, 202, 202, 429, 429, 429, 429]);
    expect(answers[4].body.error).toContain('quota');
    expect(answers[4].headers['retry-after']).toBe('1');
    expect(await eventsOf(busy.id)).toBe(4);
    // The backlog is visible per account, partner and lane (one in flight, three queued, all live).
    const metrics = (await request(gateway.http).get('/metrics').set('Authorization', `Bearer ${adminKey}`)).text;
    expect(metrics).toMatch(new RegExp(`bulletin_gateway_lane_queue_depth\\{account="sim-account",partner="${busy.id}",lane="live"\\} 4`));
    expect(metrics).toMatch(new RegExp(`bulletin_gateway_lane_oldest_age_seconds\\{account="sim-account",partner="${busy.id}",lane="live"\\} \\d`));
    expect(metrics).toMatch(new RegExp(`bulletin_gateway_first_attempt_wait_seconds_count\\{account="sim-account",partner="${busy.id}"\\} [1-4]`));
    gateway.simulator.setLatency(20);
    await waitFor(async () => (await gateway.sql(`SELECT 1 FROM event_status WHERE partner_id = $1 AND status = 'sent'`, [busy.id])).length === 4, 20_000);
    await new Promise((resolve) => setTimeout(resolve, 1100)); // the count is at most a second old
    expect((await post(busy.key, 'quota-after')).status).toBe(202);
    await limit(busy.id, { max_backlog: null }).expect(200, { id: busy.id, weight: null, rate_limit_per_second: null, rate_limit_burst: null, max_backlog: null });
  }, 30_000);

  it('checks the settings it is given', async () => {
    const someone = await partner('someone');
    await limit(someone.id, { rate_limit_per_second: -1 }).expect(400);
    await limit(someone.id, { surprise: 1 }).expect(400);
    await limit('00000000-0000-0000-0000-000000000000', { weight: 2 }).expect(404);
  });
});

describe('a rate limit shared by two gateway processes', () => {
  let database: TestDatabase;
  let simulator: CleverTapSimulator;
  const gateways: GatewayProcess[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    simulator = new CleverTapSimulator({ accounts: [{ id: ACCOUNT_ID, passcode: UPSTREAM_PASSCODE }], latencyMs: 5 });
    await simulator.start();
  });
  afterAll(async () => {
    await Promise.all(gateways.map((gateway) => gateway.kill('SIGTERM')));
    await simulator.stop();
    await database.drop();
  });

  it('holds across both, set through the CLI', async () => {
    for (let i = 0; i < 2; i++) gateways.push(await GatewayProcess.start(liveGatewayEnv(database.url, simulator.url)));
    const key = await createPartnerIn(database.url, [ACCOUNT_ID]);
    const db = new pg.Pool({ connectionString: database.url, max: 1 });
    const [{ partner_id: partnerId }] = (await db.query('SELECT partner_id FROM partner_keys ORDER BY created_at DESC LIMIT 1')).rows;
    const set = await runCli(database.url, ['partners:set', partnerId, '--rate', '4', '--burst', '6']);
    expect(set.code).toBe(0);
    expect(JSON.parse(set.stdout.trim().split('\n').pop()!)).toMatchObject({ id: partnerId, ratePerSecond: 4, burst: 6 });
    expect((await runCli(database.url, ['partners:set', partnerId, '--weight', 'zero'])).code).not.toBe(0);

    const started = Date.now();
    const send = (url: string, i: number) =>
      fetch(`${url}/1/targets/trigger.json`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-clevertap-account-id': ACCOUNT_ID, 'x-clevertap-passcode': key, prefer: 'respond-async' },
        body: JSON.stringify(uniqueBulletin(`two-${i}`)),
      }).then((response) => response.status);
    const statuses = await Promise.all(Array.from({ length: 40 }, (_, i) => send(gateways[i % 2].url, i)));
    const seconds = (Date.now() - started) / 1000;
    const accepted = statuses.filter((status) => status === 202).length;
    expect(statuses.filter((status) => status !== 202 && status !== 429)).toEqual([]);
    expect(accepted).toBeGreaterThanOrEqual(6);
    expect(accepted).toBeLessThanOrEqual(6 + Math.ceil(4 * seconds) + 1);
    const [{ n }] = (await db.query('SELECT count(*)::int AS n FROM bulletin_events WHERE partner_id = $1', [partnerId])).rows;
    expect(n).toBe(accepted);
    await db.end();
  }, 60_000);
});
