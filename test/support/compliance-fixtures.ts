import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/database/data-source-options.js';
import { PartnersRepository } from '../../src/access/partners.repository.js';
import type { Role } from '../../src/access/principal.js';
import { CleverTapSimulator } from '../../src/simulator/clevertap-simulator.js';
import { exampleBulletin, type GatewayHarness } from './gateway-harness.js';

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

/** Checks that a /v1 error is a problem+json body carrying the gateway's fields. */
export function expectProblem(response: request.Response, status: number, code?: string): void {
  expect({ status: response.status, contentType: response.headers['content-type'] }).toEqual({
    status,
    contentType: expect.stringMatching(/^application\/problem\+json/),
  });
  expect(response.body).toEqual(expect.objectContaining({ status, title: expect.any(String), code: code ?? expect.any(String) }));
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
