import pg from 'pg';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { CheckpointSigner } from '../../src/audit-log/checkpoint-signer.service.js';
import { ProjectionCheck } from '../../src/audit-log/projection-check.service.js';
import { TreeSealer } from '../../src/audit-log/tree-sealer.service.js';
import { openCheckpoint, signCheckpoint } from '../../src/transparency/checkpoint.js';
import { generateNoteKey, parseSignerKey, parseVerifierKey } from '../../src/transparency/signed-note.js';
import { sealedAndSigned, signingLog, TEST_ORIGIN } from '../support/audit-log-keys.js';
import { bearer, bulletin, raise } from '../support/fixtures.js';
import { startGateway, type GatewayHarness } from '../support/gateway-harness.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

const LOG_TABLES = ['bulletin_events', 'dispatch_attempts', 'audit_leaves', 'audit_tree_nodes', 'audit_tree_checkpoints'];

/** Tampering as a superuser would: triggers disabled, rows rewritten behind the gateway's back. */
async function asSuperuser(client: pg.Client, work: () => Promise<unknown>): Promise<void> {
  for (const table of LOG_TABLES) await client.query(`ALTER TABLE ${table} DISABLE TRIGGER USER`);
  try {
    await work();
  } finally {
    for (const table of LOG_TABLES)
      await client.query(`ALTER TABLE ${table} ENABLE TRIGGER USER;
        ALTER TABLE ${table} ENABLE ALWAYS TRIGGER ${table}_append_only; ALTER TABLE ${table} ENABLE ALWAYS TRIGGER ${table}_no_truncate`);
  }
}

async function startAuditedGateway(env: Record<string, string>, database?: TestDatabase) {
  const gateway = await startGateway({ env: { ...env, AUDIT_SEAL_INTERVAL_MS: '3600000' }, database });
  const auditor = await gateway.createPartner({ role: 'auditor', accounts: [] });
  const superuser = new pg.Client(gateway.database.url);
  await superuser.connect();
  const verify = async () => (await request(gateway.http).get('/v1/audit/verify').set(bearer(auditor)).expect(200)).body;
  const ready = async () => (await request(gateway.http).get('/health/ready')).body.details.audit_log;
  const signAttempt = () => gateway.app.get(CheckpointSigner).signIfDue();
  return { gateway, auditor, superuser, verify, ready, signAttempt, close: async () => (await superuser.end(), await gateway.close()) };
}

/**
 * The tamper matrix: each case names what detects it. `verify` recomputes every record from the rows and
 * the whole tree; the projection check rebuilds event_status from the log; the checkpoint signer compares
 * the database with the last checkpoint it signed, kept outside the database.
 */
