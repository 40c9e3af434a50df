import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import request from 'supertest';
import { TreeSealer } from '../../src/audit-log/tree-sealer.service.js';
import { payloadSha256 } from '../../src/transparency/leaf.js';
import { sealedAndSigned, signingLog } from '../support/audit-log-keys.js';
import { bearer, bulletin, csvRecords, expectProblem, parseNdjson, partnerIdOf, raise, textParser, waitForStatus } from '../support/fixtures.js';
import { startGateway, type GatewayHarness } from '../support/gateway-harness.js';
import { verifyCheckpoint, verifyConsistency, verifyEntriesAgainstCheckpoint, verifyEventProof, type VerifiedCheckpoint } from '../verifier/verifier.js';

/**
 * Right to erasure: an admin erases an event's payload; the erasure is a log entry of its own, the payload
 * is gone from the row, the detail and exports, and every proof the log gave before still verifies.
 */
describe('erasing a payload', () => {
  const log = signingLog();
  let gateway: GatewayHarness;
  let superuser: pg.Client;
  let admin: string;
  let auditor: string;
  let operator: string;
  let partner: string;
  let erased: string;
  const erasedPayload = bulletin({ name: 'Priya Raman, +91 98450 12345' });
  let before: VerifiedCheckpoint;

  const erase = (eventId: string, key: string, body: unknown = { reason: 'data-subject request DSR-2026-0042' }) =>
    request(gateway.http).post(`/v1/events/${eventId}/erasure`).set(bearer(key)).send(body as object);
  const get = (path: string) => request(gateway.http).get(path).set(bearer(auditor));
  const verify = async () => (await get('/v1/audit/verify').expect(200)).body;
  const checkpoint = async () => verifyCheckpoint((await get('/v1/audit/checkpoint').expect(200)).text, log.verifierKey);

  beforeAll(async () => {
    gateway = await startGateway({ env: { ...log.env, AUDIT_SEAL_INTERVAL_MS: '3600000', RETRY_SCHEDULE: '1h' } });
    superuser = new pg.Client(gateway.database.url);
    await superuser.connect();
    admin = await gateway.createPartner({ role: 'admin', accounts: [] });
    auditor = await gateway.createPartner({ role: 'auditor', accounts: [] });
    operator = await gateway.createPartner({ role: 'operator', accounts: [] });
    partner = await gateway.createPartner();
    erased = await raise(gateway, partner, erasedPayload, { headers: { 'Idempotency-Key': '"order-1"' } });
    await raise(gateway, partner, bulletin({ name: 'kept' }));
    await sealedAndSigned(gateway, TreeSealer);
    before = await checkpoint();
  });
  afterAll(async () => {
    await superuser?.end();
    await gateway?.close();
  });

  it('refuses partner, auditor and operator keys, and asks admins for a reason without secrets', async () => {
    for (const key of [partner, auditor, operator]) expectProblem(await erase(erased, key), 403, 'forbidden');
    expectProblem(await erase(erased, admin, {}), 400, 'invalid_request');
    expectProblem(await erase(erased, admin, { reason: '   ' }), 400, 'invalid_request');
    expectProblem(await erase(erased, admin, { reason: 'x'.repeat(1001) }), 400, 'invalid_request');
    expectProblem(await erase(erased, admin, { reason: 'ok', extra: 1 }), 400, 'invalid_request');
    expectProblem(await erase(erased, admin, { reason: `asked with ${admin}` }), 400, 'secret_in_request');
    expectProblem(await erase('00000000-0000-4000-8000-000000000000', admin), 404, 'not_found');
    expectProblem(await erase('not-a-uuid', admin), 404, 'not_found');
    expect((await gateway.sql('SELECT count(*)::int AS n FROM payload_erasures'))[0].n).toBe(0);
  });

  it('erases through the API: 201 with Location, the payload gone from the row, kept as its digest', async () => {
    const response = await erase(erased, admin).set('Idempotency-Key', '"erase-1"').expect(201);
    expect(response.headers.location).toBe(`/v1/events/${erased}`);
    expect(response.body).toEqual({
      event_id: erased,
      erased_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      reason: 'data-subject request DSR-2026-0042',
      erased_sha256: payloadSha256(erasedPayload),
      requested_by: await partnerIdOf(gateway, admin),
    });
    const [row] = await gateway.sql('SELECT payload, payload_sha256 FROM bulletin_events WHERE id = $1', [erased]);
    expect(row).toEqual({ payload: null, payload_sha256: payloadSha256(erasedPayload) });
    // The same request again with its Idempotency-Key is answered again; without it, a second erasure is a 409.
    const again = await erase(erased, admin).set('Idempotency-Key', '"erase-1"').expect(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expectProblem(await erase(erased, admin), 409, 'already_erased');
    expect((await gateway.sql('SELECT count(*)::int AS n FROM payload_erasures'))[0].n).toBe(1);
  });

  it('shows payload null and the erasure in the detail, and exports the payload as null', async () => {
    const detail = (await get(`/v1/events/${erased}`).expect(200)).body;
    expect(detail).toMatchObject({
      payload: null,
      payload_sha256: payloadSha256(erasedPayload),
      payload_erasure: { erased_at: expect.any(String), reason: 'data-subject request DSR-2026-0042' },
    });
    expect(detail.timeline.map((t: { type: string }) => t.type)).toEqual(['received', 'attempt', 'payload_erased']);
    expect(JSON.stringify(detail)).not.toContain('Priya');
    const kept = (await get(`/v1/events?limit=10`).expect(200)).body.data.find((e: { id: string }) => e.id !== erased);
    expect((await get(`/v1/events/${kept.id}`).expect(200)).body).toMatchObject({ payload_erasure: null, payload: { name: 'kept' } });

    const ndjson: string = (await get('/v1/events/export?format=ndjson').buffer(true).parse(textParser).expect(200)).body;
    expect(ndjson).not.toContain('Priya');
    const rows = parseNdjson(ndjson).events;
    expect(rows.find((e) => e.id === erased)).toMatchObject({ payload: null });
    expect(rows.find((e) => e.id !== erased)).toMatchObject({ payload: { name: 'kept' } });
    const csv: string = (await get('/v1/events/export?format=csv').buffer(true).parse(textParser).expect(200)).body;
    expect(csvRecords(csv).find((r) => r.id === erased)).toMatchObject({ payload: '' });
    expect(csv).not.toContain('Priya');
  });

  it('keeps every proof: the event proof (with the payload its holder kept), consistency, the full audit', async () => {
    await sealedAndSigned(gateway, TreeSealer);
    const after = await checkpoint();
    expect(after.size).toBe(before.size + 1);
    const proof = verifyEventProof((await get(`/v1/events/${erased}/proof`).expect(200)).text, log.verifierKey, {
      eventId: erased,
      payload: erasedPayload,
    });
    expect(proof.events[0].payload_sha256).toBe(payloadSha256(erasedPayload));
    const consistency = (await get(`/v1/audit/consistency?from=${before.size}&to=${after.size}`).expect(200)).body;
    verifyConsistency(before.size, after.size, consistency.proof, before.rootHash, after.rootHash);
    // The entries up to the old checkpoint are unchanged, and the erasure is the newest entry.
    verifyEntriesAgainstCheckpoint((await get(`/v1/audit/entries?from=0&to=${before.size}`).expect(200)).text, before.note, log.verifierKey);
    const audit = verifyEntriesAgainstCheckpoint((await get(`/v1/audit/entries?from=0&to=${after.size}`).expect(200)).text, after.note, log.verifierKey);
    expect(audit.entries.at(-1)!.record).toEqual({
      kind: 'erasure',
      event_id: erased,
      rejection_request_id: null,
      erased_sha256: payloadSha256(erasedPayload),
      reason: 'data-subject request DSR-2026-0042',
      requested_by: await partnerIdOf(gateway, admin),
      erased_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/),
    });
    // The same members as the published vector of the kind (§12).
    const vectors = JSON.parse(readFileSync(join(process.cwd(), 'docs/audit-format-vectors.json'), 'utf8'));
    expect(Object.keys(audit.entries.at(-1)!.record).sort()).toEqual(Object.keys(vectors.erasure_record.record).sort());
  });

  it('verifies, counting the erasure', async () => {
    expect(await verify()).toMatchObject({ ok: true, first_problem: null, erased_payloads: 1 });
  });

  it('answers the partner\'s retry with the same Idempotency-Key and body with the stored outcome', async () => {
    const again = await request(gateway.http)
      .post('/1/targets/trigger.json')
      .set(gateway.partnerHeaders(partner))
      .set('Idempotency-Key', '"order-1"')
      .send(erasedPayload)
      .expect(200);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body.event_id).toBe(erased);
    await request(gateway.http)
      .post('/1/targets/trigger.json')
      .set(gateway.partnerHeaders(partner))
      .set('Idempotency-Key', '"order-1"')
      .send(bulletin({ name: 'another' }))
      .expect(422);
  });

  it('refuses to replay an erased event: nothing is left to send', async () => {
    const failed = await raise(gateway, partner, bulletin({ business_event: 'Undefined Event', name: 'to be erased' }));
    await waitForStatus(gateway, [failed], 'failed');
    await erase(failed, admin).expect(201);
    const dryRun = await request(gateway.http).post('/v1/replays').set(bearer(operator)).send({ status: 'failed', reason: 'retry', dry_run: true }).expect(200);
    expect(dryRun.body).toMatchObject({ matched: 1, will_queue: 0, skipped_erased: 1 });
    const replay = await request(gateway.http).post('/v1/replays').set(bearer(operator)).send({ status: 'failed', reason: 'retry' });
    expectProblem(replay, 409, 'payload_erased');
    expect(replay.body.detail).toMatch(/erased: nothing is left to send/);
    expect(await gateway.sql('SELECT * FROM replay_requests')).toEqual([]);
    expect((await gateway.timeline(failed)).status).toBe('failed');
  });

  it('refuses to erase an event still waiting for delivery', async () => {
    gateway.simulator.setFaults([{ kind: '5xx', status: 503, remaining: 1 }]);
    const waiting = await raise(gateway, partner, bulletin({ name: 'waiting' }), { async: true });
    await waitForStatus(gateway, [waiting], 'retrying');
    const response = await erase(waiting, admin);
    expectProblem(response, 409, 'event_pending');
    expect(response.body.detail).toMatch(/still retrying/);
  });

  it('reports a payload removed without a recorded erasure as tampering', async () => {
    const [kept] = await gateway.sql(`SELECT id, payload FROM bulletin_events WHERE payload->>'name' = 'kept'`);
    await superuser.query('ALTER TABLE bulletin_events DISABLE TRIGGER bulletin_events_append_only');
    try {
      await superuser.query('UPDATE bulletin_events SET payload = NULL WHERE id = $1', [kept.id]);
      const report = await verify();
      expect(report.ok).toBe(false);
      expect(report.first_problem).toMatchObject({ kind: 'event', problem: 'payload_modified', detail: expect.stringMatching(/without a recorded erasure/) });
      await superuser.query('UPDATE bulletin_events SET payload = $2 WHERE id = $1', [kept.id, kept.payload]);
    } finally {
      await superuser.query('ALTER TABLE bulletin_events ENABLE ALWAYS TRIGGER bulletin_events_append_only');
    }
    expect(await verify()).toMatchObject({ ok: true });
  });

  // Last: the trigger lets this through (it cannot recompute a canonical digest), the log stays broken.
  it('reports an erasure recorded with another digest than the record commits to', async () => {
    const [kept] = await gateway.sql(`SELECT id FROM bulletin_events WHERE payload->>'name' = 'kept'`);
    await superuser.query('BEGIN');
    await superuser.query(`INSERT INTO payload_erasures (event_id, erased_sha256, reason, requested_by) VALUES ($1, repeat('0', 64), 'forged', 'superuser')`, [kept.id]);
    await superuser.query('UPDATE bulletin_events SET payload = NULL WHERE id = $1', [kept.id]);
    await superuser.query('COMMIT');
    const report = await verify();
    expect(report.ok).toBe(false);
    expect(report.first_problem).toMatchObject({ kind: 'event', problem: 'payload_modified', detail: expect.stringMatching(/names another digest/) });
  });
});
