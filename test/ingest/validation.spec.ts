import request from 'supertest';
import { exampleBulletin, startGateway, type GatewayHarness } from '../support/gateway-harness.js';
import { waitFor } from '../support/wait-for.js';

const TRIGGER = '/1/targets/trigger.json';
const DEFAULT_BODY_LIMIT = 65_536;

type Body = Record<string, unknown>;

/** The example bulletin with `field` removed (value undefined) or replaced. */
function withField(field: string, value: unknown): Body {
  const body: Body = exampleBulletin();
  if (value === undefined) delete body[field];
  else body[field] = value;
  return body;
}

const withProperties = (properties: Body): Body => ({
  ...exampleBulletin(),
  properties: { ...exampleBulletin().properties, ...properties },
});

/** A valid bulletin whose JSON text is exactly `bytes` bytes long, padded with string properties. */
function bulletinOfBytes(bytes: number): string {
  const properties: Record<string, string> = { ...exampleBulletin().properties };
  const size = () => Buffer.byteLength(JSON.stringify({ ...exampleBulletin(), properties }));
  for (let i = 0; bytes - size() > 500; i++) properties[`filler_${i}`] = 'x'.repeat(400);
  properties.filler_last = ''; // counted empty first, then filled to close the gap exactly
  properties.filler_last = 'x'.repeat(bytes - size());
  const text = JSON.stringify({ ...exampleBulletin(), properties });
  expect(Buffer.byteLength(text)).toBe(bytes);
  return text;
}