describe('the tamper matrix', () => {
  const log = signingLog();
  let t: Awaited<ReturnType<typeof startAuditedGateway>>;

  beforeAll(async () => {
    t = await startAuditedGateway(log.env);
    const partner = await t.gateway.createPartner();
    for (let i = 0; i < 4; i++) await raise(t.gateway, partner, bulletin({ name: `event ${i}` }));
    await request(t.gateway.http).post('/1/targets/trigger.json').set(t.gateway.partnerHeaders(partner)).send({ name: 'no business event' }).expect(400);
    await sealedAndSigned(t.gateway, TreeSealer);
  });
  afterAll(() => t.close());

  const leafOf = async (kind: string, position: number) =>
    Number((await t.gateway.sql(`SELECT leaf_index FROM audit_leaves WHERE kind = $1 AND source_position = $2`, [kind, position]))[0].leaf_index);

  it('verify: an untouched log verifies, checkpoints checked with the configured key', async () => {
    const report = await t.verify();
    expect(report).toMatchObject({ ok: true, entries_checked: 9, signatures_checked: true, first_problem: null });
    expect(report.checkpoints_checked).toBeGreaterThanOrEqual(1);
  });

  it('verify (payload digest): an edited payload', async () => {
    const [event] = await t.gateway.sql(`SELECT position, payload FROM bulletin_events ORDER BY position LIMIT 1 OFFSET 1`);
    let report: any;
    await asSuperuser(t.superuser, async () => {
      await t.superuser.query(`UPDATE bulletin_events SET payload = jsonb_set(payload, '{name}', '"Forged"') WHERE position = $1`, [event.position]);
      report = await t.verify();
      await t.superuser.query(`UPDATE bulletin_events SET payload = $2 WHERE position = $1`, [event.position, event.payload]);
    });
    expect(report.first_problem).toMatchObject({ index: await leafOf('event', Number(event.position)), kind: 'event', problem: 'payload_modified' });
    expect((await t.verify()).ok).toBe(true);
  });

  it('verify (leaf hash): a payload edited together with its digest', async () => {
    const [event] = await t.gateway.sql(`SELECT position, payload_sha256 FROM bulletin_events ORDER BY position LIMIT 1 OFFSET 2`);
    let report: any;
    await asSuperuser(t.superuser, async () => {
      await t.superuser.query(`UPDATE bulletin_events SET payload_sha256 = $2 WHERE position = $1`, [event.position, 'f'.repeat(64)]);
      report = await t.verify();
      await t.superuser.query(`UPDATE bulletin_events SET payload_sha256 = $2 WHERE position = $1`, [event.position, event.payload_sha256]);
    });
    expect(report.first_problem).toMatchObject({ index: await leafOf('event', Number(event.position)), problem: 'modified' });
  });

  it('verify (excerpt digest): the kept excerpt of a refused request edited', async () => {
    const [rejection] = await t.gateway.sql(`SELECT position, payload_excerpt FROM rejected_requests LIMIT 1`);
    expect(rejection.payload_excerpt).toContain('no business event');
    let report: any;
    await asSuperuser(t.superuser, async () => {
      await t.superuser.query(`ALTER TABLE rejected_requests DISABLE TRIGGER rejected_requests_append_only`);
      await t.superuser.query(`UPDATE rejected_requests SET payload_excerpt = 'forged' WHERE position = $1`, [rejection.position]);
      report = await t.verify();
      await t.superuser.query(`UPDATE rejected_requests SET payload_excerpt = $2 WHERE position = $1`, [rejection.position, rejection.payload_excerpt]);
      await t.superuser.query(`ALTER TABLE rejected_requests ENABLE ALWAYS TRIGGER rejected_requests_append_only`);
    });
    expect(report.first_problem).toMatchObject({ index: await leafOf('rejection', Number(rejection.position)), problem: 'payload_modified' });
    expect((await t.verify()).ok).toBe(true);
  });

  it('verify (leaf hash): an edited attempt', async () => {
    const [attempt] = await t.gateway.sql(`SELECT position, http_status FROM dispatch_attempts ORDER BY position LIMIT 1`);
    let report: any;
    await asSuperuser(t.superuser, async () => {
      await t.superuser.query(`UPDATE dispatch_attempts SET http_status = 500 WHERE position = $1`, [attempt.position]);
      report = await t.verify();
      await t.superuser.query(`UPDATE dispatch_attempts SET http_status = $2 WHERE position = $1`, [attempt.position, attempt.http_status]);
    });
    expect(report.first_problem).toMatchObject({ index: await leafOf('attempt', Number(attempt.position)), kind: 'attempt', problem: 'modified' });
    expect((await t.verify()).ok).toBe(true);
  });

  it('verify (row of a leaf missing): a deleted attempt', async () => {
    const [attempt] = await t.gateway.sql(`SELECT position FROM dispatch_attempts ORDER BY position LIMIT 1 OFFSET 2`);
    let report: any;
    await asSuperuser(t.superuser, async () => {
      // Kept in SQL, not in JS: the restored row must be identical to the microsecond.
      await t.superuser.query(`CREATE TEMP TABLE deleted_attempt AS SELECT * FROM dispatch_attempts WHERE position = $1`, [attempt.position]);
      await t.superuser.query(`DELETE FROM dispatch_attempts WHERE position = $1`, [attempt.position]);
      report = await t.verify();
      await t.superuser.query(`INSERT INTO dispatch_attempts OVERRIDING SYSTEM VALUE SELECT * FROM deleted_attempt`);
    });
    expect(report.first_problem).toMatchObject({ index: await leafOf('attempt', Number(attempt.position)), problem: 'deleted' });
    expect((await t.verify()).ok).toBe(true);
  });

  it('verify (not in the tree): a row slipped in behind the sealer with an old transaction id', async () => {
    const [model] = await t.gateway.sql(`SELECT *, inserted_xid::text AS xid FROM bulletin_events ORDER BY position LIMIT 1`);
    let report: any;
    await asSuperuser(t.superuser, async () => {
      await t.superuser.query(
        `INSERT INTO bulletin_events (id, position, partner_id, account_id, business_event, payload, payload_sha256, request_id, received_at, inserted_xid)
         OVERRIDING SYSTEM VALUE VALUES (gen_random_uuid(), 9999, $1, 'sim-account', 'Program Released', '{}', 'x', 'forged', now(), $2)`,
        [model.partner_id, model.xid],
      );
      report = await t.verify();
      await t.superuser.query(`DELETE FROM bulletin_events WHERE position = 9999`);
    });
    expect(report.first_problem).toMatchObject({ index: null, kind: 'event', ref: 9999, problem: 'not_in_tree' });
  });

  it('the projection check: a status row edited, then one deleted, behind the gateway', async () => {
    const check = t.gateway.app.get(ProjectionCheck);
    expect((await check.check()).mismatches).toBe(0);
    const [status] = await t.gateway.sql(`SELECT * FROM event_status ORDER BY event_id LIMIT 1`);
    const [{ saved }] = await t.gateway.sql(`SELECT to_jsonb(s) AS saved FROM event_status s WHERE event_id = $1`, [status.event_id]);
    await t.superuser.query(`UPDATE event_status SET status = 'failed' WHERE event_id = $1`, [status.event_id]);
    expect(await check.check()).toMatchObject({ mismatches: 1, sample: [{ event_id: status.event_id, live_status: 'failed', derived_status: 'sent' }] });
    expect(await t.ready()).toMatchObject({ status: 'degraded', projection: { mismatches: 1 } });
    await t.superuser.query(`UPDATE event_status SET status = $2 WHERE event_id = $1`, [status.event_id, status.status]);
    await t.superuser.query(`DELETE FROM event_status WHERE event_id = $1`, [status.event_id]);
    expect(await check.check()).toMatchObject({ mismatches: 1, sample: [{ event_id: status.event_id, live_status: null }] });
    // Put back as it was; generated columns (the lane) are computed again.
    const [{ columns }] = await t.gateway.sql(
      `SELECT string_agg(quote_ident(column_name), ', ') AS columns FROM information_schema.columns
        WHERE table_name = 'event_status' AND is_generated = 'NEVER'`,
    );
    await t.superuser.query(`INSERT INTO event_status (${columns}) SELECT ${columns} FROM jsonb_populate_record(NULL::event_status, $1)`, [saved]);
    expect((await check.check()).mismatches).toBe(0);
    expect(await t.ready()).toMatchObject({ status: 'up' });
  });

  it('verify (checkpoint signature): a checkpoint forged with another key of the same name', async () => {
    const [latest] = await t.gateway.sql(`SELECT tree_size, root_hash FROM audit_tree_checkpoints ORDER BY position DESC LIMIT 1`);
    const forger = parseSignerKey(generateNoteKey(TEST_ORIGIN).signingKey);
    const note = signCheckpoint({ origin: TEST_ORIGIN, size: Number(latest.tree_size), rootHash: latest.root_hash, extensions: [] }, forger);
    let report: any;
    await asSuperuser(t.superuser, async () => {
      const { rows } = await t.superuser.query(
        `INSERT INTO audit_tree_checkpoints (tree_size, root_hash, note) VALUES ($1, $2, $3) RETURNING position`,
        [latest.tree_size, latest.root_hash, note],
      );
      report = await t.verify();
      await t.superuser.query(`DELETE FROM audit_tree_checkpoints WHERE position = $1`, [rows[0].position]);
    });
    expect(report.first_problem).toMatchObject({ kind: 'checkpoint', problem: 'checkpoint_invalid', detail: expect.stringMatching(/signature does not verify/) });
    expect((await t.verify()).ok).toBe(true);
  });

  it('verify (record time): a row inserted with a current transaction id but backdated', async () => {
    const [model] = await t.gateway.sql(`SELECT partner_id FROM bulletin_events LIMIT 1`);
    await asSuperuser(t.superuser, () =>
      t.superuser.query(
        `INSERT INTO bulletin_events (id, partner_id, account_id, business_event, payload, payload_sha256, request_id, received_at)
         VALUES (gen_random_uuid(), $1, 'sim-account', 'Program Released', '{}', $2, 'backdated', now() - interval '1 day')`,
        [model.partner_id, '44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a'],
      ),
    );
    await t.gateway.app.get(TreeSealer).sealPending();
    const report = await t.verify();
    expect(report.first_problem).toMatchObject({ kind: 'event', problem: 'backdated', detail: expect.stringMatching(/joined the tree after the checkpoint/) });
  });

  it('the signer: the newest rows deleted together with their leaves and the checkpoints above them', async () => {
    await sealedAndSigned(t.gateway, TreeSealer);
    const [newest] = await t.gateway.sql(`SELECT position, id FROM bulletin_events ORDER BY position DESC LIMIT 1`);
    await asSuperuser(t.superuser, async () => {
      const [{ leaf_index: cut }] = (await t.superuser.query(`SELECT leaf_index FROM audit_leaves WHERE kind = 'event' AND source_position = $1`, [newest.position])).rows;
      await t.superuser.query(`DELETE FROM bulletin_events WHERE position = $1`, [newest.position]);
      await t.superuser.query(`DELETE FROM audit_leaves WHERE leaf_index >= $1`, [cut]);
      await t.superuser.query(`DELETE FROM audit_tree_nodes WHERE (idx + 1) * (1::bigint << level) > $1`, [cut]);
      await t.superuser.query(`DELETE FROM audit_tree_checkpoints WHERE tree_size > $1`, [cut]);
    });
    // Without the signer's state this would look like a smaller, consistent log: verify passes it.
    expect((await t.verify()).first_problem?.problem).not.toBe('checkpoint_invalid');
    await t.signAttempt();
    const signer = t.gateway.app.get(CheckpointSigner).status;
    expect(signer).toMatchObject({ state: 'refusing', reason: expect.stringMatching(/fewer than the checkpoint of size \d+ this signer signed/) });
    expect(await t.ready()).toMatchObject({ status: 'degraded', signer: { state: 'refusing' } });
    const served = await request(t.gateway.http).get('/v1/audit/checkpoint').set(bearer(t.auditor)).expect(200);
    expect(served.headers['x-audit-log-mismatch']).toMatch(/rolled back or its newest entries deleted/);
    expect(openCheckpoint(served.text, parseVerifierKey(log.verifierKey)).checkpoint.size).toBeGreaterThan(0);
    expect(t.gateway.logs.text).toMatch(/refusing to sign a checkpoint/);
    const [{ n }] = await t.gateway.sql(`SELECT count(*)::int AS n FROM audit_signer_events WHERE kind = 'refused'`);
    expect(n).toBe(1);
    const metrics = (await request(t.gateway.http).get('/metrics')).text;
    expect(metrics).toMatch(/audit_signer_refusing 1/);
  });

  it('an operator resolves the refusal: recorded, then the signer signs the current tree again', async () => {
    const signer = t.gateway.app.get(CheckpointSigner);
    await expect(signer.resolveMismatch(' ', 'test')).rejects.toThrow(/reason is required/);
    const outcome = await signer.resolveMismatch('incident 42: newest rows lost', 'test-operator');
    expect(outcome).toMatchObject({ resolved: true, refusedBecause: expect.stringMatching(/fewer than/) });
    const [event] = await t.gateway.sql(`SELECT recorded_by, detail FROM audit_signer_events WHERE kind = 'resolved'`);
    expect(event).toMatchObject({ recorded_by: 'test-operator', detail: { reason: 'incident 42: newest rows lost' } });
    const partner = await t.gateway.createPartner();
    await raise(t.gateway, partner, bulletin({ name: 'after the resolution' }));
    await sealedAndSigned(t.gateway, TreeSealer);
    expect(t.gateway.app.get(CheckpointSigner).status).toEqual({ state: 'signing' });
    expect(await signer.resolveMismatch('again', 'test')).toEqual({ resolved: false });
  });
  // The export rows of the matrix (edit, reorder, drop, duplicate, re-sign, mixed checkpoints) are in export-proofs.spec.ts.
});

