import request from 'supertest';
import { GatewayMetrics } from '../../src/metrics/gateway-metrics.js';
import { ACCOUNT_ID, exampleBulletin, startGateway, type GatewayHarness } from '../support/gateway-harness.js';
import { waitFor } from '../support/wait-for.js';
import { parsePrometheus, sampleValue, type Sample } from './prometheus-text.js';

const P = 'bulletin_gateway_';
const account = { account: ACCOUNT_ID };

describe('GET /metrics', () => {
  let gateway: GatewayHarness;
  let key: string;

  beforeAll(async () => {
    gateway = await startGateway({ env: { RETRY_SCHEDULE: '2s', UPSTREAM_TIMEOUT_MS: '300' } });
    key = await gateway.createPartner();
  });
  afterAll(() => gateway.close());
  beforeEach(() => gateway.simulator.reset());

  async function scrape(): Promise<Sample[]> {
    const response = await request(gateway.http).get('/metrics').expect(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    return parsePrometheus(response.text);
  }

  const raise = (body: object = exampleBulletin(), async = false) => {
    const call = request(gateway.http).post('/1/targets/trigger.json').set(gateway.partnerHeaders(key));
    return (async ? call.set('Prefer', 'respond-async') : call).send(body);
  };

  const value = (samples: Sample[], name: string, labels: Record<string, string> = {}) => sampleValue(samples, P + name, labels) ?? 0;

  it('moves the accepted, outcome, latency and HTTP counters as a bulletin is raised and sent', async () => {
    const before = await scrape();
    await raise().expect(200);
    const after = await scrape();

    const delta = (name: string, labels: Record<string, string> = {}) => value(after, name, labels) - value(before, name, labels);
    expect(delta('events_accepted_total', account)).toBe(1);
    expect(delta('attempt_outcomes_total', { ...account, outcome: 'sent' })).toBe(1);
    expect(delta('upstream_request_duration_seconds_count', { ...account, result: '2xx' })).toBe(1);
    expect(delta('http_requests_total', { method: 'POST', route: '/1/targets/trigger.json', status_class: '2xx' })).toBe(1);
    expect(delta('http_requests_total', { method: 'GET', route: '/metrics', status_class: '2xx' })).toBe(1);
    expect(value(after, 'upstream_in_flight', account)).toBe(0);
    expect(value(after, 'upstream_in_flight_limit', account)).toBe(3);
    expect(value(after, 'circuit_state', { ...account, state: 'closed' })).toBe(1);
    expect(value(after, 'circuit_state', { ...account, state: 'open' })).toBe(0);
    expect(value(after, 'database_up')).toBe(1);
    expect(value(after, 'process_cpu_seconds_total')).toBeGreaterThan(0);
  });

  it('counts refused events by code, and not a CleverTap 400 that was logged and relayed', async () => {
    const before = await scrape();
    await raise({ ...exampleBulletin(), when: null }).expect(400);
    await request(gateway.http).post('/1/targets/trigger.json').set(gateway.partnerHeaders('bgk_not-a-key')).send(exampleBulletin()).expect(401);
    await request(gateway.http).post('/1/targets/trigger.json').set(gateway.partnerHeaders(key)).send('{"oops"').expect(400);
    const relayed = await raise({ ...exampleBulletin(), business_event: 'Not On The Dashboard' }).expect(400);
    const after = await scrape();

    const delta = (code: string) => value(after, 'events_rejected_total', { code }) - value(before, 'events_rejected_total', { code });
    expect(delta('invalid_request')).toBe(1);
    expect(delta('unauthenticated')).toBe(1);
    expect(delta('malformed_json')).toBe(1);
    expect(relayed.body).toMatchObject({ error: 'Business Event Not Found', event_id: expect.any(String) });
    const refusedInTotal = after.filter((s) => s.name === `${P}events_rejected_total`).reduce((sum, s) => sum + s.value, 0);
    const refusedBefore = before.filter((s) => s.name === `${P}events_rejected_total`).reduce((sum, s) => sum + s.value, 0);
    expect(refusedInTotal - refusedBefore).toBe(3);
  });

  it('shows a retrying event in the queue depth and oldest age, then an empty queue once it is sent', async () => {
    gateway.simulator.setFaults([{ kind: '5xx', status: 503, remaining: 1 }]);
    const before = await scrape();
    const { body } = await raise(exampleBulletin(), true).expect(202);
    await waitFor(async () => (await gateway.timeline(body.event_id)).status === 'retrying', 5000, 'the first attempt');

    // The counters move when the dispatcher gets its write's reply, which may come after this test saw the row.
    const during = await waitFor(async () => {
      const samples = await scrape();
      return value(samples, 'retries_scheduled_total', account) > value(before, 'retries_scheduled_total', account) && samples;
    });
    expect(value(during, 'queue_depth', { ...account, status: 'retrying' })).toBe(1);
    expect(value(during, 'queue_oldest_age_seconds', account)).toBeGreaterThan(0);
    expect(value(during, 'retries_scheduled_total', account) - value(before, 'retries_scheduled_total', account)).toBe(1);
    expect(value(during, 'upstream_request_duration_seconds_count', { ...account, result: '5xx' })).toBeGreaterThanOrEqual(1);

    await waitFor(async () => (await gateway.timeline(body.event_id)).status === 'sent', 10_000, 'the retry');
    const afterwards = await scrape();
    expect(value(afterwards, 'queue_depth', { ...account, status: 'retrying' })).toBe(0);
    expect(value(afterwards, 'queue_depth', { ...account, status: 'queued' })).toBe(0);
    expect(value(afterwards, 'queue_oldest_age_seconds', account)).toBe(0);
  });

  it('counts an event parked as uncertain, and its timed-out request', async () => {
    gateway.simulator.setFaults([{ kind: 'hang', remaining: 1 }]);
    const before = await scrape();
    const { body } = await raise(exampleBulletin(), true).expect(202);
    await waitFor(async () => (await gateway.timeline(body.event_id)).status === 'uncertain', 5000, 'the timeout');

    const outcome = { ...account, outcome: 'uncertain' };
    const after = await waitFor(async () => {
      const samples = await scrape();
      return value(samples, 'attempt_outcomes_total', outcome) > value(before, 'attempt_outcomes_total', outcome) && samples;
    });
    expect(value(after, 'uncertain_events', account) - value(before, 'uncertain_events', account)).toBe(1);
    expect(value(after, 'attempt_outcomes_total', outcome) - value(before, 'attempt_outcomes_total', outcome)).toBe(1);
    expect(value(after, 'upstream_request_duration_seconds_count', { ...account, result: 'timeout' })).toBe(1);
  });

  it('reports the age of the last audit log verification as NaN until one is marked', async () => {
    expect(sampleValue(await scrape(), `${P}audit_log_verified_age_seconds`)).toBeNaN();
    gateway.app.get(GatewayMetrics).markLogVerified(new Date(Date.now() - 5000));
    const age = sampleValue(await scrape(), `${P}audit_log_verified_age_seconds`);
    expect(age).toBeGreaterThanOrEqual(5);
    expect(age).toBeLessThan(60);
  });
});
