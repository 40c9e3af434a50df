import pg from 'pg';
import request from 'supertest';
import { LEAF_TABLES } from '../../src/audit-log/leaf-records.js';
import { TreeSealer } from '../../src/audit-log/tree-sealer.service.js';
import { signingLog } from '../support/audit-log-keys.js';
import { exampleBulletin, startGateway, type GatewayHarness } from '../support/gateway-harness.js';
import { waitFor } from '../support/wait-for.js';

/** Each log table with an assignment an UPDATE could use to rewrite it. */
const LOG_TABLES: Record<string, string> = {
  bulletin_events: `request_id = 'rewritten'`,
  dispatch_attempts: `error = 'rewritten'`,
  rejected_requests: `reason = 'rewritten'`,
  replay_requests: `reason = 'rewritten'`,
  replay_items: `queued_at = now()`,
  audit_leaves: `leaf_hash = sha256('rewritten')`,
  audit_tree_nodes: `hash = sha256('rewritten')`,
  audit_tree_checkpoints: `note = 'rewritten'`,
  audit_verifications: `verified_by = 'rewritten'`,
  payload_erasures: `reason = 'rewritten'`,
};

// Statements that would rewrite history; TRUNCATE CASCADE, because bulletin_events is referenced by
// foreign keys and a plain TRUNCATE would be refused for that reason before any trigger could run.
const MUTATIONS: [operation: string, sql: (table: string) => string][] = [
  ['UPDATE', (table) => `UPDATE ${table} SET ${LOG_TABLES[table]}`],
  ['DELETE', (table) => `DELETE FROM ${table}`],
  ['TRUNCATE', (table) => `TRUNCATE ${table} CASCADE`],
];

const CASES = Object.keys(LOG_TABLES).flatMap((table) => MUTATIONS.map(([operation, sql]) => [table, operation, sql(table)] as const));

