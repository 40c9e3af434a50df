import { stringify } from 'csv-stringify';
import { stringify as stringifySync } from 'csv-stringify/sync';
import { createHash, type KeyObject } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { Transform, type Writable } from 'node:stream';
import { finished, pipeline } from 'node:stream/promises';
import QueryStream from 'pg-query-stream';
import type pg from 'pg';
import type { DataSource } from 'typeorm';
import { eventConditions } from '../event-log/event-conditions.js';
import type { EventFilter } from '../event-log/event-filter.dto.js';
import { EVENT_SOURCE, SUMMARY_COLUMNS } from './event-audit.repository.js';
import { publicKeyOf, signText, verifyText } from '../audit-log/signing-key.js';

export type ExportFormat = 'ndjson' | 'csv';
export const EXPORT_FORMAT = 'bulletin-gateway-export/1';

const EXPORT_COLUMNS = `${SUMMARY_COLUMNS}, e.payload, a.http_status AS last_http_status,
  a.clevertap_status AS last_clevertap_status, a.targets, a.error_code AS last_error_code,
  l.leaf_index, encode(l.leaf_hash, 'base64') AS leaf_hash`;

/**
 * Rows fetched at a time, kept small: rows waiting in the stream's buffer outlive V8's young generation
 * and would be promoted, growing the heap during a long export.
 */
const EXPORT_ROWS_PER_FETCH = 250;

const CSV_COLUMNS = [
  'id', 'position', 'received_at', 'partner_id', 'partner_name', 'account_id', 'business_event', 'name', 'status',
  'attempts', 'last_http_status', 'last_clevertap_status', 'targets', 'last_error', 'last_error_code', 'request_id',
  'idempotency_key', 'payload', 'leaf_index', 'leaf_hash',
];

/**
 * Streams the events matching a filter, oldest first, through a server-side cursor: memory stays flat
 * whatever the size of the log. NDJSON ends with a trailer holding the SHA-256 of every byte before it,
 * Ed25519-signed when AUDIT_SIGNING_KEY is set, so the file can be verified offline.
 */
export async function exportEvents(options: {
  db: DataSource;
  filter: EventFilter;
  format: ExportFormat;
  output: Writable;
  onlyPartner?: string;
  signingKey?: KeyObject;
  onRow?: () => void;
  /** Quoted in the error line of an export that fails midway. */
  requestId?: string;
}): Promise<number> {
  const conditions = eventConditions(options.filter, options.onlyPartner);
  const sql = `SELECT ${EXPORT_COLUMNS} FROM ${EVENT_SOURCE}
    LEFT JOIN audit_leaves l ON l.kind = 'event' AND l.source_position = e.position
    ${conditions.where} ORDER BY e.position`;
  const runner = options.db.createQueryRunner();
  let rows = 0;
  let started = false;
  let detach = () => {};
  let abandon = () => {};
  try {
    const client = (await runner.connect()) as pg.PoolClient;
    const stream = client.query(new QueryStream(sql, conditions.params, { batchSize: EXPORT_ROWS_PER_FETCH }));
    const counter = new Transform({
      objectMode: true,
      transform(row, _encoding, done) {
        rows++;
        options.onRow?.();
        done(null, normalise(row));
      },
    });
    const encoder = options.format === 'csv' ? csvEncoder() : ndjsonEncoder(options.filter, options.signingKey);
    // A connection lost between two fetches is reported to the client, not to the idle cursor, and the
    // query stream cannot be destroyed then (closing its cursor waits for a server that is gone): the
    // export stops on the client's error instead of waiting forever.
    let onLost: (error?: Error) => void = () => {};
    const lost = new Promise<never>((_, reject) => {
      onLost = (error) => reject(error ?? new Error('the database connection closed during the export'));
    });
    client.on('error', onLost);
    client.on('end', onLost);
    detach = () => {
      client.off('error', onLost);
      client.off('end', onLost);
    };
    // The output is not a stage of the pipeline, which would destroy it on an error: it must stay
    // writable for the error line that tells the reader the file is incomplete.
    const streamed = pipeline(stream, counter, encoder, async (encoded: AsyncIterable<string | Buffer>) => {
      for await (const chunk of encoded) {
        await writeWithBackpressure(options.output, chunk);
        started = true;
      }
    });
    abandon = () => counter.destroy();
    streamed.catch(() => undefined); // settled by the race below, or abandoned with the lost connection
    await Promise.race([streamed, lost]);
    options.output.end();
    await finished(options.output);
  } catch (error) {
    abandon();
    if (started && !options.output.destroyed) options.output.end(errorLine(options.format, rows, options.requestId));
    throw Object.assign(error instanceof Error ? error : new Error(String(error)), { exportStarted: started, rowsBeforeFailure: rows });
  } finally {
    detach();
    await runner.release();
  }
  return rows;
}

/** True for an error thrown by exportEvents after the first byte was sent (the file ends with an error line). */
export const failedMidStream = (error: unknown) => (error as { exportStarted?: boolean })?.exportStarted === true;

