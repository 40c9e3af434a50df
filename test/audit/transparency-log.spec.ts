import request from 'supertest';
import { TreeSealer } from '../../src/audit-log/tree-sealer.service.js';
import { openCheckpoint } from '../../src/transparency/checkpoint.js';
import { cosignCheckpoint, generateWitnessKey, parseWitnessSigner, parseWitnessVerifier } from '../../src/transparency/cosignature.js';
import { recordLeafHash } from '../../src/transparency/leaf.js';
import { rootOf, verifyConsistency, verifyInclusion } from '../../src/transparency/merkle.js';
import { openReceipt } from '../../src/transparency/receipt.js';
import { parseVerifierKey } from '../../src/transparency/signed-note.js';
import { sealedAndSigned, signingLog, TEST_ORIGIN } from '../support/audit-log-keys.js';
import { bearer, bulletin, raise } from '../support/fixtures.js';
import { startGateway, type GatewayHarness } from '../support/gateway-harness.js';
import { waitFor } from '../support/wait-for.js';

const fromBase64 = (hashes: string[]) => hashes.map((h) => Buffer.from(h, 'base64'));

/**
 * The log as an auditor and a partner use it, checked only with the RFC 9162 and C2SP verification
 * functions: checkpoints against the pinned verifier key, inclusion of every leaf of an event,
 * consistency between two checkpoints, the entries stream against the root, witness cosignatures.
 */
