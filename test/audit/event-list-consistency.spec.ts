import pg from 'pg';
import type { DataSource } from 'typeorm';
import { EventAuditRepository } from '../../src/audit-api/event-audit.repository.js';
import type { EventFilter } from '../../src/event-log/event-filter.dto.js';
import { EVENT_STATUSES, type EventStatus } from '../../src/event-log/event-status.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

const EVENTS = 3000;
const BASE = Date.parse('2026-11-01T00:00:00Z');
const at = (second: number) => new Date(BASE + second * 1000).toISOString();

interface LogRow {
  position: number;
  partner_id: string;
  account_id: string;
  business_event: string;
  status: EventStatus;
  received_at: number;
}

/**
 * The audit list and counts take their rows from whichever indexes fit the filter (the projection's
 * copies of the event's keys, a time window's span of log positions). Whatever the route, the answer
 * must be the one a plain scan of the log gives, page for page, also when received_at is out of log
 * order (backdated or late rows).
 */
describe('the audit list, against a plain scan of the log', () => {
  let database: TestDatabase;
  let pool: pg.Pool;
  let repository: EventAuditRepository;
  let log: LogRow[];
  const partners = { a: '', b: '' };

  beforeAll(async () => {
    database = await createTestDatabase();
    pool = new pg.Pool({ connectionString: database.url, max: 2 });
    const db = { query: async (sql: string, params?: unknown[]) => (await pool.query(sql, params)).rows } as unknown as DataSource;
    repository = new EventAuditRepository(db);
    [{ id: partners.a }, { id: partners.b }] = (
      await pool.query(`INSERT INTO partners (name, role) VALUES ('A', 'partner'), ('B', 'partner') RETURNING id`)
    ).rows;
    // Mostly in log order; every 11th event backdated by 2,000 s and every 13th 500 s late.
    await pool.query(
      `INSERT INTO bulletin_events (id, partner_id, account_id, business_event, payload, payload_sha256, request_id, received_at)
       SELECT gen_random_uuid(), CASE WHEN n % 7 = 0 THEN $2::uuid ELSE $1::uuid END, 'acc-' || n % 3,
              CASE WHEN n % 5 = 0 THEN 'Product Launched' ELSE 'Program Released' END,
              jsonb_build_object('name', 'Bulletin ' || n), md5(n::text), 'req-' || n,
              $3::timestamptz + make_interval(secs => n - CASE WHEN n % 11 = 0 THEN 2000 WHEN n % 13 = 0 THEN -500 ELSE 0 END)
         FROM generate_series(1, $4::int) n ORDER BY n`,
      [partners.a, partners.b, at(0), EVENTS],
    );
    // The status rows name no keys: the projection copies them from the log.
    await pool.query(
      `INSERT INTO event_status (event_id, account_id, status, attempts)
       SELECT id, account_id, CASE WHEN position % 97 = 0 THEN 'queued' WHEN position % 10 = 9 THEN 'exhausted'
                                   WHEN position % 10 >= 7 THEN 'failed' ELSE 'sent' END, 1
         FROM bulletin_events`,
    );
    await pool.query('ANALYZE');
    log = (
      await pool.query(
        `SELECT e.position::int, e.partner_id, e.account_id, e.business_event, s.status, extract(epoch FROM e.received_at) * 1000 AS received_at
           FROM bulletin_events e JOIN event_status s ON s.event_id = e.id`,
      )
    ).rows.map((row) => ({ ...row, received_at: Number(row.received_at) }));
  });
  afterAll(async () => {
    await pool?.end();
    await database?.drop();
  });

  const windows: [string, Pick<EventFilter, 'received_from' | 'received_to'>][] = [
    ['no window', {}],
    ['a past window', { received_from: at(1000), received_to: at(1500) }],
    ['a window open at the end', { received_from: at(2500) }],
    ['a window open at the start', { received_to: at(700) }],
    ['a window of a few seconds', { received_from: at(2990), received_to: at(2995) }],
    ['a window with no events', { received_from: at(9000) }],
  ];
  /** Every combination of the indexed filters (partner B is the small one). */
  function filters(): EventFilter[] {
    const all: EventFilter[] = [];
    for (const status of [undefined, 'sent', 'failed', 'exhausted', 'queued'] as const)
      for (const account of [undefined, 'acc-1'])
        for (const business_event of [undefined, 'Product Launched'])
          for (const partner of [undefined, partners.b]) all.push({ status, account, business_event, partner });
    return all;
  }

  const matches = (row: LogRow, filter: EventFilter, onlyPartner?: string) =>
    (!filter.status || row.status === filter.status) &&
    (!filter.account || row.account_id === filter.account) &&
    (!filter.business_event || row.business_event === filter.business_event) &&
    (!filter.partner || row.partner_id === filter.partner) &&
    (!onlyPartner || row.partner_id === onlyPartner) &&
    (!filter.received_from || row.received_at >= Date.parse(filter.received_from)) &&
    (!filter.received_to || row.received_at < Date.parse(filter.received_to));

  async function pagesOf(filter: EventFilter, onlyPartner?: string): Promise<number[]> {
    const positions: number[] = [];
    let cursor: string | undefined;
    do {
      const page = await repository.list({ ...filter, limit: 97, cursor }, onlyPartner);
      positions.push(...page.data.map((event) => event.position));
      cursor = page.next_cursor ?? undefined;
    } while (cursor);
    return positions;
  }

  it.each(windows)('lists every filter over %s, newest first, page after page', async (_, window) => {
    for (const filter of filters().map((indexed) => ({ ...indexed, ...window }))) {
      const expected = log.filter((row) => matches(row, filter)).map((row) => row.position).sort((x, y) => y - x);
      expect({ filter, positions: await pagesOf(filter) }).toEqual({ filter, positions: expected });
    }
  });

  it.each(windows)("lists a partner's own events over %s", async (_, window) => {
    for (const status of [undefined, 'failed'] as const) {
      const filter = { status, ...window };
      const expected = log.filter((row) => matches(row, filter, partners.b)).map((row) => row.position).sort((x, y) => y - x);
      expect(await pagesOf(filter, partners.b)).toEqual(expected);
    }
  });

  it.each(windows)('counts every filter by status over %s', async (_, window) => {
    for (const filter of filters().filter((indexed) => !indexed.status).map((indexed) => ({ ...indexed, ...window }))) {
      const counts = Object.fromEntries(EVENT_STATUSES.map((status) => [status, 0]));
      for (const row of log.filter((candidate) => matches(candidate, filter))) counts[row.status]++;
      const total = Object.values(counts).reduce((sum, n) => sum + n, 0);
      expect({ filter, ...(await repository.countByStatus(filter)) }).toEqual({ filter, counts, total });
    }
  });

  it("keeps the projection's copies of the event's keys equal to the log's, whatever a writer sets", async () => {
    const [event] = (await pool.query(`SELECT id, position, partner_id, business_event FROM bulletin_events ORDER BY position LIMIT 1`)).rows;
    await pool.query(`UPDATE event_status SET event_position = 0, partner_id = $2, business_event = 'Forged' WHERE event_id = $1`, [
      event.id,
      partners.b === event.partner_id ? partners.a : partners.b,
    ]);
    const [copy] = (await pool.query(`SELECT event_position, partner_id, business_event FROM event_status WHERE event_id = $1`, [event.id])).rows;
    expect(copy).toEqual({ event_position: event.position, partner_id: event.partner_id, business_event: event.business_event });
  });
});
