import canonicalize from 'canonicalize';
import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import type { CleverTapSimulator, RecordedRequest } from '../../src/simulator/clevertap-simulator.js';
import { CleverTapSimulator as Simulator } from '../../src/simulator/clevertap-simulator.js';
import { exampleBulletin, type GatewayHarness } from '../support/gateway-harness.js';
import { waitFor } from '../support/wait-for.js';

export const bearer = (key: string) => ({ Authorization: `Bearer ${key}` });

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

/** Raises a bulletin; `async` answers 202 at once, otherwise the gateway waits for CleverTap. */
export async function raise(
  gateway: GatewayHarness,
  key: string,
  body: Record<string, unknown>,
  options: { account?: string; async?: boolean } = {},
): Promise<string> {
  const response = await request(gateway.http)
    .post('/1/targets/trigger.json')
    .set(gateway.partnerHeaders(key, options.account))
    .set(options.async === false ? {} : { Prefer: 'respond-async' })
    .send(body);
  if (!response.body?.event_id) throw new Error(`ingest refused the bulletin: ${response.status} ${response.text}`);
  return response.body.event_id as string;
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

/** Checks that a /v1 error is problem+json and carries the gateway's fields. */
export function expectProblem(response: request.Response, status: number, titleMatches?: RegExp): void {
  expect({ status: response.status, contentType: response.headers['content-type'] }).toEqual({
    status,
    contentType: expect.stringMatching(/^application\/problem\+json/),
  });
  expect(response.body).toEqual(expect.objectContaining({ status, title: expect.any(String), code: expect.any(String) }));
  if (titleMatches) expect(response.body.title).toMatch(titleMatches);
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

/**
 * A second CleverTap account on a simulator of its own, declared through CLEVERTAP_ACCOUNTS_FILE, so
 * a test can have events on two accounts.
 */
export async function secondAccount(id = 'second-account'): Promise<{ id: string; env: Record<string, string>; simulator: Simulator }> {
  const passcode = 'second-account-real-passcode';
  const simulator = new Simulator({ accounts: [{ id, passcode }] });
  const url = await simulator.start();
  const file = join(mkdtempSync(join(tmpdir(), 'bg-replay-accounts-')), 'accounts.json');
  writeFileSync(file, JSON.stringify([{ id, baseUrl: url, passcodeEnv: 'SECOND_ACCOUNT_PASSCODE' }]));
  return { id, simulator, env: { CLEVERTAP_ACCOUNTS_FILE: file, SECOND_ACCOUNT_PASSCODE: passcode } };
}
