import { stringify } from 'csv-stringify';
import { stringify as stringifySync } from 'csv-stringify/sync';
import { createHash } from 'node:crypto';
import { Transform, type Writable } from 'node:stream';
import { finished, pipeline } from 'node:stream/promises';
import QueryStream from 'pg-query-stream';
import type pg from 'pg';
import type { DataSource } from 'typeorm';
import { eventConditions } from '../event-log/event-conditions.js';
import type { EventFilter } from '../event-log/event-filter.dto.js';
import { EVENT_SOURCE, SUMMARY_COLUMNS } from '../event-log/event-summary.js';
import { recordOfSql, recordSql } from '../audit-log/leaf-records.js';
import { BatchedInclusion } from '../audit-log/tree-reader.js';
import type { LeafRecord } from '../transparency/leaf.js';
import { type NoteSigner, signNote } from '../transparency/signed-note.js';

export type ExportFormat = 'ndjson' | 'csv';
export const EXPORT_FORMAT = 'bulletin-gateway-export/2';
/** The second line of the trailer's signed note; never a decimal size, so it cannot pass for a checkpoint. */
export const EXPORT_NOTE_HEADER = 'bulletin-gateway export/v2';

/** The signed checkpoint an NDJSON export proves its entries against. */
export interface ExportCheckpoint {
  /** The signed note, with the witness cosignatures collected so far. */
  note: string;
  treeSize: number;
}

export type ExportScope = 'whole_log' | 'filtered';

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
 * whatever the size of the log. An NDJSON export is made against one signed checkpoint (the header
 * carries it): it holds only events whose own leaf that checkpoint covers, each with every covered leaf
 * of the event and its inclusion proof; a whole-log export adds every other covered leaf, so it holds the
 * whole tree. It ends with a trailer holding the SHA-256 of every line before it, in a note signed by the
 * log key. docs/audit-format.md §9.1 is the format.
 */
