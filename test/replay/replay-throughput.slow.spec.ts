import { PartnersRepository } from '../../src/access/partners.repository.js';
import { ACCOUNT_ID, startGateway, type GatewayHarness } from '../support/gateway-harness.js';
import { sleep } from '../support/wait-for.js';
import { insertExhaustedEvents, raisedCounts, replayClient, statusCounts } from '../support/fixtures.js';

const EVENTS = 2_000;
const LATENCY_MS = 20;
const CEILING_PER_SECOND = 3 / (LATENCY_MS / 1000); // CleverTap's 3 in flight per account at this latency

/**
 * A big replay keeps pace with CleverTap's limit. The rate is measured and reported, not asserted
 * (it depends on the machine); what is asserted is that every event is sent once within the limit.
 */
describe('a replay of thousands of events', () => {
  let gateway: GatewayHarness;
  let partnerId: string;
  let operatorKey: string;

  beforeAll(async () => {
    gateway = await startGateway({ simulator: { latencyMs: LATENCY_MS } });
    const partners = gateway.app.get(PartnersRepository);
    partnerId = (await partners.create('Partner P', 'partner', [ACCOUNT_ID])).id;
    operatorKey = (await partners.create('Olga the operator', 'operator', [])).key;
  });
  afterAll(() => gateway.close());

  it(`sends ${EVENTS} exhausted events once each, never more than 3 in flight`, async () => {
    const seeded = await insertExhaustedEvents(gateway.sql, { partnerId, accountId: ACCOUNT_ID, prefix: 'bulk', count: EVENTS });
    const replays = replayClient(gateway, operatorKey);

    const dryRun = await replays.request({ status: 'exhausted', error_code: 'ECONNREFUSED', dry_run: true, reason: 'the big outage' }).expect(200);
    expect(dryRun.body).toMatchObject({ matched: EVENTS, will_queue: EVENTS });
    const rssBefore = process.memoryUsage().rss;
    const startedAt = performance.now();
    const replay = await replays.request({ status: 'exhausted', error_code: 'ECONNREFUSED', reason: 'the big outage' }).expect(202);
    const requestMs = performance.now() - startedAt;
    expect(replay.body).toMatchObject({ matched: EVENTS, queued: EVENTS });
    // Polled once a second: the gateway runs in this process, so eager polling would slow what it measures.
    let progress: Record<string, unknown> = {};
    for (let waited = 0; waited < 120 && progress.done !== true; waited++) {
      await sleep(1000);
      progress = (await replays.progress(replay.body.id).expect(200)).body;
    }
    const wallSeconds = (performance.now() - startedAt) / 1000;

    expect(progress).toMatchObject({ matched: EVENTS, queued: EVENTS, sent: EVENTS, failed: 0, pending: 0 });
    const raised = raisedCounts(gateway.simulator);
    expect(seeded.programIds.filter((programId) => raised.get(programId) !== 1)).toEqual([]);
    expect(gateway.simulator.successful()).toHaveLength(EVENTS);
    expect(await statusCounts(gateway, seeded.eventIds)).toEqual({ sent: EVENTS });
    const stats = gateway.simulator.stats();
    expect(stats.maxInFlightSeen[ACCOUNT_ID]).toBeLessThanOrEqual(3);
    expect(stats.rejected429).toBe(0);

    // From the first replay attempt to the last one recorded: the dispatcher's own pace.
    const [span] = await gateway.sql(
      `SELECT extract(epoch FROM max(recorded_at) - min(started_at))::float AS seconds FROM dispatch_attempts WHERE replay_id = $1`,
      [replay.body.id],
    );
    const rate = EVENTS / span.seconds;
    const [timing] = await gateway.sql(
      `SELECT avg(latency_ms)::float AS upstream_ms, avg(extract(epoch FROM recorded_at - started_at) * 1000)::float AS attempt_ms
         FROM dispatch_attempts WHERE replay_id = $1`,
      [replay.body.id],
    );
    console.log(
      [
        `replay of ${EVENTS} events at simulator latency ${LATENCY_MS} ms:`,
        `  dispatch ${rate.toFixed(1)}/s over ${span.seconds.toFixed(2)} s (ceiling ${CEILING_PER_SECOND}/s, ${((100 * rate) / CEILING_PER_SECOND).toFixed(0)}%)`,
        `  per attempt: upstream ${timing.upstream_ms.toFixed(1)} ms, started to recorded ${timing.attempt_ms.toFixed(1)} ms; 3 workers => ${((3 * 1000 * span.seconds) / EVENTS).toFixed(1)} ms per event per worker`,
        `  end to end ${(EVENTS / wallSeconds).toFixed(1)}/s over ${wallSeconds.toFixed(2)} s (POST /v1/replays took ${requestMs.toFixed(0)} ms)`,
        `  rss ${(rssBefore / 2 ** 20).toFixed(0)} MiB before, ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB after (test process, gateway in it)`,
      ].join('\n'),
    );
  }, 180_000);
});
