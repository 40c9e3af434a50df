import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CleverTapSimulator, TRIGGER_PATH } from '../../src/simulator/clevertap-simulator.js';
import { runSimulator } from '../../src/simulator/run-simulator.js';

// Drives the simulator only over HTTP, as a test does when the simulator runs in another process.
describe('simulator control API', () => {
  let dir: string;
  let simulator: CleverTapSimulator;
  const logged: string[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'simulator-'));
    const configFile = join(dir, 'simulator.json');
    await writeFile(
      configFile,
      JSON.stringify({
        accounts: [{ id: 'acme', passcode: 'top-secret' }],
        businessEvents: [{ name: 'Order Shipped', requiredProperties: ['order_id'], targets: 2 }],
      }),
    );
    simulator = await runSimulator({ port: 0, configFile, log: (line) => logged.push(line) });
  });
  afterAll(async () => {
    await simulator.stop();
    await rm(dir, { recursive: true, force: true });
  });
  beforeEach(() => control('POST', '/reset'));

  async function control(method: string, path: string, body?: unknown): Promise<Response> {
    const response = await fetch(`${simulator.url}/__simulator${path}`, {
      method,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    expect(response.status).toBeLessThan(300);
    return response;
  }

  function trigger(): Promise<Response> {
    return fetch(simulator.url + TRIGGER_PATH, {
      method: 'POST',
      headers: { 'X-CleverTap-Account-Id': 'acme', 'X-CleverTap-Passcode': 'top-secret' },
      body: JSON.stringify({ business_event: 'Order Shipped', properties: { order_id: '9' }, when: 'now' }),
    });
  }

  it('logs its URL and accounts but not the passcode', () => {
    expect(logged).toEqual([expect.stringContaining(simulator.url)]);
    expect(logged[0]).toContain('acme');
    expect(logged[0]).not.toContain('top-secret');
  });

  it('serves the business events of its config file', async () => {
    expect(await (await trigger()).json()).toEqual({ status: 'success', targets: 2 });
  });

  it('lists, then clears, the requests it received', async () => {
    await trigger();
    const [record] = (await (await control('GET', '/requests')).json()) as unknown[];
    expect(record).toMatchObject({ accountId: 'acme', passcodeValid: true, status: 200 });
    await control('DELETE', '/requests');
    expect(await (await control('GET', '/requests')).json()).toEqual([]);
  });

  it('injects faults and reports stats', async () => {
    await control('PUT', '/faults', [{ kind: '5xx', status: 502, remaining: 1 }]);
    expect((await trigger()).status).toBe(502);
    expect((await trigger()).status).toBe(200);
    expect(await (await control('GET', '/stats')).json()).toEqual({
      received: 2,
      succeeded: 1,
      rejected429: 0,
      maxInFlightSeen: { acme: 1 },
      inFlight: {},
    });
  });

  it('sets the latency', async () => {
    expect(await (await control('PUT', '/latency', { latencyMs: 150 })).json()).toEqual({ latencyMs: 150 });
    const started = Date.now();
    await trigger();
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('forgets faults, records and stats on reset', async () => {
    await control('PUT', '/faults', [{ kind: 'reset' }]);
    await trigger().catch(() => undefined);
    await control('POST', '/reset');
    expect((await trigger()).status).toBe(200);
    expect(await (await control('GET', '/stats')).json()).toMatchObject({ received: 1, succeeded: 1 });
  });

  it('answers 400 to an invalid fault list, 404 to an unknown route and 405 to a wrong method', async () => {
    const bad = await fetch(`${simulator.url}/__simulator/faults`, { method: 'PUT', body: '[{"kind":"boom"}]' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ status: 'fail', code: 400 });
    const unknown = await fetch(`${simulator.url}/__simulator/nope`);
    expect({ status: unknown.status, body: await unknown.json() }).toEqual({
      status: 404,
      body: { status: 'fail', error: 'Not Found', code: 404 },
    });
    expect((await fetch(`${simulator.url}/__simulator/stats`, { method: 'DELETE' })).status).toBe(405);
  });
});
