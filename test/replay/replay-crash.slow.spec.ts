import pg from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/database/data-source-options.js';
import { PartnersRepository } from '../../src/access/partners.repository.js';
import { CleverTapSimulator } from '../../src/simulator/clevertap-simulator.js';
import { ACCOUNT_ID, UPSTREAM_PASSCODE } from '../support/gateway-harness.js';
import { GatewayProcess, liveGatewayEnv, runCli } from '../support/gateway-process.js';
import { raiseMany } from '../support/load.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { waitFor } from '../support/wait-for.js';
import { bearer, programIdOf } from '../support/fixtures.js';

const EVENTS = 150;


describe('a replay interrupted by a crash', () => {
  let database: TestDatabase;
  let simulator: CleverTapSimulator;
  let db: pg.Pool;
  let partnerKey: string;
  let operatorKey: string;
  const gateways: GatewayProcess[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    db = new pg.Pool({ connectionString: database.url, max: 2 });
    simulator = new CleverTapSimulator({ accounts: [{ id: ACCOUNT_ID, passcode: UPSTREAM_PASSCODE }], latencyMs: 50 });
    await simulator.start();
    const dataSource = new DataSource(dataSourceOptions(database.url, 1));
    await dataSource.initialize();
    try {
      const partners = new PartnersRepository(dataSource);
      partnerKey = (await partners.create('Partner P', 'partner', [ACCOUNT_ID])).key;
      operatorKey = (await partners.create('Olga the operator', 'operator', [])).key;
    } finally {
      await dataSource.destroy();
    }
  });
  // A test that fails half-way must not leave its gateway dispatching into the next one.
  afterEach(async () => {
    await Promise.all(gateways.map((gateway) => gateway.kill()));
  });
  afterAll(async () => {
    await simulator.stop();
    await db.end();
    await database.drop();
  });

  const gatewayEnv = () =>
    liveGatewayEnv(database.url, simulator.url, {
      DISPATCH_POLL_MS: '200',
      UPSTREAM_TIMEOUT_MS: '1000', // abandoned leases expire after 3 × this + 5 s
      RETRY_SCHEDULE: '100ms,100ms',
      CIRCUIT_FAILURE_THRESHOLD: '1000',
    });

  const start = async () => {
    const gateway = await GatewayProcess.start(gatewayEnv());
    gateways.push(gateway);
    return gateway;
  };

  const count = async (where: string) => (await db.query(`SELECT count(*)::int AS n FROM event_status WHERE ${where}`)).rows[0].n as number;

  it('finishes after a kill -9 and a restart: every event sent once, only the ones in flight at the kill uncertain', async () => {
    // The outage: every event is accepted and ends exhausted.
    const port = simulator.port;
    await simulator.stop();
    const first = await start();
    const accepted = (await raiseMany(first.url, partnerKey, EVENTS, { prefix: 'crash', concurrency: 10 })).filter((event) => event.httpStatus === 202);
    expect(accepted).toHaveLength(EVENTS);
    await waitFor(async () => (await count(`status = 'exhausted'`)) === EVENTS, 30_000, 'every event to be exhausted');
    await simulator.start(port);

    // The operator replays from the CLI; the running gateway drains it, and dies halfway.
    const replay = await runCli(database.url, ['replay', '--status', 'exhausted', '--reason', 'CleverTap outage, replay before the crash', '--no-wait']);
    expect(replay.code).toBe(0);
    const [, replayId] = replay.stdout.match(/^replay ([0-9a-f-]{36}): 150 matched, 150 queued$/m) ?? [];
    expect(replayId).toBeDefined();
    await waitFor(() => simulator.successful().length >= 30, 20_000, 'the replay to be under way');
    await first.kill('SIGKILL');
    const pendingAtKill = await count(`status IN ('queued', 'retrying')`);
    expect(pendingAtKill).toBeGreaterThan(50);

    const second = await start();
    const progress = await waitFor(
      async () => {
        const response = await fetch(`${second.url}/v1/replays/${replayId}`, { headers: bearer(operatorKey) });
        const body = (await response.json()) as Record<string, any>;
        return body.done ? body : undefined;
      },
      60_000,
      'the replay to finish after the restart',
    );

    const { rows: events } = await db.query(
      `SELECT e.id, e.payload->'properties'->>'program_id' AS program_id, s.status,
              (SELECT row_to_json(a) FROM (SELECT trigger, outcome, error_code, replay_id FROM dispatch_attempts
                WHERE event_id = e.id ORDER BY attempt_number DESC LIMIT 1) a) AS last_attempt
         FROM bulletin_events e JOIN event_status s ON s.event_id = e.id`,
    );
    const raised = new Map<string, number>();
    for (const record of simulator.successful()) raised.set(programIdOf(record), (raised.get(programIdOf(record)) ?? 0) + 1);
    const uncertain = events.filter((event) => event.status === 'uncertain');
    expect(events).toHaveLength(EVENTS);
    expect(events.filter((event) => !['sent', 'uncertain'].includes(event.status))).toEqual([]);
    // Only the requests in flight when the process died are uncertain, and they say so.
    expect(uncertain.filter((event) => event.last_attempt.error_code !== 'ABANDONED_ATTEMPT').map((event) => [event.program_id, event.last_attempt])).toEqual([]);
    // A slot owns one event at a time: the request in flight, or its answer not yet written (SlotLoop).
    expect(uncertain.length).toBeLessThanOrEqual(3);
    for (const event of events) {
      // The replay's attempt is the last one of every event, tied to the replay.
      expect(event.last_attempt).toMatchObject({ trigger: 'replay', replay_id: replayId });
      if (event.status === 'sent') expect([event.program_id, raised.get(event.program_id)]).toEqual([event.program_id, 1]);
      else expect(raised.get(event.program_id) ?? 0).toBeLessThanOrEqual(1); // maybe raised, never twice
    }
    expect(progress).toMatchObject({
      id: replayId,
      matched: EVENTS,
      queued: EVENTS,
      sent: EVENTS - uncertain.length,
      failed: uncertain.length,
      pending: 0,
      done: true,
      reason: 'CleverTap outage, replay before the crash',
    });
    expect(simulator.stats().rejected429).toBe(0);
    expect(simulator.stats().maxInFlightSeen[ACCOUNT_ID]).toBeLessThanOrEqual(3);

    // Running the same replay again after the restart queues nothing: each is sent or parked uncertain.
    const again = await fetch(`${second.url}/v1/replays`, {
      method: 'POST',
      headers: { ...bearer(operatorKey), 'Content-Type': 'application/json' },
      body: JSON.stringify({ status: 'exhausted', reason: 'again after the crash' }),
    });
    expect(await again.json()).toMatchObject({ matched: 0, queued: 0 });
    await second.kill('SIGTERM');
  }, 180_000);

  it('queued while no gateway runs, a replay is sent when one starts (its state lives in the log)', async () => {
    simulator.clearReceived();
    const port = simulator.port;
    await simulator.stop();
    const gateway = await start();
    const accepted = (await raiseMany(gateway.url, partnerKey, 20, { prefix: 'offline', concurrency: 5 })).filter((event) => event.httpStatus === 202);
    expect(accepted).toHaveLength(20);
    await waitFor(async () => (await count(`status = 'exhausted'`)) === 20, 30_000, '20 events to be exhausted');
    await gateway.kill('SIGTERM');
    await simulator.start(port);

    const replay = await runCli(database.url, ['replay', '--status', 'exhausted', '--reason', 'replayed while the gateway was down', '--no-wait']);
    const [, replayId] = replay.stdout.match(/^replay ([0-9a-f-]{36}): 20 matched, 20 queued$/m) ?? [];
    expect(replayId).toBeDefined();
    expect(simulator.received()).toHaveLength(0);

    const restarted = await start();
    const progress = await waitFor(
      async () => {
        const body = (await (await fetch(`${restarted.url}/v1/replays/${replayId}`, { headers: bearer(operatorKey) })).json()) as Record<string, any>;
        return body.done ? body : undefined;
      },
      30_000,
      'the replay to finish',
    );
    expect(progress).toMatchObject({ matched: 20, queued: 20, sent: 20, failed: 0, pending: 0 });
    const raised = simulator.successful().map(programIdOf);
    expect(raised.sort()).toEqual(accepted.map((event) => event.programId).sort());
    await restarted.kill('SIGTERM');
  }, 90_000);
});
