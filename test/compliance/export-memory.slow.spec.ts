import { readFileSync } from 'node:fs';
import pg from 'pg';
import { bearer, createKeyIn } from '../support/fixtures.js';
import { ACCOUNT_ID } from '../support/gateway-harness.js';
import { GatewayProcess } from '../support/gateway-process.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { signingLog } from '../support/audit-log-keys.js';
import { waitFor } from '../support/wait-for.js';

async function sql(url: string, text: string): Promise<Record<string, any>[]> {
  const client = new pg.Client(url);
  await client.connect();
  try {
    return (await client.query(text)).rows;
  } finally {
    await client.end();
  }
}

/**
 * 200,000 events exported from a real gateway process while its resident memory is sampled: a streamed
 * export holds one batch at a time, so memory must stay flat however long the log is. The gateway has a
 * log key, so the NDJSON export is the proven one: every leaf of the tree with its inclusion proof.
 */
describe('exporting 200,000 events', () => {
  const EVENTS = 200_000;
  /** Peak RSS minus RSS before the export: measured at 7-20 MB; buffering 200k rows would take hundreds. */
  const MAX_GROWTH_MB = 60;
  let database: TestDatabase;
  let gateway: GatewayProcess;
  let auditorKey: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    const partner = await createKeyIn(database.url, 'partner', [ACCOUNT_ID]);
    auditorKey = (await createKeyIn(database.url, 'auditor')).key;
    const db = new pg.Client(database.url);
    await db.connect();
    try {
      await db.query(
        `INSERT INTO bulletin_events (id, partner_id, account_id, business_event, payload, payload_sha256, request_id, received_at)
         SELECT gen_random_uuid(), $1, $2, 'Program Released',
                jsonb_build_object('business_event', 'Program Released', 'name', 'Bulk bulletin ' || g,
                                   'properties', jsonb_build_object('program_id', g::text, 'language', 'Hindi'), 'when', 'now'),
                md5(g::text), 'bulk-' || g, now() - make_interval(secs => ($3 - g) / 1000.0)
           FROM generate_series(1, $3::int) g`,
        [partner.id, ACCOUNT_ID, EVENTS],
      );
      await db.query(
        `INSERT INTO dispatch_attempts (event_id, attempt_number, trigger, outcome, resulting_status, http_status, clevertap_status, targets, started_at, latency_ms)
         SELECT id, 1, 'auto', 'sent', 'sent', 200, 'success', 1, received_at, 12 FROM bulletin_events`,
      );
      await db.query(`INSERT INTO event_status (event_id, account_id, status, attempts) SELECT id, account_id, 'sent', 1 FROM bulletin_events`);
      await db.query('ANALYZE');
    } finally {
      await db.end();
    }
    const log = signingLog();
    gateway = await GatewayProcess.start({
      DATABASE_URL: database.url,
      ...log.env,
      // Left alone, V8 lets short-lived garbage pile up (the CSV encoder makes plenty) before collecting
      // it, which looks like growth. A modest old-space cap makes RSS track what is really retained, and
      // an export that kept its rows would die of it instead of passing.
      NODE_OPTIONS: '--max-old-space-size=128',
    });
    // The tree and a checkpoint over it first: the sealer must be idle while the export's footprint is measured.
    await waitFor(
      async () => {
        const [row] = await sql(database.url, `SELECT (SELECT count(*) FROM audit_leaves)::int AS leaves, (SELECT max(tree_size) FROM audit_tree_checkpoints)::int AS signed`);
        return row.leaves === 2 * EVENTS && row.signed === row.leaves ? true : undefined;
      },
      300_000,
      'the 400,000 leaves sealed and checkpointed',
    );
  }, 420_000);
  afterAll(async () => {
    await gateway?.kill('SIGTERM');
    await database?.drop();
  });

  const rssMb = () => {
    const status = readFileSync(`/proc/${gateway.child.pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) / 1024;
  };

  it.each(['ndjson', 'csv'])('streams all of them as %s while the process memory stays flat', async (format) => {
    // Warm the route up (modules, pools, JIT) so the baseline is the steady state, not a cold start.
    await (await fetch(`${gateway.url}/v1/events/export?format=${format}&q=warm-up`, { headers: bearer(auditorKey) })).text();
    await new Promise((resolve) => setTimeout(resolve, 500));
    const before = rssMb();
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, rssMb())), 100);
    let lines = 0;
    let tail = '';
    const started = Date.now();
    try {
      const response = await fetch(`${gateway.url}/v1/events/export?format=${format}`, { headers: bearer(auditorKey) });
      expect(response.status).toBe(200);
      const decoder = new TextDecoder();
      for await (const chunk of response.body!) {
        const text = decoder.decode(chunk, { stream: true });
        for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lines++;
        tail = (tail + text).slice(-4096);
      }
    } finally {
      clearInterval(sampler);
    }
    peak = Math.max(peak, rssMb());
    const growth = peak - before;
    console.log(
      `export of ${EVENTS} events as ${format}: ${lines} lines in ${Date.now() - started} ms; ` +
        `RSS before ${before.toFixed(1)} MB, peak ${peak.toFixed(1)} MB, growth ${growth.toFixed(1)} MB`,
    );

    if (format === 'ndjson') {
      expect(lines).toBe(EVENTS + 2); // header, events (each with its two proven leaves), trailer
      const trailer = JSON.parse(tail.trimEnd().split('\n').pop()!);
      expect(trailer).toMatchObject({ type: 'trailer', lines: EVENTS + 1, signature: expect.stringContaining('bulletin-gateway export/v2') });
    } else {
      expect(lines).toBe(EVENTS + 1); // header row, events
    }
    expect(growth).toBeLessThan(MAX_GROWTH_MB);
  }, 240_000);
});
