import request from 'supertest';
import type { FaultRule } from '../../src/simulator/simulator-config.js';
import { exampleBulletin, startGateway, type GatewayHarness } from '../support/gateway-harness.js';
import { waitFor } from '../support/wait-for.js';

/** Each fault the simulator can inject, and the outcome docs/runbook.md prescribes for it. */
describe('what the dispatcher does with each upstream fault', () => {
  let gateway: GatewayHarness;
  let key: string;

  beforeAll(async () => {
    gateway = await startGateway({
      env: { RETRY_SCHEDULE: '100ms,100ms,100ms', UPSTREAM_TIMEOUT_MS: '300', CIRCUIT_FAILURE_THRESHOLD: '50' },
    });
    key = await gateway.createPartner();
  });
  afterAll(() => gateway.close());
  beforeEach(() => gateway.simulator.reset());

  async function raiseAsync(): Promise<string> {
    const response = await request(gateway.http)
      .post('/1/targets/trigger.json')
      .set(gateway.partnerHeaders(key))
      .set('Prefer', 'respond-async')
      .send(exampleBulletin())
      .expect(202);
    return response.body.event_id;
  }

  const settled = (eventId: string, status: string) =>
    waitFor(async () => {
      const timeline = await gateway.timeline(eventId);
      return timeline.status === status ? timeline : undefined;
    }, 10_000, `event ${eventId} to be ${status}`);

  it.each<[string, FaultRule, number]>([
    ['a 5xx burst', { kind: '5xx', status: 503, remaining: 2 }, 503],
    ['429 Too many concurrent requests', { kind: '429', remaining: 2 }, 429],
  ])('retries %s on the schedule, then sends', async (_name, fault, httpStatus) => {
    gateway.simulator.setFaults([fault]);
    const eventId = await raiseAsync();

    const timeline = await settled(eventId, 'sent');
    expect(timeline.attempts).toMatchObject([
      { attempt_number: 1, trigger: 'auto', outcome: 'transient', http_status: httpStatus, resulting_status: 'retrying' },
      { attempt_number: 2, trigger: 'retry', outcome: 'transient', http_status: httpStatus, resulting_status: 'retrying' },
      { attempt_number: 3, trigger: 'retry', outcome: 'sent', http_status: 200, targets: 1, resulting_status: 'sent' },
    ]);
    expect(gateway.simulator.successful()).toHaveLength(1);
  });

  it('retries a connection reset, then sends', async () => {
    gateway.simulator.setFaults([{ kind: 'reset', remaining: 1 }]);
    const eventId = await raiseAsync();

    const timeline = await settled(eventId, 'sent');
    expect(timeline.attempts.map((a) => a.outcome)).toEqual(['transient', 'sent']);
    expect(timeline.attempts[0].error).toMatch(/Could not reach CleverTap/);
  });

  it('gives up as exhausted when every retry of the schedule fails', async () => {
    gateway.simulator.setFaults([{ kind: '5xx', status: 500 }]);
    const eventId = await raiseAsync();

    const timeline = await settled(eventId, 'exhausted');
    expect(timeline.attempts).toHaveLength(4);
    expect(timeline.attempts.at(-1)).toMatchObject({ outcome: 'transient', resulting_status: 'exhausted' });
  });

  it('records 200 with "status":"fail" as a permanent failure, relayed as CleverTap gave it, never retried', async () => {
    gateway.simulator.setFaults([{ kind: 'fail-body', remaining: 1 }]);
    const response = await request(gateway.http)
      .post('/1/targets/trigger.json')
      .set(gateway.partnerHeaders(key))
      .send(exampleBulletin())
      .expect(200);

    expect(response.body).toEqual({ status: 'fail', error: 'Simulated failure', code: 200, event_id: expect.any(String) });
    await settled(response.body.event_id, 'failed');
    await gateway.morePolls(3); // past the retry schedule's 100 ms steps: a retry would have been sent
    const timeline = await gateway.timeline(response.body.event_id);
    expect(timeline.status).toBe('failed');
    expect(timeline.attempts).toMatchObject([{ outcome: 'failed', http_status: 200, clevertap_status: 'fail' }]);
    expect(gateway.simulator.received()).toHaveLength(1);
  });

  it('parks a request that timed out after it was sent as uncertain and does not resend it', async () => {
    gateway.simulator.setFaults([{ kind: 'hang', remaining: 1 }]);
    const eventId = await raiseAsync();

    const timeline = await settled(eventId, 'uncertain');
    expect(timeline.attempts).toMatchObject([{ outcome: 'uncertain', error_code: 'UND_ERR_HEADERS_TIMEOUT' }]);
    await gateway.morePolls(4); // longer than the whole retry schedule: a resend would have been sent
    expect(gateway.simulator.received()).toHaveLength(1);
    expect((await gateway.timeline(eventId)).attempts).toHaveLength(1);
  });
});

describe('the uncertain policy "retry"', () => {
  let gateway: GatewayHarness;

  beforeAll(async () => {
    gateway = await startGateway({ env: { RETRY_SCHEDULE: '100ms', UPSTREAM_TIMEOUT_MS: '300', UNCERTAIN_POLICY: 'retry' } });
  });
  afterAll(() => gateway.close());

  it('resends a timed-out request, accepting that users may be notified twice', async () => {
    const key = await gateway.createPartner();
    gateway.simulator.setFaults([{ kind: 'hang', remaining: 1 }]);
    const response = await request(gateway.http)
      .post('/1/targets/trigger.json')
      .set(gateway.partnerHeaders(key))
      .set('Prefer', 'respond-async')
      .send(exampleBulletin())
      .expect(202);

    const timeline = await waitFor(async () => {
      const t = await gateway.timeline(response.body.event_id);
      return t.status === 'sent' ? t : undefined;
    });
    expect(timeline.attempts.map((a) => a.outcome)).toEqual(['uncertain', 'sent']);
  });
});

