import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { PartnersRepository } from '../../src/access/partners.repository.js';
import {
  bearer,
  BOOTSTRAP_ADMIN_KEY,
  bulletin,
  expectProblem,
  parseNdjson,
  csvRecords,
  partnerIdOf,
  raise,
  textParser,
} from '../support/fixtures.js';
import { ACCOUNT_ID, startGateway, type GatewayHarness } from '../support/gateway-harness.js';

type Caller = 'partner' | 'auditor' | 'operator' | 'admin' | 'bootstrap admin' | 'no key' | 'wrong key' | 'revoked key';
const CALLERS: Caller[] = ['partner', 'auditor', 'operator', 'admin', 'bootstrap admin', 'no key', 'wrong key', 'revoked key'];
const UNAUTHENTICATED: Caller[] = ['no key', 'wrong key', 'revoked key'];
const READERS: Caller[] = ['partner', 'auditor', 'operator', 'admin', 'bootstrap admin'];
const VERIFIERS: Caller[] = ['auditor', 'operator', 'admin', 'bootstrap admin'];
const OPERATORS: Caller[] = ['operator', 'admin', 'bootstrap admin'];
const ADMINS: Caller[] = ['admin', 'bootstrap admin'];

/**
 * The /v1 surface, route by route and role by role: partners read only their own events, auditors and
 * operators read and verify everything, only admins manage partners, and a key stops working the moment
 * it is revoked.
 */