describe('the event log is append-only in the database', () => {
  let gateway: GatewayHarness;
  let client: pg.Client;
  let key: string;
  let eventId: string;
  let erasedId: string;

  const raise = () =>
    request(gateway.http).post('/1/targets/trigger.json').set(gateway.partnerHeaders(key)).send(exampleBulletin()).expect(200);

  beforeAll(async () => {
    gateway = await startGateway({
      env: signingLog().env,
    });
    key = await gateway.createPartner();
    client = new pg.Client(gateway.database.url);
    await client.connect();
    // Row triggers fire only on rows, so each log table needs one: an event and its attempt, a
    // rejection, a replay of a failed event, and the chain with a signed checkpoint over all of them.
    eventId = (await raise()).body.event_id;
    await request(gateway.http).post('/1/targets/trigger.json').set(gateway.partnerHeaders(key)).send({}).expect(400);
    await request(gateway.http)
      .post('/1/targets/trigger.json')
      .set(gateway.partnerHeaders(key))
      .send({ ...exampleBulletin(), business_event: 'Undefined Event' })
      .expect(400);
    const operator = await gateway.createPartner({ role: 'operator', accounts: [] });
    await request(gateway.http).post('/v1/replays').set('Authorization', `Bearer ${operator}`).send({ status: 'failed', reason: 'fixture' }).expect(202);
    // An erased payload, so payload_erasures has a row and "un-erasing" can be tried.
    const admin = await gateway.createPartner({ role: 'admin', accounts: [] });
    erasedId = (await raise()).body.event_id;
    await request(gateway.http).post(`/v1/events/${erasedId}/erasure`).set('Authorization', `Bearer ${admin}`).send({ reason: 'fixture' }).expect(201);
    // The checks compare the whole log before and after each statement, so the gateway must have
    // stopped writing to it: the replay dispatched, and the tree sealed and checkpointed to its head.
    await waitFor(
      async () =>
        (
          await client.query(`SELECT NOT EXISTS (SELECT 1 FROM replay_items r WHERE NOT EXISTS
             (SELECT 1 FROM dispatch_attempts a WHERE a.event_id = r.event_id AND a.trigger = 'replay')) AS done`)
        ).rows[0].done,
      10_000,
      'the replayed event to be dispatched',
    );
    // Every log row sealed (sealPending returns at once while the background sealer holds the lock, so
    // count rather than trust it), and the last checkpoint signed over the whole tree.
    const logRows = LEAF_TABLES.map(({ table }) => `(SELECT count(*) FROM ${table})`).join(' + ');
    await waitFor(
      async () => {
        await gateway.app.get(TreeSealer).sealPending();
        const { rows } = await client.query(
          `SELECT (SELECT count(*) FROM audit_leaves) = ${logRows}
              AND (SELECT count(*) FROM audit_leaves) = (SELECT max(tree_size) FROM audit_tree_checkpoints) AS done`,
        );
        return rows[0].done;
      },
      10_000,
      'every row sealed, and a checkpoint over the whole tree',
    );
    await request(gateway.http).get('/v1/audit/verify').set('Authorization', `Bearer ${operator}`).expect(200);
  });

  it('has a row in every log table, so the row triggers are really exercised', async () => {
    for (const table of Object.keys(LOG_TABLES))
      expect((await client.query(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n).toBeGreaterThan(0);
  });
  afterAll(async () => {
    await client?.end();
    await gateway?.close();
  });
  afterEach(() => client.query('RESET session_replication_role'));

  /** A fingerprint of every row of the log, to show a refused statement changed nothing. */
  const logContents = async () =>
    (
      await client.query(
        `SELECT ${Object.keys(LOG_TABLES)
          .map((table) => `(SELECT md5(string_agg(t::text, ',' ORDER BY t::text)) FROM ${table} t) AS ${table}`)
          .join(', ')}`,
      )
    ).rows[0];

  it('runs its checks as a superuser, so grants alone could not stop them', async () => {
    const { rows } = await client.query('SELECT rolsuper FROM pg_roles WHERE rolname = current_user');
    expect(rows).toEqual([{ rolsuper: true }]);
  });

  it.each(CASES)('refuses %s %s with the trigger error', async (table, operation, sql) => {
    const before = await logContents();
    await expect(client.query(sql)).rejects.toMatchObject({
      code: '42501',
      message: `the log table ${table} is append-only: ${operation} is not allowed`,
    });
    expect(await logContents()).toEqual(before);
  });

  it.each(CASES)('refuses %s %s even with session_replication_role = replica', async (table, operation, sql) => {
    await client.query('SET session_replication_role = replica');
    const before = await logContents();
    await expect(client.query(sql)).rejects.toMatchObject({
      code: '42501',
      message: `the log table ${table} is append-only: ${operation} is not allowed`,
    });
    expect(await logContents()).toEqual(before);
  });

  /** The one UPDATE the triggers allow (payload or excerpt to NULL after its erasure row), and its near misses. */
  const ERASURE_MISSES: [what: string, sql: string[], target: 'event' | 'erased' | 'none'][] = [
    ['erase a payload without an erasure row', [`UPDATE bulletin_events SET payload = NULL WHERE id = $1`], 'event'],
    [
      'erase a payload with the erasure row of another event (made in this transaction)',
      [
        `INSERT INTO payload_erasures (event_id, erased_sha256, reason, requested_by)
           SELECT id, repeat('a', 64), 'test', 'test' FROM bulletin_events WHERE id <> $1 AND payload IS NOT NULL LIMIT 1`,
        `UPDATE bulletin_events SET payload = NULL WHERE id = $1`,
      ],
      'event',
    ],
    ['un-erase a payload', [`UPDATE bulletin_events SET payload = '{"name": "back"}' WHERE id = $1`], 'erased'],
    ['erase a payload again', [`UPDATE bulletin_events SET payload = NULL WHERE id = $1`], 'erased'],
    [
      'erase a payload and change another column with it',
      [
        `INSERT INTO payload_erasures (event_id, erased_sha256, reason, requested_by) VALUES ($1, repeat('a', 64), 'test', 'test')`,
        `UPDATE bulletin_events SET payload = NULL, request_id = 'rewritten' WHERE id = $1`,
      ],
      'event',
    ],
    ['erase an excerpt without an erasure row', [`UPDATE rejected_requests SET payload_excerpt = NULL WHERE payload_excerpt IS NOT NULL`], 'none'],
    [
      'erase an excerpt and change its reason with it',
      [
        `INSERT INTO payload_erasures (rejection_position, erased_sha256, reason, requested_by)
           SELECT position, repeat('a', 64), 'test', 'test' FROM rejected_requests WHERE payload_excerpt IS NOT NULL LIMIT 1`,
        `UPDATE rejected_requests SET payload_excerpt = NULL, reason = 'rewritten'
          WHERE position = (SELECT rejection_position FROM payload_erasures WHERE rejection_position IS NOT NULL)`,
      ],
      'none',
    ],
  ];

  it.each(ERASURE_MISSES)('refuses to %s', async (_what, statements, target) => {
    const before = await logContents();
    const params = target === 'none' ? [] : [target === 'event' ? eventId : erasedId];
    await client.query('BEGIN');
    try {
      let refusal: unknown;
      for (const sql of statements) {
        const result = await client.query(sql, params).then((r) => r, (error) => error);
        if (result instanceof Error) refusal = result;
        // Each statement must touch a row, or the trigger was never asked.
        else expect(result.rowCount).toBe(1);
        if (refusal) break;
      }
      expect(refusal).toMatchObject({ code: '42501', message: expect.stringMatching(/^the log table (bulletin_events|rejected_requests) is append-only: UPDATE is not allowed$/) });
    } finally {
      await client.query('ROLLBACK');
    }
    expect(await logContents()).toEqual(before);
  });

  it('lets exactly the recorded erasure through: the erasure row first, then the payload to NULL, in one transaction', async () => {
    const [before] = await gateway.sql('SELECT payload FROM bulletin_events WHERE id = $1', [eventId]);
    expect(before.payload).not.toBeNull();
    await client.query('BEGIN');
    try {
      await client.query(`INSERT INTO payload_erasures (event_id, erased_sha256, reason, requested_by) VALUES ($1, repeat('a', 64), 'test', 'test')`, [eventId]);
      expect((await client.query('UPDATE bulletin_events SET payload = NULL WHERE id = $1', [eventId])).rowCount).toBe(1);
    } finally {
      await client.query('ROLLBACK');
    }
    expect((await gateway.sql('SELECT payload FROM bulletin_events WHERE id = $1', [eventId]))[0].payload).toEqual(before.payload);
  });

  it('still lets the gateway append an event and its attempt after refusing those statements', async () => {
    const { event_id } = (await raise()).body;
    const [event] = await gateway.sql('SELECT payload FROM bulletin_events WHERE id = $1', [event_id]);
    expect(event.payload).toEqual(exampleBulletin());
    expect(await gateway.sql('SELECT outcome FROM dispatch_attempts WHERE event_id = $1', [event_id])).toEqual([
      { outcome: 'sent' },
    ]);
  });

  it('leaves the event_status projection mutable, as a projection rebuilt from the log must be', async () => {
    await client.query('BEGIN');
    try {
      const updated = await client.query(`UPDATE event_status SET updated_at = now() WHERE event_id = $1`, [eventId]);
      expect(updated.rowCount).toBe(1);
      const deleted = await client.query(`DELETE FROM event_status WHERE event_id = $1`, [eventId]);
      expect(deleted.rowCount).toBe(1);
      await client.query('TRUNCATE event_status');
    } finally {
      await client.query('ROLLBACK');
    }
    expect((await client.query('SELECT status FROM event_status WHERE event_id = $1', [eventId])).rows).toEqual([
      { status: 'sent' },
    ]);
  });

  it('refuses a projection row, inserted or re-pointed, for an event that is not in the log', async () => {
    const missing = '00000000-0000-4000-8000-000000000000';
    const refusal = { code: '23503', message: `event_status row for ${missing} has no event in bulletin_events` };
    await expect(
      client.query(`INSERT INTO event_status (event_id, account_id, status) VALUES ($1, 'sim-account', 'queued')`, [missing]),
    ).rejects.toMatchObject(refusal);
    await expect(client.query(`UPDATE event_status SET event_id = $1 WHERE event_id = $2`, [missing, eventId])).rejects.toMatchObject(refusal);
  });
});
