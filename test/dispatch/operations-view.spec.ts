import request from 'supertest';
import { bearer, bulletin, expectProblem, partnerIdOf, raise, secondAccount } from '../support/fixtures.js';
import { ACCOUNT_ID, startGateway, type GatewayHarness } from '../support/gateway-harness.js';
import { waitFor } from '../support/wait-for.js';

/**
 * The Operations screen's API on a known backlog: two partners on an account whose three slots are held
 * by requests CleverTap never answers, so everything else stays queued where the test put it.
 */
describe('the backlog by partner and lane, and the wait before the first attempt', () => {
  let gateway: GatewayHarness;
  let second: Awaited<ReturnType<typeof secondAccount>>;
  const keys = { a: '', b: '', operator: '', admin: '', auditor: '' };
  const ids = { a: '', b: '' };
  /** The events whose first attempt is recorded, by account. */
  const attempted: Record<string, string[]> = { [ACCOUNT_ID]: [] };

  const get = (path: string, key = keys.operator) => request(gateway.http).get(path).set(bearer(key));
  const post = (key: string, programId: string) =>
    request(gateway.http)
      .post('/1/targets/trigger.json')
      .set(gateway.partnerHeaders(key))
      .set('Prefer', 'respond-async')
      .send(bulletin({ name: `queued ${programId}`, properties: { program_id: programId } }))
      .expect(202);

  beforeAll(async () => {
    second = await secondAccount();
    gateway = await startGateway({
      env: { RETRY_SCHEDULE: '10m', UPSTREAM_TIMEOUT_MS: '120000', SHUTDOWN_GRACE_MS: '500', CIRCUIT_FAILURE_THRESHOLD: '50', ...second.env },
    });
    keys.a = await gateway.createPartner({ name: 'Alpha CMS' });
    keys.b = await gateway.createPartner({ name: 'Beta billing', accounts: [ACCOUNT_ID, second.id] });
    keys.operator = await gateway.createPartner({ role: 'operator', accounts: [], name: 'Olivia' });
    keys.admin = await gateway.createPartner({ role: 'admin', accounts: [], name: 'Ada' });
    keys.auditor = await gateway.createPartner({ role: 'auditor', accounts: [], name: 'Audrey' });
    ids.a = await partnerIdOf(gateway, keys.a);
    ids.b = await partnerIdOf(gateway, keys.b);
    attempted[second.id] = [];

    // First attempts that are over: three sent and one refused by CleverTap (A), one to be retried in
    // ten minutes (B), and one on the second account (B).
    for (let i = 0; i < 3; i++) attempted[ACCOUNT_ID].push(await raise(gateway, keys.a, bulletin({ properties: { program_id: `sent-${i}` } })));
    attempted[ACCOUNT_ID].push(await raise(gateway, keys.a, bulletin({ business_event: 'Gone Event', name: 'refused' })));
    gateway.simulator.addFault({ kind: '5xx', status: 503, remaining: 1 });
    attempted[ACCOUNT_ID].push(await raise(gateway, keys.b, bulletin({ name: 'to be retried' })));
    attempted[second.id].push(await raise(gateway, keys.b, bulletin({ name: 'elsewhere' }), { account: second.id }));
    expect((await gateway.timeline(attempted[ACCOUNT_ID][4])).status).toBe('retrying');

    // CleverTap holds the next three requests without answering: A's first three of ten take the slots.
    gateway.simulator.addFault({ kind: 'hang', remaining: 3 });
    for (let i = 0; i < 10; i++) await post(keys.a, `a-${i}`);
    await waitFor(async () => gateway.simulator.stats().inFlight[ACCOUNT_ID] === 3, 10_000, 'three requests held by CleverTap');
    for (let i = 0; i < 4; i++) await post(keys.b, `b-${i}`);
    const replay = await request(gateway.http)
      .post('/v1/replays')
      .set(bearer(keys.operator))
      .send({ status: 'failed', partner: ids.a, reason: 'lanes on the Operations screen' })
      .expect(202);
    expect(replay.body.queued).toBe(1);
  }, 60_000);

  afterAll(async () => {
    await gateway?.simulator.stop(); // lets the held requests go, so the gateway need not wait for them
    await gateway?.close();
    await second?.simulator.stop();
  });

  it('counts each configured account\'s events by partner and lane, with those in flight and the oldest age', async () => {
    const response = await get('/v1/accounts/backlog').expect(200);
    const [mine, other] = response.body.data;
    expect(other).toEqual({ account_id: second.id, queued: 0, retrying: 0, in_flight: 0, lines: [] });
    expect(mine).toEqual({
      account_id: ACCOUNT_ID,
      queued: 15,
      retrying: 1,
      in_flight: 3,
      lines: [
        { partner_id: ids.a, partner_name: 'Alpha CMS', lane: 'live', queued: 10, retrying: 0, in_flight: 3, oldest_age_seconds: expect.any(Number) },
        { partner_id: ids.a, partner_name: 'Alpha CMS', lane: 'replay', queued: 1, retrying: 0, in_flight: 0, oldest_age_seconds: expect.any(Number) },
        { partner_id: ids.b, partner_name: 'Beta billing', lane: 'live', queued: 4, retrying: 0, in_flight: 0, oldest_age_seconds: expect.any(Number) },
        { partner_id: ids.b, partner_name: 'Beta billing', lane: 'retry', queued: 0, retrying: 1, in_flight: 0, oldest_age_seconds: expect.any(Number) },
      ],
    });
    // The replayed event is older than any of the live ones: it was received first.
    const ages = Object.fromEntries(mine.lines.map((line: any) => [`${line.partner_name} ${line.lane}`, line.oldest_age_seconds]));
    const [{ age }] = await gateway.sql(`SELECT extract(epoch FROM now() - received_at)::float8 AS age FROM bulletin_events WHERE id = $1`, [
      attempted[ACCOUNT_ID][3],
    ]);
    expect(Math.abs(ages['Alpha CMS replay'] - age)).toBeLessThanOrEqual(2);
    expect(ages['Alpha CMS replay']).toBeGreaterThanOrEqual(ages['Alpha CMS live']);
  });

  it('summarises the waits of the first attempts of the last hour, in 60 buckets, overall or for one account', async () => {
    const waits = await gateway.sql<{ event_id: string; account_id: string; wait_ms: number; started_at: Date }>(
      `SELECT a.event_id, e.account_id, extract(epoch FROM a.started_at - e.received_at)::float8 * 1000 AS wait_ms, a.started_at
         FROM dispatch_attempts a JOIN bulletin_events e ON e.id = a.event_id WHERE a.attempt_number = 1`,
    );
    expect(waits.map((row) => row.event_id).sort()).toEqual([...attempted[ACCOUNT_ID], ...attempted[second.id]].sort());

    const check = async (query: string, accountId: string | null) => {
      const expected = waits.filter((row) => accountId === null || row.account_id === accountId);
      const { body } = await get(`/v1/accounts/wait${query}`).expect(200);
      expect(body).toEqual(
        expect.objectContaining({ account_id: accountId, window: '1h', bucket_seconds: 60, sample_limit: 2000, buckets: expect.any(Array) }),
      );
      expect(Date.parse(body.to) - Date.parse(body.from)).toBe(3600_000);
      expect(body.buckets).toHaveLength(60);
      expect(body.overall.count).toBe(expected.length);
      expect(body.overall.max_ms).toBeCloseTo(Math.max(...expected.map((row) => row.wait_ms)), 0);
      expect(body.overall.sampled).toBe(false);
      // Each attempt is counted in the bucket its start falls in, and nowhere else.
      for (const [i, bucket] of body.buckets.entries()) {
        const start = Date.parse(bucket.start);
        const inside = expected.filter((row) => row.started_at.getTime() >= start && row.started_at.getTime() < start + 60_000);
        expect([i, bucket.count]).toEqual([i, inside.length]);
        if (inside.length === 0) expect(bucket).toEqual({ start: bucket.start, count: 0, p50_ms: null, p95_ms: null, max_ms: null, sampled: false });
        else expect(bucket.max_ms).toBeCloseTo(Math.max(...inside.map((row) => row.wait_ms)), 0);
      }
      return body;
    };
    await check('', null);
    await check(`?window=1h&account=${ACCOUNT_ID}`, ACCOUNT_ID);
    const elsewhere = await check(`?account=${second.id}`, second.id);
    expect(elsewhere.overall.count).toBe(1);

    const quarter = await get('/v1/accounts/wait?window=15m').expect(200);
    expect([quarter.body.bucket_seconds, quarter.body.overall.count]).toEqual([15, waits.length]);
  });

  it('refuses bad query parameters with a problem', async () => {
    expectProblem(await get('/v1/accounts/wait?window=2h'), 400, /window must be one of 15m, 1h, 6h, 24h/);
    expectProblem(await get('/v1/accounts/wait?account=nobody'), 400, /configured CleverTap accounts/);
    expectProblem(await get('/v1/accounts/wait?partner=x'), 400, /partner should not exist/);
  });

  it('is for operators and admins: partners and auditors are refused', async () => {
    await get('/v1/accounts/backlog', keys.admin).expect(200);
    await get('/v1/accounts/wait', keys.admin).expect(200);
    for (const key of [keys.a, keys.auditor])
      for (const path of ['/v1/accounts/backlog', '/v1/accounts/wait']) expectProblem(await get(path, key), 403, 'forbidden');
    expectProblem(await request(gateway.http).get('/v1/accounts/backlog'), 401);
  });
});