describe('roles and keys on the /v1 API', () => {
  let gateway: GatewayHarness;
  const keys = {} as Record<Caller, string | undefined>;
  let partnerB: string;
  const events = { a: [] as string[], b: [] as string[] };

  beforeAll(async () => {
    gateway = await startGateway({ env: { GATEWAY_ADMIN_KEY: BOOTSTRAP_ADMIN_KEY } });
    keys.partner = await gateway.createPartner({ name: 'partner A' });
    partnerB = await gateway.createPartner({ name: 'partner B' });
    keys.auditor = await gateway.createPartner({ role: 'auditor', accounts: [] });
    keys.operator = await gateway.createPartner({ role: 'operator', accounts: [] });
    keys.admin = await gateway.createPartner({ role: 'admin', accounts: [] });
    keys['bootstrap admin'] = BOOTSTRAP_ADMIN_KEY;
    keys['no key'] = undefined;
    keys['wrong key'] = 'bgk_this-key-was-never-issued-0123456789abcdef';
    keys['revoked key'] = await gateway.createPartner({ name: 'revoked partner' });
    await gateway.app.get(PartnersRepository).revoke(await partnerIdOf(gateway, keys['revoked key']!));

    for (const name of ['A first', 'A second']) events.a.push(await raise(gateway, keys.partner, bulletin({ name })));
    for (const name of ['B first', 'B second']) events.b.push(await raise(gateway, partnerB, bulletin({ name })));
    // One refused request each, so both partners have rejections on record.
    for (const key of [keys.partner, partnerB]) {
      const { when: _when, ...withoutWhen } = bulletin();
      await request(gateway.http).post('/1/targets/trigger.json').set(gateway.partnerHeaders(key)).send(withoutWhen).expect(400);
    }
  });
  afterAll(() => gateway.close());

  const as = (caller: Caller) => (keys[caller] ? bearer(keys[caller]!) : {});
  const api = () => request(gateway.http);

  /** A partner that admin actions can act on without disturbing the callers above. */
  const victim = async () => partnerIdOf(gateway, await gateway.createPartner({ name: `victim-${randomUUID()}` }));

  const routes: { route: string; call: (caller: Caller) => Promise<request.Response>; allowed: Caller[]; success: number }[] = [
    { route: 'GET /v1/events', call: (c) => api().get('/v1/events').set(as(c)), allowed: READERS, success: 200 },
    { route: 'GET /v1/events/:id', call: (c) => api().get(`/v1/events/${events.a[0]}`).set(as(c)), allowed: READERS, success: 200 },
    { route: 'GET /v1/events/export', call: (c) => api().get('/v1/events/export').set(as(c)), allowed: READERS, success: 200 },
    { route: 'GET /v1/rejections', call: (c) => api().get('/v1/rejections').set(as(c)), allowed: READERS, success: 200 },
    { route: 'GET /v1/audit/verify', call: (c) => api().get('/v1/audit/verify').set(as(c)), allowed: VERIFIERS, success: 200 },
    { route: 'GET /v1/accounts/backlog', call: (c) => api().get('/v1/accounts/backlog').set(as(c)), allowed: OPERATORS, success: 200 },
    { route: 'GET /v1/accounts/wait', call: (c) => api().get('/v1/accounts/wait').set(as(c)), allowed: OPERATORS, success: 200 },
    { route: 'GET /v1/partners', call: (c) => api().get('/v1/partners').set(as(c)), allowed: ADMINS, success: 200 },
    {
      route: 'POST /v1/partners',
      call: (c) => api().post('/v1/partners').set(as(c)).send({ name: `made by ${c}`, role: 'partner', accounts: [ACCOUNT_ID] }),
      allowed: ADMINS,
      success: 201,
    },
    {
      route: 'POST /v1/partners/:id/keys',
      call: async (c) => api().post(`/v1/partners/${await victim()}/keys`).set(as(c)),
      allowed: ADMINS,
      success: 201,
    },
    {
      route: 'POST /v1/partners/:id/revoke',
      call: async (c) => api().post(`/v1/partners/${await victim()}/revoke`).set(as(c)),
      allowed: ADMINS,
      success: 200,
    },
  ];

  const matrix = routes.flatMap(({ route, allowed, success }) =>
    CALLERS.map((caller) => {
      const status = allowed.includes(caller) ? success : UNAUTHENTICATED.includes(caller) ? 401 : 403;
      return { route, caller, status };
    }),
  );

  it.each(matrix)('$route as $caller answers $status', async ({ route, caller, status }) => {
    const response = await routes.find((r) => r.route === route)!.call(caller);
    if (status >= 400) expectProblem(response, status, status === 401 ? 'unauthenticated' : 'forbidden');
    else expect(response.status).toBe(status);
  });

  describe('a partner sees only its own events and rejections', () => {
    const ids = (response: request.Response) => response.body.data.map((event: { id: string }) => event.id).sort();

    it.each([
      ['partner A', () => keys.partner!, () => events.a],
      ['partner B', () => partnerB, () => events.b],
    ])('%s lists exactly its own events', async (_who, key, own) => {
      const response = await api().get('/v1/events').set(bearer(key())).expect(200);
      expect(ids(response)).toEqual([...own()].sort());
    });

    it('partner A asking for partner B\'s events by filter gets an empty page', async () => {
      const response = await api().get('/v1/events').query({ partner: await partnerIdOf(gateway, partnerB) }).set(as('partner')).expect(200);
      expect(response.body).toEqual({ data: [], next_cursor: null });
    });

    it("partner A reading partner B's event gets the same 404 as for an event that does not exist", async () => {
      const foreign = await api().get(`/v1/events/${events.b[0]}`).set(as('partner'));
      const missing = await api().get(`/v1/events/${randomUUID()}`).set(as('partner'));
      const malformed = await api().get('/v1/events/not-an-event-id').set(as('partner'));
      for (const response of [foreign, missing, malformed]) expectProblem(response, 404, 'not_found');
      const shape = ({ request_id: _id, ...rest }: Record<string, unknown>) => rest;
      expect(shape(foreign.body)).toEqual(shape(missing.body));
      expect(shape(malformed.body)).toEqual(shape(missing.body));
      expect(foreign.headers['content-type']).toBe(missing.headers['content-type']);
      expect(foreign.text).not.toContain(events.b[0]);
    });

    it.each(['ndjson', 'csv'])('partner A exporting as %s gets only its own events, even when it names partner B', async (format) => {
      const exported = async (query: Record<string, string>) => {
        const response = await api().get('/v1/events/export').query({ format, ...query }).set(as('partner')).buffer(true).parse(textParser).expect(200);
        const text = response.body as string;
        return format === 'csv' ? csvRecords(text).map((row) => row.id) : parseNdjson(text).events.map((event) => event.id);
      };
      expect((await exported({})).sort()).toEqual([...events.a].sort());
      expect(await exported({ partner: await partnerIdOf(gateway, partnerB) })).toEqual([]);
    });

    it('partner A sees only its own rejections', async () => {
      const response = await api().get('/v1/rejections').set(as('partner')).expect(200);
      const partnerA = await partnerIdOf(gateway, keys.partner!);
      expect(response.body.data.length).toBeGreaterThan(0);
      expect(response.body.data.every((rejection: { partner_id: string }) => rejection.partner_id === partnerA)).toBe(true);
      const filtered = await api().get('/v1/rejections').query({ partner: await partnerIdOf(gateway, partnerB) }).set(as('partner')).expect(200);
      expect(filtered.body.data).toEqual([]);
    });
  });

  describe.each(VERIFIERS)('the %s reads everything', (caller) => {
    it('lists and exports every partner\'s events', async () => {
      const listed = await api().get('/v1/events').set(as(caller)).expect(200);
      expect(listed.body.data.map((event: { id: string }) => event.id)).toEqual(expect.arrayContaining([...events.a, ...events.b]));
      const exported = await api().get('/v1/events/export').set(as(caller)).buffer(true).parse(textParser).expect(200);
      expect(parseNdjson(exported.body).events.map((event) => event.id)).toEqual(expect.arrayContaining([...events.a, ...events.b]));
    });

    it("reads partner B's event and every partner's rejections", async () => {
      const event = await api().get(`/v1/events/${events.b[0]}`).set(as(caller)).expect(200);
      expect(event.body).toMatchObject({ id: events.b[0], name: 'B first' });
      const rejections = await api().get('/v1/rejections').set(as(caller)).expect(200);
      const partners = new Set(rejections.body.data.map((rejection: { partner_id: string }) => rejection.partner_id));
      expect(partners).toEqual(new Set([await partnerIdOf(gateway, keys.partner!), await partnerIdOf(gateway, partnerB)]));
    });
  });

  describe('revoking a partner', () => {
    it('stops its keys at once, on ingest and on /v1', async () => {
      const created = await api()
        .post('/v1/partners')
        .set(as('admin'))
        .send({ name: 'soon revoked', accounts: [ACCOUNT_ID] })
        .expect(201);
      expect(created.body).toEqual({ id: expect.any(String), key: expect.stringMatching(/^bgk_/), name: 'soon revoked', role: 'partner', accounts: [ACCOUNT_ID] });
      const second = await api().post(`/v1/partners/${created.body.id}/keys`).set(as('admin')).expect(201);
      const partnerKeys = [created.body.key as string, second.body.key as string];
      for (const key of partnerKeys) {
        await api().post('/1/targets/trigger.json').set(gateway.partnerHeaders(key)).send(bulletin()).expect(200);
        await api().get('/v1/events').set(bearer(key)).expect(200);
      }

      await api().post(`/v1/partners/${created.body.id}/revoke`).set(as('admin')).expect(200, { id: created.body.id, revoked: true });

      for (const key of partnerKeys) {
        const ingest = await api().post('/1/targets/trigger.json').set(gateway.partnerHeaders(key)).send(bulletin());
        expect({ status: ingest.status, body: ingest.body }).toEqual({ status: 401, body: expect.objectContaining({ status: 'fail', code: 401 }) });
        const bearerIngest = await api().post('/1/targets/trigger.json').set({ ...gateway.partnerHeaders(''), ...bearer(key) }).send(bulletin());
        expect(bearerIngest.status).toBe(401);
        expectProblem(await api().get('/v1/events').set(bearer(key)), 401, 'unauthenticated');
      }
      const listed = await api().get('/v1/partners').set(as('admin')).expect(200);
      expect(listed.body.data.find((partner: { id: string }) => partner.id === created.body.id)).toMatchObject({
        revoked_at: expect.any(String),
        key_prefixes: [],
      });
    });

    it.each([
      ['an already revoked partner', async () => {
        const id = await victim();
        await gateway.app.get(PartnersRepository).revoke(id);
        return id;
      }],
      ['an unknown partner', async () => randomUUID()],
      ['a malformed id', async () => 'not-a-partner-id'],
    ])('answers 404 for %s, for revoke and for a new key', async (_what, id) => {
      const partnerId = await id();
      expectProblem(await api().post(`/v1/partners/${partnerId}/revoke`).set(as('admin')), 404, 'not_found');
      expectProblem(await api().post(`/v1/partners/${partnerId}/keys`).set(as('admin')), 404, 'not_found');
    });
  });

  describe('the bootstrap admin key (GATEWAY_ADMIN_KEY)', () => {
    it('creates the first admin, whose own key then manages partners', async () => {
      const created = await api()
        .post('/v1/partners')
        .set(bearer(BOOTSTRAP_ADMIN_KEY))
        .send({ name: 'first admin', role: 'admin' })
        .expect(201);
      expect(created.body).toMatchObject({ role: 'admin', key: expect.stringMatching(/^bgk_/) });
      const listed = await api().get('/v1/partners').set(bearer(created.body.key)).expect(200);
      const entry = listed.body.data.find((partner: { id: string }) => partner.id === created.body.id);
      expect(entry).toMatchObject({ name: 'first admin', role: 'admin', revoked_at: null });
      expect(JSON.stringify(listed.body)).not.toContain(created.body.key);
    });

    it('cannot raise bulletins: it is not a partner key', async () => {
      const response = await api().post('/1/targets/trigger.json').set(gateway.partnerHeaders(BOOTSTRAP_ADMIN_KEY)).send(bulletin());
      expect([401, 403]).toContain(response.status);
    });
  });

  it.each([
    ['an unknown role', { name: 'x', role: 'root', accounts: [ACCOUNT_ID] }],
    ['no name', { role: 'partner', accounts: [ACCOUNT_ID] }],
    ['a partner without accounts', { name: 'x', role: 'partner' }],
    ['an unknown field', { name: 'x', accounts: [ACCOUNT_ID], key: 'bgk_chosen-by-the-caller' }],
  ])('refuses to create a partner with %s (400 problem)', async (_what, body) => {
    expectProblem(await api().post('/v1/partners').set(as('admin')).send(body), 400);
  });
});