export async function exportEvents(options: {
  db: DataSource;
  filter: EventFilter;
  format: ExportFormat;
  output: Writable;
  onlyPartner?: string;
  /** Required for a proof: without it the NDJSON carries no entries and proves nothing. */
  checkpoint?: ExportCheckpoint;
  /** The log key, which signs the trailer. */
  signer?: NoteSigner;
  onRow?: () => void;
  /** Quoted in the error line of an export that fails midway. */
  requestId?: string;
}): Promise<number> {
  const conditions = eventConditions(options.filter, options.onlyPartner);
  const proven = options.format === 'ndjson' ? options.checkpoint : undefined;
  const scope: ExportScope = !options.onlyPartner && isEmptyFilter(options.filter) ? 'whole_log' : 'filtered';
  // A proven export is a snapshot at its checkpoint: an event whose leaf is not under it yet is left out.
  const clauses = proven ? [...conditions.clauses, `l.leaf_index < $${conditions.params.length + 1}`] : conditions.clauses;
  const sql = `SELECT ${EXPORT_COLUMNS} FROM ${EVENT_SOURCE}
    ${proven ? 'JOIN' : 'LEFT JOIN'} audit_leaves l ON l.kind = 'event' AND l.source_position = e.position
    ${clauses.length > 0 ? `WHERE ${clauses.join(' AND ')}` : ''} ORDER BY e.position`;
  const params = proven ? [...conditions.params, proven.treeSize] : conditions.params;
  const runner = options.db.createQueryRunner();
  let rows = 0;
  let started = false;
  let detach = () => {};
  let abandon = () => {};
  try {
    const client = (await runner.connect()) as pg.PoolClient;
    const stream = client.query(new QueryStream(sql, params, { batchSize: EXPORT_ROWS_PER_FETCH }));
    const counter = new Transform({
      objectMode: true,
      transform(row, _encoding, done) {
        rows++;
        options.onRow?.();
        done(null, normalise(row));
      },
    });
    const encoder =
      options.format === 'csv'
        ? csvEncoder()
        : ndjsonEncoder({ filter: options.filter, scope, checkpoint: proven?.note ?? null }, options.signer);
    // Proofs run on the pool, not on the cursor's connection, which is busy until the cursor closes.
    const prove = proven ? withProofs(options.db, proven.treeSize, scope) : passThrough;
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
    const streamed = pipeline(stream, counter, prove, encoder, async (encoded: AsyncIterable<string | Buffer>) => {
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

interface ExportHeader {
  filter: EventFilter;
  scope: ExportScope;
  checkpoint: string | null;
}

function ndjsonEncoder(header: ExportHeader, signer: NoteSigner | undefined): Transform {
  const hash = createHash('sha256');
  let lines = 0;
  const line = (value: unknown) => {
    const text = `${JSON.stringify(value)}\n`;
    hash.update(text, 'utf8');
    lines++;
    return text;
  };
  let started = false;
  const headerLine = () => {
    if (started) return '';
    started = true;
    return line({ type: 'header', format: EXPORT_FORMAT, exported_at: new Date().toISOString(), ...header });
  };
  return new Transform({
    writableObjectMode: true,
    transform(row, _encoding, done) {
      done(null, headerLine() + line(row.type === 'entry' ? row : eventLine(row)));
    },
    flush(done) {
      const first = headerLine();
      const sha256 = hash.digest('hex');
      const trailer: Record<string, unknown> = { type: 'trailer', format: EXPORT_FORMAT, lines, sha256 };
      if (signer) trailer.signature = signNote(exportNoteText(signer.name, lines, sha256), signer);
      done(null, `${first}${JSON.stringify(trailer)}\n`);
    },
  });
}

/** The text of the trailer's signed note (docs/audit-format.md §9.1). */
export const exportNoteText = (origin: string, lines: number, sha256: string) =>
  `${origin}\n${EXPORT_NOTE_HEADER}\nlines ${lines}\nsha256 ${sha256}\n`;

/** An NDJSON event line: the summary, then the entries (the CSV's leaf columns are in the entries). */
function eventLine(row: Record<string, unknown>): Record<string, unknown> {
  const { leaf_index: _index, leaf_hash: _hash, ...summary } = row;
  return { type: 'event', ...summary };
}

function isEmptyFilter(filter: EventFilter): boolean {
  return Object.values(filter).every((value) => value === undefined || value === null || value === '');
}

async function* passThrough(rows: AsyncIterable<Record<string, unknown>>) {
  yield* rows;
}

/** Entries of one event, as in GET /v1/events/:id/proof. */
interface ExportEntry {
  index: number;
  kind: string;
  record: LeafRecord;
  inclusion: string[];
}

/** Events proven per round (two queries each); larger rounds were no faster and hold more in memory. */
const PROOF_BATCH = 100;
const OTHER_KINDS = ['rejection', 'replay'];

/**
 * Adds to each event row its covered leaves with their inclusion proofs, a batch of events at a time:
 * one query for the batch's leaves and one for every tree node their proofs read. A whole-log export
 * then streams the leaves no event carries (rejections, replays), so the file holds every leaf.
 */
function withProofs(db: DataSource, size: number, scope: ExportScope) {
  const inclusion = new BatchedInclusion(db, size);
  const record = recordOfSql('l.kind', 'l.source_position');
  const prove = async (leaves: { leaf_index: string; kind: string; record: LeafRecord }[]) => {
    const proofs = await inclusion.proofs(leaves.map((leaf) => Number(leaf.leaf_index)));
    return leaves.map((leaf, i): ExportEntry => ({
      index: Number(leaf.leaf_index),
      kind: leaf.kind,
      record: leaf.record,
      inclusion: proofs[i].map((hash) => hash.toString('base64')),
    }));
  };
  const attach = async (rows: Record<string, any>[]) => {
    const leaves: { event_id: string; leaf_index: string; kind: string; record: LeafRecord }[] = await db.query(
      `SELECT e.id AS event_id, l.leaf_index, l.kind, ${recordSql('event', 'e')} AS record
         FROM bulletin_events e JOIN audit_leaves l ON l.kind = 'event' AND l.source_position = e.position
        WHERE e.position = ANY($1::bigint[])
       UNION ALL
       SELECT a.event_id, l.leaf_index, l.kind, ${recordSql('attempt', 'a')}
         FROM dispatch_attempts a JOIN audit_leaves l ON l.kind = 'attempt' AND l.source_position = a.position
        WHERE a.event_id = ANY($2::uuid[])
       UNION ALL
       SELECT i.event_id, l.leaf_index, l.kind, ${recordSql('replay_item', 'i')}
         FROM replay_items i JOIN audit_leaves l ON l.kind = 'replay_item' AND l.source_position = i.position
        WHERE i.event_id = ANY($2::uuid[])`,
      [rows.map((row) => row.position), rows.map((row) => row.id)],
    );
    leaves.sort((a, b) => Number(a.leaf_index) - Number(b.leaf_index));
    const covered = leaves.filter((leaf) => Number(leaf.leaf_index) < size);
    const entries = await prove(covered);
    const byEvent = new Map<string, { entries: ExportEntry[]; pending: number }>(rows.map((row) => [row.id, { entries: [], pending: 0 }]));
    covered.forEach((leaf, i) => byEvent.get(leaf.event_id)!.entries.push(entries[i]));
    for (const leaf of leaves) if (Number(leaf.leaf_index) >= size) byEvent.get(leaf.event_id)!.pending++;
    return rows.map((row) => ({ ...row, ...byEvent.get(row.id)! }));
  };
  return async function* (rows: AsyncIterable<Record<string, any>>) {
    let batch: Record<string, any>[] = [];
    // One batch is proven while the next is read from the cursor: Postgres and this process work at once.
    let proving: Promise<Record<string, any>[]> | undefined;
    for await (const row of rows) {
      batch.push(row);
      if (batch.length < PROOF_BATCH) continue;
      const next = attach(batch);
      next.catch(() => undefined); // awaited below; an abandoned export must not leave it unhandled
      batch = [];
      if (proving) yield* await proving;
      proving = next;
    }
    if (proving) yield* await proving;
    if (batch.length > 0) yield* await attach(batch);
    if (scope !== 'whole_log') return;
    for (let after = -1; ; ) {
      const leaves: { leaf_index: string; kind: string; record: LeafRecord }[] = await db.query(
        `SELECT l.leaf_index, l.kind, ${record} AS record FROM audit_leaves l
          WHERE l.kind = ANY($1::text[]) AND l.leaf_index > $2 AND l.leaf_index < $3 ORDER BY l.leaf_index LIMIT ${PROOF_BATCH}`,
        [OTHER_KINDS, after, size],
      );
      if (leaves.length === 0) return;
      for (const entry of await prove(leaves)) yield { type: 'entry', ...entry };
      after = Number(leaves[leaves.length - 1].leaf_index);
    }
  };
}

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
