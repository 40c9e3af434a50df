import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { MAX_EXCERPT_BYTES } from '../../src/rejections/rejection-log.js';
import { base64url, bearer, bulletin, expectProblem, partnerIdOf, raise, secondAccount } from '../support/fixtures.js';
import { ACCOUNT_ID, startGateway, type GatewayHarness } from '../support/gateway-harness.js';
import { waitFor } from '../support/wait-for.js';

const SQL_LOOKING = "' OR 1=1 --";

/**
 * The audit API an auditor answers "what did we send, to whom, when" with: every filter narrows, pages
 * stay correct while events keep arriving, bad input is a 400 problem (never a 500), an event shows its
 * whole timeline, and refused requests from known partners are on record.
 */
describe('the audit API', () => {
  let gateway: GatewayHarness;
  let second: Awaited<ReturnType<typeof secondAccount>>;
  let auditor: string;
  let partnerA: string;
  let partnerB: string;
  const partnerIds = { a: '', b: '' };
  /** Event ids by a short label; each label is also in the bulletin's name. */
  const ids: Record<string, string> = {};
  const labelOf = (id: string) => Object.entries(ids).find(([, value]) => value === id)?.[0] ?? `unknown ${id}`;
  /** received_at of the event labelled "delta", the boundary for the date filters. */
  let boundary: string;

  beforeAll(async () => {
    second = await secondAccount();
    gateway = await startGateway({ env: { RETRY_SCHEDULE: '100ms', ...second.env } });
    auditor = await gateway.createPartner({ role: 'auditor', accounts: [] });
    partnerA = await gateway.createPartner({ name: 'partner A', accounts: [ACCOUNT_ID, second.id] });
    partnerB = await gateway.createPartner({ name: 'partner B' });
    partnerIds.a = await partnerIdOf(gateway, partnerA);
    partnerIds.b = await partnerIdOf(gateway, partnerB);

    ids.alpha = await raise(gateway, partnerA, bulletin({ name: 'Alpha launch' }));
    ids.beta = await raise(gateway, partnerA, bulletin({ business_event: 'Product Launched', name: 'Beta drop', properties: { product_category: 'tv' } }));
    ids.gamma = await raise(gateway, partnerA, bulletin({ business_event: 'Nonexistent Event', name: 'Gamma alpha' }));
    ids.delta = await raise(gateway, partnerB, bulletin({ name: `Delta ${SQL_LOOKING} quoted` }));
    ids.epsilon = await raise(gateway, partnerA, bulletin({ name: '100% fresh epsilon' }), { account: second.id });
    gateway.simulator.setFaults([{ kind: '5xx', remaining: 1 }]);
    ids.zeta = await raise(gateway, partnerA, bulletin({ name: 'Zeta retried' }));
    await waitFor(async () => (await gateway.timeline(ids.zeta)).status === 'sent', 10_000, 'zeta to be sent on its retry');
    gateway.simulator.setFaults([{ kind: '5xx', status: 502, remaining: 2 }]);
    ids.eta = await raise(gateway, partnerB, bulletin({ name: 'Eta exhausted' }));
    await waitFor(async () => (await gateway.timeline(ids.eta)).status === 'exhausted', 10_000, 'eta to exhaust its retries');
    gateway.simulator.setFaults([]);
    [{ received_at: boundary }] = await gateway.sql(
      `SELECT to_char(received_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS received_at FROM bulletin_events WHERE id = $1`,
      [ids.delta],
    );
  });
  afterAll(async () => {
    await gateway.close();
    await second.simulator.stop();
  });

  const list = (query: Record<string, string> | string, key = auditor) =>
    request(gateway.http).get('/v1/events').query(query).set(bearer(key));
  const labels = (response: request.Response) => response.body.data.map((event: { id: string }) => labelOf(event.id)).sort();

  describe('filters', () => {
    it.each<[string, () => Record<string, string>, string[]]>([
      ['status=sent', () => ({ status: 'sent' }), ['alpha', 'beta', 'delta', 'epsilon', 'zeta']],
      ['status=failed', () => ({ status: 'failed' }), ['gamma']],
      ['status=exhausted', () => ({ status: 'exhausted' }), ['eta']],
      ['status=queued', () => ({ status: 'queued' }), []],
      ['business_event', () => ({ business_event: 'Product Launched' }), ['beta']],
      ['partner', () => ({ partner: partnerIds.b }), ['delta', 'eta']],
      ['account', () => ({ account: second.id }), ['epsilon']],
      ['received_from (inclusive)', () => ({ received_from: boundary }), ['delta', 'epsilon', 'eta', 'zeta']],
      ['received_to (exclusive)', () => ({ received_to: boundary }), ['alpha', 'beta', 'gamma']],
      ['q, case-insensitive over the name', () => ({ q: 'ALPHA' }), ['alpha', 'gamma']],
      ['q with a LIKE wildcard, taken literally', () => ({ q: '%' }), ['epsilon']],
      ['q with an underscore, taken literally', () => ({ q: '_' }), []],
      ['q with SQL in it, taken literally', () => ({ q: SQL_LOOKING }), ['delta']],
      ['error (text of the latest attempt)', () => ({ error: 'business event not found' }), ['gamma']],
      ['error_code', () => ({ error_code: '502' }), ['eta']],
      ['several filters together', () => ({ status: 'sent', partner: partnerIds.a, received_from: boundary }), ['epsilon', 'zeta']],
    ])('%s narrows the list', async (_filter, query, expected) => {
      const response = await list(query()).expect(200);
      expect(labels(response)).toEqual(expected.sort());
    });

    it.each(['q', 'business_event', 'account', 'error'])("treats SQL in %s as text: it matches nothing and breaks nothing", async (name) => {
      for (const value of [`x${SQL_LOOKING}`, "x' OR '1'='1", "'; DROP TABLE bulletin_events; --"]) {
        const response = await list({ [name]: value }).expect(200);
        expect(response.body).toEqual({ data: [], next_cursor: null });
      }
      const [{ count }] = await gateway.sql('SELECT count(*)::int AS count FROM bulletin_events');
      expect(count).toBeGreaterThanOrEqual(Object.keys(ids).length);
    });
  });

  describe('malformed input is a 400 problem, never a 500', () => {
    const tooLong = 'x'.repeat(201);
    const queryCases: [string, string][] = [
      ['an unknown status', 'status=bogus'],
      ['a repeated status', 'status=sent&status=failed'],
      ['a partner that is not a UUID', 'partner=not-a-uuid'],
      ['a partner with SQL in it', `partner=${encodeURIComponent(SQL_LOOKING)}`],
      ['a word for a date', 'received_from=yesterday'],
      ['month 13', 'received_to=2024-13-01T00:00:00Z'],
      ['30 February', 'received_from=2024-02-30'],
      ['an offset of 25 hours', `received_from=${encodeURIComponent('2024-01-01T00:00:00+25:00')}`],
      ['limit 0', 'limit=0'],
      ['limit 501', 'limit=501'],
      ['limit abc', 'limit=abc'],
      ['a negative limit', 'limit=-1'],
      ['a fractional limit', 'limit=1.5'],
      ['an empty limit', 'limit='],
      ['an unknown parameter', 'colour=red'],
      ['a cursor of random base64', `cursor=${Buffer.from('c2f1e0d9b8a7', 'hex').toString('base64url')}`],
      ['a cursor that is not base64 at all', 'cursor=%E2%98%83%E2%98%83'],
      ['a cursor before -1', `cursor=${base64url('{"before":-1}')}`],
      ['a cursor before 0', `cursor=${base64url('{"before":0}')}`],
      ['a cursor holding a string', `cursor=${base64url('"a string"')}`],
      ['a cursor holding null', `cursor=${base64url('null')}`],
      ['a cursor with a text position', `cursor=${base64url('{"before":"5"}')}`],
      ['a cursor with a huge position', `cursor=${base64url('{"before":1e308}')}`],
      ['a cursor with SQL in it', `cursor=${base64url(`{"before":"1; ${SQL_LOOKING}"}`)}`],
      ['an overlong q', `q=${tooLong}`],
      ['an error_code with spaces', 'error_code=a%20b'],
      ['a NUL byte in q', 'q=a%00b'],
      ['a NUL byte in business_event', 'business_event=a%00b'],
      ['a NUL byte in account', 'account=a%00b'],
      ['a NUL byte in error', 'error=a%00b'],
    ];

    it.each(queryCases)('GET /v1/events refuses %s', async (_what, query) => {
      expectProblem(await request(gateway.http).get(`/v1/events?${query}`).set(bearer(auditor)), 400);
    });

    const exportCases = queryCases.filter(([, query]) => !/^(limit|cursor)=/.test(query));
    it.each(exportCases)('GET /v1/events/export refuses %s', async (_what, query) => {
      expectProblem(await request(gateway.http).get(`/v1/events/export?${query}`).set(bearer(auditor)), 400);
    });

    const rejectionCases = queryCases.filter(([, query]) => /^(limit|cursor|partner|colour)=/.test(query));
    it.each(rejectionCases)('GET /v1/rejections refuses %s', async (_what, query) => {
      expectProblem(await request(gateway.http).get(`/v1/rejections?${query}`).set(bearer(auditor)), 400);
    });

    // Valid ISO 8601 that a naive date parser may not read: either understood or refused, never a crash.
    it.each(['2024-W01-1', '2024-001', '20240101T000000Z'])('GET /v1/events answers received_from=%s with 200 or 400', async (date) => {
      const response = await list({ received_from: date });
      expect([200, 400]).toContain(response.status);
      if (response.status === 400) expectProblem(response, 400);
    });

    it('answers a malformed event id with the same 404 as a missing one', async () => {
      expectProblem(await request(gateway.http).get(`/v1/events/${encodeURIComponent(SQL_LOOKING)}`).set(bearer(auditor)), 404, 'not_found');
      expectProblem(await request(gateway.http).get(`/v1/events/${randomUUID()}`).set(bearer(auditor)), 404, 'not_found');
    });
  });

  describe('one event in full', () => {
    const get = (id: string) => request(gateway.http).get(`/v1/events/${id}`).set(bearer(auditor)).expect(200);

    it('shows the received payload and every attempt, a failed one and its successful retry', async () => {
      const { body } = await get(ids.zeta);
      expect(body).toMatchObject({
        id: ids.zeta,
        partner_name: 'partner A',
        account_id: ACCOUNT_ID,
        business_event: 'Program Released',
        name: 'Zeta retried',
        status: 'sent',
        attempts: 2,
        payload: bulletin({ name: 'Zeta retried' }),
      });
      expect(body.timeline).toEqual([
        { type: 'received', at: body.received_at, request_id: body.request_id, partner: 'partner A' },
        expect.objectContaining({
          type: 'attempt',
          attempt_number: 1,
          trigger: 'auto',
          outcome: 'transient',
          http_status: 503,
          targets: null,
          error: expect.any(String),
          latency_ms: expect.any(Number),
          at: expect.any(String),
        }),
        expect.objectContaining({
          type: 'attempt',
          attempt_number: 2,
          trigger: 'retry',
          outcome: 'sent',
          http_status: 200,
          clevertap_status: 'success',
          targets: 1,
          error: null,
          latency_ms: expect.any(Number),
        }),
      ]);
      expect(Date.parse(body.timeline[2].at)).toBeGreaterThanOrEqual(Date.parse(body.timeline[1].at));
    });

    it("shows CleverTap's refusal of a permanent failure", async () => {
      const { body } = await get(ids.gamma);
      expect(body).toMatchObject({ status: 'failed', payload: { business_event: 'Nonexistent Event' } });
      expect(body.timeline).toHaveLength(2);
      expect(body.timeline[1]).toMatchObject({
        type: 'attempt',
        trigger: 'auto',
        outcome: 'failed',
        http_status: 400,
        clevertap_status: 'fail',
        error: expect.stringMatching(/Business Event Not Found/i),
      });
    });

    it('shows the exhausted retries of an event CleverTap never accepted', async () => {
      const { body } = await get(ids.eta);
      expect(body.status).toBe('exhausted');
      expect(body.timeline.map((entry: { type: string; http_status?: number; trigger?: string }) => [entry.type, entry.trigger, entry.http_status])).toEqual([
        ['received', undefined, undefined],
        ['attempt', 'auto', 502],
        ['attempt', 'retry', 502],
      ]);
    });
  });

  describe('rejected requests', () => {
    const trigger = () => request(gateway.http).post('/1/targets/trigger.json');
    const rejections = async () =>
      (await request(gateway.http).get('/v1/rejections').query({ limit: 500 }).set(bearer(auditor)).expect(200)).body.data;
    const rejectionCount = async () => Number((await gateway.sql('SELECT count(*)::int AS n FROM rejected_requests'))[0].n);
    const { when: _when, ...withoutWhen } = bulletin();
    const oversized = bulletin({ properties: { synopsis: 'é'.repeat(3000) } });

    const asPartnerA = (requestId: string, headers: Record<string, string> = {}) =>
      trigger().set({ ...gateway.partnerHeaders(partnerA), 'X-Request-Id': requestId, ...headers });

    it.each<[string, (id: string) => request.Test, { status: number; code: string; excerpt: string | RegExp }]>([
      [
        'a body missing "when"',
        (id) => asPartnerA(id).send(withoutWhen),
        { status: 400, code: 'invalid_request', excerpt: JSON.stringify(withoutWhen) },
      ],
      [
        'malformed JSON',
        (id) => asPartnerA(id).send('{"name": "unfinished'),
        { status: 400, code: 'malformed_json', excerpt: '{"name": "unfinished' },
      ],
      [
        'the wrong content type',
        (id) => asPartnerA(id, { 'Content-Type': 'text/plain' }).send(JSON.stringify(bulletin())),
        { status: 415, code: 'unsupported_media_type', excerpt: /unsupported_media_type/ },
      ],
    ])('records %s from a known partner, with the partner, the reason and the payload', async (_what, send, expected) => {
      const requestId = `rejected-${randomUUID()}`;
      const response = await send(requestId);
      expect(response.status).toBe(expected.status);
      const rejection = (await rejections()).find((entry: { request_id: string }) => entry.request_id === requestId);
      expect(rejection).toMatchObject({
        partner_id: partnerIds.a,
        partner_name: 'partner A',
        account_id: ACCOUNT_ID,
        reason_code: expected.code,
        reason: expect.any(String),
        http_status: expected.status,
        received_at: expect.any(String),
      });
      if (typeof expected.excerpt === 'string') expect(rejection.payload_excerpt).toBe(expected.excerpt);
      else expect(rejection.payload_excerpt).toMatch(expected.excerpt);
    });

    it('caps the payload it keeps, and says how big the original was', async () => {
      const requestId = `oversized-${randomUUID()}`;
      await trigger().set(gateway.partnerHeaders(partnerA)).set('X-Request-Id', requestId).send(oversized).expect(400);
      const rejection = (await rejections()).find((entry: { request_id: string }) => entry.request_id === requestId);
      const original = Buffer.byteLength(JSON.stringify(oversized), 'utf8');
      expect(rejection.payload_bytes).toBe(original);
      expect(Buffer.byteLength(rejection.payload_excerpt, 'utf8')).toBeLessThanOrEqual(MAX_EXCERPT_BYTES);
      expect(rejection.payload_excerpt.length).toBeGreaterThan(0);
      expect(JSON.stringify(oversized).startsWith(rejection.payload_excerpt)).toBe(true);
      expect(rejection.payload_excerpt).not.toContain('\uFFFD');
    });

    it('records the size of a body refused unread as too large, not of the placeholder kept for it', async () => {
      const requestId = `too-large-${randomUUID()}`;
      const body = JSON.stringify(bulletin({ properties: { synopsis: 'x'.repeat(70_000) } }));
      await trigger().set(gateway.partnerHeaders(partnerA)).set('X-Request-Id', requestId).send(body).expect(413);
      const rejection = (await rejections()).find((entry: { request_id: string }) => entry.request_id === requestId);
      expect(rejection).toMatchObject({ reason_code: 'payload_too_large', payload_bytes: Buffer.byteLength(body) });
      expect(rejection.payload_bytes).toBeGreaterThan(70_000);
    });

    it('records the size of a refused body as it was sent, whitespace included', async () => {
      const requestId = `pretty-${randomUUID()}`;
      const pretty = JSON.stringify(withoutWhen, null, 4);
      await trigger().set(gateway.partnerHeaders(partnerA)).set({ 'X-Request-Id': requestId, 'Content-Type': 'application/json' }).send(pretty).expect(400);
      const rejection = (await rejections()).find((entry: { request_id: string }) => entry.request_id === requestId);
      expect(rejection).toMatchObject({ reason_code: 'invalid_request', payload_bytes: Buffer.byteLength(pretty) });
      expect(rejection.payload_bytes).toBeGreaterThan(Buffer.byteLength(JSON.stringify(withoutWhen)));
    });

    const unknownKey = 'bgk_not-a-real-key-000000000000000000000';
    const json = { 'X-CleverTap-Account-Id': ACCOUNT_ID, 'Content-Type': 'application/json' };

    it.each<[string, () => request.Test]>([
      ['no key and a body missing "when"', () => trigger().set(json).send(withoutWhen)],
      ['a wrong key and malformed JSON', () => trigger().set(gateway.partnerHeaders(unknownKey)).send('{"oops"')],
      ['a wrong key and the wrong content type', () => trigger().set({ ...gateway.partnerHeaders(unknownKey), 'Content-Type': 'text/plain' }).send('hello')],
      ['a wrong bearer key and an invalid body', () => trigger().set({ ...json, ...bearer(unknownKey) }).send({ name: 'x' })],
    ])('records nothing for %s from an unauthenticated caller', async (_what, send) => {
      const before = await rejectionCount();
      const response = await send();
      expect(response.status).toBeGreaterThanOrEqual(400);
      expect(await rejectionCount()).toBe(before);
    });

    it('shows a partner only its own rejections', async () => {
      await trigger().set(gateway.partnerHeaders(partnerB)).send(withoutWhen).expect(400);
      const asB = await request(gateway.http).get('/v1/rejections').set(bearer(partnerB)).expect(200);
      expect(asB.body.data.length).toBeGreaterThan(0);
      expect(new Set(asB.body.data.map((entry: { partner_name: string }) => entry.partner_name))).toEqual(new Set(['partner B']));
    });
  });

  // Last: it adds events, which the filter expectations above do not know about.
  describe('cursor pagination', () => {
    it('walks pages of 2 without duplicates or gaps while new events keep arriving', async () => {
      const initial = (await list({ limit: '500' }).expect(200)).body.data.map((event: { id: string }) => event.id);
      expect(initial.length).toBeGreaterThanOrEqual(7);

      const walked: { id: string; position: number }[] = [];
      let cursor: string | null | undefined;
      let pages = 0;
      do {
        const page = await list({ limit: '2', ...(cursor ? { cursor } : {}) }).expect(200);
        expect(page.body.data.length).toBeLessThanOrEqual(2);
        walked.push(...page.body.data);
        cursor = page.body.next_cursor;
        // New events between page fetches, from two partners, one of them while the next page is read.
        await raise(gateway, partnerB, bulletin({ name: `arrived during page ${pages}` }), { async: true });
        await raise(gateway, partnerA, bulletin({ name: `also arrived during page ${pages}` }), { async: true });
        pages++;
      } while (cursor && pages < 100);

      const walkedIds = walked.map((event) => event.id);
      expect(new Set(walkedIds).size).toBe(walkedIds.length);
      expect(walkedIds).toEqual(initial);
      const positions = walked.map((event) => event.position);
      expect(positions).toEqual([...positions].sort((a, b) => b - a));
      expect(pages).toBe(Math.ceil(initial.length / 2));
    });

    it('keeps filters across pages', async () => {
      // The events raised above must have settled, or the status filter would chase a moving target.
      await waitFor(async () => (await gateway.sql(`SELECT 1 FROM event_status WHERE status IN ('queued', 'retrying')`)).length === 0, 10_000, 'no pending events');
      const all = (await list({ status: 'sent', partner: partnerIds.a, limit: '500' }).expect(200)).body.data;
      const walked: string[] = [];
      let cursor: string | null = null;
      do {
        const query: Record<string, string> = { status: 'sent', partner: partnerIds.a, limit: '3' };
        if (cursor) query.cursor = cursor;
        const page = await list(query).expect(200);
        walked.push(...page.body.data.map((event: { id: string }) => event.id));
        cursor = page.body.next_cursor;
      } while (cursor);
      expect(walked).toEqual(all.map((event: { id: string }) => event.id));
    });

    it('pages through rejections the same way', async () => {
      const all = (await request(gateway.http).get('/v1/rejections').query({ limit: 500 }).set(bearer(auditor)).expect(200)).body.data;
      const walked: number[] = [];
      let cursor: string | null = null;
      do {
        const page: request.Response = await request(gateway.http).get('/v1/rejections').query(cursor ? { limit: 2, cursor } : { limit: 2 }).set(bearer(auditor)).expect(200);
        walked.push(...page.body.data.map((entry: { position: number }) => entry.position));
        cursor = page.body.next_cursor;
      } while (cursor);
      expect(walked).toEqual(all.map((entry: { position: number }) => entry.position));
    });
  });
});
