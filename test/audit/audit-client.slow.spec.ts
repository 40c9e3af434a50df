import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { TreeSealer } from '../../src/audit-log/tree-sealer.service.js';
import { generateWitnessKey } from '../../src/transparency/cosignature.js';
import { generateNoteKey } from '../../src/transparency/signed-note.js';
import { sealedAndSigned, signingLog, TEST_ORIGIN } from '../support/audit-log-keys.js';
import request from 'supertest';
import { bearer, bulletin, raise } from '../support/fixtures.js';
import { type GatewayHarness, startGateway } from '../support/gateway-harness.js';
import { runCli } from '../support/gateway-process.js';

/**
 * `audit:monitor` and `witness` as an auditor's cron would run them: real processes of the built CLI
 * against a live gateway's HTTP routes, with nothing but pinned keys and a state file of their own.
 */
describe('audit:monitor and witness against a live gateway', () => {
  let gateway: GatewayHarness;
  let url: string;
  let auditor: string;
  let partner: string;
  const log = signingLog();
  const witness = generateWitnessKey('witness.example');
  const folder = mkdtempSync(join(tmpdir(), 'bg-audit-client-'));
  const monitorState = join(folder, 'monitor.json');
  const witnessState = join(folder, 'witness.json');

  const cli = (args: string[]) => runCli(gateway.database.url, args, { timeoutMs: 60_000 });
  const monitor = (...extra: string[]) =>
    cli(['audit:monitor', '--gateway', url, '--key', auditor, '--verifier-key', log.verifierKey, '--state', monitorState, ...extra]);
  const cosign = (state = witnessState) =>
    cli(['witness', '--gateway', url, '--key', auditor, '--verifier-key', log.verifierKey, '--witness-key', witness.signingKey, '--state', state]);
  const grow = async (names: string[]) => {
    for (const name of names) await raise(gateway, partner, bulletin({ name }));
    return sealedAndSigned(gateway, TreeSealer);
  };

  beforeAll(async () => {
    gateway = await startGateway({ env: { ...log.env, AUDIT_WITNESSES: witness.verifierKey } });
    await gateway.app.listen(0, '127.0.0.1');
    url = `http://127.0.0.1:${(gateway.app.getHttpServer().address() as AddressInfo).port}`;
    auditor = await gateway.createPartner({ role: 'auditor', accounts: [] });
    partner = await gateway.createPartner();
    await grow(['first', 'second', 'third']);
  }, 60_000);
  afterAll(() => gateway.close());

  it('keeps the first checkpoint it verifies, then accepts one that extends it', async () => {
    const first = await monitor();
    expect(first).toMatchObject({ code: 0, stderr: '' });
    expect(first.stdout).toMatch(/log consistent: \d+ entries \(first checkpoint kept\); \d+ leaves checked/);
    const kept = JSON.parse(readFileSync(monitorState, 'utf8'));
    expect(kept).toMatchObject({ origin: TEST_ORIGIN, size: expect.any(Number), root_hash: expect.any(String) });

    // An erasure is a new leaf too, with no event proof of its own: the spot checks must take it in their stride.
    const admin = await gateway.createPartner({ role: 'admin', accounts: [] });
    const [erased] = await gateway.sql(`SELECT id FROM bulletin_events WHERE payload->>'name' = 'first'`);
    await request(gateway.http).post(`/v1/events/${erased.id}/erasure`).set(bearer(admin)).send({ reason: 'monitor test' }).expect(201);
    const size = await grow(['fourth', 'fifth']);
    expect((await gateway.sql(`SELECT count(*)::int AS n FROM audit_leaves WHERE kind = 'erasure'`))[0].n).toBe(1);
    const second = await monitor('--sample', '50');
    expect(second.code).toBe(0);
    expect(second.stdout).toContain(`log consistent: ${size} entries (extends ${kept.size})`);
    expect((await monitor('--full')).stdout).toMatch(new RegExp(`${size} leaves checked`));
  }, 120_000);

  it('names the problem and exits 1: a key that is not the log\'s, a missing quorum', async () => {
    const forged = generateNoteKey(TEST_ORIGIN).verifierKey;
    const bad = await cli(['audit:monitor', '--gateway', url, '--key', auditor, '--verifier-key', forged, '--state', join(folder, 'other.json')]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^bulletin-gateway: bad_signature: /);

    const unwitnessed = await monitor('--witness', witness.verifierKey, '--quorum', '1');
    expect(unwitnessed.code).toBe(1);
    expect(unwitnessed.stderr).toMatch(/missing_cosignatures: .*0 valid cosignatures .* 1 are required/);
  }, 60_000);

  it('a witness cosigns a checkpoint that extends the last one it cosigned, and the monitor then has its quorum', async () => {
    const first = await cosign();
    expect(first).toMatchObject({ code: 0, stderr: '' });
    expect(first.stdout).toMatch(/cosigned: \d+ entries \(first checkpoint\)/);
    await grow(['sixth']);
    const second = await cosign();
    expect(second.stdout).toMatch(/cosigned: \d+ entries \(extends \d+\)/);
    const witnessed = await monitor('--witness', witness.verifierKey, '--quorum', '1');
    expect(witnessed.code).toBe(0);
  }, 120_000);

  it('refuses a log that shrank or was rewritten, and the witness cosigns neither', async () => {
    const kept = JSON.parse(readFileSync(monitorState, 'utf8'));
    // What a monitor and a witness hold after the database was restored from an older copy: a checkpoint
    // larger than what the log now serves, then one of the same size with another root.
    const larger = join(folder, 'larger.json');
    writeFileSync(larger, JSON.stringify({ ...kept, size: kept.size + 5 }));
    const rewritten = join(folder, 'rewritten.json');
    writeFileSync(rewritten, JSON.stringify({ ...kept, root_hash: Buffer.alloc(32, 7).toString('base64') }));
    await sealedAndSigned(gateway, TreeSealer);

    for (const [state, problem] of [
      [larger, 'smaller_tree'],
      [rewritten, 'inconsistent_tree'],
    ]) {
      const cosigned = await cosign(state);
      expect(cosigned.code).toBe(1);
      expect(cosigned.stderr).toMatch(new RegExp(`^bulletin-gateway: ${problem}: `));
      const monitored = await cli(['audit:monitor', '--gateway', url, '--key', auditor, '--verifier-key', log.verifierKey, '--state', state]);
      expect(monitored.code).toBe(1);
      expect(monitored.stderr).toMatch(new RegExp(`^bulletin-gateway: ${problem}: `));
      expect(JSON.parse(readFileSync(state, 'utf8')).checkpoint).toBe(kept.checkpoint); // the state is left as it was
    }
  }, 120_000);

  it('finds a record rewritten behind the gateway: the entries no longer hash to the signed root', async () => {
    const superuser = new pg.Client(gateway.database.url);
    await superuser.connect();
    try {
      await superuser.query('ALTER TABLE bulletin_events DISABLE TRIGGER USER');
      await superuser.query(`UPDATE bulletin_events SET business_event = 'Rewritten' WHERE payload->>'name' = 'second'`);
    } finally {
      await superuser.query(`ALTER TABLE bulletin_events ENABLE TRIGGER USER;
        ALTER TABLE bulletin_events ENABLE ALWAYS TRIGGER bulletin_events_append_only; ALTER TABLE bulletin_events ENABLE ALWAYS TRIGGER bulletin_events_no_truncate`);
      await superuser.end();
    }
    const full = await monitor('--full');
    expect(full.code).toBe(1);
    expect(full.stderr).toMatch(/^bulletin-gateway: leaf_mismatch: the entries served do not hash to the checkpoint root/);
  }, 60_000);
});
