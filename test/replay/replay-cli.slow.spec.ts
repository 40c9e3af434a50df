import { userInfo } from 'node:os';
import { PartnersRepository } from '../../src/access/partners.repository.js';
import { ACCOUNT_ID, startGateway, type GatewayHarness } from '../support/gateway-harness.js';
import { runCli } from '../support/gateway-process.js';
import { bulletinFor, raise, raisedCounts, statusCounts, waitForStatus } from '../support/fixtures.js';


describe('bulletin-gateway replay (the CLI)', () => {
  let gateway: GatewayHarness;
  let partnerKey: string;
  let exhausted: string[];
  const replayCount = async () => (await gateway.sql(`SELECT count(*)::int AS n FROM replay_requests`))[0].n as number;

  beforeAll(async () => {
    gateway = await startGateway({ env: { RETRY_SCHEDULE: '100ms,100ms', CIRCUIT_FAILURE_THRESHOLD: '1000' } });
    partnerKey = (await gateway.app.get(PartnersRepository).create('Partner P', 'partner', [ACCOUNT_ID])).key;
    const port = gateway.simulator.port;
    await gateway.simulator.stop();
    exhausted = await Promise.all(Array.from({ length: 12 }, (_, i) => raise(gateway, partnerKey, bulletinFor(`cli-${i}`), { async: true })));
    await waitForStatus(gateway, exhausted, 'exhausted');
    await gateway.simulator.start(port);
  });
  afterAll(() => gateway.close());

  it('--dry-run prints the preview as JSON and changes nothing', async () => {
    const result = await runCli(gateway.database.url, ['replay', '--status', 'exhausted', '--dry-run', '--reason', 'CleverTap outage 26 Nov']);

    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
    const preview = JSON.parse(result.stdout);
    expect(preview).toMatchObject({ matched: 12, will_queue: 12, already_pending: 0, skipped_uncertain: 0, skipped_sent: 0 });
    expect(preview.sample).toHaveLength(10);
    expect(preview.sample[0]).toMatchObject({ status: 'exhausted', business_event: 'Program Released', id: expect.any(String) });
    expect(await replayCount()).toBe(0);
    expect(await statusCounts(gateway, exhausted)).toEqual({ exhausted: 12 });
    expect(gateway.simulator.received()).toHaveLength(0);
  });

  it('replays, follows the progress and prints the final summary, exit 0', async () => {
    const result = await runCli(gateway.database.url, ['replay', '--status', 'exhausted', '--reason', 'CleverTap outage 26 Nov']);

    expect(result.code).toBe(0);
    const [, id] = result.stdout.match(/^replay ([0-9a-f-]{36}): 12 matched, 12 queued$/m) ?? [];
    expect(id).toBeDefined();
    expect(result.stdout).toMatch(new RegExp(`^replay ${id} done: 12 sent, 0 failed again$`, 'm'));
    expect(result.stderr).toMatch(/following progress/); // the bar itself is drawn only on a terminal

    const raised = raisedCounts(gateway.simulator);
    expect(Array.from({ length: 12 }, (_, i) => raised.get(`cli-${i}`))).toEqual(Array(12).fill(1));
    const [request] = await gateway.sql(`SELECT requested_by_name, reason, filter, requeued FROM replay_requests WHERE id = $1`, [id]);
    expect(request).toEqual({ requested_by_name: `cli:${userInfo().username}`, reason: 'CleverTap outage 26 Nov', filter: { status: 'exhausted' }, requeued: 12 });
    const attempts = await gateway.sql(`SELECT trigger, outcome, replay_id FROM dispatch_attempts WHERE replay_id = $1`, [id]);
    expect(attempts).toHaveLength(12);
    expect(attempts.every((attempt) => attempt.trigger === 'replay' && attempt.outcome === 'sent')).toBe(true);
  });

  it('run again, queues nothing and returns at once', async () => {
    const result = await runCli(gateway.database.url, ['replay', '--status', 'exhausted', '--reason', 'double click']);

    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^replay [0-9a-f-]{36}: 0 matched, 0 queued$/m);
    expect(gateway.simulator.successful()).toHaveLength(12);
  });

  it('with --force resends events already sent, as an admin may through the API, and the replay records it', async () => {
    const result = await runCli(gateway.database.url, ['replay', '--status', 'sent', '--force', '--reason', 'partner lost its copies']);
    expect(result.code).toBe(0);
    const id = /^replay ([0-9a-f-]{36}): 12 matched, 12 queued$/m.exec(result.stdout)![1];
    expect(result.stdout).toMatch(new RegExp(`replay ${id} done: 12 sent, 0 failed again`));
    const [request] = await gateway.sql(`SELECT force_resend, requeued FROM replay_requests WHERE id = $1`, [id]);
    expect(request).toEqual({ force_resend: true, requeued: 12 });
    expect(gateway.simulator.successful()).toHaveLength(24);
  });

  it.each([
    ['an unknown status', ['--status', 'lost', '--reason', 'x'], /status must be one of/],
    ['a --from that is not a date', ['--from', 'yesterday', '--reason', 'x'], /--from must be a date-time/],
    ['an --error-code with spaces', ['--error-code', 'not found', '--reason', 'x'], /--error-code must be/],
    ['no --reason', ['--status', 'exhausted'], /--reason/],
    ['an empty --reason', ['--status', 'exhausted', '--reason', ''], /reason/],
    ['a blank --reason', ['--status', 'exhausted', '--reason', '   '], /reason/],
  ])('refuses %s with exit 1 and a message, recording nothing', async (_case, args, message) => {
    const before = await replayCount();
    const result = await runCli(gateway.database.url, ['replay', ...args]);
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 1, stderr: expect.stringMatching(message) });
    expect(await replayCount()).toBe(before);
  });
});
