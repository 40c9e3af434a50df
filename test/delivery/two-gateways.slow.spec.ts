import { CleverTapSimulator } from '../../src/simulator/clevertap-simulator.js';
import { ACCOUNT_ID, UPSTREAM_PASSCODE } from '../support/gateway-harness.js';
import { createPartnerIn, GatewayProcess, liveGatewayEnv } from '../support/gateway-process.js';
import { raiseMany } from '../support/load.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import pg from 'pg';
import { waitFor } from '../support/wait-for.js';

describe('two gateway processes on one database', () => {
  let database: TestDatabase;
  let simulator: CleverTapSimulator;
  let gateways: GatewayProcess[] = [];
  let db: pg.Pool;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = new pg.Pool({ connectionString: database.url, max: 2 });
    simulator = new CleverTapSimulator({ accounts: [{ id: ACCOUNT_ID, passcode: UPSTREAM_PASSCODE }], latencyMs: 40 });
    await simulator.start();
    const env = liveGatewayEnv(database.url, simulator.url, { DISPATCH_POLL_MS: '200' });
    gateways = await Promise.all([GatewayProcess.start(env), GatewayProcess.start(env)]);
  });
  afterAll(async () => {
    await Promise.all(gateways.map((gateway) => gateway.kill('SIGTERM')));
    await simulator.stop();
    await db.end();
    await database.drop();
  });

  it('dispatch every event exactly once and never exceed 3 requests in flight to the account', async () => {
    const key = await createPartnerIn(database.url, [ACCOUNT_ID]);
    const [a, b] = await Promise.all([
      raiseMany(gateways[0].url, key, 150, { prefix: 'a', concurrency: 6 }),
      raiseMany(gateways[1].url, key, 150, { prefix: 'b', concurrency: 6 }),
      // synchronous requests too, which each process dispatches at once
      raiseMany(gateways[0].url, key, 30, { prefix: 'sync-a', concurrency: 5, async: false }),
      raiseMany(gateways[1].url, key, 30, { prefix: 'sync-b', concurrency: 5, async: false }),
    ]);
    expect([...a, ...b].every((event) => event.httpStatus === 202)).toBe(true);

    await waitFor(
      async () => (await db.query(`SELECT count(*)::int AS n FROM event_status WHERE status = 'sent'`)).rows[0].n === 360,
      60_000,
      'all 360 events to be sent',
    );
    const programIds = simulator.received().map((r) => (r.body as { properties: { program_id: string } }).properties.program_id);
    expect(programIds).toHaveLength(360);
    expect(new Set(programIds).size).toBe(360);
    const { rows } = await db.query(`SELECT count(*)::int AS attempts FROM dispatch_attempts`);
    expect(rows[0].attempts).toBe(360);
    expect(simulator.stats().maxInFlightSeen[ACCOUNT_ID]).toBe(3);
    expect(simulator.stats().rejected429).toBe(0);
    // Both processes did part of the work.
    const { rows: owners } = await db.query(`SELECT count(DISTINCT request_id)::int AS n FROM bulletin_events`);
    expect(owners[0].n).toBe(360);
  }, 120_000);
});
