import request from 'supertest';
import { PartnersRepository } from '../../src/access/partners.repository.js';
import { ACCOUNT_ID, startGateway, type GatewayHarness } from '../support/gateway-harness.js';
import { bulletinFor, raisedCounts, replayClient, statusCounts, waitForStatus } from '../support/fixtures.js';

interface BatchItem {
  key: string;
  body: Record<string, unknown>;
}

/**
 * A partner's own outage: it sent a batch, lost the answers, and re-sends the whole batch with the same
 * Idempotency-Keys. The gateway must answer each with the stored outcome and send nothing again.
 */
describe('a partner re-sending a batch with the same Idempotency-Keys', () => {
  let gateway: GatewayHarness;
  let partnerKey: string;
  let operatorKey: string;

  beforeAll(async () => {
    // SYNC_WAIT_MS short so that a re-sent key of an event still queued answers 202, not 409.
    gateway = await startGateway({ env: { RETRY_SCHEDULE: '100ms,100ms', CIRCUIT_FAILURE_THRESHOLD: '1000', SYNC_WAIT_MS: '2000' } });
    const partners = gateway.app.get(PartnersRepository);
    partnerKey = (await partners.create('Partner with an outage', 'partner', [ACCOUNT_ID])).key;
    operatorKey = (await partners.create('Olga the operator', 'operator', [])).key;
  });
  afterAll(() => gateway.close());

  const send = (item: BatchItem, headers: Record<string, string> = {}) =>
    request(gateway.http)
      .post('/1/targets/trigger.json')
      .set(gateway.partnerHeaders(partnerKey))
      .set('Idempotency-Key', `"${item.key}"`)
      .set(headers)
      .send(item.body);

  const eventRows = async () => (await gateway.sql(`SELECT count(*)::int AS n FROM bulletin_events`))[0].n as number;

  it('answers every re-sent request with its stored outcome (status and event id) and sends nothing new', async () => {
    const batch: BatchItem[] = [
      ...Array.from({ length: 6 }, (_, i) => ({ key: `batch-1-ok-${i}`, body: bulletinFor(`batch-1-ok-${i}`) })),
      // Not defined in CleverTap: a permanent 400, which the stored outcome must repeat.
      ...Array.from({ length: 2 }, (_, i) => ({ key: `batch-1-undefined-${i}`, body: bulletinFor(`batch-1-undefined-${i}`, { business_event: 'Episode Scheduled' }) })),
    ];
    const first = await Promise.all(batch.map((item) => send(item)));
    expect(first.map((response) => response.status)).toEqual([200, 200, 200, 200, 200, 200, 400, 400]);
    const receivedBefore = gateway.simulator.received().length;
    const rowsBefore = await eventRows();

    // The partner lost those answers and sends the same batch again, all at once, then once more.
    for (let round = 0; round < 2; round++) {
      const again = await Promise.all(batch.map((item) => send(item)));
      again.forEach((response, i) => {
        expect({ key: batch[i].key, status: response.status, replayed: response.headers['idempotent-replayed'], body: response.body }).toEqual({
          key: batch[i].key,
          status: first[i].status,
          replayed: 'true',
          body: first[i].body,
        });
      });
    }
    expect(first[6].body).toMatchObject({ status: 'fail', error: 'Business Event Not Found', code: 400, event_id: expect.any(String) });
    expect(gateway.simulator.received()).toHaveLength(receivedBefore);
    expect(await eventRows()).toBe(rowsBefore);
  });

  it('re-sends only the requests whose keys are new, when the batch was cut off halfway', async () => {
    const batch = Array.from({ length: 10 }, (_, i) => ({ key: `batch-2-${i}`, body: bulletinFor(`batch-2-${i}`) }));
    const firstHalf = await Promise.all(batch.slice(0, 5).map((item) => send(item).expect(200)));
    gateway.simulator.clearReceived();

    const whole = await Promise.all(batch.map((item) => send(item)));
    expect(whole.map((response) => response.status)).toEqual(Array(10).fill(200));
    expect(whole.map((response) => response.headers['idempotent-replayed'] ?? 'new')).toEqual([...Array(5).fill('true'), ...Array(5).fill('new')]);
    expect(whole.slice(0, 5).map((response) => response.body.event_id)).toEqual(firstHalf.map((response) => response.body.event_id));
    expect(gateway.simulator.successful().map((record) => (record.body as any).properties.program_id).sort()).toEqual(
      batch.slice(5).map((item) => item.key).sort(),
    );
    expect(raisedCounts(gateway.simulator).size).toBe(5);
  });

  it('after the gateway replayed an outage, a re-sent key gets the replay\'s outcome for the same event, sent once', async () => {
    const port = gateway.simulator.port;
    await gateway.simulator.stop();
    const batch = Array.from({ length: 4 }, (_, i) => ({ key: `batch-3-${i}`, body: bulletinFor(`batch-3-${i}`) }));
    const accepted = await Promise.all(batch.map((item) => send(item, { Prefer: 'respond-async' }).expect(202)));
    const eventIds = accepted.map((response) => response.body.event_id as string);

    // While the event is still pending (within the sync wait), a re-send is told to come back later;
    // if it already ran out of retries, it gets that outcome. Never a second event.
    const early = await send(batch[0]);
    expect({ status: early.status, code: early.body.code }).toEqual(early.status === 409 ? { status: 409, code: 409 } : { status: 502, code: 502 });
    await waitForStatus(gateway, eventIds, 'exhausted');

    const duringOutage = await Promise.all(batch.map((item) => send(item)));
    for (const [i, response] of duringOutage.entries())
      expect({ status: response.status, replayed: response.headers['idempotent-replayed'], body: response.body }).toEqual({
        status: 502,
        replayed: 'true',
        body: { status: 'fail', error: 'CleverTap could not be reached after 3 attempts', code: 502, event_id: eventIds[i] },
      });

    await gateway.simulator.start(port);
    gateway.simulator.clearReceived();
    const replays = replayClient(gateway, operatorKey);
    const replay = await replays.request({ status: 'exhausted', reason: 'CleverTap is back' }).expect(202);
    expect(replay.body.queued).toBe(4);
    await replays.finished(replay.body.id);
    expect(await statusCounts(gateway, eventIds)).toEqual({ sent: 4 });

    const afterReplay = await Promise.all(batch.map((item) => send(item)));
    for (const [i, response] of afterReplay.entries())
      expect({ status: response.status, replayed: response.headers['idempotent-replayed'], body: response.body }).toEqual({
        status: 200,
        replayed: 'true',
        body: { status: 'success', targets: 1, event_id: eventIds[i] },
      });
    expect(gateway.simulator.received()).toHaveLength(4); // the replay's four, none from the re-sends
    expect([...raisedCounts(gateway.simulator).values()]).toEqual([1, 1, 1, 1]);
  });
});