describe('validating bulletin requests at the gateway', () => {
  let gateway: GatewayHarness;
  let key: string;
  let eventsBefore: number;

  beforeAll(async () => {
    gateway = await startGateway();
    key = await gateway.createPartner();
  });
  afterAll(() => gateway.close());

  beforeEach(async () => {
    gateway.simulator.clearReceived();
    eventsBefore = await eventCount();
  });

  async function eventCount(): Promise<number> {
    const [{ count }] = await gateway.sql<{ count: number }>('SELECT count(*)::int AS count FROM bulletin_events');
    return count;
  }

  const post = (body: unknown, headers: Record<string, string> = gateway.partnerHeaders(key)) =>
    request(gateway.http).post(TRIGGER).set(headers).send(body as object);

  /** A refusal in CleverTap's shape, with nothing recorded and nothing sent upstream. */
  async function expectRefused(response: request.Response, status: number, error: string | RegExp): Promise<void> {
    expect({ status: response.status, body: response.body }).toEqual({
      status,
      body: { status: 'fail', error: typeof error === 'string' ? error : expect.stringMatching(error), code: status },
    });
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(await eventCount()).toBe(eventsBefore);
    expect(gateway.simulator.received()).toEqual([]);
  }

  /** Accepted, recorded once and raised upstream once. */
  async function expectRaised(response: request.Response): Promise<void> {
    expect({ status: response.status, body: response.body }).toEqual({
      status: 200,
      body: { status: 'success', targets: 1, event_id: expect.any(String) },
    });
    expect(await eventCount()).toBe(eventsBefore + 1);
    expect(gateway.simulator.received()).toHaveLength(1);
  }

  describe('required string fields', () => {
    describe.each(['business_event', 'name', 'c-by'])('%s', (field) => {
      it.each([
        ['missing', undefined],
        ['an empty string', ''],
        ['a number', 42],
        ['a boolean', true],
        ['null', null],
        ['an object', { value: 'x' }],
        ['an object with a constructor key', { constructor: 'x' }],
      ])('is refused with 400 naming the field when it is %s', async (_case, value) => {
        await expectRefused(await post(withField(field, value)), 400, `${field} is required and must be a non-empty string`);
      });
    });
  });

  describe('properties', () => {
    it.each([
      ['missing', undefined, 'properties is required and must be an object'],
      ['null', null, 'properties is required and must be an object'],
      ['an array', ['234567'], 'properties must be an object of string values (got array)'],
      ['a string', 'program_id=234567', 'properties must be an object of string values (got string)'],
    ])('are refused with 400 when %s', async (_case, value, message) => {
      await expectRefused(await post(withField('properties', value)), 400, message);
    });

    it.each([
      ['a number', 234567, 'number'],
      ['a boolean', false, 'boolean'],
      ['null', null, 'null'],
      ['an object', { id: '234567' }, 'object'],
      ['an array', ['234567'], 'array'],
    ])('refuse a value that is %s, naming the key', async (_case, value, type) => {
      await expectRefused(
        await post(withProperties({ program_id: value })),
        400,
        `properties.program_id must be a string (CleverTap accepts string values only; got ${type})`,
      );
    });

    it('accept a key of 120 characters', async () => {
      await expectRaised(await post(withProperties({ ['k'.repeat(120)]: 'v' })));
    });

    it('refuse a key of 121 characters', async () => {
      await expectRefused(
        await post(withProperties({ ['k'.repeat(121)]: 'v' })),
        400,
        `properties key "${'k'.repeat(20)}..." is 121 characters; at most 120 are allowed`,
      );
    });

    // A character count would accept every one of the 513-byte values (all are at most 257 characters long).
    it.each([
      ['256 × é (2 bytes each)', 'é'.repeat(256)],
      ['170 × € (3 bytes each) + ab', '€'.repeat(170) + 'ab'],
      ['128 × 🎉 (4 bytes each)', '🎉'.repeat(128)],
    ])('accept a value of exactly 512 UTF-8 bytes: %s', async (_case, value) => {
      expect(Buffer.byteLength(value)).toBe(512);
      await expectRaised(await post(withProperties({ language: value })));
    });

    it.each([
      ['256 × é + a', 'é'.repeat(256) + 'a'],
      ['171 × €', '€'.repeat(171)],
      ['128 × 🎉 + a', '🎉'.repeat(128) + 'a'],
    ])('refuse a value of 513 UTF-8 bytes: %s', async (_case, value) => {
      expect(Buffer.byteLength(value)).toBe(513);
      await expectRefused(
        await post(withProperties({ language: value })),
        400,
        'properties.language is 513 bytes in UTF-8; at most 512 bytes are allowed',
      );
    });

    // JSON text, because a `__proto__` key in an object literal would set the prototype instead.
    const withRawProperties = (json: string) =>
      `{"business_event": "Program Released", "name": "n", "properties": ${json}, "c-by": "editor@example.com", "when": "now"}`;

    it('accept a string property named constructor like any other', async () => {
      await expectRaised(await post(withRawProperties('{"program_id": "1", "constructor": "Ferrari"}')));
    });

    it.each(['toString', 'valueOf', '__proto__'])('refuse a non-string value of a property named %s', async (name) => {
      await expectRefused(
        await post(withRawProperties(`{"program_id": "1", "${name}": {"nested": true}}`)),
        400,
        `properties.${name} must be a string (CleverTap accepts string values only; got object)`,
      );
    });
  });

  describe('when', () => {
    it.each([
      ['missing', undefined],
      ['null', null],
    ])('is refused when %s with exactly the vendor message', async (_case, value) => {
      await expectRefused(await post(withField('when', value)), 400, '"when" has an incorrect value - null');
    });

    it.each([
      ['"now"', 'now'],
      ['an integer UNIX timestamp', 1767225600],
      ['a UNIX timestamp as a digit string', '1767225600'],
    ])('accepts %s', async (_case, value) => {
      await expectRaised(await post(withField('when', value)));
    });

    it.each([
      ['a word', 'tomorrow', 'tomorrow'],
      ['a negative number', -5, '-5'],
      ['a fraction', 1.5, '1.5'],
      ['an object', {}, '{}'],
      ['a boolean', true, 'true'],
      ['an object with a constructor key', { constructor: 1 }, '{"constructor":1}'],
    ])('is refused when it is %s, showing the value', async (_case, value, shown) => {
      await expectRefused(await post(withField('when', value)), 400, `"when" has an incorrect value - ${shown}`);
    });
  });

  it('refuses an unknown top-level field by name, so a c_by typo does not send a bulletin without its creator', async () => {
    const { 'c-by': creator, ...rest } = exampleBulletin();
    await expectRefused(await post({ ...rest, c_by: creator }), 400, /^Unknown field "c_by"/);
  });

  describe('the request body', () => {
    it('refuses malformed JSON with 400', async () => {
      await expectRefused(await post('{"business_event": "Program Released",'), 400, 'The request body is not valid JSON');
    });

    it.each([
      ['a JSON array', JSON.stringify([exampleBulletin()]), 'an array'],
      ['a JSON string', '"now"', 'string'],
      ['a number', '42', 'number'],
    ])('refuses %s as the body with 400', async (_case, text, shown) => {
      await expectRefused(await post(text), 400, `The request body must be a JSON object (got ${shown})`);
    });

    it('refuses a text/plain body with 415', async () => {
      const headers = { ...gateway.partnerHeaders(key), 'Content-Type': 'text/plain' };
      await expectRefused(await post(JSON.stringify(exampleBulletin()), headers), 415, 'Content-Type must be application/json');
    });

    it('refuses a JSON body sent without a Content-Type with 415', async () => {
      const response = await request(gateway.http)
        .post(TRIGGER)
        .set(gateway.partnerHeaders(key))
        .send(JSON.stringify(exampleBulletin()))
        .unset('Content-Type');
      expect(response.request.getHeader('content-type')).toBeUndefined();
      await expectRefused(response, 415, 'Content-Type must be application/json');
    });

    it('accepts a body of exactly the default limit of 65536 bytes', async () => {
      await expectRaised(await post(bulletinOfBytes(DEFAULT_BODY_LIMIT)));
    });

    it('refuses a body one byte over the default limit with 413', async () => {
      await expectRefused(
        await post(bulletinOfBytes(DEFAULT_BODY_LIMIT + 1)),
        413,
        'The request body is larger than the gateway accepts',
      );
    });

    it('takes the limit from MAX_BODY_BYTES', async () => {
      const small = await startGateway({ env: { MAX_BODY_BYTES: '2048' } });
      try {
        const smallKey = await small.createPartner();
        const send = (text: string) => request(small.http).post(TRIGGER).set(small.partnerHeaders(smallKey)).send(text);
        expect((await send(bulletinOfBytes(2048))).status).toBe(200);
        const over = await send(bulletinOfBytes(2049));
        expect({ status: over.status, body: over.body }).toEqual({
          status: 413,
          body: { status: 'fail', error: 'The request body is larger than the gateway accepts', code: 413 },
        });
        expect(await small.sql('SELECT id FROM bulletin_events')).toHaveLength(1);
      } finally {
        await small.close();
      }
    });
  });

  describe('authentication and authorisation', () => {
    const withoutKey = () => {
      const { 'X-CleverTap-Passcode': _key, ...headers } = gateway.partnerHeaders(key);
      return headers;
    };
    const INVALID_CREDENTIALS = 'Invalid Credentials: send a valid gateway key (X-CleverTap-Passcode or Authorization: Bearer)';

    it('refuses a request without a key with 401', async () => {
      await expectRefused(await post(exampleBulletin(), withoutKey()), 401, INVALID_CREDENTIALS);
    });

    it('refuses a wrong key with 401', async () => {
      const headers = gateway.partnerHeaders('bgk_' + 'A'.repeat(43));
      await expectRefused(await post(exampleBulletin(), headers), 401, INVALID_CREDENTIALS);
    });

    it.each([
      ['Bearer without a token', 'Bearer'],
      ['Bearer with two tokens', 'Bearer one two'],
      ['Basic credentials', 'Basic dXNlcjpwYXNz'],
      ['a bare key without a scheme', 'KEY'],
    ])('refuses a malformed Authorization header (%s) with 401', async (_case, value) => {
      const headers = { ...withoutKey(), Authorization: value.replace('KEY', key) };
      await expectRefused(await post(exampleBulletin(), headers), 401, INVALID_CREDENTIALS);
    });

    it('accepts the key as Authorization: Bearer instead of X-CleverTap-Passcode', async () => {
      await expectRaised(await post(exampleBulletin(), { ...withoutKey(), Authorization: `Bearer ${key}` }));
    });

    it('refuses a request without X-CleverTap-Account-Id with 401', async () => {
      const { 'X-CleverTap-Account-Id': _account, ...headers } = gateway.partnerHeaders(key);
      await expectRefused(
        await post(exampleBulletin(), headers),
        401,
        'X-CleverTap-Account-Id is required: the CleverTap account to use',
      );
    });

    it('refuses an account the partner is not bound to with 403', async () => {
      await expectRefused(
        await post(exampleBulletin(), gateway.partnerHeaders(key, 'someone-elses-account')),
        403,
        'This gateway key may not raise bulletins on account someone-elses-account',
      );
    });

    it('refuses to let an auditor key raise a bulletin, with 403', async () => {
      const auditorKey = await gateway.createPartner({ role: 'auditor' });
      await expectRefused(
        await post(exampleBulletin(), gateway.partnerHeaders(auditorKey)),
        403,
        'A auditor key cannot raise bulletins; use a partner key',
      );
    });
  });

  describe("CleverTap's own refusals", () => {
    it.each([
      ['an unknown business event', { ...exampleBulletin(), business_event: 'Unknown Event' }, 'Business Event Not Found'],
      [
        'a business event without a property it needs',
        { ...exampleBulletin(), business_event: 'Product Launched' },
        'Propertyproduct_categorymissing',
      ],
    ])('relays the vendor 400 for %s and records the event and its failed attempt', async (_case, body, error) => {
      const response = await post(body);

      expect({ status: response.status, body: response.body }).toEqual({
        status: 400,
        body: { status: 'fail', error, code: 400, event_id: expect.any(String) },
      });
      expect(gateway.simulator.received()).toHaveLength(1);
      const [event] = await gateway.sql('SELECT payload FROM bulletin_events WHERE id = $1', [response.body.event_id]);
      expect(event.payload).toEqual(body);
      const attempts = await gateway.sql('SELECT * FROM dispatch_attempts WHERE event_id = $1', [response.body.event_id]);
      expect(attempts).toMatchObject([{ attempt_number: 1, outcome: 'failed', http_status: 400, error }]);
    });
  });

  describe('Idempotency-Key', () => {
    const withKey = (idempotencyKey: string, partnerKey = key) => ({
      ...gateway.partnerHeaders(partnerKey),
      'Idempotency-Key': `"${idempotencyKey}"`,
    });

    it('answers a repeat with the same body with the stored outcome and sends nothing more', async () => {
      const first = await post(exampleBulletin(), withKey('repeat-1')).expect(200);
      const again = await post(exampleBulletin(), withKey('repeat-1')).expect(200);

      expect(first.headers['idempotent-replayed']).toBeUndefined();
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.body).toEqual(first.body);
      expect(gateway.simulator.received()).toHaveLength(1);
      expect(await eventCount()).toBe(eventsBefore + 1);
    });

    it('refuses the same key with a different body with 422', async () => {
      await post(exampleBulletin(), withKey('reused-1')).expect(200);
      gateway.simulator.clearReceived();
      eventsBefore = await eventCount();

      await expectRefused(
        await post({ ...exampleBulletin(), name: 'Sa Re Ga Ma episode 13' }, withKey('reused-1')),
        422,
        'This Idempotency-Key was already used with a different request body; use a new key for a new bulletin',
      );
    });

    it('keeps keys per partner, so two partners can use the same key independently', async () => {
      const otherKey = await gateway.createPartner();
      const mine = await post(exampleBulletin(), withKey('shared-1')).expect(200);
      const theirs = await post(exampleBulletin(), withKey('shared-1', otherKey)).expect(200);

      expect(theirs.headers['idempotent-replayed']).toBeUndefined();
      expect(theirs.body.event_id).not.toBe(mine.body.event_id);
      expect(gateway.simulator.received()).toHaveLength(2);
      expect(await eventCount()).toBe(eventsBefore + 2);
    });

    it('records and sends one event for 50 concurrent requests with one key', async () => {
      const responses = await Promise.all(
        Array.from({ length: 50 }, () => post(exampleBulletin(), withKey('concurrent-1'))),
      );

      const rows = await gateway.sql('SELECT id FROM bulletin_events WHERE idempotency_key = $1', ['concurrent-1']);
      expect(rows).toHaveLength(1);
      expect(gateway.simulator.received().length).toBeLessThanOrEqual(1);
      for (const response of responses) {
        if (response.status === 409) expect(response.body).toMatchObject({ status: 'fail', code: 409 });
        else expect({ status: response.status, event_id: response.body.event_id }).toEqual({ status: 200, event_id: rows[0].id });
      }
    });
  });

  it('answers Prefer: respond-async with 202 once the event has committed, then sends it', async () => {
    const response = await post(exampleBulletin(), { ...gateway.partnerHeaders(key), Prefer: 'respond-async' });

    expect({ status: response.status, body: response.body }).toEqual({
      status: 202,
      body: { status: 'queued', event_id: expect.any(String) },
    });
    expect(await gateway.sql('SELECT id FROM bulletin_events WHERE id = $1', [response.body.event_id])).toHaveLength(1);

    const attempts = await waitFor(async () => {
      const rows = await gateway.sql('SELECT outcome FROM dispatch_attempts WHERE event_id = $1', [response.body.event_id]);
      return rows.length > 0 && rows;
    }, 5000, 'the first dispatch attempt');
    expect(attempts).toEqual([{ outcome: 'sent' }]);
  });
});
