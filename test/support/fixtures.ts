/** The fixtures of the end-to-end tests: keys, bulletins, raising and replaying events, and reading exports. */
import canonicalize from 'canonicalize';
import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/database/data-source-options.js';
import { PartnersRepository } from '../../src/access/partners.repository.js';
import type { Role } from '../../src/access/principal.js';
import { CleverTapSimulator, type RecordedRequest } from '../../src/simulator/clevertap-simulator.js';
import { exampleBulletin, type GatewayHarness } from './gateway-harness.js';
import { waitFor } from './wait-for.js';

/** A bootstrap admin key comfortably longer than the config's minimum. */
export const BOOTSTRAP_ADMIN_KEY = 'bootstrap-admin-key-for-compliance-tests-0123456789';

export const bearer = (key: string) => ({ Authorization: `Bearer ${key}` });

export type Bulletin = Record<string, unknown> & { properties: Record<string, string> };

/** The vendor example with some fields changed (`properties` merged, not replaced). */
export function bulletin(overrides: Record<string, unknown> & { properties?: Record<string, string> } = {}): Bulletin {
  const base = exampleBulletin();
  return { ...base, ...overrides, properties: { ...base.properties, ...overrides.properties } };
}

/**
 * Raises a bulletin through the ingest route and returns its event id. Waits for CleverTap's answer
 * (so the event is usually final when it returns) unless `async` is set.
 */
export async function raise(
  gateway: GatewayHarness,
  key: string,
  body: Record<string, unknown> = bulletin(),
  options: { account?: string; async?: boolean; headers?: Record<string, string> } = {},
): Promise<string> {
  const response = await request(gateway.http)
    .post('/1/targets/trigger.json')
    .set(gateway.partnerHeaders(key, options.account))
    .set(options.async ? { Prefer: 'respond-async' } : {})
    .set(options.headers ?? {})
    .send(body);
  if (!response.body?.event_id) throw new Error(`ingest refused the bulletin: ${response.status} ${response.text}`);
  return response.body.event_id as string;
}

/** The partner id behind a key. */
export async function partnerIdOf(gateway: GatewayHarness, key: string): Promise<string> {
  const principal = await gateway.app.get(PartnersRepository).findByKey(key);
  if (!principal) throw new Error('no such key');
  return principal.partnerId;
}

/** Creates a partner (any role) straight in a database, as the CLI does, for tests without a harness. */
export async function createKeyIn(databaseUrl: string, role: Role, accounts: string[] = []): Promise<{ id: string; key: string }> {
  const db = new DataSource(dataSourceOptions(databaseUrl, 1));
  await db.initialize();
  try {
    return await new PartnersRepository(db).create(`${role}-${Date.now()}`, role, accounts);
  } finally {
    await db.destroy();
  }
}

/**
 * Checks that a /v1 error is a problem+json body carrying the gateway's fields (docs/api-conventions.md);
 * `expected` is the code, or a pattern the detail must match.
 */
export function expectProblem(response: request.Response, status: number, expected?: string | RegExp): void {
  expect({ status: response.status, contentType: response.headers['content-type'] }).toEqual({
    status,
    contentType: expect.stringMatching(/^application\/problem\+json/),
  });
  const code = typeof expected === 'string' ? expected : expect.any(String);
  expect(response.body).toEqual(expect.objectContaining({ status, title: expect.any(String), detail: expect.any(String), code }));
  expect(response.body.type).toBe(`urn:bulletin-gateway:error:${response.body.code}`);
  if (expected instanceof RegExp) expect(response.body.detail).toMatch(expected);
}

export const base64url = (text: string) => Buffer.from(text, 'utf8').toString('base64url');

/**
 * A second CleverTap account on a simulator of its own, declared through CLEVERTAP_ACCOUNTS_FILE, so
 * a test can have events on two accounts.
 */
export async function secondAccount(id = 'second-account'): Promise<{
  id: string;
  env: Record<string, string>;
  simulator: CleverTapSimulator;
}> {
  const passcode = 'second-account-real-passcode';
  const simulator = new CleverTapSimulator({ accounts: [{ id, passcode }] });
  const url = await simulator.start();
  const file = join(mkdtempSync(join(tmpdir(), 'bg-accounts-')), 'accounts.json');
  writeFileSync(file, JSON.stringify([{ id, baseUrl: url, passcodeEnv: 'SECOND_ACCOUNT_PASSCODE' }]));
  return { id, simulator, env: { CLEVERTAP_ACCOUNTS_FILE: file, SECOND_ACCOUNT_PASSCODE: passcode } };
}

/** An NDJSON export split into its header, event rows and trailer. */
export function parseNdjson(text: string): { header: any; events: any[]; trailer: any } {
  const lines = text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));
  return {
    header: lines.find((line) => line.type === 'header'),
    events: lines.filter((line) => line.type === 'event'),
    trailer: lines.find((line) => line.type === 'trailer'),
  };
}

/** RFC 4180 CSV (quoted fields, doubled quotes, CRLF or LF) into rows of cells. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += c;
  }
  if (cell !== '' || row.length > 0) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

/** CSV rows as objects keyed by the header row. */
export function csvRecords(text: string): Record<string, string>[] {
  const [header, ...rows] = parseCsv(text);
  return rows.map((cells) => Object.fromEntries(header.map((name, i) => [name, cells[i]])));
}

