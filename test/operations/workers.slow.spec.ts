import pg from 'pg';
import { CleverTapSimulator } from '../../src/simulator/clevertap-simulator.js';
import { ACCOUNT_ID, UPSTREAM_PASSCODE } from '../support/gateway-harness.js';
import { createPartnerIn, GatewayProcess, liveGatewayEnv } from '../support/gateway-process.js';
import { raiseMany } from '../support/load.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { waitFor } from '../support/wait-for.js';

describe('GATEWAY_WORKERS: several processes behind one port', () => {
  let database: TestDatabase;
  let simulator: CleverTapSimulator;

  beforeAll(async () => {
    database = await createTestDatabase();
    simulator = new CleverTapSimulator({ accounts: [{ id: ACCOUNT_ID, passcode: UPSTREAM_PASSCODE }], latencyMs: 20 });
    await simulator.start();
  });
  afterAll(async () => {
    await simulator.stop();
    await database.drop();
  });

  it('serves and dispatches from every worker within the account limit, and stops them all on SIGTERM', async () => {
    const gateway = await GatewayProcess.start(liveGatewayEnv(database.url, simulator.url, { GATEWAY_WORKERS: '2' }));
    expect(gateway.logs).toMatch(/ready at .* \(2 worker processes\)/);
    const key = await createPartnerIn(database.url, [ACCOUNT_ID]);

    const sent = await raiseMany(gateway.url, key, 60, { concurrency: 8, async: false });
    expect(sent.every((event) => event.httpStatus === 200)).toBe(true);

    const db = new pg.Client(database.url);
    await db.connect();
    try {
      // One LISTEN connection per worker process.
      const { rows: listeners } = await db.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'bulletin-gateway-listen'`);
      expect(listeners[0].n).toBe(2);
    } finally {
      await db.end();
    }
    await waitFor(() => simulator.successful().length === 60, 10_000, 'every event sent');
    expect(simulator.stats().maxInFlightSeen[ACCOUNT_ID]).toBeLessThanOrEqual(3);
    expect(simulator.stats().rejected429).toBe(0);

    expect((await gateway.kill('SIGTERM')).code).toBe(0);
  }, 60_000);
});
