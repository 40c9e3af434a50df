import { mkdtempSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type EmbeddedDatabase, findFreePort, startEmbeddedPostgres } from '../../src/database/embedded-postgres.js';
import { runMigrations } from '../../src/database/run-migrations.js';
import { startGateway, type GatewayHarness } from '../support/gateway-harness.js';
import { raiseOne, type SentEvent } from '../support/load.js';
import { sleep, waitFor } from '../support/wait-for.js';

/** A Postgres of its own, so the test can stop and restart the server under the running gateway. */
describe('Postgres stopped and restarted under load', () => {
  let dataDir: string;
  let port: number;
  let postgres: EmbeddedDatabase;
  let gateway: GatewayHarness;
  let baseUrl: string;

  const startPostgres = async () => (postgres = await startEmbeddedPostgres({ dataDir, port, database: 'outage' }));

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'bulletin-gateway-outage-'));
    chmodSync(dataDir, 0o755);
    port = await findFreePort();
    await startPostgres();
    await runMigrations(postgres.url);
    gateway = await startGateway({
      database: { url: postgres.url, serverUrl: postgres.url, drop: async () => undefined },
      env: { DISPATCH_POLL_MS: '200' },
    });
    await new Promise<void>((resolve) => gateway.app.getHttpServer().listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${gateway.app.getHttpServer().address().port}`;
  });
  afterAll(async () => {
    await gateway.close();
    await postgres.stop();
  });

  it('answers 503 in CleverTap shape while it is down, never 2xx for an uncommitted event, and recovers by itself', async () => {
    const key = await gateway.createPartner();
    const results: (SentEvent & { phase: string })[] = [];
    let phase = 'before';
    let running = true;
    let counter = 0;
    const load = (async () => {
      while (running) {
        const current = phase;
        results.push({ ...(await raiseOne(baseUrl, key, `outage-${counter++}`)), phase: current });
        await sleep(10);
      }
    })();

    await waitFor(() => results.filter((r) => r.httpStatus === 202).length >= 20, 10_000, 'traffic before the outage');
    phase = 'down';
    await postgres.stop();
    // Down long enough that both sides meet it: ingest refuses events, and the dispatcher fails to look.
    await waitFor(() => results.filter((r) => r.phase === 'down' && r.httpStatus === 503).length >= 3, 15_000, 'refusals while down');
    await gateway.morePolls(2, 'failed');
    const downResults = results.filter((r) => r.phase === 'down');
    phase = 'after';
    await startPostgres();
    await waitFor(
      () => results.filter((r) => r.phase === 'after' && r.httpStatus === 202).length >= 20,
      30_000,
      'the gateway to accept events again without a restart',
    );
    running = false;
    await load;

    const failuresWhileDown = downResults.filter((r) => r.httpStatus !== 202);
    expect(failuresWhileDown.length).toBeGreaterThan(0);
    for (const failure of failuresWhileDown) {
      expect(failure.httpStatus).toBe(503);
      expect(failure.body).toEqual({ status: 'fail', error: expect.stringMatching(/database/), code: 503 });
    }

    // Every acknowledged event is in the log, and the dispatcher sends all of them once Postgres is back.
    const acknowledged = results.filter((r) => r.httpStatus === 202).map((r) => r.eventId!);
    const stored = await gateway.sql(`SELECT id FROM bulletin_events WHERE id = ANY($1)`, [acknowledged]);
    expect(stored).toHaveLength(acknowledged.length);
    await waitFor(
      async () => (await gateway.sql(`SELECT 1 FROM event_status WHERE status <> 'sent' LIMIT 1`)).length === 0,
      30_000,
      'the queue to drain after the outage',
    );
    const received = gateway.simulator.received().map((r) => (r.body as { properties: { program_id: string } }).properties.program_id);
    expect(new Set(received).size).toBe(received.length); // nothing sent twice
  }, 90_000);
});
