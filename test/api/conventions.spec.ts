import { randomUUID } from 'node:crypto';
import pg from 'pg';
import request from 'supertest';
import { TreeSealer } from '../../src/audit-log/tree-sealer.service.js';
import { cosignCheckpoint, generateWitnessKey, parseWitnessSigner } from '../../src/transparency/cosignature.js';
import { sealedAndSigned, signingLog } from '../support/audit-log-keys.js';
import { bearer, BOOTSTRAP_ADMIN_KEY, bulletin, expectProblem, raise } from '../support/fixtures.js';
import { startGateway, type GatewayHarness } from '../support/gateway-harness.js';
import { waitFor } from '../support/wait-for.js';

/** Subtrees that hold the partner's own data (a bulletin, a filter as sent), whose names are not ours. */
const PARTNER_DATA = new Set(['payload', 'record']);
const SNAKE_CASE = /^[a-z][a-z0-9]*(_[a-z0-9]+)*$/;
const RFC3339_MS_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** Every field name that is not snake_case, every position that is not a JSON integer, every time not in RFC 3339 UTC with ms. */
function conventionBreaches(value: unknown, path = '$'): string[] {
  if (Array.isArray(value)) return value.flatMap((item, i) => conventionBreaches(item, `${path}[${i}]`));
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, child]) => {
    const at = `${path}.${key}`;
    const breaches: string[] = [];
    if (!SNAKE_CASE.test(key)) breaches.push(`${at}: not snake_case`);
    if ((key === 'position' || key.endsWith('_position')) && !Number.isSafeInteger(child)) breaches.push(`${at}: position ${JSON.stringify(child)} is not an integer`);
    if (key.endsWith('_at') && child !== null && !RFC3339_MS_UTC.test(String(child))) breaches.push(`${at}: time ${JSON.stringify(child)}`);
    return PARTNER_DATA.has(key) ? breaches : [...breaches, ...conventionBreaches(child, at)];
  });
}

/**
 * docs/api-conventions.md, checked on real responses: snake_case bodies, 201/202 with a Location that
 * resolves, RFC 6750 challenges, 405 with Allow, RFC 9457 problems with stable titles and field errors,
 * RFC 8288 next links, and Idempotency-Key on every POST under /v1 without a key ever stored.
 */
