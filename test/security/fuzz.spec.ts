import fc from 'fast-check';
import { request as httpRequest } from 'node:http';
import { bearer, BOOTSTRAP_ADMIN_KEY } from '../support/fixtures.js';
import { ACCOUNT_ID, exampleBulletin, startGateway, UPSTREAM_PASSCODE, type GatewayHarness } from '../support/gateway-harness.js';

/**
 * Property-based fuzzing of everything a client controls: ingest bodies (bytes, JSON, nesting), the
 * headers the gateway reads, and the /v1 routes' paths, query strings and bodies. For every case: no
 * 5xx, errors in the route's documented shape, no secret in the reply; after each property, a valid
 * request still succeeds; at the end, no secret in the logs.
 *
 * CI (CI=true) runs a fixed seed and 5,000+ cases; elsewhere the seed is random and printed on failure,
 * so a failure found locally can be replayed with FUZZ_SEED.
 */
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : process.env.CI === 'true' ? 20_261_201 : Date.now() % 2 ** 31;
const RUNS = { ingestBodies: 2400, headers: 1000, v1Queries: 1200, v1Bodies: 600 };
const TRIGGER = '/1/targets/trigger.json';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

describe(`fuzzing hostile input (seed ${SEED})`, () => {
  let gateway: GatewayHarness;
  let port: number;
  let partner: string;
  let auditor: string;
  let admin: string;
  let secrets: string[];

  beforeAll(async () => {
    gateway = await startGateway({ env: { GATEWAY_ADMIN_KEY: BOOTSTRAP_ADMIN_KEY, SYNC_WAIT_MS: '0', LOG_LEVEL: 'debug' } });
    partner = await gateway.createPartner({ name: 'fuzzed partner' });
    auditor = await gateway.createPartner({ role: 'auditor', accounts: [] });
    admin = await gateway.createPartner({ role: 'admin', accounts: [] });
    secrets = [partner, auditor, admin, BOOTSTRAP_ADMIN_KEY, UPSTREAM_PASSCODE];
    await gateway.app.listen(0, '127.0.0.1');
    port = (gateway.http.address() as { port: number }).port;
  });
  afterAll(() => gateway.close());

  function send(method: string, path: string, headers: Record<string, string>, body?: Buffer): Promise<Reply> {
    return new Promise((resolve, reject) => {
      const req = httpRequest(
        { port, host: '127.0.0.1', method, path, headers: body ? { ...headers, 'Content-Length': String(body.length) } : headers },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => resolve({ status: response.statusCode!, headers: response.headers, text: Buffer.concat(chunks).toString('utf8') }));
          response.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  async function check(property: fc.IAsyncProperty<any>, numRuns: number): Promise<void> {
    try {
      await fc.assert(property, { seed: SEED, numRuns, endOnFailure: true });
    } catch (error) {
      console.log(`fuzzing failed with seed ${SEED}: rerun with FUZZ_SEED=${SEED}`);
      throw error;
    }
    // The gateway still does its job after the onslaught.
    const valid = await send('POST', TRIGGER, { ...gateway.partnerHeaders(partner) }, Buffer.from(JSON.stringify(exampleBulletin())));
    expect(valid.status).toBe(202);
  }

  /** What every reply must satisfy, whatever was sent. */
  function expectSafeReply(reply: Reply, shape: 'clevertap' | 'problem'): void {
    if (reply.status >= 500) throw new Error(`${reply.status}: ${reply.text.slice(0, 300)}`);
    const everything = reply.text + JSON.stringify(reply.headers);
    for (const secret of secrets) if (everything.includes(secret)) throw new Error(`a secret was echoed: ${everything.slice(0, 300).replaceAll(secret, '<secret>')}`);
    // A key in a success is one the gateway made (POST /v1/partners); in a refusal it can only be echoed.
    if (reply.status >= 400 && /bgk_[\w-]{20,}/.test(everything)) throw new Error('a gateway key was echoed');
    if (reply.status < 400) return;
    const body = JSON.parse(reply.text);
    if (shape === 'clevertap') {
      expect(reply.headers['content-type']).toMatch(/^application\/json/);
      expect(body).toEqual({ status: 'fail', error: expect.any(String), code: reply.status });
    } else {
      expect(reply.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(body).toMatchObject({ status: reply.status, code: expect.any(String), title: expect.any(String) });
    }
  }

  // --- Building blocks: made once the keys exist, since some cases carry them -----------------------

  function arbitraries() {

    const nasty = fc.constantFrom('\u0000', '\ud800', '\udfff', '\ufeff', '\u202e', '\uffff', '%00', '\\', '"', '__proto__', 'constructor', '💥', 'Ω');
    const secretFragment = () => fc.constantFrom(...secrets, `leak-${partner}`, `${admin}-x`);
    /** Strings of any code units, lone surrogates and NULs included, sometimes carrying a secret. */
    const hostileString = () =>
      fc.oneof(
        fc.string({ unit: 'binary', maxLength: 30 }),
        fc.array(fc.oneof(nasty, fc.string({ maxLength: 5 })), { maxLength: 6 }).map((parts) => parts.join('')),
        secretFragment(),
        fc.string({ maxLength: 600 }),
      );
    const jsonValue = (): fc.Arbitrary<unknown> =>
      fc.letrec<{ value: unknown }>((tie) => ({
        value: fc.oneof(
          { depthSize: 'small', withCrossShrink: true },
          hostileString(),
          fc.double(),
          fc.integer(),
          fc.boolean(),
          fc.constant(null),
          fc.array(tie('value'), { maxLength: 4 }),
          fc.dictionary(hostileString(), tie('value'), { maxKeys: 4 }),
        ),
      })).value;

    const mutatedBulletin = fc
      .record(
        {
          business_event: fc.oneof(hostileString(), jsonValue()),
          name: fc.oneof(hostileString(), jsonValue()),
          properties: fc.oneof(fc.dictionary(hostileString(), hostileString(), { maxKeys: 5 }), jsonValue()),
          'c-by': fc.oneof(hostileString(), jsonValue()),
          when: fc.oneof(fc.constant('now'), hostileString(), fc.integer(), fc.double()),
        },
        { requiredKeys: [] },
      )
      .chain((fields) => fc.dictionary(hostileString(), jsonValue(), { maxKeys: 2 }).map((extra) => ({ ...exampleBulletin(), ...fields, ...extra })));

    const bodyBytes = fc.oneof(
      mutatedBulletin.map((body) => Buffer.from(JSON.stringify(body))),
      jsonValue().map((value) => Buffer.from(JSON.stringify(value) ?? 'null')),
      fc.tuple(fc.integer({ min: 1, max: 6000 }), fc.constantFrom('[', '{"a":')).map(([depth, open]) => Buffer.from(open.repeat(depth))),
      fc.tuple(fc.integer({ min: 1, max: 3000 }), fc.boolean()).map(([depth, closed]) => Buffer.from('['.repeat(depth) + (closed ? ']'.repeat(depth) : ''))),
      fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes)),
      fc.tuple(mutatedBulletin, fc.nat(), fc.integer({ min: 0, max: 255 })).map(([body, at, byte]) => {
        const bytes = Buffer.from(JSON.stringify(body));
        if (bytes.length > 0) bytes[at % bytes.length] = byte;
        return bytes;
      }),
    );
    const contentType = fc.constantFrom(
      'application/json',
      'application/json; charset=utf-8',
      'application/json; charset=latin1',
      'application/merge-patch+json',
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
    );
    /** Header values a client can put on the wire (Node refuses control characters in them). */
    const headerValue = () =>
      fc.oneof(
        fc.stringMatching(/^[\x21-\x7e\x80-\xff][\t\x20-\x7e\x80-\xff]{0,80}$/),
        secretFragment(),
        fc.constantFrom('gzip', 'deflate, gzip, br', 'identity', 'respond-async', '"quoted"', 'a'.repeat(300), ACCOUNT_ID),
      );
    /** Every byte percent-encoded, so invalid UTF-8 and NULs reach the URL decoder. */
    const urlPart = () =>
      fc.oneof(
        hostileString().map((text) => [...Buffer.from(text, 'utf8')].map((byte) => `%${byte.toString(16).padStart(2, '0')}`).join('')),
        fc.uint8Array({ maxLength: 20 }).map((bytes) => [...bytes].map((byte) => `%${byte.toString(16).padStart(2, '0')}`).join('')),
        fc.constantFrom('2026-11-01T00:00:00-23:59', '2026-11-01T00:00:00%2B20:00', '0000-01-01', '9999-12-31T23:59:59Z', '-'.repeat(36), '00000000-0000-0000-0000-000000000000', '%E0%A4%A', 'x'.repeat(200)),
        fc.stringMatching(/^[\w.~-]{0,40}$/),
      );
    const QUERY_NAMES = ['status', 'business_event', 'partner', 'account', 'received_from', 'received_to', 'q', 'error', 'error_code', 'limit', 'cursor', 'format', 'reason_code'];
    const queryString = fc
      .array(fc.tuple(fc.oneof(fc.constantFrom(...QUERY_NAMES), urlPart()), urlPart()), { maxLength: 4 })
      .map((pairs) => (pairs.length ? `?${pairs.map(([name, value]) => `${name}=${value}`).join('&')}` : ''));
    const v1Get = fc.tuple(
      fc.constantFrom('/v1/events', '/v1/events/counts', '/v1/events/export', '/v1/rejections', '/v1/events/', '/v1/replays/', '/v1/partners', '/v1/audit/verify', '/v1/whoami', '/v1/accounts', '/v1/'),
      urlPart(),
      queryString,
    );
    return { hostileString, jsonValue, bodyBytes, contentType, headerValue, v1Get };
  }

  // --- Properties ------------------------------------------------------------------------------------

  it('ingest: any body, any content type: a 2xx or a refusal in CleverTap\'s shape, never a 5xx or an echoed secret', async () => {
    const { bodyBytes, contentType } = arbitraries();
    await check(
      fc.asyncProperty(bodyBytes, contentType, async (body, type) => {
        expectSafeReply(await send('POST', TRIGGER, { ...gateway.partnerHeaders(partner), 'Content-Type': type }, body), 'clevertap');
      }),
      RUNS.ingestBodies,
    );
  }, 300_000);

  it('ingest and /v1: any value in the headers the gateway reads', async () => {
    const { headerValue } = arbitraries();
    const names = ['X-Request-Id', 'X-CleverTap-Account-Id', 'Idempotency-Key', 'Content-Encoding', 'Prefer', 'Content-Type', 'Authorization', 'X-CleverTap-Passcode'];
    await check(
      fc.asyncProperty(fc.dictionary(fc.constantFrom(...names), headerValue(), { maxKeys: 4 }), fc.boolean(), async (fuzzed, ingest) => {
        const reply = ingest
          ? await send('POST', TRIGGER, { ...gateway.partnerHeaders(partner), ...fuzzed }, Buffer.from(JSON.stringify(exampleBulletin())))
          : await send('GET', '/v1/events?limit=1', { ...bearer(auditor), ...fuzzed });
        expectSafeReply(reply, ingest ? 'clevertap' : 'problem');
        const id = reply.headers['x-request-id'];
        expect(typeof id === 'string' && /^[A-Za-z0-9.:-]{1,64}$/.test(id)).toBe(true);
      }),
      RUNS.headers,
    );
  }, 300_000);

  it('/v1 GET routes: any path id and query string, under each role', async () => {
    const { v1Get } = arbitraries();
    await check(
      fc.asyncProperty(v1Get, fc.constantFrom('admin', 'auditor', 'partner', 'none'), async ([route, id, query], role) => {
        const key = { admin, auditor, partner, none: undefined }[role];
        const path = `${route}${route.endsWith('/') ? id : ''}${query}`;
        expectSafeReply(await send('GET', path, key ? bearer(key) : {}), 'problem');
      }),
      RUNS.v1Queries,
    );
  }, 300_000);

  it('/v1 POST routes: any body', async () => {
    const { hostileString, jsonValue, bodyBytes, contentType } = arbitraries();
    const routes = ['/v1/replays', '/v1/partners', '/v1/partners/00000000-0000-0000-0000-000000000000/keys', '/v1/partners/x/revoke'];
    const replayish = fc.record(
      { reason: fc.oneof(hostileString(), jsonValue()), dry_run: fc.oneof(fc.constant(true), jsonValue()), received_from: hostileString(), name: hostileString(), role: hostileString(), accounts: jsonValue() },
      { requiredKeys: [] },
    );
    await check(
      fc.asyncProperty(fc.constantFrom(...routes), fc.oneof(bodyBytes, replayish.map((body) => Buffer.from(JSON.stringify({ dry_run: true, ...body })))), contentType, async (route, body, type) => {
        expectSafeReply(await send('POST', route, { ...bearer(admin), 'Content-Type': type }, body), 'problem');
      }),
      RUNS.v1Bodies,
    );
  }, 300_000);

  it('no secret reached the logs or the database', async () => {
    for (const secret of secrets) expect(gateway.logs.text.includes(secret)).toBe(false);
    const stored = await gateway.sql(
      `SELECT (SELECT coalesce(string_agg(e::text, ''), '') FROM bulletin_events e) ||
              (SELECT coalesce(string_agg(r::text, ''), '') FROM rejected_requests r) ||
              (SELECT coalesce(string_agg(a::text, ''), '') FROM dispatch_attempts a) ||
              (SELECT coalesce(string_agg(p::text, ''), '') FROM partners p) ||
              (SELECT coalesce(string_agg(r::text, ''), '') FROM replay_requests r) AS text`,
    );
    for (const secret of secrets) expect(stored[0].text.includes(secret)).toBe(false);
  });
});
