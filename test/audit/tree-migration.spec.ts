import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { migrations } from '../../migrations/index.js';
import { dataSourceOptions } from '../../src/database/data-source-options.js';
import { runMigrations } from '../../src/database/run-migrations.js';
import { loadConfig } from '../../src/config/gateway-config.js';
import { LogVerifier } from '../../src/audit-log/log-verifier.js';
import { TreeSealer } from '../../src/audit-log/tree-sealer.service.js';
import { payloadSha256 } from '../../src/transparency/leaf.js';

/**
 * A log of the hash-chain era, upgraded: the migration makes the chained rows the first leaves, in the
 * chain's order, and the sealer carries on with the rows the chain had not reached.
 */
describe('carrying a hash-chained log over to the tree', () => {
  const name = `bg_test_chain_${Date.now().toString(36)}`;
  let url: string;
  let admin: pg.Client;

  beforeAll(async () => {
    const serverUrl = process.env.TEST_DATABASE_SERVER_URL!;
    admin = new pg.Client(serverUrl);
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    const parsed = new URL(serverUrl);
    parsed.pathname = `/${name}`;
    url = parsed.toString();
  });
  afterAll(async () => {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  });

  it('keeps the chain order for chained rows, then seals the rest, and the result verifies', async () => {
    const chainEra = migrations.slice(0, migrations.findIndex((m) => m.name === 'CreateAuditTree1764201600000'));
    const old = new DataSource({ ...dataSourceOptions(url, 2), migrations: chainEra });
    await old.initialize();
    await old.runMigrations({ transaction: 'each' });
    const [{ id: partner }] = await old.query(`INSERT INTO partners (name, role) VALUES ('p', 'partner') RETURNING id`);
    const events: { id: string; position: number }[] = [];
    for (let i = 0; i < 4; i++) {
      const payload = { name: `event ${i}` };
      const [row] = await old.query(
        `INSERT INTO bulletin_events (id, partner_id, account_id, business_event, payload, payload_sha256, request_id)
         VALUES ($1, $2, 'acc', 'Program Released', $3, $4, $5) RETURNING id, position`,
        [randomUUID(), partner, payload, payloadSha256(payload), `r${i}`],
      );
      events.push({ id: row.id, position: Number(row.position) });
    }
    // The chain had reached the first three (the sealer's columns only: the migration reads no hash).
    const chained = events.slice(0, 3);
    for (const [i, event] of chained.entries())
      await old.query(
        `INSERT INTO audit_chain (position, entry_kind, entry_ref, entry_xid, digest, hash)
         SELECT $1, 'event', $2, inserted_xid, 'd', 'h' FROM bulletin_events WHERE position = $2`,
        [i + 1, event.position],
      );
    await old.destroy();

    expect(await runMigrations(url)).toEqual(expect.arrayContaining(['CreateAuditTree1764201600000']));
    const db = new DataSource(dataSourceOptions(url, 2));
    await db.initialize();
    try {
      const leaves = await db.query(`SELECT leaf_index, source_position FROM audit_leaves ORDER BY leaf_index`);
      expect(leaves.map((l: { source_position: string }) => Number(l.source_position))).toEqual(chained.map((e) => e.position));
      const config = loadConfig({ DATABASE_URL: url });
      expect(await new TreeSealer(db, config).sealPending()).toBe(1);
      const report = await new LogVerifier(db, config).verify();
      expect(report).toMatchObject({ ok: true, entriesChecked: 4, firstProblem: null });
    } finally {
      await db.destroy();
    }
  });

  it('stops the upgrade when a chained row is gone', async () => {
    const broken = `${name}_broken`;
    await admin.query(`CREATE DATABASE ${broken}`);
    const parsed = new URL(url);
    parsed.pathname = `/${broken}`;
    try {
      const chainEra = migrations.slice(0, migrations.findIndex((m) => m.name === 'CreateAuditTree1764201600000'));
      const old = new DataSource({ ...dataSourceOptions(parsed.toString(), 2), migrations: chainEra });
      await old.initialize();
      await old.runMigrations({ transaction: 'each' });
      await old.query(`INSERT INTO audit_chain (position, entry_kind, entry_ref, entry_xid, digest, hash) VALUES (1, 'event', 42, '1', 'd', 'h')`);
      await old.destroy();
      await expect(runMigrations(parsed.toString())).rejects.toThrow(/audit_chain entry 1 \(event 42\) has no log row/);
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS ${broken} WITH (FORCE)`);
    }
  });
});
