import pg from 'pg';
import request from 'supertest';
import { exampleBulletin, startGateway, type GatewayHarness } from '../support/gateway-harness.js';

/** Each log table with an ordinary column an UPDATE could rewrite. */
const LOG_TABLES: Record<string, string> = { bulletin_events: 'request_id', dispatch_attempts: 'error' };

// Statements that would rewrite history; TRUNCATE CASCADE, because bulletin_events is referenced by
// foreign keys and a plain TRUNCATE would be refused for that reason before any trigger could run.
const MUTATIONS: [operation: string, sql: (table: string) => string][] = [
  ['UPDATE', (table) => `UPDATE ${table} SET ${LOG_TABLES[table]} = 'rewritten'`],
  ['DELETE', (table) => `DELETE FROM ${table}`],
  ['TRUNCATE', (table) => `TRUNCATE ${table} CASCADE`],
];

const CASES = Object.keys(LOG_TABLES).flatMap((table) => MUTATIONS.map(([operation, sql]) => [table, operation, sql(table)] as const));

describe('the event log is append-only in the database', () => {
  let gateway: GatewayHarness;
  let client: pg.Client;
  let key: string;
  let eventId: string;

  const raise = () =>
    request(gateway.http).post('/1/targets/trigger.json').set(gateway.partnerHeaders(key)).send(exampleBulletin()).expect(200);

  beforeAll(async () => {
    gateway = await startGateway();
    key = await gateway.createPartner();
    // Row triggers fire only on rows, so each log table needs one.
    eventId = (await raise()).body.event_id;
    client = new pg.Client(gateway.database.url);
    await client.connect();
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
        `SELECT (SELECT md5(string_agg(e::text, ',' ORDER BY position)) FROM bulletin_events e) AS events,
                (SELECT md5(string_agg(a::text, ',' ORDER BY position)) FROM dispatch_attempts a) AS attempts`,
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
});
