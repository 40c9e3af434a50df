import type { INestApplication } from '@nestjs/common';
import pg from 'pg';
import { Writable } from 'node:stream';
import { loadConfig, type GatewayConfig } from '../../src/config/gateway-config.js';
import { createGatewayApp } from '../../src/gateway-app.js';
import { createLogger } from '../../src/logging/logger.js';
import { GatewayMetrics } from '../../src/metrics/gateway-metrics.js';
import { PartnersRepository } from '../../src/access/partners.repository.js';
import type { Role } from '../../src/access/principal.js';
import { CleverTapSimulator } from '../../src/simulator/clevertap-simulator.js';
import type { SimulatorOptions } from '../../src/simulator/simulator-config.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';
import { waitFor } from './wait-for.js';
import { contractOf, type Mismatch, watchAnswers } from './openapi-contract.js';

export const ACCOUNT_ID = 'sim-account';
export const UPSTREAM_PASSCODE = 'real-clevertap-passcode-of-the-account';

/** The example payload of CleverTap's Bulletins documentation page. */
export const exampleBulletin = () => ({
  business_event: 'Program Released',
  name: 'Sa Re Ga Ma episode 12',
  properties: { program_id: '234567', language: 'Hindi', prev_program_id: '123457' },
  'c-by': 'editor@example.com',
  when: 'now',
});

/** Every log line the gateway wrote, for tests that check what reached the logs. */
export class CapturedLogs extends Writable {
  readonly lines: string[] = [];
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    done();
  }
  get text(): string {
    return this.lines.join('\n');
  }
}

export interface GatewayHarness {
  app: INestApplication;
  http: ReturnType<INestApplication['getHttpServer']>;
  config: GatewayConfig;
  simulator: CleverTapSimulator;
  database: TestDatabase;
  logs: CapturedLogs;
  sql<T = Record<string, any>>(text: string, params?: unknown[]): Promise<T[]>;
  createPartner(options?: { role?: Role; accounts?: string[]; name?: string }): Promise<string>;
  /** Headers a partner's CleverTap client would send, with the gateway key as the passcode. */
  partnerHeaders(key: string, accountId?: string): Record<string, string>;
  /** The event's status projection and every attempt, oldest first. */
  timeline(eventId: string): Promise<{ status: string; attempts: Record<string, any>[] }>;
  /** The dispatcher's looks for due work so far (`bulletin_gateway_dispatch_polls_total`), by result. */
  polls(result?: 'ok' | 'failed'): Promise<number>;
  /**
   * Resolves once the dispatcher has looked for due work `count` more times and woken every account
   * that had some: "nothing was sent after N more polls" instead of "after so many seconds".
   */
  morePolls(count: number, result?: 'ok' | 'failed'): Promise<void>;
  /** Every /v1 answer that did not match the OpenAPI document: they fail the test file at close. */
  contract: { unexpected: Mismatch[] };
  /** Stops the gateway; throws when a /v1 answer did not match the OpenAPI document, listing them. */
  close(): Promise<void>;
}

/**
 * The real gateway (same module, pipeline and migrations as production) on a database of its own,
 * talking over HTTP to a real simulator that holds the account's real passcode.
 */
export async function startGateway(
  options: { env?: Record<string, string>; simulator?: SimulatorOptions; database?: TestDatabase } = {},
): Promise<GatewayHarness> {
  const simulator = new CleverTapSimulator({
    accounts: [{ id: ACCOUNT_ID, passcode: UPSTREAM_PASSCODE }],
    ...options.simulator,
  });
  const baseUrl = await simulator.start();
  const database = options.database ?? (await createTestDatabase());
  const config = loadConfig({
    DATABASE_URL: database.url,
    CLEVERTAP_ACCOUNT_ID: ACCOUNT_ID,
    CLEVERTAP_PASSCODE: UPSTREAM_PASSCODE,
    CLEVERTAP_BASE_URL: baseUrl,
    DISPATCH_POLL_MS: '200',
    LOG_LEVEL: 'info',
    ...options.env,
  });
  const logs = new CapturedLogs();
  const app = await createGatewayApp(config, database.url, createLogger(config.logLevel, logs));
  const contract = { unexpected: [] as Mismatch[] };
  watchAnswers(app.getHttpServer(), contractOf(app), (mismatch) => contract.unexpected.push(mismatch));
  const pool = new pg.Pool({ connectionString: database.url, max: 2 });
  const polls = async (result: 'ok' | 'failed' = 'ok') => {
    const counter = app.get(GatewayMetrics).registry.getSingleMetric('bulletin_gateway_dispatch_polls_total')!;
    return (await counter.get()).values.find((value) => value.labels.result === result)?.value ?? 0;
  };
  pool.on('error', () => undefined); // an idle connection dropped by a test that restarts Postgres is not a failure
  return {
    app,
    http: app.getHttpServer(),
    config,
    simulator,
    database,
    logs,
    sql: async (text, params) => (await pool.query(text, params)).rows,
    createPartner: async ({ role = 'partner', accounts = [ACCOUNT_ID], name = `partner-${Math.random()}` } = {}) =>
      (await app.get(PartnersRepository).create(name, role, accounts)).key,
    partnerHeaders: (key, accountId = ACCOUNT_ID) => ({
      'X-CleverTap-Account-Id': accountId,
      'X-CleverTap-Passcode': key,
      'Content-Type': 'application/json',
    }),
    timeline: async (eventId) => {
      const [state] = (await pool.query('SELECT status FROM event_status WHERE event_id = $1', [eventId])).rows;
      const attempts = (
        await pool.query('SELECT * FROM dispatch_attempts WHERE event_id = $1 ORDER BY attempt_number', [eventId])
      ).rows;
      return { status: state?.status, attempts };
    },
    polls,
    morePolls: async (count, result = 'ok') => {
      const target = (await polls(result)) + count;
      await waitFor(async () => (await polls(result)) >= target, 30_000, `${count} more dispatcher polls (${result})`);
    },
    contract,
    close: async () => {
      await app.close();
      await pool.end();
      await simulator.stop();
      if (!options.database) await database.drop();
      if (contract.unexpected.length > 0)
        throw new Error(
          `${contract.unexpected.length} /v1 answer(s) do not match the OpenAPI document (fix the answer or its decorators):\n` +
            contract.unexpected.map((m) => `- ${m.operation} -> ${m.status} (${m.url}): ${m.kind}: ${m.message}`).join('\n'),
        );
    },
  };
}