describe('/v1 conventions', () => {
  let gateway: GatewayHarness;
  let admin: string;
  let auditor: string;
  let operator: string;
  let partner: string;
  const log = signingLog();
  const witness = generateWitnessKey('witness.example');
  let failedEvent: string;
  /** Every gateway key a response showed, to look for in the idempotency table. */
  const keysShown: string[] = [];

  beforeAll(async () => {
    gateway = await startGateway({
      env: { ...log.env, AUDIT_WITNESSES: witness.verifierKey, GATEWAY_ADMIN_KEY: BOOTSTRAP_ADMIN_KEY, RETRY_SCHEDULE: '100ms' },
    });
    admin = await gateway.createPartner({ role: 'admin', accounts: [] });
    auditor = await gateway.createPartner({ role: 'auditor', accounts: [] });
    operator = await gateway.createPartner({ role: 'operator', accounts: [] });
    partner = await gateway.createPartner();
    await raise(gateway, partner, bulletin({ name: 'conventions one' }));
    await raise(gateway, partner, bulletin({ name: 'conventions two' }));
    await raise(gateway, partner, bulletin({ name: 'conventions three' }));
    failedEvent = await raise(gateway, partner, bulletin({ business_event: 'Undefined Event', name: 'conventions failed' }));
    await waitFor(async () => (await gateway.timeline(failedEvent)).status === 'failed', 10_000, 'the undefined event to fail');
    // A refused request from a known partner, so the rejections list has a row.
    await request(gateway.http).post('/1/targets/trigger.json').set(gateway.partnerHeaders(partner)).send({ name: 'no business event' });
  });
  afterAll(() => gateway.close());

  const get = (path: string, key = admin) => request(gateway.http).get(path).set(bearer(key));
  const post = (path: string, body: object | undefined, key = admin, headers: Record<string, string> = {}) => {
    const call = request(gateway.http).post(path).set(bearer(key)).set(headers);
    return body === undefined ? call : call.send(body);
  };

  describe('snake_case bodies, integer positions, RFC 3339 times', () => {
    it('holds for every key of every /v1 response body', async () => {
      await sealedAndSigned(gateway, TreeSealer);
      const created = await post('/v1/partners', { name: 'snake partner', accounts: ['sim-account'] }).expect(201);
      keysShown.push(created.body.key);
      const partnerId = created.body.id as string;
      const added = await post(`/v1/partners/${partnerId}/keys`, undefined).expect(201);
      keysShown.push(added.body.key);
      const preview = await post('/v1/replays', { status: 'failed', reason: 'walk', dry_run: true }, operator).expect(200);
      expect(preview.body.sample.length).toBeGreaterThan(0);
      const replay = await post('/v1/replays', { status: 'failed', reason: 'walk' }, operator).expect(202);
      await waitFor(async () => (await get(`/v1/replays/${replay.body.id}`).expect(200)).body.done === true, 10_000, 'the replay to finish');
      await get('/v1/audit/verify', auditor).expect(200);
      const events = await get('/v1/events?limit=2').expect(200);

      const bodies: Record<string, unknown> = {
        'POST /v1/partners': created.body,
        'POST /v1/partners/{id}/keys': added.body,
        'POST /v1/replays (dry run)': preview.body,
        'POST /v1/replays': replay.body,
        'GET /v1/events': events.body,
        'PATCH /v1/partners/{id}': (await request(gateway.http).patch(`/v1/partners/${partnerId}`).set(bearer(admin)).send({ weight: 2 }).expect(200)).body,
        'POST /v1/partners/{id}/revoke': (await post(`/v1/partners/${partnerId}/revoke`, undefined).expect(200)).body,
      };
      for (const path of [
        '/v1/whoami',
        '/v1/partners',
        `/v1/partners/${partnerId}`,
        '/v1/events/counts',
        `/v1/events/${failedEvent}`,
        `/v1/events/${failedEvent}/proof`,
        '/v1/audit/verify',
        '/v1/audit/verifications/latest',
        '/v1/audit/consistency?from=1&to=2',
        '/v1/accounts',
        '/v1/rejections',
        `/v1/replays/${replay.body.id}`,
        `/v1/events/${randomUUID()}`,
      ]) {
        const response = await get(path);
        expect({ path, status: response.status < 500 }).toEqual({ path, status: true });
        bodies[`GET ${path}`] = response.body;
      }
      expect((bodies['GET /v1/rejections'] as { data: unknown[] }).data.length).toBeGreaterThan(0);
      expect(Object.entries(bodies).flatMap(([route, body]) => conventionBreaches(body).map((breach) => `${route} ${breach}`))).toEqual([]);
      // The renamed fields themselves, so a walk over nothing could not pass.
      expect(bodies['GET /v1/audit/verify']).toEqual(expect.objectContaining({ entries_checked: expect.any(Number), verified_at: expect.any(String) }));
      expect(bodies[`GET /v1/partners/${partnerId}`]).toEqual(
        expect.objectContaining({ key_prefixes: [], created_at: expect.any(String), revoked_at: expect.any(String) }),
      );
      expect(preview.body.sample[0]).toEqual(expect.objectContaining({ position: expect.any(Number) }));
    });
  });

  describe('created resources', () => {
    it('answers POST /v1/partners 201 with a Location that GET resolves to the partner, without its key', async () => {
      const created = await post('/v1/partners', { name: 'located partner', accounts: ['sim-account'] }).expect(201);
      keysShown.push(created.body.key);
      expect(created.headers.location).toBe(`/v1/partners/${created.body.id}`);
      const fetched = await get(created.headers.location).expect(200);
      expect(fetched.body).toEqual({
        id: created.body.id,
        name: 'located partner',
        role: 'partner',
        accounts: ['sim-account'],
        key_prefixes: [expect.any(String)],
        created_at: expect.stringMatching(RFC3339_MS_UTC),
        revoked_at: null,
        weight: null,
        rate_limit_per_second: null,
        rate_limit_burst: null,
        max_backlog: null,
      });
      const listed = await get('/v1/partners').expect(200);
      expect(listed.body.data.find((partner: { id: string }) => partner.id === created.body.id)).toEqual(fetched.body);
      expect(created.body.key.startsWith(fetched.body.key_prefixes[0])).toBe(true);
      expect(JSON.stringify(fetched.body)).not.toContain(created.body.key);

      const added = await post(`/v1/partners/${created.body.id}/keys`, undefined).expect(201);
      keysShown.push(added.body.key);
      expect(added.headers.location).toBe(`/v1/partners/${created.body.id}`);
      expect((await get(added.headers.location).expect(200)).body.key_prefixes).toHaveLength(2);
      expectProblem(await get(`/v1/partners/${randomUUID()}`), 404, 'not_found');
    });

    it('answers POST /v1/replays 202 with the Location of its progress; a dry run creates nothing and answers 200', async () => {
      const dryRun = await post('/v1/replays', { status: 'failed', reason: 'look first', dry_run: true }, operator).expect(200);
      expect(dryRun.headers.location).toBeUndefined();
      const started = await post('/v1/replays', { status: 'failed', reason: 'located replay' }, operator).expect(202);
      expect(started.headers.location).toBe(`/v1/replays/${started.body.id}`);
      expect(started.body.status_url).toBe(started.headers.location);
      expect((await get(started.headers.location, auditor).expect(200)).body).toEqual(
        expect.objectContaining({ id: started.body.id, reason: 'located replay', matched: started.body.matched }),
      );
    });

    it('answers the actions that create nothing addressable 200', async () => {
      const doomed = await post('/v1/partners', { name: 'doomed', accounts: ['sim-account'] }).expect(201);
      keysShown.push(doomed.body.key);
      expect((await post(`/v1/partners/${doomed.body.id}/revoke`, undefined).expect(200)).body).toEqual({ id: doomed.body.id, revoked: true });
      const submitted = await cosign();
      expect(submitted.status).toBe(200);
    });
  });

  /** The configured witness's cosignature of the current checkpoint, as POST /v1/audit/cosignatures takes it. */
  async function cosignature() {
    await sealedAndSigned(gateway, TreeSealer);
    const note = (await get('/v1/audit/checkpoint', auditor).expect(200)).text;
    const line = cosignCheckpoint(note, parseWitnessSigner(witness.signingKey)).trimEnd().split('\n').pop()!;
    return { checkpoint: note, cosignature: line };
  }
  const cosign = async (headers: Record<string, string> = {}) => post('/v1/audit/cosignatures', await cosignature(), auditor, headers);

  describe('401 challenges (RFC 6750)', () => {
    it('sends WWW-Authenticate without a key, and invalid_token with a wrong one', async () => {
      const missing = await request(gateway.http).get('/v1/events');
      expectProblem(missing, 401, 'unauthenticated');
      expect(missing.headers['www-authenticate']).toBe('Bearer realm="bulletin-gateway"');
      const wrong = await get('/v1/events', 'bgk_not-a-real-key-at-all-0123456789');
      expectProblem(wrong, 401, 'unauthenticated');
      expect(wrong.headers['www-authenticate']).toBe('Bearer realm="bulletin-gateway", error="invalid_token"');
    });

    it('sends it on the ingest route too, which keeps CleverTap\'s body', async () => {
      const refused = await request(gateway.http).post('/1/targets/trigger.json').set(gateway.partnerHeaders('wrong-key-0123456789')).send(bulletin());
      expect(refused.status).toBe(401);
      expect(refused.body).toEqual({ status: 'fail', error: expect.any(String), code: 401 });
      expect(refused.headers['www-authenticate']).toBe('Bearer realm="bulletin-gateway", error="invalid_token"');
    });
  });

  describe('405 with Allow', () => {
    it.each([
      ['DELETE', '/v1/events', 'GET, HEAD'],
      ['PUT', `/v1/replays/${randomUUID()}`, 'GET, HEAD'],
      ['GET', '/v1/replays', 'POST'],
      ['DELETE', `/v1/partners/${randomUUID()}`, 'GET, HEAD, PATCH'],
      ['GET', '/v1/audit/cosignatures', 'POST'],
    ])('answers %s %s with 405 and Allow: %s', async (method, path, allow) => {
      const response = await request(gateway.http)[method.toLowerCase() as 'get'](path).set(bearer(admin));
      expectProblem(response, 405, 'method_not_allowed');
      expect(response.headers.allow).toBe(allow);
      expect(response.body.title).toBe('Method not allowed');
    });

    it('answers the ingest route\'s other methods 405 too, in CleverTap\'s shape', async () => {
      const response = await request(gateway.http).get('/1/targets/trigger.json').set(gateway.partnerHeaders(partner));
      expect({ status: response.status, allow: response.headers.allow, body: response.body }).toEqual({
        status: 405,
        allow: 'POST',
        body: { status: 'fail', error: expect.any(String), code: 405 },
      });
    });

    it('keeps 404 for a path that does not exist', async () => {
      expectProblem(await get('/v1/no-such-thing'), 404, 'not_found');
      expectProblem(await request(gateway.http).delete('/v1/no-such-thing').set(bearer(admin)), 404, 'not_found');
    });
  });

  describe('problems (RFC 9457)', () => {
    it('gives one title per type and says in detail what this request got wrong', async () => {
      const noEvent = await get(`/v1/events/${randomUUID()}`);
      const noReplay = await get(`/v1/replays/${randomUUID()}`);
      for (const response of [noEvent, noReplay]) {
        expectProblem(response, 404, 'not_found');
        expect(response.body).toEqual({
          type: 'urn:bulletin-gateway:error:not_found',
          title: 'Not found',
          status: 404,
          detail: expect.any(String),
          code: 'not_found',
          request_id: response.headers['x-request-id'],
        });
      }
      expect(noEvent.body.detail).not.toBe(noReplay.body.detail);
    });

    it('lists each invalid field of a body once, under errors', async () => {
      const response = await post('/v1/partners', { name: 42, role: 'emperor', accounts: 'sim-account', colour: 'red' });
      expectProblem(response, 400, 'invalid_request');
      const errors: { field: string; message: string }[] = response.body.errors;
      expect(new Set(errors.map((e) => e.field))).toEqual(new Set(['name', 'role', 'accounts', 'colour']));
      expect(new Set(errors.map((e) => `${e.field}: ${e.message}`)).size).toBe(errors.length);
      expect(errors).toContainEqual({ field: 'colour', message: 'property colour should not exist' });
      expect(response.body.title).toBe('Invalid request');

      // A key pasted as a member name is named in errors, but never comes back.
      const pasted = await post('/v1/partners', { name: 'x', accounts: ['sim-account'], [partner]: true });
      expectProblem(pasted, 400, 'invalid_request');
      expect(pasted.body.errors).toEqual([{ field: expect.stringMatching(/^bgk_/), message: expect.stringMatching(/should not exist$/) }]);
      expect(pasted.text).not.toContain(partner);
    });

    it('lists each invalid query parameter once: limit=abc is one message, not three', async () => {
      const response = await get('/v1/events?limit=abc&status=nope');
      expectProblem(response, 400, 'invalid_request');
      expect(response.body.errors).toHaveLength(2);
      expect(response.body.errors).toEqual(
        expect.arrayContaining([
          { field: 'status', message: expect.stringMatching(/^status must be one of /) },
          { field: 'limit', message: 'limit must be an integer from 1 to 500' },
        ]),
      );
      expect(response.body.detail.match(/limit must be/g)).toHaveLength(1);
    });

    it('says once, and rightly, that a replay needs a reason', async () => {
      const response = await post('/v1/replays', { status: 'failed' }, operator);
      expectProblem(response, 400, 'invalid_request');
      expect(response.body.errors).toEqual([{ field: 'reason', message: 'reason is required: say why these events are being replayed' }]);
      expect(response.body.detail).toBe('reason is required: say why these events are being replayed');
    });

    it('has no errors member on a problem that is not a validation failure', async () => {
      const response = await get('/v1/events?cursor=not-a-cursor');
      expectProblem(response, 400, 'invalid_cursor');
      expect(response.body.errors).toBeUndefined();
    });
  });

  describe('next page links (RFC 8288)', () => {
    it('links each page to the next with the same filters, until the last', async () => {
      const seen: string[] = [];
      let path: string | undefined = '/v1/events?limit=2&business_event=Program%20Released';
      let pages = 0;
      while (path) {
        const response = await get(path).expect(200);
        pages++;
        seen.push(...response.body.data.map((event: { id: string; business_event: string }) => {
          expect(event.business_event).toBe('Program Released');
          return event.id;
        }));
        const link = response.headers.link as string | undefined;
        if (response.body.next_cursor === null) {
          expect(link).toBeUndefined();
          path = undefined;
        } else {
          const [, target] = /^<([^>]+)>; rel="next"$/.exec(link ?? '') ?? [];
          expect(target).toMatch(/^\/v1\/events\?/);
          const params = new URL(target, 'http://x').searchParams;
          expect({ limit: params.get('limit'), business_event: params.get('business_event'), cursor: params.get('cursor') }).toEqual({
            limit: '2',
            business_event: 'Program Released',
            cursor: response.body.next_cursor,
          });
          path = target;
        }
      }
      const all = (await get('/v1/events?limit=500&business_event=Program%20Released').expect(200)).body.data.map((e: { id: string }) => e.id);
      expect(pages).toBeGreaterThan(1);
      expect(seen).toEqual(all);
    });
  });

  describe('Idempotency-Key on POSTs under /v1', () => {
    const replayCount = async () => (await gateway.sql(`SELECT count(*)::int AS n FROM replay_requests`))[0].n as number;

    it('answers a repeated replay request again, without replaying twice', async () => {
      const key = { 'Idempotency-Key': `"${randomUUID()}"` };
      const before = await replayCount();
      const first = await post('/v1/replays', { status: 'failed', reason: 'idempotent' }, operator, key).expect(202);
      const again = await post('/v1/replays', { status: 'failed', reason: 'idempotent' }, operator, key).expect(202);
      expect(first.headers['idempotent-replayed']).toBeUndefined();
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.headers.location).toBe(first.headers.location);
      expect(again.body).toEqual(first.body);
      expect(await replayCount()).toBe(before + 1);

      const reused = await post('/v1/replays', { status: 'failed', reason: 'another reason' }, operator, key);
      expectProblem(reused, 422, 'idempotency_key_reused');
      expect(await replayCount()).toBe(before + 1);
    });

    it('keeps each caller\'s keys apart, and each route\'s', async () => {
      const key = { 'Idempotency-Key': randomUUID() };
      const otherOperator = await gateway.createPartner({ role: 'operator', accounts: [] });
      const before = await replayCount();
      await post('/v1/replays', { status: 'failed', reason: 'mine' }, operator, key).expect(202);
      const theirs = await post('/v1/replays', { status: 'failed', reason: 'theirs' }, otherOperator, key).expect(202);
      expect(theirs.headers['idempotent-replayed']).toBeUndefined();
      expect(await replayCount()).toBe(before + 2);
      const partnerCreated = await post('/v1/partners', { name: 'same key other route', accounts: ['sim-account'] }, admin, key).expect(201);
      keysShown.push(partnerCreated.body.key);
      expect(partnerCreated.headers['idempotent-replayed']).toBeUndefined();
    });

    it('answers 409 while the first request with the key is still running', async () => {
      const key = { 'Idempotency-Key': randomUUID() };
      // Replays take turns on an advisory lock: holding it keeps the first request running.
      const blocker = new pg.Client({ connectionString: gateway.database.url });
      await blocker.connect();
      try {
        await blocker.query('BEGIN');
        await blocker.query('SELECT pg_advisory_xact_lock($1)', [0x7265706c]);
        const first = post('/v1/replays', { status: 'failed', reason: 'slow one' }, operator, key).then((response) => response);
        await waitFor(
          async () => (await gateway.sql(`SELECT count(*)::int AS n FROM api_idempotency_keys WHERE idempotency_key = $1 AND status IS NULL`, [key['Idempotency-Key']]))[0].n === 1,
          10_000,
          'the first request to claim its key',
        );
        const second = await post('/v1/replays', { status: 'failed', reason: 'slow one' }, operator, key);
        expectProblem(second, 409, 'idempotency_key_in_progress');
        await blocker.query('COMMIT');
        expect((await first).status).toBe(202);
        const third = await post('/v1/replays', { status: 'failed', reason: 'slow one' }, operator, key).expect(202);
        expect(third.headers['idempotent-replayed']).toBe('true');
        expect(third.body.id).toBe((await first).body.id);
      } finally {
        await blocker.query('ROLLBACK').catch(() => undefined);
        await blocker.end();
      }
    });

    it('answers a repeated key-creating request without the key, and creates one partner', async () => {
      const key = { 'Idempotency-Key': randomUUID() };
      const name = `idempotent partner ${randomUUID()}`;
      const first = await post('/v1/partners', { name, accounts: ['sim-account'] }, admin, key).expect(201);
      keysShown.push(first.body.key);
      const again = await post('/v1/partners', { name, accounts: ['sim-account'] }, admin, key).expect(201);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.headers.location).toBe(first.headers.location);
      expect(again.body).toEqual({ id: first.body.id, name, role: 'partner', accounts: ['sim-account'] });
      expect((await gateway.sql(`SELECT count(*)::int AS n FROM partners WHERE name = $1`, [name]))[0].n).toBe(1);

      const newKey = await post(`/v1/partners/${first.body.id}/keys`, undefined, admin, key).expect(201);
      keysShown.push(newKey.body.key);
      const newKeyAgain = await post(`/v1/partners/${first.body.id}/keys`, undefined, admin, key).expect(201);
      expect(newKeyAgain.headers['idempotent-replayed']).toBe('true');
      expect(newKeyAgain.body).toEqual({ id: first.body.id });
      expect((await get(first.headers.location).expect(200)).body.key_prefixes).toHaveLength(2);

      const revokeKey = { 'Idempotency-Key': randomUUID() };
      await post(`/v1/partners/${first.body.id}/revoke`, undefined, admin, revokeKey).expect(200);
      const revokedAgain = await post(`/v1/partners/${first.body.id}/revoke`, undefined, admin, revokeKey).expect(200);
      expect(revokedAgain.headers['idempotent-replayed']).toBe('true');
      expect(revokedAgain.body).toEqual({ id: first.body.id, revoked: true });
    });

    it('answers a repeated cosignature again', async () => {
      const key = { 'Idempotency-Key': randomUUID() };
      const body = await cosignature();
      const first = await post('/v1/audit/cosignatures', body, auditor, key).expect(200);
      const again = await post('/v1/audit/cosignatures', body, auditor, key).expect(200);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.body).toEqual(first.body);
    });

    it('releases the key of a refused request, so it can be sent again corrected', async () => {
      const key = { 'Idempotency-Key': randomUUID() };
      expectProblem(await post('/v1/partners', { name: '' }, admin, key), 400, 'invalid_request');
      const created = await post('/v1/partners', { name: 'corrected', accounts: ['sim-account'] }, admin, key).expect(201);
      keysShown.push(created.body.key);
      expect(created.headers['idempotent-replayed']).toBeUndefined();
    });

    it('forgets a key after 24 hours, and takes over a claim its process abandoned', async () => {
      const expired = { 'Idempotency-Key': randomUUID() };
      const before = await replayCount();
      await post('/v1/replays', { status: 'failed', reason: 'expiring' }, operator, expired).expect(202);
      await gateway.sql(`UPDATE api_idempotency_keys SET expires_at = now() - interval '1 second' WHERE idempotency_key = $1`, [expired['Idempotency-Key']]);
      const afterExpiry = await post('/v1/replays', { status: 'failed', reason: 'expiring' }, operator, expired).expect(202);
      expect(afterExpiry.headers['idempotent-replayed']).toBeUndefined();
      expect(await replayCount()).toBe(before + 2);

      const abandoned = { 'Idempotency-Key': randomUUID() };
      await post('/v1/replays', { status: 'failed', reason: 'abandoned' }, operator, abandoned).expect(202);
      // As a process that died mid-request leaves it: claimed, never answered.
      await gateway.sql(`UPDATE api_idempotency_keys SET status = NULL, body = NULL, created_at = now() - interval '11 minutes' WHERE idempotency_key = $1`, [abandoned['Idempotency-Key']]);
      const takenOver = await post('/v1/replays', { status: 'failed', reason: 'abandoned' }, operator, abandoned).expect(202);
      expect(takenOver.headers['idempotent-replayed']).toBeUndefined();
      const [row] = await gateway.sql(`SELECT status FROM api_idempotency_keys WHERE idempotency_key = $1`, [abandoned['Idempotency-Key']]);
      expect(row.status).toBe(202);
    });

    it('refuses a key that breaks the ingest route\'s syntax rule', async () => {
      expectProblem(await post('/v1/replays', { status: 'failed', reason: 'x' }, operator, { 'Idempotency-Key': 'has space' }), 400, 'invalid_idempotency_key');
      expectProblem(await post('/v1/replays', { status: 'failed', reason: 'x' }, operator, { 'Idempotency-Key': `k-${partner}` }), 400, 'invalid_idempotency_key');
    });

    it('never stores a gateway key in the idempotency table', async () => {
      const rows = await gateway.sql(`SELECT k::text AS row FROM api_idempotency_keys k`);
      expect(rows.length).toBeGreaterThan(5);
      expect(keysShown.length).toBeGreaterThan(5);
      const text = rows.map((r) => r.row).join('\n');
      expect(text).not.toMatch(/bgk_/);
      for (const shown of [...keysShown, admin, auditor, operator, partner]) expect(text).not.toContain(shown);
    });
  });
});
