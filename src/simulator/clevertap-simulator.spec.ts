import { CleverTapSimulator, passcodeFingerprint, TRIGGER_PATH } from './clevertap-simulator.js';

const ACCOUNT = 'sim-account';
const PASSCODE = 'sim-passcode';

// The example payload of the vendor's Bulletins page.
const VENDOR_EXAMPLE = {
  business_event: 'Program Released',
  name: 'Sa Re Ga Ma episode 12',
  properties: { program_id: '234567', language: 'Hindi', prev_program_id: '123457' },
  'c-by': '[email protected]',
  when: 'now',
};

describe('CleverTapSimulator', () => {
  const simulator = new CleverTapSimulator();

  beforeAll(() => simulator.start());
  afterAll(() => simulator.stop());
  beforeEach(() => simulator.reset());

  function trigger(
    body: unknown = VENDOR_EXAMPLE,
    headers: Record<string, string> = {},
    init: RequestInit = {},
  ): Promise<Response> {
    return fetch(simulator.url + TRIGGER_PATH, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'X-CleverTap-Account-Id': ACCOUNT,
        'X-CleverTap-Passcode': PASSCODE,
        ...headers,
      },
      body: typeof body === 'string' ? body : JSON.stringify(body),
      ...init,
    });
  }

  async function expectAnswer(response: Response, status: number, body: unknown): Promise<void> {
    expect({ status: response.status, body: await response.json() }).toEqual({ status, body });
  }

  function fail(code: number, error: string) {
    return { status: 'fail', error, code };
  }

  async function until(condition: () => boolean): Promise<void> {
    for (let i = 0; i < 100 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(condition()).toBe(true);
  }

  describe('the Bulletins contract', () => {
    it('raises a bulletin for the vendor example payload', async () => {
      await expectAnswer(await trigger(), 200, { status: 'success', targets: 1 });
      expect(simulator.successful()).toHaveLength(1);
    });

    it('answers with the configured number of targets', async () => {
      const custom = new CleverTapSimulator({
        businessEvents: [{ name: 'Program Released', requiredProperties: [], targets: 7 }],
      });
      await custom.start();
      try {
        const response = await fetch(custom.url + TRIGGER_PATH, {
          method: 'POST',
          headers: { 'X-CleverTap-Account-Id': ACCOUNT, 'X-CleverTap-Passcode': PASSCODE },
          body: JSON.stringify(VENDOR_EXAMPLE),
        });
        await expectAnswer(response, 200, { status: 'success', targets: 7 });
      } finally {
        await custom.stop();
      }
    });

    it.each([
      ['a wrong passcode', { 'X-CleverTap-Passcode': 'nope' }],
      ['an unknown account', { 'X-CleverTap-Account-Id': 'other' }],
    ])('rejects %s with 401 Invalid Credentials', async (_case, headers) => {
      await expectAnswer(await trigger(VENDOR_EXAMPLE, headers), 401, fail(401, 'Invalid Credentials'));
    });

    it('rejects missing credential headers with 401', async () => {
      const response = await fetch(simulator.url + TRIGGER_PATH, { method: 'POST', body: JSON.stringify(VENDOR_EXAMPLE) });
      await expectAnswer(response, 401, fail(401, 'Invalid Credentials'));
    });

    it.each([['not json'], ['[1,2]'], ['"now"']])('rejects the body %s with 400', async (raw) => {
      const response = await trigger(raw);
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ status: 'fail', code: 400 });
    });

    it.each([
      ['missing', undefined],
      ['null', null],
    ])('rejects a %s "when" with the vendor message', async (_case, when) => {
      await expectAnswer(
        await trigger({ ...VENDOR_EXAMPLE, when }),
        400,
        fail(400, '"when" has an incorrect value - null'),
      );
    });

    it('names any other bad "when" value', async () => {
      await expectAnswer(
        await trigger({ ...VENDOR_EXAMPLE, when: 'tomorrow' }),
        400,
        fail(400, '"when" has an incorrect value - tomorrow'),
      );
    });

    it('accepts a UNIX timestamp as "when"', async () => {
      await expectAnswer(await trigger({ ...VENDOR_EXAMPLE, when: 1767225600 }), 200, { status: 'success', targets: 1 });
    });

    it('rejects an unknown business event', async () => {
      await expectAnswer(
        await trigger({ ...VENDOR_EXAMPLE, business_event: 'Nope' }),
        400,
        fail(400, 'Business Event Not Found'),
      );
    });

    it('names a missing required property', async () => {
      const body = { ...VENDOR_EXAMPLE, business_event: 'Product Launched' };
      await expectAnswer(await trigger(body), 400, fail(400, 'Propertyproduct_categorymissing'));
    });

    it('answers 405 to another method on trigger.json and 404 elsewhere', async () => {
      const get = await fetch(simulator.url + TRIGGER_PATH);
      expect(get.headers.get('allow')).toBe('POST');
      await expectAnswer(get, 405, fail(405, 'Method Not Allowed'));
      await expectAnswer(await fetch(`${simulator.url}/1/other.json`), 404, fail(404, 'Not Found'));
    });
  });

  describe('recording', () => {
    it('records the request without keeping the passcode', async () => {
      await trigger(VENDOR_EXAMPLE, { 'X-CleverTap-Passcode': 'wrong-one' });
      const [record] = simulator.received();
      expect(record).toMatchObject({
        method: 'POST',
        path: TRIGGER_PATH,
        accountId: ACCOUNT,
        passcodeValid: false,
        passcodeSha256: passcodeFingerprint('wrong-one'),
        body: VENDOR_EXAMPLE,
        rawBody: JSON.stringify(VENDOR_EXAMPLE),
        outcome: 'responded',
        status: 401,
        responseBody: fail(401, 'Invalid Credentials'),
      });
      expect(record.headers['x-clevertap-passcode']).toBe('[redacted]');
      expect(JSON.stringify(record)).not.toContain('wrong-one');
    });

    it('clears records on clearReceived while stats keep counting', async () => {
      await trigger();
      simulator.clearReceived();
      expect(simulator.received()).toEqual([]);
      expect(simulator.stats()).toMatchObject({ received: 1, succeeded: 1 });
    });
  });

  describe('concurrency', () => {
    it('answers 429 to the 4th request in flight for an account, without Retry-After', async () => {
      simulator.setLatency(300);
      const responses = await Promise.all([1, 2, 3, 4].map(() => trigger()));
      const rejected = responses.filter((response) => response.status === 429);
      expect(responses.filter((response) => response.status === 200)).toHaveLength(3);
      expect(rejected).toHaveLength(1);
      expect(rejected[0].headers.get('retry-after')).toBeNull();
      await expectAnswer(rejected[0], 429, fail(429, 'Too many concurrent requests'));
      expect(simulator.stats()).toEqual({
        received: 4,
        succeeded: 3,
        rejected429: 1,
        maxInFlightSeen: { [ACCOUNT]: 4 },
        inFlight: {},
      });
    });

    it('keeps three in flight without a 429', async () => {
      simulator.setLatency(100);
      const responses = await Promise.all([1, 2, 3].map(() => trigger()));
      expect(responses.map((response) => response.status)).toEqual([200, 200, 200]);
      expect(simulator.stats()).toMatchObject({ rejected429: 0, maxInFlightSeen: { [ACCOUNT]: 3 } });
    });
  });

  describe('faults', () => {
    it.each([
      [{ kind: '5xx' } as const, 503, fail(503, 'Simulated 503 error')],
      [{ kind: '5xx', status: 500 } as const, 500, fail(500, 'Simulated 500 error')],
      [{ kind: '429' } as const, 429, fail(429, 'Too many concurrent requests')],
      [{ kind: 'unauthorized' } as const, 401, fail(401, 'Invalid Credentials')],
      [{ kind: 'fail-body' } as const, 200, fail(200, 'Simulated failure')],
    ])('answers the %o fault', async (rule, status, body) => {
      simulator.setFaults([rule]);
      await expectAnswer(await trigger(), status, body);
      expect(simulator.received()[0]).toMatchObject({ fault: rule.kind, status, outcome: 'responded' });
    });

    it('resets the connection without answering', async () => {
      simulator.setFaults([{ kind: 'reset' }]);
      await expect(trigger()).rejects.toThrow();
      expect(simulator.received()[0]).toMatchObject({ fault: 'reset', outcome: 'reset', status: null, body: VENDOR_EXAMPLE });
    });

    it('hangs until the client gives up, holding the concurrency slot meanwhile', async () => {
      simulator.setFaults([{ kind: 'hang' }]);
      const givenUp = expect(trigger(VENDOR_EXAMPLE, {}, { signal: AbortSignal.timeout(300) })).rejects.toThrow();
      await until(() => simulator.received()[0]?.outcome === 'hang');
      expect(simulator.stats().inFlight).toEqual({ [ACCOUNT]: 1 });
      await givenUp;
      expect(simulator.received()[0]).toMatchObject({ fault: 'hang', status: null });
      await until(() => simulator.stats().inFlight[ACCOUNT] === undefined);
    });

    it('expires a rule after its remaining count', async () => {
      simulator.setFaults([{ kind: '5xx', remaining: 2 }]);
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push((await trigger()).status);
      expect(statuses).toEqual([503, 503, 200]);
      expect(simulator.faults()).toEqual([]);
    });

    it('applies a rate as a fixed cadence', async () => {
      simulator.setFaults([{ kind: '5xx', rate: 0.5 }]);
      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push((await trigger()).status);
      expect(statuses).toEqual([200, 503, 200, 503]);
    });

    it('limits a rule to its account', async () => {
      const twoAccounts = new CleverTapSimulator({
        accounts: [
          { id: 'a', passcode: 'pa' },
          { id: 'b', passcode: 'pb' },
        ],
        faults: [{ kind: '5xx', accountId: 'b' }],
      });
      const url = (await twoAccounts.start()) + TRIGGER_PATH;
      const send = (id: string) =>
        fetch(url, {
          method: 'POST',
          headers: { 'X-CleverTap-Account-Id': id, 'X-CleverTap-Passcode': `p${id}` },
          body: JSON.stringify(VENDOR_EXAMPLE),
        });
      try {
        expect((await send('a')).status).toBe(200);
        expect((await send('b')).status).toBe(503);
      } finally {
        await twoAccounts.stop();
      }
    });

    it('rejects an invalid rule', () => {
      expect(() => simulator.addFault({ kind: 'boom' } as never)).toThrow(/kind must be one of/);
    });
  });

  describe('lifecycle', () => {
    it('refuses connections while stopped and comes back on the same port', async () => {
      const outage = new CleverTapSimulator();
      const port = new URL(await outage.start()).port;
      await outage.stop();
      await expect(fetch(outage.url + TRIGGER_PATH, { method: 'POST' })).rejects.toMatchObject({
        cause: { code: 'ECONNREFUSED' },
      });
      expect(await outage.start(Number(port))).toBe(`http://127.0.0.1:${port}`);
      try {
        expect((await fetch(outage.url + TRIGGER_PATH)).status).toBe(405);
      } finally {
        await outage.stop();
      }
    });

    it('ends hanging requests on stop', async () => {
      const stopping = new CleverTapSimulator({ faults: [{ kind: 'hang' }] });
      await stopping.start();
      const pending = fetch(stopping.url + TRIGGER_PATH, {
        method: 'POST',
        headers: { 'X-CleverTap-Account-Id': ACCOUNT, 'X-CleverTap-Passcode': PASSCODE },
        body: JSON.stringify(VENDOR_EXAMPLE),
      });
      const settled = expect(pending).rejects.toThrow();
      await until(() => stopping.received().length === 1);
      await stopping.stop();
      await settled;
      expect(stopping.stats().inFlight).toEqual({});
    });
  });
});