describe('rejected credentials', () => {
  let gateway: GatewayHarness;

  beforeAll(async () => {
    // The pause lasts well beyond the checks made while paused, so a slow machine cannot see the probe
    // go out in the middle of them.
    gateway = await startGateway({ env: { CREDENTIALS_RETRY_MS: '1500', RETRY_SCHEDULE: '100ms' } });
  });
  afterAll(() => gateway.close());

  it('pause the account instead of failing every queued event, and resume once CleverTap accepts them', async () => {
    const key = await gateway.createPartner();
    gateway.simulator.setFaults([{ kind: 'unauthorized' }]);
    const eventIds: string[] = [];
    for (let i = 0; i < 5; i++) {
      const response = await request(gateway.http)
        .post('/1/targets/trigger.json')
        .set(gateway.partnerHeaders(key))
        .set('Prefer', 'respond-async')
        .send(exampleBulletin())
        .expect(202);
      eventIds.push(response.body.event_id);
    }

    await waitFor(async () => (await gateway.sql(`SELECT state FROM account_circuits WHERE state = 'paused'`)).length === 1);
    await gateway.morePolls(2); // the paused account is looked at again, and sends nothing
    const statuses = await gateway.sql(`SELECT status FROM event_status WHERE event_id = ANY($1)`, [eventIds]);
    expect(statuses.every((row) => row.status === 'queued')).toBe(true);
    // Only the requests that were in flight when the first 401 came back reached CleverTap.
    expect(gateway.simulator.received().length).toBeLessThanOrEqual(3);
    expect(await gateway.sql(`SELECT event_id FROM event_status WHERE lease_owner IS NOT NULL`)).toEqual([]);
    expect(gateway.logs.text).toMatch(/rejected the gateway's credentials/);

    gateway.simulator.setFaults([]);
    await waitFor(async () => (await gateway.sql(`SELECT 1 FROM event_status WHERE status = 'sent'`)).length === 5, 10_000);
    const [circuit] = await gateway.sql(`SELECT state FROM account_circuits`);
    expect(circuit.state).toBe('closed');
    const rejected = await gateway.sql(`SELECT outcome, resulting_status FROM dispatch_attempts WHERE outcome = 'credentials_rejected'`);
    expect(rejected.every((row) => row.resulting_status === 'queued')).toBe(true);
  });
});

describe('the circuit breaker', () => {
  let gateway: GatewayHarness;

  beforeAll(async () => {
    gateway = await startGateway({
      env: { CIRCUIT_FAILURE_THRESHOLD: '3', CIRCUIT_COOLDOWN_MS: '2000', RETRY_SCHEDULE: '50ms,50ms,50ms,50ms,50ms,50ms,50ms,50ms' },
      simulator: { latencyMs: 20 },
    });
  });
  afterAll(() => gateway.close());

  it('opens after repeated failures, stops calling CleverTap, probes once, then drains within the limit', async () => {
    const key = await gateway.createPartner();
    gateway.simulator.setFaults([{ kind: '5xx', status: 503 }]);
    for (let i = 0; i < 20; i++) {
      await request(gateway.http)
        .post('/1/targets/trigger.json')
        .set(gateway.partnerHeaders(key))
        .set('Prefer', 'respond-async')
        .send(exampleBulletin())
        .expect(202);
    }

    await waitFor(async () => (await gateway.sql(`SELECT 1 FROM account_circuits WHERE state = 'open'`)).length === 1);
    const calledWhileOpening = gateway.simulator.received().length;
    await gateway.morePolls(4); // well within the cool-down: the account is woken, and nothing may reach CleverTap
    expect(gateway.simulator.received().length).toBe(calledWhileOpening);
    expect(calledWhileOpening).toBeLessThanOrEqual(3 + 3); // the threshold plus what was already in flight
    // Events the slots had started ahead of the failing answers went back to the queue, not left leased
    // to be judged abandoned (and parked as uncertain) later.
    expect(await gateway.sql(`SELECT event_id FROM event_status WHERE lease_owner IS NOT NULL`)).toEqual([]);

    gateway.simulator.setFaults([]);
    await waitFor(async () => (await gateway.sql(`SELECT 1 FROM event_status WHERE status = 'sent'`)).length === 20, 15_000);
    expect(gateway.simulator.stats().maxInFlightSeen['sim-account']).toBeLessThanOrEqual(3);
    expect(gateway.simulator.stats().rejected429).toBe(0);
    expect(gateway.logs.text).toMatch(/circuit open after 3 consecutive failures/);
  });
});

describe('response modes', () => {
  let gateway: GatewayHarness;

  beforeAll(async () => {
    // CleverTap answers long after SYNC_WAIT_MS, so a slow machine still tells the two apart.
    gateway = await startGateway({ env: { SYNC_WAIT_MS: '150' }, simulator: { latencyMs: 1500 } });
  });
  afterAll(() => gateway.close());

  it('answers 202 queued when CleverTap does not answer within SYNC_WAIT_MS, and still sends the event', async () => {
    const key = await gateway.createPartner();
    const started = Date.now();
    const response = await request(gateway.http)
      .post('/1/targets/trigger.json')
      .set(gateway.partnerHeaders(key))
      .send(exampleBulletin())
      .expect(202);

    expect(Date.now() - started).toBeLessThan(1500); // answered before CleverTap did
    expect(response.body).toEqual({ status: 'queued', event_id: expect.any(String) });
    await waitFor(async () => (await gateway.timeline(response.body.event_id)).status === 'sent');
  });
});
