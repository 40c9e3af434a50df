import request from 'supertest';
import { startGateway, type GatewayHarness } from '../support/gateway-harness.js';
import { uniqueBulletin } from '../support/load.js';
import { waitFor } from '../support/wait-for.js';

describe('replaying after a CleverTap outage', () => {
  let gateway: GatewayHarness;
  let partnerKey: string;
  let operatorKey: string;

  beforeAll(async () => {
    gateway = await startGateway({ env: { RETRY_SCHEDULE: '100ms,100ms', CIRCUIT_FAILURE_THRESHOLD: '1000' } });
    partnerKey = await gateway.createPartner();
    operatorKey = await gateway.createPartner({ role: 'operator', accounts: [], name: 'Olga the operator' });
  });
  afterAll(() => gateway.close());

  const programIdsReceived = () =>
    gateway.simulator.successful().map((r) => (r.body as { properties: { program_id: string } }).properties.program_id);

  it('sends each exhausted event exactly once, and the timeline shows the outage and the replay with its reason', async () => {
    const port = gateway.simulator.port;
    await gateway.simulator.stop();
    const eventIds: string[] = [];
    for (let i = 0; i < 12; i++) {
      const response = await request(gateway.http)
        .post('/1/targets/trigger.json')
        .set(gateway.partnerHeaders(partnerKey))
        .set('Prefer', 'respond-async')
        .send(uniqueBulletin(`outage-${i}`))
        .expect(202);
      eventIds.push(response.body.event_id);
    }
    await waitFor(async () => (await gateway.sql(`SELECT 1 FROM event_status WHERE status = 'exhausted'`)).length === 12, 15_000);
    await gateway.simulator.start(port);

    const replay = (body: Record<string, unknown>) =>
      request(gateway.http).post('/v1/replays').set('Authorization', `Bearer ${operatorKey}`).send(body);

    const dryRun = await replay({ status: 'exhausted', dry_run: true, reason: 'CleverTap outage 26 Nov' }).expect(200);
    expect(dryRun.body).toMatchObject({ dry_run: true, matched: 12, will_queue: 12, already_pending: 0 });
    expect(dryRun.body.sample).toHaveLength(10);
    expect(gateway.simulator.received()).toHaveLength(0); // a dry run changes nothing

    const started = await replay({ status: 'exhausted', reason: 'CleverTap outage 26 Nov' }).expect(202);
    expect(started.body).toMatchObject({ dry_run: false, matched: 12, queued: 12 });
    const again = await replay({ status: 'exhausted', reason: 'double click' }).expect(202);
    expect(again.body.queued).toBe(0); // still pending from the first: nothing queued twice

    await waitFor(
      async () => (await request(gateway.http).get(started.body.status_url).set('Authorization', `Bearer ${operatorKey}`)).body.done,
      15_000,
      'the replay to finish',
    );
    const progress = await request(gateway.http).get(started.body.status_url).set('Authorization', `Bearer ${operatorKey}`).expect(200);
    expect(progress.body).toMatchObject({ matched: 12, queued: 12, sent: 12, failed: 0, pending: 0, reason: 'CleverTap outage 26 Nov', requested_by: 'Olga the operator' });
    const received = programIdsReceived();
    expect(received).toHaveLength(12);
    expect(new Set(received).size).toBe(12);

    const detail = await request(gateway.http).get(`/v1/events/${eventIds[0]}`).set('Authorization', `Bearer ${operatorKey}`).expect(200);
    const types = detail.body.timeline.map((entry: { type: string; trigger?: string; outcome?: string }) => entry.trigger ? `${entry.type}:${entry.trigger}:${entry.outcome}` : entry.type);
    expect(types).toEqual(['received', 'attempt:auto:transient', 'attempt:retry:transient', 'attempt:retry:transient', 'replay_requested', 'attempt:replay:sent']);
    expect(detail.body.timeline[4]).toMatchObject({ reason: 'CleverTap outage 26 Nov', requested_by: 'Olga the operator' });

    // Sent events are never re-sent by a replay without an admin's explicit force.
    const resend = await replay({ reason: 'again?' }).expect(202);
    expect(resend.body.queued).toBe(0);
    await replay({ reason: 'again!', force: true }).expect(403);
  });
});
