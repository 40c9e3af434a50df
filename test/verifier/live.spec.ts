import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import request from 'supertest';
import { TreeSealer } from '../../src/audit-log/tree-sealer.service.js';
import { sealedAndSigned, signingLog } from '../support/audit-log-keys.js';
import { bearer, bulletin, raise } from '../support/fixtures.js';
import { startGateway, type GatewayHarness } from '../support/gateway-harness.js';
import { waitFor } from '../support/wait-for.js';
import { cosignatureLine, keyFromSeed } from './test-signer.js';
import {
  VerificationError,
  type VerifiedCheckpoint,
  verifyCheckpoint,
  verifyConsistency,
  verifyEntriesAgainstCheckpoint,
  verifyEventProof,
  verifyExport,
} from './verifier.js';

/**
 * The independent verifier (written from docs/audit-format.md alone) against a real gateway: the gateway
 * and its database are only driven here; every check of what they serve is done by ./verifier.ts.
 */
describe('the independent verifier against a live gateway', () => {
  const log = signingLog();
  const witness = keyFromSeed('witness.live.test', 0x04, Buffer.alloc(32, 0x07));
  const policy = { witnesses: [witness.vkey], quorum: 1 };
  let gateway: GatewayHarness;
  let auditor: string;
  let partner: string;
  const payloads = new Map<string, Record<string, unknown>>();
  let retried: string;
  let replayed: string;
  let first: VerifiedCheckpoint;
  let second: VerifiedCheckpoint;

  const get = (path: string) => request(gateway.http).get(path).set(bearer(auditor));
  const attemptsOf = async (eventId: string) =>
    gateway.sql<{ trigger: string; outcome: string }>(`SELECT trigger, outcome FROM dispatch_attempts WHERE event_id = $1 ORDER BY attempt_number`, [eventId]);
  const raiseKept = async (body: Record<string, unknown>, options: { async?: boolean; headers?: Record<string, string> } = {}) => {
    const id = await raise(gateway, partner, body, options);
    payloads.set(id, body);
    return id;
  };

  /** The served checkpoint, cosigned by the pinned witness through the gateway's route, then verified. */
  async function cosignedCheckpoint(): Promise<VerifiedCheckpoint> {
    const note = (await get('/v1/audit/checkpoint').expect(200)).text;
    const text = note.slice(0, note.lastIndexOf('\n\n') + 1);
    const cosignature = cosignatureLine(witness, text, BigInt(Math.floor(Date.now() / 1000))).trimEnd();
    await request(gateway.http).post('/v1/audit/cosignatures').set(bearer(auditor)).send({ checkpoint: note, cosignature }).expect(200);
    return verifyCheckpoint((await get('/v1/audit/checkpoint').expect(200)).text, log.verifierKey, policy);
  }

  beforeAll(async () => {
    gateway = await startGateway({
      env: { ...log.env, AUDIT_WITNESSES: witness.vkey, RETRY_SCHEDULE: '100ms,100ms,100ms', CIRCUIT_FAILURE_THRESHOLD: '50' },
    });
    auditor = await gateway.createPartner({ role: 'auditor', accounts: [] });
    partner = await gateway.createPartner();
  });
  afterAll(() => gateway?.close());

  it('raises events that fail and are retried, one that is replayed, and a rejection; a checkpoint covers them', async () => {
    gateway.simulator.setFaults([{ kind: '5xx', status: 503, remaining: 2 }]);
    retried = await raiseKept(bulletin({ name: 'retried twice' }), { async: true });
    await waitFor(async () => (await attemptsOf(retried)).at(-1)?.outcome === 'sent', 10_000, 'the retried event sent');
    await raiseKept(bulletin({ name: 'sent at once', properties: { language: 'Tamil' } }), { headers: { 'Idempotency-Key': 'order-7781' } });
    replayed = await raiseKept(bulletin({ business_event: 'Undefined Event' }));
    await request(gateway.http).post('/1/targets/trigger.json').set(gateway.partnerHeaders(partner)).send({ name: 'no business event' }).expect(400);
    const operator = await gateway.createPartner({ role: 'operator', accounts: [] });
    await request(gateway.http).post('/v1/replays').set(bearer(operator)).send({ status: 'failed', reason: 'live verifier test' }).expect(202);
    await waitFor(async () => (await attemptsOf(replayed)).some((a) => a.trigger === 'replay'), 10_000, 'the replay attempt');
    expect((await attemptsOf(retried)).map((a) => a.outcome)).toEqual(['transient', 'transient', 'sent']);

    const size = await sealedAndSigned(gateway, TreeSealer);
    first = await cosignedCheckpoint();
    expect(first.size).toBe(size);
    expect(first.cosignatures.map((c) => c.name)).toEqual([witness.name]);
  });

  it('verifies GET /v1/events/:id/proof of every event, with its payload, against the checkpoint', async () => {
    expect(payloads.size).toBe(3);
    for (const [eventId, payload] of payloads) {
      const proof = verifyEventProof((await get(`/v1/events/${eventId}/proof`).expect(200)).text, log.verifierKey, { ...policy, eventId, payload });
      expect(proof.checkpoint.size).toBeGreaterThanOrEqual(first.size);
      const kinds = proof.entries.map((e) => e.kind);
      if (eventId === retried) expect(kinds).toEqual(['event', 'attempt', 'attempt', 'attempt']);
      if (eventId === replayed) expect(kinds).toEqual(['event', 'attempt', 'replay_item', 'attempt']);
    }
  });

  it('verifies GET /v1/audit/consistency between two checkpoints it observed', async () => {
    await raiseKept(bulletin({ name: 'later' }));
    await raiseKept(bulletin({ name: 'later still' }));
    await sealedAndSigned(gateway, TreeSealer);
    second = await cosignedCheckpoint();
    expect(second.size).toBeGreaterThan(first.size);
    const body = (await get(`/v1/audit/consistency?from=${first.size}&to=${second.size}`).expect(200)).body;
    expect([body.from, body.to]).toEqual([first.size, second.size]);
    verifyConsistency(first.size, second.size, body.proof, first.rootHash, second.rootHash);
    expect(() => verifyConsistency(first.size, second.size, body.proof, Buffer.alloc(32), second.rootHash)).toThrow(VerificationError);
  });

  it('recomputes the root of a checkpoint from GET /v1/audit/entries, with every §5 and §10 rule', async () => {
    const entries = (await get(`/v1/audit/entries?from=0&to=${second.size}`).expect(200)).text;
    const audit = verifyEntriesAgainstCheckpoint(entries, second.note, log.verifierKey, policy);
    expect(audit.entries).toHaveLength(second.size);
    expect(new Set(audit.entries.map((e) => e.kind))).toEqual(new Set(['event', 'attempt', 'rejection', 'replay', 'replay_item']));
  });

  it('verifies a whole-log and a filtered NDJSON export (§9.1), the whole-log one recomputing the root', async () => {
    const exported = async (query: string) => (await get(`/v1/events/export?format=ndjson${query}`).expect(200)).text;
    const whole = verifyExport(await exported(''), log.verifierKey, policy);
    expect(whole.scope).toBe('whole_log');
    expect(whole.recomputedRoot?.equals(whole.checkpoint.rootHash)).toBe(true);
    expect(whole.entries.size).toBe(whole.checkpoint.size);
    expect(whole.checkpoint.size).toBeGreaterThanOrEqual(second.size);
    for (const [eventId, payload] of payloads) expect(whole.events.find((e) => e.id === eventId)?.payload).toEqual(payload);
    expect(whole.events.find((e) => e.id === replayed)!.entries.map((e) => e.kind)).toEqual(['event', 'attempt', 'replay_item', 'attempt']);
    const filtered = verifyExport(await exported(`&status=sent`), log.verifierKey, policy);
    expect(filtered.scope).toBe('filtered');
    expect(filtered.recomputedRoot).toBeUndefined();
    expect(filtered.events.length).toBeGreaterThan(0);
    expect(filtered.events.length).toBeLessThan(whole.events.length);
  });

  it('serves records of the same shapes as the test vectors of §12', async () => {
    const vectors = JSON.parse(readFileSync(join(process.cwd(), 'docs/audit-format-vectors.json'), 'utf8'));
    const shape = (record: Record<string, unknown>) => Object.entries(record).map(([name, value]) => `${name}:${value === null ? 'null' : typeof value}`).sort();
    const served = verifyEntriesAgainstCheckpoint((await get(`/v1/audit/entries?from=0&to=${second.size}`).expect(200)).text, second.note, log.verifierKey).entries;
    for (const { kind, record } of vectors.entries as Array<{ kind: string; record: Record<string, unknown> }>) {
      const names = Object.keys(record).sort();
      const live = served.filter((e) => e.kind === kind).map((e) => e.record);
      expect(live.length).toBeGreaterThan(0);
      for (const r of live) expect(Object.keys(r).sort()).toEqual(names);
      // Every non-null member type the vector shows also occurs in the live log.
      const liveShapes = new Set(live.flatMap(shape));
      for (const s of shape(record).filter((s) => !s.endsWith(':null'))) expect(liveShapes).toContain(s);
    }
  });

  it('rejects the served proof and entries once a superuser rewrites a logged attempt', async () => {
    const superuser = new pg.Client(gateway.database.url);
    await superuser.connect();
    try {
      await superuser.query('ALTER TABLE dispatch_attempts DISABLE TRIGGER USER');
      await superuser.query(`UPDATE dispatch_attempts SET error_code = '500' WHERE event_id = $1 AND attempt_number = 1`, [retried]);
    } finally {
      await superuser.query(`ALTER TABLE dispatch_attempts ENABLE TRIGGER USER;
        ALTER TABLE dispatch_attempts ENABLE ALWAYS TRIGGER dispatch_attempts_append_only;
        ALTER TABLE dispatch_attempts ENABLE ALWAYS TRIGGER dispatch_attempts_no_truncate`);
      await superuser.end();
    }
    const proofText = (await get(`/v1/events/${retried}/proof`).expect(200)).text;
    expect(() => verifyEventProof(proofText, log.verifierKey, { ...policy, eventId: retried })).toThrow(/^bad_inclusion: /);
    // The checkpoint itself still verifies: it is the rewritten record that no longer fits under its root.
    verifyCheckpoint(JSON.parse(proofText).checkpoint, log.verifierKey, policy);
    const entries = (await get(`/v1/audit/entries?from=0&to=${second.size}`).expect(200)).text;
    expect(() => verifyEntriesAgainstCheckpoint(entries, second.note, log.verifierKey, policy)).toThrow(/^root_mismatch: /);
    // A fresh export is signed over the rewritten record, and still fails: the record is not under the root.
    const exported = (await get('/v1/events/export?format=ndjson').expect(200)).text;
    expect(() => verifyExport(exported, log.verifierKey, policy)).toThrow(/^bad_inclusion: /);
  });
});
