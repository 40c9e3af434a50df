import { mkdtempSync, readFileSync, writeFileSync, createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import pg from 'pg';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { ChainSealer } from '../../src/audit-log/chain-sealer.service.js';
import { exportEvents, verifyExportFile } from '../../src/audit-api/event-export.js';
import { generateSigningKey, parseSigningKey } from '../../src/audit-log/signing-key.js';
import { exampleBulletin, startGateway, type GatewayHarness } from '../support/gateway-harness.js';

/** Tampering as a superuser would: triggers disabled, rows rewritten behind the gateway's back. */
describe('the tamper-evident log', () => {
  let gateway: GatewayHarness;
  let auditorKey: string;
  let superuser: pg.Client;
  const signing = generateSigningKey();

  beforeAll(async () => {
    gateway = await startGateway({ env: { AUDIT_SIGNING_KEY: signing.privateKey, AUDIT_CHECKPOINT_INTERVAL_MS: '1000' } });
    auditorKey = await gateway.createPartner({ role: 'auditor', accounts: [] });
    const partnerKey = await gateway.createPartner();
    for (let i = 0; i < 4; i++)
      await request(gateway.http).post('/1/targets/trigger.json').set(gateway.partnerHeaders(partnerKey)).send(exampleBulletin()).expect(200);
    await gateway.app.get(ChainSealer).sealPending();
    superuser = new pg.Client(gateway.database.url);
    await superuser.connect();
  });
  afterAll(async () => {
    await superuser.end();
    await gateway.close();
  });

  const verify = async () =>
    (await request(gateway.http).get('/v1/audit/verify').set('Authorization', `Bearer ${auditorKey}`).expect(200)).body;

  const chainPositionOf = async (kind: string, ref: number) =>
    Number((await gateway.sql(`SELECT position FROM audit_chain WHERE entry_kind = $1 AND entry_ref = $2`, [kind, ref]))[0].position);

  /** Runs `tamper` with the append-only triggers off, checks what verify says, then puts things back. */
  async function tamperedThenRestored(table: string, tamper: string, restore: string | (() => Promise<unknown>)) {
    await superuser.query(`ALTER TABLE ${table} DISABLE TRIGGER USER`);
    try {
      await superuser.query(tamper);
      return await verify();
    } finally {
      await (typeof restore === 'string' ? superuser.query(restore) : restore());
      await superuser.query(`ALTER TABLE ${table} ENABLE ALWAYS TRIGGER ${table}_append_only`);
      await superuser.query(`ALTER TABLE ${table} ENABLE ALWAYS TRIGGER ${table}_no_truncate`);
    }
  }

  it('verifies an untouched log, with a signed checkpoint', async () => {
    const report = await verify();
    expect(report).toMatchObject({ ok: true, entriesChecked: 8, firstBrokenLink: null });
    expect(report.checkpointsChecked).toBeGreaterThanOrEqual(1);
  });

  it('names the entry whose payload was modified', async () => {
    const [event] = await gateway.sql(`SELECT position, payload FROM bulletin_events ORDER BY position LIMIT 1 OFFSET 1`);
    const report = await tamperedThenRestored(
      'bulletin_events',
      `UPDATE bulletin_events SET payload = jsonb_set(payload, '{name}', '"Forged name"') WHERE position = ${event.position}`,
      `UPDATE bulletin_events SET payload = '${JSON.stringify(event.payload)}' WHERE position = ${event.position}`,
    );
    expect(report.ok).toBe(false);
    expect(report.firstBrokenLink).toMatchObject({
      position: await chainPositionOf('event', Number(event.position)),
      entryKind: 'event',
      entryRef: Number(event.position),
      problem: 'modified',
    });
    expect((await verify()).ok).toBe(true);
  });

  it('names the entry that was deleted', async () => {
    const [attempt] = await gateway.sql(`SELECT position FROM dispatch_attempts ORDER BY position LIMIT 1 OFFSET 2`);
    // Kept in SQL, not in JS: the restored row must be identical to the microsecond.
    await superuser.query(`CREATE TEMP TABLE deleted_attempt AS SELECT * FROM dispatch_attempts WHERE position = ${attempt.position}`);
    const report = await tamperedThenRestored(
      'dispatch_attempts',
      `DELETE FROM dispatch_attempts WHERE position = ${attempt.position}`,
      `INSERT INTO dispatch_attempts OVERRIDING SYSTEM VALUE SELECT * FROM deleted_attempt`,
    );
    expect(report.firstBrokenLink).toMatchObject({
      position: await chainPositionOf('attempt', Number(attempt.position)),
      entryKind: 'attempt',
      problem: 'deleted',
    });
    expect((await verify()).ok).toBe(true);
  });

  it('finds a forged entry slipped into the past', async () => {
    const [model] = await gateway.sql(`SELECT *, inserted_xid::text AS xid FROM bulletin_events ORDER BY position LIMIT 1`);
    const report = await tamperedThenRestored(
      'bulletin_events',
      `INSERT INTO bulletin_events (id, position, partner_id, account_id, business_event, payload, payload_sha256, request_id, received_at, inserted_xid)
       OVERRIDING SYSTEM VALUE
       VALUES (gen_random_uuid(), 9999, '${model.partner_id}', 'sim-account', 'Program Released', '{"name":"forged"}', 'x', 'forged', now(), '${model.xid}')`,
      `DELETE FROM bulletin_events WHERE position = 9999`,
    );
    expect(report.firstBrokenLink).toMatchObject({ entryKind: 'event', entryRef: 9999, problem: 'not_in_chain' });
  });

  it('notices two entries whose contents were swapped', async () => {
    const [first, second] = await gateway.sql(`SELECT position, payload FROM bulletin_events ORDER BY position LIMIT 2`);
    const swap = (a: unknown, b: unknown) =>
      `UPDATE bulletin_events SET payload = CASE position WHEN ${first.position} THEN '${JSON.stringify(a)}'::jsonb ELSE '${JSON.stringify(b)}'::jsonb END
        WHERE position IN (${first.position}, ${second.position})`;
    const report = await tamperedThenRestored(
      'bulletin_events',
      swap({ ...second.payload, name: 'the second bulletin' }, first.payload),
      swap(first.payload, second.payload),
    );
    expect(report.firstBrokenLink).toMatchObject({
      position: await chainPositionOf('event', Number(first.position)),
      problem: 'modified',
    });
    expect((await verify()).ok).toBe(true);
  });

  it('notices a rewritten chain link and a forged checkpoint', async () => {
    const [link] = await gateway.sql(`SELECT position, hash FROM audit_chain ORDER BY position LIMIT 1 OFFSET 3`);
    const brokenChain = await tamperedThenRestored(
      'audit_chain',
      `UPDATE audit_chain SET hash = '${'f'.repeat(64)}' WHERE position = ${link.position}`,
      `UPDATE audit_chain SET hash = '${link.hash}' WHERE position = ${link.position}`,
    );
    expect(brokenChain.firstBrokenLink).toMatchObject({ position: Number(link.position), problem: 'chain_link_broken' });

    const [checkpoint] = await gateway.sql(`SELECT position, head_hash FROM audit_checkpoints ORDER BY position LIMIT 1`);
    const forged = await tamperedThenRestored(
      'audit_checkpoints',
      `UPDATE audit_checkpoints SET signed_at = signed_at - interval '1 day' WHERE position = ${checkpoint.position}`,
      `UPDATE audit_checkpoints SET signed_at = signed_at + interval '1 day' WHERE position = ${checkpoint.position}`,
    );
    expect(forged.firstBrokenLink).toMatchObject({ problem: 'checkpoint_invalid', detail: expect.stringMatching(/signature/) });
    expect((await verify()).ok).toBe(true);
  });

  it('exports a file that verifies offline and fails once one byte of it changes', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'bulletin-export-')), 'events.ndjson');
    const db = gateway.app.get(DataSource);
    const output = createWriteStream(file);
    const rows = await exportEvents({ db, filter: {}, format: 'ndjson', output, signingKey: parseSigningKey(signing.privateKey) });
    await finished(output);
    expect(rows).toBe(4);
    expect(await verifyExportFile(file, signing.publicKey)).toEqual({ ok: true, lines: 5, signed: true });

    const bytes = readFileSync(file);
    const at = bytes.indexOf('Sa Re Ga Ma');
    bytes[at] = 'X'.charCodeAt(0);
    writeFileSync(file, bytes);
    expect(await verifyExportFile(file, signing.publicKey)).toMatchObject({ ok: false, problem: expect.stringMatching(/changed/) });
  });
});
