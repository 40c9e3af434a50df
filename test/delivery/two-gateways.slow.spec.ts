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

  it('share an account fairly: a partner with few events is not held behind another\'s backlog on the other process', async () => {
    const deep = await createPartnerIn(database.url, [ACCOUNT_ID]);
    const few = await createPartnerIn(database.url, [ACCOUNT_ID]);
    const backlog = raiseMany(gateways[0].url, deep, 300, { prefix: 'deep', concurrency: 10 });
    await waitFor(() => simulator.received().filter((r) => programIdOf(r).startsWith('deep')).length >= 30, 20_000, 'the backlog to be under way');
    await raiseMany(gateways[1].url, few, 5, { prefix: 'few', concurrency: 1 });
    await backlog;
    await waitFor(
      async () => (await db.query(`SELECT count(*)::int AS n FROM event_status WHERE status IN ('queued', 'retrying')`)).rows[0].n === 0,
      60_000,
      'everything to be sent',
    );
    const { rows } = await db.query(
      `SELECT e.payload->'properties'->>'program_id' AS program_id, e.received_at, a.started_at
         FROM dispatch_attempts a JOIN bulletin_events e ON e.id = a.event_id
        WHERE e.payload->'properties'->>'program_id' ~ '^(deep|few)-' ORDER BY a.started_at`,
    );
    const deepStarts = rows.filter((row) => row.program_id.startsWith('deep')).map((row) => row.started_at.getTime());
    const overtaken = rows
      .filter((attempt) => attempt.program_id.startsWith('few'))
      .map((row) => [row.program_id, deepStarts.filter((at) => at > row.received_at.getTime() && at < row.started_at.getTime()).length]);
    console.log(`deep events started while each of few's waited: ${JSON.stringify(overtaken)}`);
    // Fair share puts a few events in flight and about one turn in each process ahead of them; a
    // first-in-first-out queue would put the rest of the backlog ahead (over 250 here). The bound is
    // loose because two loaded processes take their turns unevenly.
    for (const [programId, overtaking] of overtaken) expect([programId, overtaking < 60]).toEqual([programId, true]);
    expect(simulator.stats().maxInFlightSeen[ACCOUNT_ID]).toBe(3);
    expect(simulator.stats().rejected429).toBe(0);
  }, 120_000);
});

const programIdOf = (record: { body?: unknown }) => (record.body as { properties: { program_id: string } }).properties.program_id;
