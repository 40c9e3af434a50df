import request from 'supertest';
import { passcodeFingerprint } from '../../src/simulator/clevertap-simulator.js';
import { exampleBulletin, startGateway, UPSTREAM_PASSCODE, type GatewayHarness } from '../support/gateway-harness.js';

describe('raising a bulletin through the gateway', () => {
  let gateway: GatewayHarness;
  let key: string;

  beforeAll(async () => {
    gateway = await startGateway();
    key = await gateway.createPartner();
  });
  afterAll(() => gateway.close());

  it('relays CleverTap success for the vendor example and records the event and its attempt', async () => {
    const response = await request(gateway.http)
      .post('/1/targets/trigger.json')
      .set(gateway.partnerHeaders(key))
      .send(exampleBulletin())
      .expect(200);

    expect(response.body).toEqual({ status: 'success', targets: 1, event_id: expect.any(String) });
    const [event] = await gateway.sql('SELECT * FROM bulletin_events WHERE id = $1', [response.body.event_id]);
    expect(event.payload).toEqual(exampleBulletin());
    const attempts = await gateway.sql('SELECT * FROM dispatch_attempts WHERE event_id = $1', [event.id]);
    expect(attempts).toMatchObject([{ attempt_number: 1, trigger: 'auto', outcome: 'sent', http_status: 200, targets: 1 }]);
  });

  it('sends CleverTap exactly the body and the real account credentials, never the partner key', async () => {
    gateway.simulator.clearReceived();
    await request(gateway.http).post('/1/targets/trigger.json').set(gateway.partnerHeaders(key)).send(exampleBulletin()).expect(200);

    const [received] = gateway.simulator.received();
    expect(JSON.parse(received.rawBody)).toEqual(exampleBulletin());
    expect(received.accountId).toBe('sim-account');
    expect(received.passcodeValid).toBe(true);
    expect(received.passcodeSha256).toBe(passcodeFingerprint(UPSTREAM_PASSCODE));
    expect(received.rawBody).not.toContain(key);
    expect(JSON.stringify(received.headers)).not.toContain(key);
  });
});