describe('the transparency log, live', () => {
  let gateway: GatewayHarness;
  let auditor: string;
  let partner: string;
  let otherPartner: string;
  const log = signingLog();
  const witness = generateWitnessKey('witness.example');
  const strangerWitness = generateWitnessKey('stranger.example');
  const logVerifier = parseVerifierKey(log.verifierKey);

  const get = (path: string, key = auditor) => request(gateway.http).get(path).set(bearer(key));
  const checkpoint = async () => {
    const response = await get('/v1/audit/checkpoint').expect(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain/);
    return { note: response.text, ...openCheckpoint(response.text, logVerifier).checkpoint };
  };

  beforeAll(async () => {
    gateway = await startGateway({ env: { ...log.env, AUDIT_WITNESSES: witness.verifierKey } });
    auditor = await gateway.createPartner({ role: 'auditor', accounts: [] });
    partner = await gateway.createPartner();
    otherPartner = await gateway.createPartner();
  });
  afterAll(() => gateway.close());

  let failedEvent: string;
  let firstSize: number;
  let firstRoot: Buffer;

  it('signs a C2SP checkpoint of the whole tree with the log key, named after the origin', async () => {
    await raise(gateway, partner, bulletin({ name: 'first' }));
    await raise(gateway, otherPartner, bulletin({ name: 'someone else' }));
    failedEvent = await raise(gateway, partner, bulletin({ business_event: 'Undefined Event' }));
    const operator = await gateway.createPartner({ role: 'operator', accounts: [] });
    await request(gateway.http).post('/v1/replays').set(bearer(operator)).send({ status: 'failed', reason: 'proof test' }).expect(202);
    await waitFor(
      async () => (await gateway.sql(`SELECT count(*)::int AS n FROM dispatch_attempts WHERE trigger = 'replay'`))[0].n === 1,
      10_000,
      'the replay attempt',
    );
    const size = await sealedAndSigned(gateway, TreeSealer);
    const served = await checkpoint();
    expect(served).toMatchObject({ origin: TEST_ORIGIN, size });
    expect(served.note.split('\n')[0]).toBe(TEST_ORIGIN);
    firstSize = served.size;
    firstRoot = served.rootHash;
  });

  it('proves every leaf of an event (the event, each attempt, the replay item) against the checkpoint', async () => {
    const proof = (await get(`/v1/events/${failedEvent}/proof`).expect(200)).body;
    const { checkpoint: cp } = openCheckpoint(proof.checkpoint, logVerifier);
    expect(proof.entries.map((entry: { kind: string }) => entry.kind).sort()).toEqual(['attempt', 'attempt', 'event', 'replay_item']);
    for (const entry of proof.entries) {
      expect(entry.record.kind).toBe(entry.kind);
      expect(entry.kind === 'event' ? entry.record.id : entry.record.event_id).toBe(failedEvent);
      expect(verifyInclusion(entry.index, cp.size, recordLeafHash(entry.record), fromBase64(entry.inclusion), cp.rootHash)).toBe(true);
    }
    // A record changed by one byte no longer verifies: the proof is about this exact record.
    const [event] = proof.entries.filter((e: { kind: string }) => e.kind === 'event');
    const forged = { ...event.record, business_event: 'Something else' };
    expect(verifyInclusion(event.index, cp.size, recordLeafHash(forged), fromBase64(event.inclusion), cp.rootHash)).toBe(false);
    expect(event.record).toEqual({
      kind: 'event',
      id: failedEvent,
      partner_id: expect.any(String),
      account_id: 'sim-account',
      business_event: 'Undefined Event',
      payload_sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      idempotency_key: null,
      request_id: expect.any(String),
      received_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/),
    });
  });

  it('gives partners proofs of their own events only, with the 404 of /v1/events/:id', async () => {
    expect((await get(`/v1/events/${failedEvent}/proof`, partner).expect(200)).body.entries.length).toBe(4);
    const other = (await get(`/v1/events/${failedEvent}/proof`, otherPartner).expect(404)).body;
    expect(other).toMatchObject({ status: 404, code: 'not_found' });
    await get(`/v1/events/not-a-uuid/proof`).expect(404);
    await get('/v1/audit/checkpoint', partner).expect(403);
  });

  it('proves a later checkpoint consistent with the earlier one', async () => {
    await raise(gateway, partner, bulletin({ name: 'later' }));
    await raise(gateway, partner, bulletin({ name: 'later still' }));
    await sealedAndSigned(gateway, TreeSealer);
    const second = await checkpoint();
    expect(second.size).toBeGreaterThan(firstSize);
    const body = (await get(`/v1/audit/consistency?from=${firstSize}&to=${second.size}`).expect(200)).body;
    expect(body).toMatchObject({ from: firstSize, to: second.size });
    expect(verifyConsistency(firstSize, second.size, fromBase64(body.proof), firstRoot, second.rootHash)).toBe(true);
    expect(verifyConsistency(firstSize, second.size, fromBase64(body.proof), Buffer.alloc(32), second.rootHash)).toBe(false);
  });

  it('streams every entry as NDJSON, from which the checkpoint root is recomputed', async () => {
    const cp = await checkpoint();
    const response = await get(`/v1/audit/entries?from=0&to=${cp.size}`).expect(200);
    expect(response.headers['content-type']).toMatch(/^application\/x-ndjson/);
    const lines = response.text.trimEnd().split('\n').map((line) => JSON.parse(line));
    expect(lines.map((line) => line.index)).toEqual([...Array(cp.size).keys()]);
    expect(rootOf(lines.map((line) => recordLeafHash(line.record)))).toEqual(cp.rootHash);
    const middle = (await get(`/v1/audit/entries?from=2&to=4`).expect(200)).text.trimEnd().split('\n').map((line) => JSON.parse(line));
    expect(middle).toEqual(lines.slice(2, 4));
  });

  it('answers every stored event with a signed receipt that the event\'s proof later redeems', async () => {
    const send = () =>
      request(gateway.http)
        .post('/1/targets/trigger.json')
        .set(gateway.partnerHeaders(partner))
        .set('Idempotency-Key', '"receipt-test"')
        .send(bulletin({ name: 'with a receipt' }));
    const first = await send().expect(200);
    const receipt = openReceipt(first.body.receipt, logVerifier);
    expect(receipt).toMatchObject({ origin: TEST_ORIGIN, eventId: first.body.event_id });
    // The same promise again for the same stored event when the partner retries.
    const again = await send().expect(200);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body.receipt).toBe(first.body.receipt);

    await sealedAndSigned(gateway, TreeSealer);
    const proof = (await get(`/v1/events/${first.body.event_id}/proof`, partner).expect(200)).body;
    const cp = openCheckpoint(proof.checkpoint, logVerifier).checkpoint;
    const event = proof.entries.find((entry: { kind: string }) => entry.kind === 'event');
    expect(verifyInclusion(event.index, cp.size, recordLeafHash(event.record), fromBase64(event.inclusion), cp.rootHash)).toBe(true);
    expect(event.record.payload_sha256).toBe(receipt.payloadSha256);
    expect(event.record.received_at.slice(0, 23)).toBe(receipt.receivedAt.toISOString().slice(0, 23)); // to the millisecond
  });

  it.each([
    ['/v1/audit/entries?from=3&to=2', /from must not exceed to/],
    ['/v1/audit/entries?from=0&to=100000', /at most 10000 entries per request/],
    ['/v1/audit/entries?from=0&to=9999', /at most the latest checkpoint's size/],
    ['/v1/audit/consistency?from=0&to=9999', /at most the latest checkpoint's size/],
    ['/v1/audit/consistency?from=-1&to=2', /from must be 0 or more/],
    ['/v1/audit/consistency?from=1', /to must be a whole number/],
  ])('refuses %s with a problem', async (path, detail) => {
    const body = (await get(path).expect(400)).body;
    expect(body).toMatchObject({ status: 400, code: 'invalid_request', title: 'Invalid request', detail: expect.stringMatching(detail) });
  });

  it('keeps a witness cosignature checked against AUDIT_WITNESSES and serves it with the checkpoint', async () => {
    const cp = await checkpoint();
    const cosigned = cosignCheckpoint(cp.note, parseWitnessSigner(witness.signingKey));
    const line = cosigned.trimEnd().split('\n').pop()!;
    const submit = (cosignature: string) =>
      request(gateway.http).post('/v1/audit/cosignatures').set(bearer(auditor)).send({ checkpoint: cp.note, cosignature });
    expect((await submit(line).expect(200)).body).toEqual({ checkpoint_size: cp.size, witness: 'witness.example' });
    const served = (await get('/v1/audit/checkpoint').expect(200)).text;
    expect(openCheckpoint(served, logVerifier, [parseWitnessVerifier(witness.verifierKey)], 1).cosignatures).toHaveLength(1);

    const stranger = cosignCheckpoint(cp.note, parseWitnessSigner(strangerWitness.signingKey)).trimEnd().split('\n').pop()!;
    expect((await submit(stranger).expect(400)).body.detail).toMatch(/not by a witness in AUDIT_WITNESSES/);
    const tampered = line.slice(0, -6) + (line.endsWith('AAAA==') ? 'BBBB==' : 'AAAA==');
    expect((await submit(tampered).expect(400)).body.code).toBe('invalid_cosignature');
  });
});

