import request from 'supertest';
import { CleverTapSimulator } from '../../src/simulator/clevertap-simulator.js';
import { DEFAULT_BUSINESS_EVENTS } from '../../src/simulator/simulator-config.js';
import { ACCOUNT_ID, startGateway, UPSTREAM_PASSCODE, type GatewayHarness } from '../support/gateway-harness.js';
import { PartnersRepository } from '../../src/access/partners.repository.js';
import {
  bearer,
  bulletinFor,
  expectProblem,
  insertExhaustedEvents,
  raise,
  raisedCounts,
  replayClient,
  secondAccount,
  statusCounts,
  waitForStatus,
} from '../support/fixtures.js';

// Short retries so an outage exhausts events in well under a second.
const ENV = { RETRY_SCHEDULE: '100ms,100ms', CIRCUIT_FAILURE_THRESHOLD: '1000' };

/** Takes CleverTap down, raises the bulletins, waits until every one is exhausted, brings it back. */
async function duringOutage(gateway: GatewayHarness, raiseAll: () => Promise<string[]>, simulators = [gateway.simulator]): Promise<string[]> {
  const ports = simulators.map((simulator) => simulator.port);
  await Promise.all(simulators.map((simulator) => simulator.stop()));
  const eventIds = await raiseAll();
  await waitForStatus(gateway, eventIds, 'exhausted');
  await Promise.all(simulators.map((simulator, i) => simulator.start(ports[i])));
  return eventIds;
}