describe('the signer against a database it no longer matches', () => {
  it('verify and the signer: the tree rebuilt and rehashed over a rewritten row, without the key', async () => {
    const log = signingLog();
    const t = await startAuditedGateway(log.env);
    try {
      const partner = await t.gateway.createPartner();
      for (let i = 0; i < 3; i++) await raise(t.gateway, partner, bulletin({ name: `event ${i}` }));
      await sealedAndSigned(t.gateway, TreeSealer);
      await asSuperuser(t.superuser, async () => {
        await t.superuser.query(`UPDATE dispatch_attempts SET error = 'rewritten' WHERE position = (SELECT min(position) FROM dispatch_attempts)`);
        await t.superuser.query(`DELETE FROM audit_tree_nodes`);
        await t.superuser.query(`DELETE FROM audit_leaves`);
      });
      await t.gateway.app.get(TreeSealer).sealPending(); // a consistent tree over the rewritten rows
      const report = await t.verify();
      expect(report.first_problem).toMatchObject({ problem: 'checkpoint_invalid', detail: expect.stringMatching(/root differs from the tree rebuilt/) });
      await t.signAttempt();
      expect(t.gateway.app.get(CheckpointSigner).status).toMatchObject({ state: 'refusing', reason: expect.stringMatching(/not consistent with the checkpoint/) });
    } finally {
      await t.close();
    }
  });

  it('the signer: the whole database restored from an earlier copy while the state directory stays', async () => {
    const log = signingLog();
    const database = await createTestDatabase();
    let backup: string | undefined;
    try {
      const first = await startAuditedGateway(log.env, database);
      const partner = await first.gateway.createPartner();
      await raise(first.gateway, partner, bulletin({ name: 'before the backup' }));
      await sealedAndSigned(first.gateway, TreeSealer);
      await first.close();
      // The backup: a copy of the database as it is now (a template copy needs no other session on it).
      backup = `${new URL(database.url).pathname.slice(1)}_backup`;
      const admin = new pg.Client(database.serverUrl);
      await admin.connect();
      await admin.query(`CREATE DATABASE ${backup} TEMPLATE ${new URL(database.url).pathname.slice(1)}`);

      const second = await startAuditedGateway(log.env, database);
      await raise(second.gateway, await second.gateway.createPartner(), bulletin({ name: 'after the backup' }));
      await sealedAndSigned(second.gateway, TreeSealer);
      await second.close();

      const restoredUrl = new URL(database.url);
      restoredUrl.pathname = `/${backup}`;
      const restored = await startAuditedGateway(log.env, { ...database, url: restoredUrl.toString(), drop: async () => undefined });
      try {
        await restored.gateway.app.get(TreeSealer).sealPending();
        expect(restored.gateway.app.get(CheckpointSigner).status).toMatchObject({
          state: 'refusing',
          reason: expect.stringMatching(/fewer than the checkpoint|missing from the database/),
        });
        expect((await restored.verify()).ok).toBe(true); // the copy is a valid, older log: only the signer's state knows better
        expect(await restored.ready()).toMatchObject({ status: 'degraded' });
      } finally {
        await restored.close();
      }
      await admin.query(`DROP DATABASE IF EXISTS ${backup} WITH (FORCE)`);
      await admin.end();
    } finally {
      await database.drop();
    }
  });
});
