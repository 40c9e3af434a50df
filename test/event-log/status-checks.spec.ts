import pg from 'pg';
import { raise } from '../support/fixtures.js';
import { startGateway, type GatewayHarness } from '../support/gateway-harness.js';

/** Postgres, not only the TypeScript types, limits the statuses an event can be in. */
describe('statuses are checked by the database', () => {
  let gateway: GatewayHarness;
  let client: pg.Client;
  let eventId: string;

  beforeAll(async () => {
    gateway = await startGateway();
    const key = await gateway.createPartner();
    eventId = await raise(gateway, key);
    client = new pg.Client(gateway.database.url);
    await client.connect();
  });

  afterAll(async () => {
    await client?.end();
    await gateway?.close();
  });

  const refusal = (sql: string, values: unknown[]) =>
    client.query(sql, values).then(
      () => undefined,
      (error: { code?: string; constraint?: string }) => ({ code: error.code, constraint: error.constraint }),
    );

  it('refuses an attempt whose resulting status is not one of the statuses', async () => {
    const refused = await refusal(
      `INSERT INTO dispatch_attempts (event_id, attempt_number, trigger, outcome, resulting_status, started_at, latency_ms)
       VALUES ($1, 99, 'auto', 'sent', 'delivered', now(), 1)`,
      [eventId],
    );
    expect(refused).toEqual({ code: '23514', constraint: 'dispatch_attempts_resulting_status' });
  });

  it('accepts an attempt whose resulting status is one of them', async () => {
    // The same statement with a real status goes through, so the refusal above is the check's doing.
    await client.query(
      `INSERT INTO dispatch_attempts (event_id, attempt_number, trigger, outcome, resulting_status, started_at, latency_ms)
       VALUES ($1, 98, 'auto', 'sent', 'sent', now(), 1)`,
      [eventId],
    );
  });

  it('refuses a queue row in an unknown status', async () => {
    const refused = await refusal(`UPDATE event_status SET status = 'done' WHERE event_id = $1`, [eventId]);
    expect(refused).toEqual({ code: '23514', constraint: 'event_status_status' });
  });
});
