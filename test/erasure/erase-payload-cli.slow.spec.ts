import { userInfo } from 'node:os';
import request from 'supertest';
import { TreeSealer } from '../../src/audit-log/tree-sealer.service.js';
import { payloadSha256 } from '../../src/transparency/leaf.js';
import { sealedAndSigned, signingLog } from '../support/audit-log-keys.js';
import { bearer, bulletin, raise } from '../support/fixtures.js';
import { startGateway, type GatewayHarness } from '../support/gateway-harness.js';
import { runCli } from '../support/gateway-process.js';
import { verifyCheckpoint, verifyEntriesAgainstCheckpoint } from '../verifier/verifier.js';

describe('bulletin-gateway erase-payload (the CLI)', () => {
  const log = signingLog();
  let gateway: GatewayHarness;
  let auditor: string;
  let partner: string;
  const payload = bulletin({ name: 'Arjun Mehta, arjun@example.com' });
  let eventId: string;
  let rejection: { position: string; payload_excerpt_sha256: string; request_id: string };
  const cli = (...args: string[]) => runCli(gateway.database.url, ['erase-payload', ...args]);
  const get = (path: string) => request(gateway.http).get(path).set(bearer(auditor));

  beforeAll(async () => {
    gateway = await startGateway({ env: { ...log.env, AUDIT_SEAL_INTERVAL_MS: '3600000' } });
    auditor = await gateway.createPartner({ role: 'auditor', accounts: [] });
    partner = await gateway.createPartner();
    eventId = await raise(gateway, partner, payload);
    await request(gateway.http).post('/1/targets/trigger.json').set(gateway.partnerHeaders(partner)).send({ name: 'Arjun Mehta, no business event' }).expect(400);
    [rejection] = await gateway.sql(`SELECT position, payload_excerpt_sha256, request_id FROM rejected_requests`);
    await sealedAndSigned(gateway, TreeSealer);
  });
  afterAll(() => gateway?.close());

  it("erases an event's payload, recorded as the OS user, and refuses a second erasure", async () => {
    const result = await cli(eventId, '--reason', 'DSR-17');
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
    expect(result.stdout).toContain(`erased the payload of event ${eventId}`);
    expect(await gateway.sql('SELECT payload FROM bulletin_events WHERE id = $1', [eventId])).toEqual([{ payload: null }]);
    expect(await gateway.sql('SELECT reason, requested_by, erased_sha256 FROM payload_erasures')).toEqual([
      { reason: 'DSR-17', requested_by: `cli:${userInfo().username}`, erased_sha256: payloadSha256(payload) },
    ]);
    const again = await cli(eventId, '--reason', 'DSR-17');
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already erased \(already_erased\)/);
  });

  it("erases a rejection's excerpt with --rejection", async () => {
    const result = await cli('--rejection', rejection.position, '--reason', 'DSR-18');
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
    expect(await gateway.sql('SELECT payload_excerpt, payload_excerpt_sha256 FROM rejected_requests WHERE position = $1', [rejection.position])).toEqual([
      { payload_excerpt: null, payload_excerpt_sha256: rejection.payload_excerpt_sha256 },
    ]);
    expect(JSON.stringify(await gateway.sql('SELECT * FROM rejected_requests'))).not.toContain('Arjun');
  });

  it('refuses unclear or unsafe requests, recording nothing', async () => {
    for (const args of [['--reason', 'x'], [eventId, '--rejection', '1', '--reason', 'x'], ['--rejection', 'abc', '--reason', 'x']]) {
      const result = await cli(...args);
      expect(result.code).not.toBe(0);
      expect(result.stderr).toMatch(/event id or --rejection|--rejection must be/);
    }
    const secret = await cli('00000000-0000-4000-8000-000000000000', '--reason', `pasted ${await gateway.createPartner()}`);
    expect(secret.code).toBe(1);
    expect(secret.stderr).toMatch(/secret_in_request/);
    const unknown = await cli('00000000-0000-4000-8000-000000000000', '--reason', 'x');
    expect(unknown.stderr).toMatch(/No such event \(not_found\)/);
    expect((await gateway.sql('SELECT count(*)::int AS n FROM payload_erasures'))[0].n).toBe(2);
  });

  it('leaves a log that verifies, with both erasures as entries an auditor checks', async () => {
    await sealedAndSigned(gateway, TreeSealer);
    expect((await get('/v1/audit/verify').expect(200)).body).toMatchObject({ ok: true, erased_payloads: 2 });
    const checkpoint = verifyCheckpoint((await get('/v1/audit/checkpoint').expect(200)).text, log.verifierKey);
    const audit = verifyEntriesAgainstCheckpoint((await get(`/v1/audit/entries?from=0&to=${checkpoint.size}`).expect(200)).text, checkpoint.note, log.verifierKey);
    expect(audit.entries.filter((e) => e.kind === 'erasure').map((e) => e.record)).toMatchObject([
      { event_id: eventId, rejection_request_id: null, erased_sha256: payloadSha256(payload), reason: 'DSR-17' },
      { event_id: null, rejection_request_id: rejection.request_id, erased_sha256: rejection.payload_excerpt_sha256, reason: 'DSR-18' },
    ]);
  });
});
