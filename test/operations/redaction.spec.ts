import request from 'supertest';
import { passcodeFingerprint } from '../../src/simulator/clevertap-simulator.js';
import { ACCOUNT_ID, exampleBulletin, startGateway, UPSTREAM_PASSCODE, type GatewayHarness } from '../support/gateway-harness.js';
import { waitFor } from '../support/wait-for.js';

/**
 * Secrets the gateway handles (partner keys, presented as a passcode or a bearer token, and the real
 * CleverTap passcode) must never come back out: not in logs at the most verbose level, not in any
 * response, not in what CleverTap receives beyond the real passcode itself.
 */
describe('secrets never leak', () => {
  let gateway: GatewayHarness;
  const bodies: string[] = [];

  beforeAll(async () => {
    gateway = await startGateway({ env: { LOG_LEVEL: 'trace', CREDENTIALS_RETRY_MS: '600000' } });
  });
  afterAll(() => gateway.close());

  const keep = (response: request.Response) => {
    bodies.push(response.text, JSON.stringify(response.headers));
    return response;
  };
  const trigger = () => request(gateway.http).post('/1/targets/trigger.json');

  it('keeps keys and passcodes out of logs, error bodies, scrapes and the upstream record', async () => {
    const key = await gateway.createPartner();
    const otherAccountKey = await gateway.createPartner({ accounts: ['another-account'] });
    const unknownKey = 'bgk_this-key-was-never-issued-0123456789abcdef';

    keep(await trigger().set(gateway.partnerHeaders(key)).send(exampleBulletin()).expect(200));
    keep(await trigger().set({ ...gateway.partnerHeaders(''), Authorization: `Bearer ${key}` }).send(exampleBulletin()).expect(200));
    keep(await trigger().set(gateway.partnerHeaders(unknownKey)).send(exampleBulletin()).expect(401));
    keep(await trigger().set({ ...gateway.partnerHeaders(''), Authorization: `Bearer ${unknownKey}` }).send(exampleBulletin()).expect(401));
    keep(await trigger().set(gateway.partnerHeaders(otherAccountKey)).send(exampleBulletin()).expect(403));
    keep(await trigger().set(gateway.partnerHeaders(key)).send(`{"passcode":"${key}"`).expect(400));
    keep(await trigger().set(gateway.partnerHeaders(key)).send({ ...exampleBulletin(), passcode: UPSTREAM_PASSCODE }).expect(400));
    gateway.simulator.setFaults([{ kind: 'unauthorized' }]);
    keep(await trigger().set(gateway.partnerHeaders(key)).set('Prefer', 'respond-async').send(exampleBulletin()).expect(202));
    await waitFor(() => gateway.logs.text.includes("rejected the gateway's credentials"), 5000, 'the credentials alert');
    keep(await request(gateway.http).get('/health/ready').expect(200));
    keep(await request(gateway.http).get('/metrics').expect(200));
    keep(await request(gateway.http).get('/docs-json').expect(200));

    const secrets = { key, otherAccountKey, unknownKey, upstreamPasscode: UPSTREAM_PASSCODE };
    const upstreamRecord = JSON.stringify(gateway.simulator.received());
    for (const [name, secret] of Object.entries(secrets)) {
      expect({ name, inLogs: gateway.logs.text.includes(secret) }).toEqual({ name, inLogs: false });
      expect({ name, inResponses: bodies.some((body) => body.includes(secret)) }).toEqual({ name, inResponses: false });
      expect({ name, upstream: upstreamRecord.includes(secret) }).toEqual({ name, upstream: false });
    }
    expect(gateway.logs.text).not.toMatch(/bgk_[\w-]{20,}/);
    expect(gateway.logs.text).not.toMatch(/"authorization"|Bearer /i);

    // CleverTap got the account's real passcode (a hash of it is all the simulator keeps), never a partner key.
    const received = gateway.simulator.received();
    expect(received.length).toBeGreaterThanOrEqual(3);
    for (const record of received) {
      expect(record.headers['x-clevertap-passcode']).toBe('[redacted]');
      expect(record.headers.authorization).toBeUndefined();
      expect(record.passcodeSha256).toBe(passcodeFingerprint(UPSTREAM_PASSCODE));
      expect(record.accountId).toBe(ACCOUNT_ID);
    }
  });

  it('logs one line per request with the correlation id it returns and stores with the event', async () => {
    const key = await gateway.createPartner();
    gateway.simulator.setFaults([]);
    const response = await trigger()
      .set(gateway.partnerHeaders(key))
      .set('X-Request-Id', 'corr-redaction-42')
      .set('Prefer', 'respond-async')
      .send(exampleBulletin())
      .expect(202);

    expect(response.headers['x-request-id']).toBe('corr-redaction-42');
    const lines = gateway.logs.lines.map((line) => JSON.parse(line)).filter((entry) => entry.req?.id === 'corr-redaction-42');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ msg: 'request completed', res: { statusCode: 202 }, req: { method: 'POST', account: ACCOUNT_ID } });
    const [event] = await gateway.sql('SELECT request_id FROM bulletin_events WHERE id = $1', [response.body.event_id]);
    expect(event.request_id).toBe('corr-redaction-42');
  });
});