async function writeWithBackpressure(output: Writable, chunk: string | Buffer): Promise<void> {
  if (output.destroyed || output.writableEnded) throw new Error('the client closed the connection during the export');
  if (output.write(chunk)) return;
  await new Promise<void>((resolve, reject) => {
    const settle = (error?: Error) => {
      output.off('drain', onDrain);
      output.off('close', onClose);
      if (error) reject(error);
      else resolve();
    };
    const onDrain = () => settle();
    const onClose = () => settle(new Error('the client closed the connection during the export'));
    output.once('drain', onDrain);
    output.once('close', onClose);
  });
}

/** What an incomplete export ends with, so neither the verifier nor a CSV reader mistakes it for a whole file. */
export function errorLine(format: ExportFormat, rows: number, requestId?: string): string {
  const message = `The export failed after ${rows} events: this file is incomplete; run the export again${requestId ? ` (request id ${requestId})` : ''}`;
  if (format === 'ndjson') return `${JSON.stringify({ type: 'error', error: message })}\n`;
  return stringifySync([Object.fromEntries(CSV_COLUMNS.map((column) => [column, column === 'id' ? 'ERROR' : column === 'last_error' ? message : '']))], {
    columns: CSV_COLUMNS,
  });
}

function normalise(row: Record<string, any>): Record<string, unknown> {
  return {
    ...row,
    position: Number(row.position),
    leaf_index: row.leaf_index === null ? null : Number(row.leaf_index),
    received_at: row.received_at instanceof Date ? row.received_at.toISOString() : row.received_at,
  };
}

function ndjsonEncoder(filter: EventFilter, signingKey: KeyObject | undefined): Transform {
  const hash = createHash('sha256');
  let lines = 0;
  const line = (value: unknown) => {
    const text = `${JSON.stringify(value)}\n`;
    hash.update(text, 'utf8');
    lines++;
    return text;
  };
  let started = false;
  return new Transform({
    writableObjectMode: true,
    transform(row, _encoding, done) {
      const header = started ? '' : line({ type: 'header', format: EXPORT_FORMAT, exported_at: new Date().toISOString(), filter });
      started = true;
      done(null, header + line({ type: 'event', ...row }));
    },
    flush(done) {
      const header = started ? '' : line({ type: 'header', format: EXPORT_FORMAT, exported_at: new Date().toISOString(), filter });
      const sha256 = hash.digest('hex');
      const trailer: Record<string, unknown> = { type: 'trailer', format: EXPORT_FORMAT, lines, sha256 };
      if (signingKey) {
        trailer.public_key = publicKeyOf(signingKey);
        trailer.signature = signText(signingKey, signedText(sha256, lines));
      }
      done(null, `${header}${JSON.stringify(trailer)}\n`);
    },
  });
}

const signedText = (sha256: string, lines: number) => `${EXPORT_FORMAT}:${lines}:${sha256}`;

/** Spreadsheets execute cells that start with these; a leading apostrophe makes them text. */
const FORMULA_START = /^[=+\-@\t\r]/;
export const neutraliseCell = (value: string) => (FORMULA_START.test(value) ? `'${value}` : value);

function csvEncoder(): Transform {
  return stringify({
    header: true,
    columns: CSV_COLUMNS,
    cast: {
      string: neutraliseCell,
      object: (value) => neutraliseCell(JSON.stringify(value)),
      date: (value) => value.toISOString(),
    },
  });
}

export interface ExportVerification {
  ok: boolean;
  lines: number;
  signed: boolean;
  problem?: string;
}

/**
 * Verifies an NDJSON export with no database: recomputes the SHA-256 of every line before the trailer
 * and checks the trailer's Ed25519 signature (against `trustedPublicKey` when given).
 */
export async function verifyExportFile(path: string, trustedPublicKey?: string): Promise<ExportVerification> {
  const hash = createHash('sha256');
  let lines = 0;
  let trailer: Record<string, any> | undefined;
  for await (const text of createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity })) {
    if (trailer) return { ok: false, lines, signed: false, problem: 'data follows the trailer' };
    const parsed = parseLine(text);
    if (parsed?.type === 'error') return { ok: false, lines, signed: false, problem: `the export failed on the server and is incomplete: ${parsed.error}` };
    if (parsed?.type === 'trailer') trailer = parsed;
    else {
      hash.update(`${text}\n`, 'utf8');
      lines++;
    }
  }
  if (!trailer) return { ok: false, lines, signed: false, problem: 'the trailer line is missing' };
  const sha256 = hash.digest('hex');
  const signed = typeof trailer.signature === 'string';
  if (trailer.sha256 !== sha256 || trailer.lines !== lines)
    return { ok: false, lines, signed, problem: 'the content does not match the trailer: the file was changed' };
  if (!signed) return { ok: !trustedPublicKey, lines, signed, problem: trustedPublicKey ? 'the export is not signed' : undefined };
  if (trustedPublicKey && trailer.public_key !== trustedPublicKey)
    return { ok: false, lines, signed, problem: 'the export was signed with a different key' };
  if (!verifyText(trailer.public_key, signedText(sha256, lines), trailer.signature))
    return { ok: false, lines, signed, problem: 'the signature does not verify' };
  return { ok: true, lines, signed };
}

function parseLine(text: string): Record<string, any> | undefined {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