/** A supertest parser that collects a streamed response as text, whatever its content type. */
export const textParser = ((response: NodeJS.ReadableStream, done: (error: Error | null, body: string) => void) => {
  let text = '';
  response.setEncoding('utf8');
  response.on('data', (chunk: string) => (text += chunk));
  response.on('end', () => done(null, text));
}) as unknown as Parameters<request.Test['parse']>[0];

export const programIdOf = (record: RecordedRequest) =>
  (record.body as { properties?: { program_id?: string } } | undefined)?.properties?.program_id ?? '';

/** How many times CleverTap (the simulator) raised each program_id: the ledger a replay is checked against. */
export function raisedCounts(...simulators: CleverTapSimulator[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const simulator of simulators)
    for (const record of simulator.successful()) counts.set(programIdOf(record), (counts.get(programIdOf(record)) ?? 0) + 1);
  return counts;
}

/** The vendor example with its program_id (and optionally business event and name) made unique. */
export function bulletinFor(programId: string, overrides: { business_event?: string; name?: string; properties?: Record<string, string> } = {}) {
  const base = exampleBulletin();
  return {
    ...base,
    ...(overrides.business_event ? { business_event: overrides.business_event } : {}),
    ...(overrides.name ? { name: overrides.name } : {}),
    properties: { ...base.properties, program_id: programId, ...overrides.properties },
  };
}

export function replayClient(gateway: GatewayHarness, key: string) {
  return {
    request: (body: Record<string, unknown>) => request(gateway.http).post('/v1/replays').set(bearer(key)).send(body),
    progress: (id: string) => request(gateway.http).get(`/v1/replays/${id}`).set(bearer(key)),
    /** Polls GET /v1/replays/:id until it says done, and returns that last answer. */
    finished: async (id: string, timeoutMs = 20_000) =>
      waitFor(
        async () => {
          const response = await request(gateway.http).get(`/v1/replays/${id}`).set(bearer(key));
          return response.status === 200 && response.body.done === true ? response.body : undefined;
        },
        timeoutMs,
        `replay ${id} to finish`,
      ),
  };
}

export async function statusCounts(gateway: GatewayHarness, eventIds: string[]): Promise<Record<string, number>> {
  const rows = await gateway.sql<{ status: string; n: number }>(
    `SELECT status, count(*)::int AS n FROM event_status WHERE event_id = ANY($1::uuid[]) GROUP BY status`,
    [eventIds],
  );
  return Object.fromEntries(rows.map((row) => [row.status, row.n]));
}

export async function waitForStatus(gateway: GatewayHarness, eventIds: string[], status: string, timeoutMs = 20_000): Promise<void> {
  await waitFor(async () => (await statusCounts(gateway, eventIds))[status] === eventIds.length, timeoutMs, `${eventIds.length} events to be ${status}`);
}

type Query = (text: string, params?: unknown[]) => Promise<unknown>;

/**
 * Writes `count` events to the log as an outage would have left them: received, three transient
 * attempts (ECONNREFUSED), status exhausted. Much faster than producing them through a real outage.
 */
export async function insertExhaustedEvents(
  query: Query,
  options: { partnerId: string; accountId: string; prefix: string; count: number; businessEvent?: string },
): Promise<{ eventIds: string[]; programIds: string[] }> {
  const ids: string[] = [];
  const programIds: string[] = [];
  const payloads: string[] = [];
  const hashes: string[] = [];
  for (let i = 0; i < options.count; i++) {
    const programId = `${options.prefix}-${i}`;
    const payload = bulletinFor(programId, { business_event: options.businessEvent, name: `${options.prefix} episode ${i}` });
    ids.push(randomUUID());
    programIds.push(programId);
    payloads.push(JSON.stringify(payload));
    hashes.push(createHash('sha256').update(canonicalize(payload)!).digest('hex'));
  }
  await query(
    `WITH events AS (
       INSERT INTO bulletin_events (id, partner_id, account_id, business_event, payload, payload_sha256, request_id)
       SELECT id, $4, $5, payload->>'business_event', payload, sha, 'seeded-' || id
         FROM unnest($1::uuid[], $2::jsonb[], $3::text[]) AS t(id, payload, sha)
       RETURNING id, account_id
     ), attempts AS (
       INSERT INTO dispatch_attempts (event_id, attempt_number, trigger, outcome, resulting_status, error, error_code, started_at, latency_ms)
       SELECT id, n, CASE WHEN n = 1 THEN 'auto' ELSE 'retry' END, 'transient', CASE WHEN n = 3 THEN 'exhausted' ELSE 'retrying' END,
              'Could not reach CleverTap (ECONNREFUSED)', 'ECONNREFUSED', now() - make_interval(secs => 4 - n), 1
         FROM events, generate_series(1, 3) AS n
       RETURNING 1
     )
     INSERT INTO event_status (event_id, account_id, status, attempts, transient_failures)
     SELECT id, account_id, 'exhausted', 3, 3 FROM events`,
    [ids, payloads, hashes, options.partnerId, options.accountId],
  );
  return { eventIds: ids, programIds };
}
