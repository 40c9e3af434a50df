import pg from 'pg';
import { CleverTapSimulator } from '../../src/simulator/clevertap-simulator.js';
import { ACCOUNT_ID, UPSTREAM_PASSCODE } from '../support/gateway-harness.js';
import { createPartnerIn, GatewayProcess, liveGatewayEnv } from '../support/gateway-process.js';
import { raiseMany } from '../support/load.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { waitFor } from '../support/wait-for.js';

const FINAL = ['sent', 'failed', 'exhausted', 'uncertain'];

describe('a gateway process killed with SIGKILL mid-dispatch', () => {
  let database: TestDatabase;
  let simulator: CleverTapSimulator;
  let db: pg.Pool;
  const gateways: GatewayProcess[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    db = new pg.Pool({ connectionString: database.url, max: 2 });
    simulator = new CleverTapSimulator({ accounts: [{ id: ACCOUNT_ID, passcode: UPSTREAM_PASSCODE }], latencyMs: 60 });
    await simulator.start();
  });
  afterAll(async () => {
    await Promise.all(gateways.map((gateway) => gateway.kill()));
    await simulator.stop();
    await db.end();
    await database.drop();
  });

  const gatewayEnv = () =>
    liveGatewayEnv(database.url, simulator.url, {
      DISPATCH_POLL_MS: '200',
      UPSTREAM_TIMEOUT_MS: '1000', // abandoned leases expire after 3 × this + 5 s
      RETRY_SCHEDULE: '200ms,200ms,200ms',
    });

  it('loses no accepted event and sends none twice (the ledger against what CleverTap received)', async () => {
    const first = await GatewayProcess.start(gatewayEnv());
    gateways.push(first);
    const key = await createPartnerIn(database.url, [ACCOUNT_ID]);

    // Accept a backlog far faster than CleverTap's 3 in flight can drain it, then kill mid-stream.
    let killed = false;
    const load = raiseMany(first.url, key, 400, { concurrency: 8, shouldStop: () => killed });
    await waitFor(() => simulator.received().length >= 30, 20_000, 'dispatch to be under way');
    await first.kill('SIGKILL');
    killed = true;
    // Events the dead process had reserved but not started: never sent, so simply due again.
    const { rows: reservedRows } = await db.query(
      `SELECT event_id FROM event_status WHERE lease_owner IS NULL AND lease_expires_at IS NOT NULL`,
    );
    expect(reservedRows.length).toBeGreaterThan(0);
    const sent = await load;
    const accepted = sent.filter((event) => event.httpStatus === 202);
    expect(accepted.length).toBeGreaterThan(100);
    const [{ pending }] = (await db.query(`SELECT count(*)::int AS pending FROM event_status WHERE status IN ('queued', 'retrying')`)).rows;
    expect(pending).toBeGreaterThan(50); // hundreds were still queued when the process died

    const second = await GatewayProcess.start(gatewayEnv());
    gateways.push(second);
    await waitFor(
      async () => (await db.query(`SELECT 1 FROM event_status WHERE status NOT IN ('sent', 'failed', 'exhausted', 'uncertain') LIMIT 1`)).rowCount === 0,
      60_000,
      'every event to reach an outcome',
    );

    const { rows: events } = await db.query(
      `SELECT e.id, e.payload->'properties'->>'program_id' AS program_id, s.status,
              (SELECT count(*)::int FROM dispatch_attempts a WHERE a.event_id = e.id) AS attempts
         FROM bulletin_events e JOIN event_status s ON s.event_id = e.id`,
    );
    const byId = new Map(events.map((event) => [event.id, event]));
    for (const event of accepted) expect(byId.get(event.eventId!)).toBeDefined(); // none lost

    const receipts = new Map<string, number>();
    for (const received of simulator.received()) {
      const programId = (received.body as { properties: { program_id: string } }).properties.program_id;
      receipts.set(programId, (receipts.get(programId) ?? 0) + 1);
    }
    for (const event of events) {
      expect(FINAL).toContain(event.status);
      const times = receipts.get(event.program_id) ?? 0;
      if (event.status === 'sent') expect(times).toBe(1);
      else expect(times).toBeLessThanOrEqual(1);
    }
    // Only attempts the dead process had not finished are unknown, and they say so. A slot owns one
    // event at a time, only once its request is about to leave (see SlotLoop): so at most one per slot.
    // Each reached CleverTap at most once and is never sent again. (Ownership is written before the
    // request's first byte, as it must be, so a kill in between parks an event CleverTap never saw:
    // the gateway cannot tell the two apart, which is why such an event is uncertain, not resent.)
    const uncertain = events.filter((event) => event.status === 'uncertain');
    expect(uncertain.length).toBeLessThanOrEqual(3);
    for (const event of uncertain) expect([event.program_id, (receipts.get(event.program_id) ?? 0) <= 1]).toEqual([event.program_id, true]);
    for (const { event_id } of reservedRows) expect(byId.get(event_id).status).toBe('sent');
    expect(simulator.stats().rejected429).toBe(0);
    await second.kill('SIGTERM');
  }, 120_000);

  it('exits 0 on SIGTERM after letting requests in flight finish, leaving no lease or reservation behind', async () => {
    simulator.setLatency(400);
    const gateway = await GatewayProcess.start(gatewayEnv());
    gateways.push(gateway);
    const key = await createPartnerIn(database.url, [ACCOUNT_ID]);
    await raiseMany(gateway.url, key, 10, { prefix: 'term', concurrency: 10 });
    await waitFor(() => Object.values(simulator.stats().inFlight).some((n) => n > 0), 5000, 'a request in flight');

    const exit = await gateway.kill('SIGTERM');

    expect(exit.code).toBe(0);
    const { rows } = await db.query(
      `SELECT s.event_id FROM event_status s JOIN bulletin_events e ON e.id = s.event_id
        WHERE (s.lease_owner IS NOT NULL OR s.lease_expires_at IS NOT NULL) AND e.payload->'properties'->>'program_id' LIKE 'term-%'`,
    );
    expect(rows).toEqual([]);
    const { rows: sentRows } = await db.query(
      `SELECT count(*)::int AS n FROM dispatch_attempts a JOIN bulletin_events e ON e.id = a.event_id
        WHERE e.payload->'properties'->>'program_id' LIKE 'term-%' AND a.outcome = 'sent'`,
    );
    expect(sentRows[0].n).toBeGreaterThan(0);
  }, 60_000);
});
