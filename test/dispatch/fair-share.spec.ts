import request from 'supertest';
import { startGateway, type GatewayHarness } from '../support/gateway-harness.js';
import { uniqueBulletin } from '../support/load.js';
import { waitFor } from '../support/wait-for.js';

const LATENCY_MS = 40;

interface AttemptRow {
  partner_id: string;
  program_id: string;
  received_at: Date;
  started_at: Date;
  trigger: string;
}

describe('sharing an account between partners and lanes', () => {
  let gateway: GatewayHarness;
  let adminKey: string;

  beforeAll(async () => {
    gateway = await startGateway({ simulator: { latencyMs: LATENCY_MS }, env: { DISPATCH_POLL_MS: '100' } });
    adminKey = await gateway.createPartner({ role: 'admin', accounts: [], name: 'Ada the admin' });
  });
  afterAll(() => gateway.close());
  beforeEach(() => gateway.simulator.setLatency(LATENCY_MS));

  const partner = async (name: string) => {
    const key = await gateway.createPartner({ name });
    const [{ id }] = await gateway.sql('SELECT id FROM partners WHERE name = $1', [name]);
    return { key, id: id as string };
  };
  const post = (key: string, programId: string, body: Record<string, unknown> = uniqueBulletin(programId)) =>
    request(gateway.http).post('/1/targets/trigger.json').set(gateway.partnerHeaders(key)).set('Prefer', 'respond-async').send(body).expect(202);
  const postMany = async (key: string, prefix: string, count: number) => {
    for (let start = 0; start < count; start += 25)
      await Promise.all(Array.from({ length: Math.min(25, count - start) }, (_, i) => post(key, `${prefix}-${start + i}`)));
  };
  const attempts = async (prefix: string): Promise<AttemptRow[]> =>
    (await gateway.sql(
      `SELECT e.partner_id, e.payload->'properties'->>'program_id' AS program_id, e.received_at, a.started_at, a.trigger
         FROM dispatch_attempts a JOIN bulletin_events e ON e.id = a.event_id
        WHERE e.payload->'properties'->>'program_id' LIKE $1 ORDER BY a.started_at, a.position`,
      [`${prefix}%`],
    )) as AttemptRow[];
  const settled = (prefix: string, count: number) =>
    waitFor(
      async () =>
        (await gateway.sql(
          `SELECT count(*)::int AS n FROM event_status s JOIN bulletin_events e ON e.id = s.event_id
            WHERE e.payload->'properties'->>'program_id' LIKE $1 AND s.status NOT IN ('queued', 'retrying')`,
          [`${prefix}%`],
        ))[0].n >= count,
      60_000,
      `${count} events of ${prefix} to be settled`,
    );

  it('serves a partner with a few events within about one turn of a partner with a deep backlog', async () => {
    const a = await partner('deep backlog');
    const b = await partner('few events');
    await postMany(a.key, 'fair1-a', 300);
    await waitFor(async () => (await attempts('fair1-a')).length >= 30, 10_000, 'A to be under way');
    for (let i = 0; i < 5; i++) await post(b.key, `fair1-b-${i}`);
    await settled('fair1-b', 5);

    const all = await attempts('fair1-');
    const sentOfA = all.filter((row) => row.partner_id === a.id);
    for (const row of all.filter((attempt) => attempt.partner_id === b.id)) {
      // A's events that went out while this one of B's waited: those in flight, then about one turn.
      const overtaking = sentOfA.filter((other) => other.started_at > row.received_at && other.started_at < row.started_at);
      expect([row.program_id, overtaking.length]).toEqual([row.program_id, expect.any(Number)]);
      expect(overtaking.length).toBeLessThanOrEqual(3 + 5);
    }
    const lastOfB = Math.max(...all.filter((row) => row.partner_id === b.id).map((row) => row.started_at.getTime()));
    expect(sentOfA.filter((row) => row.started_at.getTime() <= lastOfB).length).toBeLessThan(200); // A's backlog was still deep
    await settled('fair1-a', 300);
  }, 90_000);

  it('gives each partner its weight (set through the admin API) in turns', async () => {
    const a = await partner('weight three');
    const b = await partner('weight one');
    await request(gateway.http).patch(`/v1/partners/${a.id}`).set('Authorization', `Bearer ${adminKey}`).send({ weight: 3 }).expect(200, {
      id: a.id,
      weight: 3,
      rate_limit_per_second: null,
      rate_limit_burst: null,
      max_backlog: null,
    });
    await request(gateway.http).patch(`/v1/partners/${a.id}`).set('Authorization', `Bearer ${adminKey}`).send({ weight: 0 }).expect(400);
    // Both backlogs are in before the slots free up.
    gateway.simulator.setLatency(1500);
    await post(a.key, 'fair2-head-0');
    await waitFor(async () => (await attempts('fair2-head')).length === 0 && Object.values(gateway.simulator.stats().inFlight).some((n) => n > 0), 5000);
    await postMany(a.key, 'fair2-a', 150);
    await postMany(b.key, 'fair2-b', 150);
    gateway.simulator.setLatency(LATENCY_MS);
    await settled('fair2-', 301);

    const order = (await attempts('fair2-')).filter((row) => !row.program_id.startsWith('fair2-head')).slice(6, 6 + 120);
    const ofA = order.filter((row) => row.partner_id === a.id).length;
    expect(ofA).toBeGreaterThanOrEqual(80);
    expect(ofA).toBeLessThanOrEqual(100);
  }, 90_000);

  it('keeps a replay to its share of the slots while live events arrive, without starving it', async () => {
    const p = await partner('replayed and live');
    const operatorKey = await gateway.createPartner({ role: 'operator', accounts: [], name: 'Olga' });
    // Events CleverTap refuses (unknown business event) end as failed: what a replay puts back.
    for (let start = 0; start < 120; start += 30)
      await Promise.all(
        Array.from({ length: 30 }, (_, i) => post(p.key, `fair3-old-${start + i}`, { ...uniqueBulletin(`fair3-old-${start + i}`), business_event: 'Gone Event' })),
      );
    await settled('fair3-old', 120);
    gateway.simulator.setLatency(100);
    const replay = await request(gateway.http)
      .post('/v1/replays')
      .set('Authorization', `Bearer ${operatorKey}`)
      .send({ status: 'failed', partner: p.id, reason: 'lanes test' })
      .expect(202);
    expect(replay.body.queued).toBe(120);
    await waitFor(async () => (await attempts('fair3-old')).filter((row) => row.trigger === 'replay').length >= 15, 10_000, 'the replay to run');
    for (let i = 0; i < 8; i++) {
      await post(p.key, `fair3-live-${i}`);
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
    await settled('fair3-live', 8);
    const liveAttempts = await attempts('fair3-live');
    const live = liveAttempts.map((row) => row.started_at.getTime() - row.received_at.getTime());
    // Waited at most for a slot to free (one upstream round trip) and a reservation.
    for (const wait of live) expect(wait).toBeLessThan(2 * 100 + 150);
    const [firstLive, lastLive] = [liveAttempts[0].received_at, liveAttempts[liveAttempts.length - 1].started_at];
    const replayed = (await attempts('fair3-old')).filter((row) => row.trigger === 'replay');
    expect(replayed.length).toBeLessThan(120); // still running: the live events did not wait for its end
    // ...and it kept its share meanwhile (about one slot of three: ~10 per second at 100 ms).
    expect(replayed.filter((row) => row.started_at > firstLive && row.started_at < lastLive).length).toBeGreaterThanOrEqual(5);
    await settled('fair3-old', 120);
  }, 90_000);
});
