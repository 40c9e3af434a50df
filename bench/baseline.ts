import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { type Latency, percentiles, round } from './load.js';
import { nextSequence, payloadSha256, vendorExample } from './payload.js';

export interface BaselineFigures {
  clients: number;
  seconds: number;
  inserts: number;
  insertsPerSecond: number;
  latencyMs: Latency;
}

const TABLE = 'bench_baseline_events';

/**
 * What the database alone sustains: each of `clients` connections INSERTs one event row at a time
 * (autocommit, so one commit per row, as the gateway's per-request write) into a copy of
 * bulletin_events with the same columns, defaults and indexes (not its foreign key or triggers).
 */
export async function runInsertBaseline(options: {
  databaseUrl: string;
  partnerId: string;
  accounts: string[];
  clients: number;
  seconds: number;
}): Promise<BaselineFigures> {
  const admin = new pg.Client(options.databaseUrl);
  await admin.connect();
  await admin.query(`CREATE TABLE ${TABLE} (LIKE bulletin_events INCLUDING ALL)`);
  const clients = await Promise.all(Array.from({ length: options.clients }, () => connected(options.databaseUrl)));
  try {
    const latencies: number[] = [];
    const started = performance.now();
    const deadline = started + options.seconds * 1000;
    await Promise.all(clients.map((client) => insertUntil(client, deadline, options, latencies)));
    const seconds = (performance.now() - started) / 1000;
    return {
      clients: options.clients,
      seconds: round(seconds),
      inserts: latencies.length,
      insertsPerSecond: round(latencies.length / seconds),
      latencyMs: percentiles(latencies),
    };
  } finally {
    await Promise.all(clients.map((client) => client.end()));
    await admin.query(`DROP TABLE ${TABLE}`);
    await admin.end();
  }
}

async function connected(url: string): Promise<pg.Client> {
  const client = new pg.Client(url);
  await client.connect();
  return client;
}

async function insertUntil(
  client: pg.Client,
  deadline: number,
  options: { partnerId: string; accounts: string[] },
  latencies: number[],
): Promise<void> {
  while (performance.now() < deadline) {
    const n = nextSequence();
    const payload = vendorExample(n);
    const started = performance.now();
    await client.query(
      `INSERT INTO ${TABLE} (id, partner_id, account_id, business_event, payload, payload_sha256, request_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [randomUUID(), options.partnerId, options.accounts[n % options.accounts.length], payload.business_event, JSON.stringify(payload), payloadSha256(payload), randomUUID()],
    );
    latencies.push(performance.now() - started);
  }
}