describe('a log before its first entries are checkpointed', () => {
  let gateway: GatewayHarness;
  let auditor: string;
  let partner: string;
  const log = signingLog();

  beforeAll(async () => {
    // A checkpoint at most every hour: the empty tree's is signed at once, and nothing after it for the test.
    gateway = await startGateway({ env: { ...log.env, AUDIT_CHECKPOINT_INTERVAL_MS: '3600000' } });
    auditor = await gateway.createPartner({ role: 'auditor', accounts: [] });
    partner = await gateway.createPartner();
  });
  afterAll(() => gateway.close());

  it('serves the signed checkpoint of the empty tree (size 0, root SHA-256 of nothing)', async () => {
    const note = await waitFor(async () => {
      const response = await request(gateway.http).get('/v1/audit/checkpoint').set(bearer(auditor));
      return response.status === 200 ? response.text : undefined;
    });
    const cp = openCheckpoint(note, parseVerifierKey(log.verifierKey)).checkpoint;
    expect({ size: cp.size, root: cp.rootHash.toString('base64') }).toEqual({ size: 0, root: '47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=' });
  });

  it("answers 409 not_yet_checkpointed for an event's proof until a checkpoint covers it", async () => {
    const eventId = await raise(gateway, partner, bulletin({ name: 'not covered yet' }));
    await gateway.app.get(TreeSealer).sealPending();
    const response = await request(gateway.http).get(`/v1/events/${eventId}/proof`).set(bearer(partner)).expect(409);
    expect(response.body).toMatchObject({ status: 409, code: 'not_yet_checkpointed' });
  });
});
