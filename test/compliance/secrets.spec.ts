import request from 'supertest';
import { PartnersRepository } from '../../src/access/partners.repository.js';
import { bearer, BOOTSTRAP_ADMIN_KEY, bulletin, partnerIdOf, raise, textParser } from '../support/fixtures.js';
import { ACCOUNT_ID, startGateway, UPSTREAM_PASSCODE, type GatewayHarness } from '../support/gateway-harness.js';
import { waitFor } from '../support/wait-for.js';

/** Any gateway key, whole: the display prefix (bgk_ + 6 characters) is fine, a full key is not. */
const ANY_FULL_KEY = /bgk_[\w-]{20,}/;

/**
 * Keys, the bootstrap admin key, the real CleverTap passcode and Authorization header values must never
 * come back out of the gateway: not in its logs (at trace level), not in error bodies, not in what the
 * audit API shows, not in exports. Each sink is checked after a mix of successful, failed and
 * unauthenticated requests, including keys sent in the wrong header.
 */
describe('secrets stay out of logs, errors, audit records and exports', () => {
  let gateway: GatewayHarness;
  let auditor: string;
  const secrets: Record<string, string> = {};
  const errorBodies: string[] = [];

  const trigger = () => request(gateway.http).post('/1/targets/trigger.json');
  const keepErrors = (response: request.Response) => {
    if (response.status >= 400) errorBodies.push(response.text, JSON.stringify(response.headers));
    return response;
  };
  /** Which secrets appear, and where: a short excerpt with the secret itself masked, never the secret. */
  const leaked = (text: string, only: Record<string, string> = secrets) =>
    text.split('\n').flatMap((line) =>
      Object.entries(only)
        .filter(([, secret]) => line.includes(secret))
        .map(([name, secret]) => {
          const at = line.indexOf(secret);
          return `${name}: ...${line.slice(Math.max(0, at - 120), at + secret.length + 40).replaceAll(secret, `<${name}>`)}...`;
        }),
    );
  const fullKeys = (text: string) => (text.match(new RegExp(ANY_FULL_KEY, 'g')) ?? []).map((key) => `${key.slice(0, 10)}...`);

  beforeAll(async () => {
    gateway = await startGateway({
      env: { LOG_LEVEL: 'trace', GATEWAY_ADMIN_KEY: BOOTSTRAP_ADMIN_KEY, RETRY_SCHEDULE: '100ms', CREDENTIALS_RETRY_MS: '600000' },
    });
    const admin = await request(gateway.http).post('/v1/partners').set(bearer(BOOTSTRAP_ADMIN_KEY)).send({ name: 'admin', role: 'admin' }).expect(201);
    secrets.adminKey = admin.body.key;
    secrets.bootstrapAdminKey = BOOTSTRAP_ADMIN_KEY;
    secrets.upstreamPasscode = UPSTREAM_PASSCODE;
    secrets.partnerKey = await gateway.createPartner({ name: 'partner' });
    secrets.auditorKey = auditor = await gateway.createPartner({ role: 'auditor', accounts: [] });
    secrets.unknownKey = 'bgk_this-key-was-never-issued-0123456789abcdef';
    secrets.revokedKey = await gateway.createPartner({ name: 'revoked' });
    await gateway.app.get(PartnersRepository).revoke(await partnerIdOf(gateway, secrets.revokedKey));
    secrets.basicCredentials = Buffer.from(`${secrets.partnerKey}:`).toString('base64');
    const key = secrets.partnerKey;
    const headers = gateway.partnerHeaders(key);
    const { when: _when, ...withoutWhen } = bulletin();

    // Successful, by passcode and by bearer token.
    await raise(gateway, key, bulletin({ name: 'sent by passcode' }));
    await raise(gateway, key, bulletin({ name: 'sent by bearer' }), { headers: { 'X-CleverTap-Passcode': '', ...bearer(key) } });
    // Failed upstream: permanently, and transiently then retried.
    await raise(gateway, key, bulletin({ business_event: 'Nonexistent Event', name: 'failed upstream' }));
    gateway.simulator.setFaults([{ kind: '5xx', remaining: 1 }]);
    const retried = await raise(gateway, key, bulletin({ name: 'retried' }));
    await waitFor(async () => (await gateway.timeline(retried)).status === 'sent', 10_000, 'the retried event');
    // Refused by the gateway after authentication: rejections on record.
    keepErrors(await trigger().set(headers).send(withoutWhen));
    keepErrors(await trigger().set(headers).send('{"name": "unfinished'));
    keepErrors(await trigger().set({ ...headers, 'Content-Type': 'text/plain' }).send('plain text'));
    keepErrors(await trigger().set(gateway.partnerHeaders(key, 'not-my-account')).send(bulletin()));
    keepErrors(await trigger().set(gateway.partnerHeaders(auditor)).send(bulletin()));
    // Unauthenticated: unknown, revoked, admin keys, every way they can be presented.
    for (const presented of [secrets.unknownKey, secrets.revokedKey, BOOTSTRAP_ADMIN_KEY]) {
      keepErrors(await trigger().set(gateway.partnerHeaders(presented)).send(bulletin()));
      keepErrors(await trigger().set({ ...gateway.partnerHeaders(''), ...bearer(presented) }).send(bulletin()));
      keepErrors(await request(gateway.http).get('/v1/events').set(bearer(presented)));
      keepErrors(await request(gateway.http).get('/v1/audit/verify').set({ 'X-CleverTap-Passcode': presented }));
    }
    keepErrors(await request(gateway.http).get('/v1/partners').set(bearer(key)));
    keepErrors(await request(gateway.http).get('/v1/events?status=bogus').set(bearer(auditor)));
    keepErrors(await request(gateway.http).post('/v1/partners').set(bearer(secrets.adminKey)).send({ name: 'x', role: 'root' }));
    // Keys in the wrong header.
    keepErrors(await trigger().set({ 'X-CleverTap-Account-Id': key, 'X-CleverTap-Passcode': ACCOUNT_ID, 'Content-Type': 'application/json' }).send(bulletin()));
    keepErrors(await trigger().set({ 'X-CleverTap-Account-Id': ACCOUNT_ID, 'Content-Type': 'application/json', Authorization: key }).send(bulletin()));
    keepErrors(await trigger().set({ 'X-CleverTap-Account-Id': ACCOUNT_ID, 'Content-Type': 'application/json', Authorization: `Basic ${secrets.basicCredentials}` }).send(bulletin()));
    keepErrors(await trigger().set({ 'X-CleverTap-Account-Id': ACCOUNT_ID, 'Content-Type': 'application/json', 'X-Api-Key': key }).send(bulletin()));
    keepErrors(await request(gateway.http).get('/v1/events').set({ 'X-Api-Key': secrets.auditorKey }));
    keepErrors(await request(gateway.http).get('/v1/events').set({ Authorization: `Token ${BOOTSTRAP_ADMIN_KEY}` }));
    // Last, because it pauses the account: CleverTap refusing the gateway's own credentials.
    gateway.simulator.setFaults([{ kind: 'unauthorized' }]);
    await raise(gateway, key, bulletin({ name: 'credentials refused' }), { async: true });
    await waitFor(() => gateway.logs.text.includes("rejected the gateway's credentials"), 5000, 'the credentials alert');
  });
  afterAll(() => gateway.close());

  /** Everything the audit API shows an auditor: the list, each event in full, the rejections. */
  async function auditRecords(): Promise<string> {
    const list = await request(gateway.http).get('/v1/events').query({ limit: 500 }).set(bearer(auditor)).expect(200);
    const events = await Promise.all(
      list.body.data.map(async ({ id }: { id: string }) => (await request(gateway.http).get(`/v1/events/${id}`).set(bearer(auditor)).expect(200)).text),
    );
    const rejections = await request(gateway.http).get('/v1/rejections').query({ limit: 500 }).set(bearer(auditor)).expect(200);
    expect(list.body.data.length).toBeGreaterThanOrEqual(5);
    expect(rejections.body.data.length).toBeGreaterThanOrEqual(3);
    return [list.text, ...events, rejections.text].join('\n');
  }

  async function exports(): Promise<string> {
    const texts = await Promise.all(
      ['ndjson', 'csv'].map(async (format) =>
        (await request(gateway.http).get('/v1/events/export').query({ format }).set(bearer(auditor)).buffer(true).parse(textParser).expect(200)).body as string,
      ),
    );
    expect(texts[0]).toContain('sent by passcode');
    return texts.join('\n');
  }

  it('keeps them out of the logs, even at trace level', () => {
    expect(gateway.logs.lines.length).toBeGreaterThan(20);
    expect(leaked(gateway.logs.text)).toEqual([]);
    expect(fullKeys(gateway.logs.text)).toEqual([]);
    expect(gateway.logs.text.match(/"authorization"|Bearer |Basic |X-Api-Key/gi) ?? []).toEqual([]);
  });

  it('keeps them out of error bodies and headers', () => {
    expect(errorBodies.length).toBeGreaterThan(20);
    const text = errorBodies.join('\n');
    expect(leaked(text)).toEqual([]);
    expect(fullKeys(text)).toEqual([]);
  });

  it('keeps them out of the audit records: events, timelines and rejections', async () => {
    const text = await auditRecords();
    expect(leaked(text)).toEqual([]);
    expect(fullKeys(text)).toEqual([]);
  });

  it('keeps them out of NDJSON and CSV exports', async () => {
    const text = await exports();
    expect(leaked(text)).toEqual([]);
    expect(fullKeys(text)).toEqual([]);
  });

  // Partners paste keys where they do not belong; the gateway must not be the one to write them down.
  describe('when a partner sends its key somewhere it does not belong', () => {
    it('does not log a key sent in the query string', async () => {
      const key = await gateway.createPartner({ name: 'key in the URL' });
      const response = await trigger().query({ api_key: key }).set({ 'X-CleverTap-Account-Id': ACCOUNT_ID, 'Content-Type': 'application/json' }).send(bulletin());
      expect(response.status).toBe(401);
      expect(leaked(response.text, { key })).toEqual([]);
      expect(leaked(gateway.logs.text, { key })).toEqual([]);
    });

    it('does not keep a key or passcode found in a refused body in the rejection log', async () => {
      const key = await gateway.createPartner({ name: 'key in the body' });
      await trigger().set(gateway.partnerHeaders(key)).send(`{"passcode":"${key}"`).expect(400);
      await trigger().set(gateway.partnerHeaders(key)).send({ ...bulletin(), passcode: UPSTREAM_PASSCODE }).expect(400);
      const id = await partnerIdOf(gateway, key);
      const rejections = await request(gateway.http).get('/v1/rejections').query({ partner: id }).set(bearer(auditor)).expect(200);
      expect(rejections.body.data).toHaveLength(2);
      expect(leaked(rejections.text, { key, upstreamPasscode: UPSTREAM_PASSCODE })).toEqual([]);
      expect(leaked(gateway.logs.text, { key })).toEqual([]);
    });
  });
});