describe('a replay never sends an event twice', () => {
  let gateway: GatewayHarness;
  let partnerKey: string;
  let partnerId: string;
  let operatorKey: string;
  let adminKey: string;

  beforeAll(async () => {
    gateway = await startGateway({ env: ENV });
    const partners = gateway.app.get(PartnersRepository);
    ({ id: partnerId, key: partnerKey } = await partners.create('Partner P', 'partner', [ACCOUNT_ID]));
    operatorKey = (await partners.create('Olga the operator', 'operator', [])).key;
    adminKey = (await partners.create('Ada the admin', 'admin', [])).key;
  });
  afterAll(() => gateway.close());
  beforeEach(() => gateway.simulator.reset());

  /** The first line of what the gateway logged about a failed request, if it failed. */
  const loggedCause = (requestId: string | undefined) =>
    requestId === undefined ? undefined : gateway.logs.lines.find((line) => line.includes(`unexpected error (request ${requestId})`))?.match(/"msg":"([^\\]*)/)?.[1];

  describe('two overlapping replays started at the same moment', () => {
    it('queue each eligible event once between them, and CleverTap raises each exactly once', async () => {
      const programIds = Array.from({ length: 30 }, (_, i) => `overlap-${i}`);
      const eventIds = await duringOutage(gateway, () =>
        Promise.all(
          programIds.map((programId, i) =>
            raise(gateway, partnerKey, bulletinFor(programId, i % 3 === 0 ? { business_event: 'Product Launched', properties: { product_category: 'tv' } } : {}), { async: true }),
          ),
        ),
      );
      const replays = replayClient(gateway, operatorKey);

      // Both match the 20 Program Released events; the first also matches the 10 Product Launched.
      const [everything, programReleased] = await Promise.all([
        replays.request({ status: 'exhausted', reason: 'outage: operator A' }),
        replays.request({ business_event: 'Program Released', reason: 'outage: operator B' }),
      ]);
      expect([everything, programReleased].map((r) => ({ status: r.status, cause: loggedCause(r.body.request_id) }))).toEqual([
        { status: 202, cause: undefined },
        { status: 202, cause: undefined },
      ]);
      // Replays take turns, so the one that runs second matches only what the first left behind:
      // A's filter (status=exhausted) no longer matches events B already re-queued, while B's filter
      // still matches its 20 events whatever their status.
      expect([30, 10]).toContain(everything.body.matched);
      expect(programReleased.body.matched).toBe(20);
      expect(everything.body.queued + programReleased.body.queued).toBe(30);

      await replays.finished(everything.body.id);
      await replays.finished(programReleased.body.id);
      const raised = raisedCounts(gateway.simulator);
      for (const programId of programIds) expect([programId, raised.get(programId)]).toEqual([programId, 1]);
      expect(gateway.simulator.successful()).toHaveLength(30);
      expect(await statusCounts(gateway, eventIds)).toEqual({ sent: 30 });

      // Each event belongs to exactly one of the two replays.
      const items = await gateway.sql(`SELECT event_id, count(*)::int AS n FROM replay_items WHERE event_id = ANY($1::uuid[]) GROUP BY event_id`, [eventIds]);
      expect(items).toHaveLength(30);
      expect(items.every((item) => item.n === 1)).toBe(true);
    });

    it('still succeed and send each event once when five differently filtered replays race, round after round', async () => {
      for (let round = 0; round < 30; round++) {
        const seeded = await insertExhaustedEvents(gateway.sql, { partnerId, accountId: ACCOUNT_ID, prefix: `race-${round}`, count: 100 });
        const replays = replayClient(gateway, operatorKey);
        const racers = await Promise.all([
          replays.request({ status: 'exhausted', reason: `race ${round}: by status` }),
          replays.request({ error_code: 'ECONNREFUSED', reason: `race ${round}: by error code` }),
          replays.request({ error: 'could not reach', account: ACCOUNT_ID, reason: `race ${round}: by error text` }),
          replays.request({ business_event: 'Program Released', reason: `race ${round}: by business event` }),
          replays.request({ q: `race-${round} episode`, reason: `race ${round}: by name` }),
        ]);
        // Every racer succeeds (a lost race queues 0); a 500 names the gateway's logged cause.
        for (const racer of racers)
          expect({ status: racer.status, body: racer.body, cause: loggedCause(racer.body.request_id) }).toEqual({
            status: 202,
            body: expect.objectContaining({ dry_run: false }),
            cause: undefined,
          });
        expect(racers.reduce((sum, racer) => sum + racer.body.queued, 0)).toBe(100);
        for (const racer of racers) await replays.finished(racer.body.id, 30_000);

        const raised = raisedCounts(gateway.simulator);
        const wrong = seeded.programIds.filter((programId) => raised.get(programId) !== 1);
        expect(wrong).toEqual([]);
        expect(await statusCounts(gateway, seeded.eventIds)).toEqual({ sent: 100 });
      }
      expect(gateway.simulator.stats().rejected429).toBe(0);
    }, 120_000);
  });

  describe('force (re-sending events that were sent)', () => {
    it('lets an admin re-send a sent event once, and the timeline shows the forced replay', async () => {
      const eventId = await raise(gateway, partnerKey, bulletinFor('forced-1', { name: 'Force me episode 1' }));
      await waitForStatus(gateway, [eventId], 'sent');
      const admin = replayClient(gateway, adminKey);
      const scope = { q: 'Force me episode' };

      const plain = await admin.request({ ...scope, reason: 'no force' }).expect(202);
      expect(plain.body).toMatchObject({ matched: 1, queued: 0 });
      const dryRun = await admin.request({ ...scope, force: true, dry_run: true, reason: 'partner asked for a resend' }).expect(200);
      expect(dryRun.body).toMatchObject({ matched: 1, will_queue: 1, skipped_sent: 0 });
      const forced = await admin.request({ ...scope, force: true, reason: 'partner asked for a resend (ticket 42)' }).expect(202);
      expect(forced.body).toMatchObject({ matched: 1, queued: 1 });
      await admin.finished(forced.body.id);

      expect(raisedCounts(gateway.simulator).get('forced-1')).toBe(2); // the original and the one forced resend
      const detail = await request(gateway.http).get(`/v1/events/${eventId}`).set(bearer(operatorKey)).expect(200);
      const replayEntries = detail.body.timeline.filter((entry: { type: string }) => entry.type === 'replay_requested');
      expect(replayEntries).toEqual([
        expect.objectContaining({ replay_id: forced.body.id, requested_by: 'Ada the admin', reason: 'partner asked for a resend (ticket 42)', force_resend: true }),
      ]);
      const attempts = detail.body.timeline.filter((entry: { type: string }) => entry.type === 'attempt');
      expect(attempts.map((a: { trigger: string; outcome: string }) => `${a.trigger}:${a.outcome}`)).toEqual(['auto:sent', 'replay:sent']);
      expect(attempts[1].replay_id).toBe(forced.body.id);

      // Once sent again it is just sent: a second identical replay without force queues nothing.
      expect((await admin.request({ ...scope, reason: 'again' }).expect(202)).body.queued).toBe(0);
      expect(raisedCounts(gateway.simulator).get('forced-1')).toBe(2);
    });

    it('refuses force to an operator with 403, even as a dry run, and records nothing', async () => {
      const before = await gateway.sql(`SELECT count(*)::int AS n FROM replay_requests`);
      const operator = replayClient(gateway, operatorKey);
      expectProblem(await operator.request({ q: 'Force me', force: true, reason: 'I am not an admin' }), 403, /admin/);
      expectProblem(await operator.request({ q: 'Force me', force: true, dry_run: true, reason: 'I am not an admin' }), 403, /admin/);
      expect(await gateway.sql(`SELECT count(*)::int AS n FROM replay_requests`)).toEqual(before);
    });
  });

  describe('the request itself', () => {
    let auditorKey: string;
    beforeAll(async () => {
      auditorKey = (await gateway.app.get(PartnersRepository).create('Audrey the auditor', 'auditor', [])).key;
    });

    it.each([
      ['missing', { status: 'exhausted' }],
      ['empty', { status: 'exhausted', reason: '' }],
      ['blank', { status: 'exhausted', reason: '   ' }],
      ['not a string', { status: 'exhausted', reason: 42 }],
      ['missing on a dry run too', { status: 'exhausted', dry_run: true }],
    ])('refuses a reason that is %s with 400 problem+json, and records nothing', async (_case, body) => {
      const before = await gateway.sql(`SELECT count(*)::int AS n FROM replay_requests`);
      expectProblem(await replayClient(gateway, operatorKey).request(body), 400, /reason/);
      expect(await gateway.sql(`SELECT count(*)::int AS n FROM replay_requests`)).toEqual(before);
    });

    it.each([
      ['an unknown status', { status: 'lost' }, /status/],
      ['a partner that is not an id', { partner: 'Partner P' }, /partner/],
      ['a received_from that is not a date', { received_from: 'last tuesday' }, /received_from/],
      ['a received_to that is not a date', { received_to: '2025-13-45' }, /received_to/],
      ['an error_code with spaces', { error_code: 'not found' }, /error_code/],
      ['an unknown filter', { event_type: 'x' }, /event_type/],
      ['dry_run as a string', { dry_run: 'yes' }, /dry_run/],
      ['include_uncertain as a string', { include_uncertain: 'true' }, /include_uncertain/],
      ['force as a string', { force: 'true' }, /force/],
      ['a business_event that is not a string', { business_event: ['a', 'b'] }, /business_event/],
    ])('refuses %s with 400 problem+json naming it', async (_case, filter, named) => {
      const response = await replayClient(gateway, operatorKey).request({ ...filter, reason: 'bad filter' });
      expectProblem(response, 400, named);
    });

    it('is refused to a partner key (403) on POST and on GET, and to anyone without a key (401)', async () => {
      const started = await replayClient(gateway, operatorKey).request({ status: 'failed', reason: 'nothing to do' }).expect(202);
      expectProblem(await replayClient(gateway, partnerKey).request({ status: 'exhausted', reason: 'partner trying' }), 403);
      expectProblem(await replayClient(gateway, partnerKey).progress(started.body.id), 403);
      expectProblem(await replayClient(gateway, auditorKey).request({ status: 'exhausted', reason: 'auditor trying' }), 403);
      expectProblem(await request(gateway.http).post('/v1/replays').send({ status: 'exhausted', reason: 'anonymous' }), 401);
      expectProblem(await request(gateway.http).get(`/v1/replays/${started.body.id}`), 401);
      // An auditor may watch a replay's progress.
      expect((await replayClient(gateway, auditorKey).progress(started.body.id).expect(200)).body).toMatchObject({ id: started.body.id, queued: 0, done: true });
    });

    it('answers 404 problem+json for an unknown replay id', async () => {
      expectProblem(await replayClient(gateway, operatorKey).progress('00000000-0000-4000-8000-000000000000'), 404);
      expectProblem(await replayClient(gateway, operatorKey).progress('not-a-replay-id'), 404);
    });
  });
});

describe('uncertain events in a replay (CleverTap may already have raised them)', () => {
  // A gateway of its own with a short upstream timeout, so a hanging CleverTap makes uncertain events
  // quickly (and a busy machine cannot turn the other tests' events uncertain).
  let hanging: GatewayHarness;
  beforeAll(async () => {
    hanging = await startGateway({ env: { ...ENV, UPSTREAM_TIMEOUT_MS: '1000' } });
  });
  afterAll(() => hanging.close());

  it('are skipped without include_uncertain, and re-sent exactly once with it', async () => {
    const partners = hanging.app.get(PartnersRepository);
    const partnerKey = (await partners.create('Partner P', 'partner', [ACCOUNT_ID])).key;
    const operatorKey = (await partners.create('Olga the operator', 'operator', [])).key;
    hanging.simulator.addFault({ kind: 'hang', remaining: 3 });
    const eventIds = await Promise.all(['unsure-1', 'unsure-2', 'unsure-3'].map((id) => raise(hanging, partnerKey, bulletinFor(id), { async: true })));
    await waitForStatus(hanging, eventIds, 'uncertain');
    expect(hanging.simulator.received().filter((record) => record.outcome === 'hang')).toHaveLength(3);
    const replays = replayClient(hanging, operatorKey);
    const filter = { error_code: 'UND_ERR_HEADERS_TIMEOUT' };

    const dryRun = await replays.request({ ...filter, dry_run: true, reason: 'CleverTap timed out' }).expect(200);
    expect(dryRun.body).toMatchObject({ dry_run: true, matched: 3, will_queue: 0, skipped_uncertain: 3, sample: [] });
    const withoutFlag = await replays.request({ ...filter, reason: 'CleverTap timed out' }).expect(202);
    expect(withoutFlag.body).toMatchObject({ matched: 3, queued: 0 });
    const byStatus = await replays.request({ status: 'uncertain', reason: 'CleverTap timed out' }).expect(202);
    expect(byStatus.body).toMatchObject({ matched: 3, queued: 0 });
    expect(await statusCounts(hanging, eventIds)).toEqual({ uncertain: 3 });
    expect(hanging.simulator.successful()).toHaveLength(0);

    const acknowledgedDryRun = await replays.request({ ...filter, include_uncertain: true, dry_run: true, reason: 'checked: not raised' }).expect(200);
    expect(acknowledgedDryRun.body).toMatchObject({ matched: 3, will_queue: 3, skipped_uncertain: 0 });
    const [acknowledged, raceOfTheSame] = await Promise.all([
      replays.request({ ...filter, include_uncertain: true, reason: 'checked with CleverTap support: not raised' }),
      replays.request({ status: 'uncertain', include_uncertain: true, reason: 'double click' }),
    ]);
    expect(acknowledged.body.queued + raceOfTheSame.body.queued).toBe(3);
    await replays.finished(acknowledged.body.id);
    await replays.finished(raceOfTheSame.body.id);

    const raised = raisedCounts(hanging.simulator);
    expect(['unsure-1', 'unsure-2', 'unsure-3'].map((id) => raised.get(id))).toEqual([1, 1, 1]);
    expect(await statusCounts(hanging, eventIds)).toEqual({ sent: 3 });
    const again = await replays.request({ ...filter, include_uncertain: true, reason: 'once more?' }).expect(202);
    expect(again.body.queued).toBe(0); // sent now: the acknowledgement does not reach sent events

    const [recorded] = await hanging.sql(`SELECT include_uncertain, force_resend FROM replay_requests WHERE id = $1`, [
      acknowledged.body.queued > 0 ? acknowledged.body.id : raceOfTheSame.body.id,
    ]);
    expect(recorded).toEqual({ include_uncertain: true, force_resend: false });
    const detail = await request(hanging.http).get(`/v1/events/${eventIds[0]}`).set(bearer(operatorKey)).expect(200);
    const entries = detail.body.timeline.map((entry: { type: string; trigger?: string; outcome?: string; include_uncertain?: boolean }) =>
      entry.type === 'attempt' ? `attempt:${entry.trigger}:${entry.outcome}` : `${entry.type}${entry.include_uncertain ? ':include_uncertain' : ''}`,
    );
    expect(entries).toEqual(['received', 'attempt:auto:uncertain', 'replay_requested:include_uncertain', 'attempt:replay:sent']);
  });
});

describe('replay filters pick exactly the events they name', () => {
  let gateway: GatewayHarness;
  let second: Awaited<ReturnType<typeof secondAccount>>;
  let partnerKey: string;
  let operatorKey: string;
  let definedLater: CleverTapSimulator | undefined;

  beforeAll(async () => {
    second = await secondAccount();
    gateway = await startGateway({ env: { ...ENV, ...second.env } });
    const partners = gateway.app.get(PartnersRepository);
    partnerKey = (await partners.create('Partner on two accounts', 'partner', [ACCOUNT_ID, second.id])).key;
    operatorKey = (await partners.create('Olga the operator', 'operator', [])).key;
  });
  afterAll(async () => {
    await gateway.close();
    await definedLater?.stop();
    await second.simulator.stop();
  });

  it('by error code and error text, business event and account, leaving the others exhausted', async () => {
    // A business event not yet defined in CleverTap: a permanent 400, not retried.
    const notFound = await Promise.all(
      [1, 2, 3, 4].map((i) => raise(gateway, partnerKey, bulletinFor(`undefined-${i}`, { business_event: 'Episode Scheduled' }), { async: true })),
    );
    await waitForStatus(gateway, notFound, 'failed');
    const [failure] = await gateway.sql(`SELECT error, error_code FROM dispatch_attempts WHERE event_id = $1`, [notFound[0]]);
    expect(failure).toEqual({ error: 'Business Event Not Found', error_code: '400' });

    // Then both CleverTap accounts go down.
    const programReleased: string[] = [];
    const productLaunched: string[] = [];
    const onSecondAccount: string[] = [];
    await duringOutage(
      gateway,
      async () => {
        for (let i = 0; i < 5; i++) programReleased.push(await raise(gateway, partnerKey, bulletinFor(`released-${i}`), { async: true }));
        for (let i = 0; i < 3; i++)
          productLaunched.push(await raise(gateway, partnerKey, bulletinFor(`launched-${i}`, { business_event: 'Product Launched', properties: { product_category: 'tv' } }), { async: true }));
        for (let i = 0; i < 4; i++) onSecondAccount.push(await raise(gateway, partnerKey, bulletinFor(`second-${i}`), { account: second.id, async: true }));
        return [...programReleased, ...productLaunched, ...onSecondAccount];
      },
      [gateway.simulator, second.simulator],
    );

    const replays = replayClient(gateway, operatorKey);
    const dryRun = async (filter: Record<string, unknown>) =>
      (await replays.request({ ...filter, dry_run: true, reason: 'looking' }).expect(200)).body;
    expect(await dryRun({ error_code: '400' })).toMatchObject({ matched: 4, will_queue: 4 });
    expect(await dryRun({ error: 'business event not found' })).toMatchObject({ matched: 4, will_queue: 4 });
    expect(await dryRun({ error_code: 'ECONNREFUSED' })).toMatchObject({ matched: 12, will_queue: 12 });
    expect(await dryRun({ business_event: 'Product Launched' })).toMatchObject({ matched: 3, will_queue: 3 });
    expect(await dryRun({ account: second.id })).toMatchObject({ matched: 4, will_queue: 4 });
    expect(await dryRun({ account: ACCOUNT_ID, status: 'exhausted' })).toMatchObject({ matched: 8, will_queue: 8 });
    expect(await dryRun({ status: 'failed', error_code: 'ECONNREFUSED' })).toMatchObject({ matched: 0, will_queue: 0 });
    const sample = (await dryRun({ error_code: '400' })).sample;
    expect(sample.map((event: { id: string }) => event.id).sort()).toEqual([...notFound].sort());
    expect(sample[0]).toMatchObject({ business_event: 'Episode Scheduled', status: 'failed', last_error: 'Business Event Not Found' });

    // The business event gets defined in CleverTap; replay only the events it failed.
    const port = gateway.simulator.port;
    await gateway.simulator.stop();
    definedLater = new CleverTapSimulator({
      accounts: [{ id: ACCOUNT_ID, passcode: UPSTREAM_PASSCODE }],
      businessEvents: [...DEFAULT_BUSINESS_EVENTS, { name: 'Episode Scheduled', requiredProperties: ['program_id'] }],
    });
    await definedLater.start(port);
    const byErrorCode = await replays.request({ error_code: '400', reason: 'Episode Scheduled is now defined' }).expect(202);
    expect(byErrorCode.body).toMatchObject({ matched: 4, queued: 4 });
    expect(await replays.finished(byErrorCode.body.id)).toMatchObject({ queued: 4, sent: 4, failed: 0, pending: 0 });
    expect(await itemsOf(byErrorCode.body.id)).toEqual([...notFound].sort());

    const byBusinessEvent = await replays.request({ business_event: 'Product Launched', reason: 'launches first' }).expect(202);
    expect(byBusinessEvent.body).toMatchObject({ matched: 3, queued: 3 });
    await replays.finished(byBusinessEvent.body.id);
    expect(await itemsOf(byBusinessEvent.body.id)).toEqual([...productLaunched].sort());

    const byAccount = await replays.request({ account: second.id, reason: 'second account is back' }).expect(202);
    expect(byAccount.body).toMatchObject({ matched: 4, queued: 4 });
    await replays.finished(byAccount.body.id);
    expect(await itemsOf(byAccount.body.id)).toEqual([...onSecondAccount].sort());

    const raised = raisedCounts(definedLater, second.simulator);
    expect(Object.fromEntries([...raised].sort())).toEqual(
      Object.fromEntries([
        ...['launched-0', 'launched-1', 'launched-2'],
        ...['second-0', 'second-1', 'second-2', 'second-3'],
        ...['undefined-1', 'undefined-2', 'undefined-3', 'undefined-4'],
      ].sort().map((id) => [id, 1])),
    );
    expect(second.simulator.successful().map((record) => record.accountId)).toEqual(Array(4).fill(second.id));
    // The Program Released events were named by no replay: still exhausted, never sent.
    expect(await statusCounts(gateway, programReleased)).toEqual({ exhausted: 5 });
  });

  async function itemsOf(replayId: string): Promise<string[]> {
    const rows = await gateway.sql(`SELECT event_id FROM replay_items WHERE replay_id = $1 ORDER BY event_id`, [replayId]);
    return rows.map((row) => row.event_id).sort();
  }
});
