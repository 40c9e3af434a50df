import { runInsertBaseline, type BaselineFigures } from './baseline.js';
import { type HttpRequest, type LoadFigures, round, runAutocannon, runPaced } from './load.js';
import { nextSequence, vendorExample } from './payload.js';
import { insertBacklog, pendingCount, statusesOf, waitForEmptyQueue } from './seed.js';
import type { Bench } from './setup.js';

export interface IngestFigures extends LoadFigures {
  /** Rows that reached bulletin_events during the phase: what a 202 promised. */
  committed: number;
}

export interface BacklogFigures {
  events: number;
  seconds: number;
  eventsPerSecond: number;
  drained: boolean;
}

export interface DrainFigures extends BacklogFigures {
  latencyMs: number;
  ceilingPerSecond: number;
  percentOfCeiling: number;
  upstream429: number;
  statuses: Record<string, number>;
}

export const MINUTE = 60_000;

export function log(message: string): void {
  console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}`);
}

/** Marks the phase for the memory and CPU sampler, and stops at once if the gateway died in an earlier one. */
export async function phase<T>(bench: Bench, name: string, work: () => Promise<T>): Promise<T> {
  for (const gateway of bench.gateways) gateway.assertRunning();
  bench.simulator.process.assertRunning();
  bench.usage.enter(name);
  bench.cpu.enter(name);
  log(`${name}...`);
  const result = await work();
  for (const gateway of bench.gateways) gateway.assertRunning();
  log(`${name}: ${summary(result)}`);
  return result;
}

/** One progress line per phase: the figures without the per-status breakdowns. */
function summary(result: unknown): string {
  const { statusCodes: _codes, statuses: _statuses, ...shown } = result as Record<string, unknown>;
  return JSON.stringify(shown);
}

/** The vendor example with fresh property values, spread over the accounts in turn. */
function ingestRequest(bench: Bench, respondAsync: boolean): () => HttpRequest {
  return () => {
    const n = nextSequence();
    return {
      method: 'POST',
      path: '/1/targets/trigger.json',
      headers: {
        'content-type': 'application/json',
        'x-clevertap-account-id': bench.accounts[n % bench.accounts.length],
        'x-clevertap-passcode': bench.partner.key,
        ...(respondAsync ? { prefer: 'respond-async' } : {}),
      },
      body: JSON.stringify(vendorExample(n)),
    };
  };
}

async function eventCount(bench: Bench): Promise<number> {
  const { rows } = await bench.db.query('SELECT count(*)::int AS n FROM bulletin_events');
  return rows[0].n;
}

/**
 * Async ingest while the dispatcher works as it would in production: the simulator answers in
 * 100 ms, so the accepted events drain at CleverTap's pace (120/s) beside the load, not at full speed.
 */
async function ingest(bench: Bench, load: () => Promise<LoadFigures>): Promise<IngestFigures> {
  await bench.simulator.setLatency(bench.options.drainLatencyMs);
  const before = await eventCount(bench);
  const figures = await load();
  return { ...figures, committed: (await eventCount(bench)) - before };
}

/**
 * The first ingest phase: after an untimed warm-up at the same rate. Without it the first second
 * measured the load generator's own start (undici's first use, 64 connections opening) and V8 compiling
 * the gateway's hot paths: a p99 of 300 ms where the gateway itself logged 41 ms.
 */
export async function ingestAtFixedRate(bench: Bench): Promise<IngestFigures> {
  const { fixedRate, phaseSeconds, warmupSeconds, saturationConnections } = bench.options;
  const paced = (seconds: number) => () =>
    runPaced({ origin: bench.gatewayUrl, rate: fixedRate, seconds, connections: saturationConnections, next: ingestRequest(bench, true) });
  const warmup = await ingest(bench, paced(warmupSeconds));
  log(`  warm-up: ${warmup.ok} requests in ${warmup.seconds} s, not counted`);
  return ingest(bench, paced(phaseSeconds));
}

export function ingestAtAutocannonRate(bench: Bench): Promise<IngestFigures> {
  const { fixedRate, phaseSeconds, saturationConnections } = bench.options;
  return ingest(bench, () =>
    runAutocannon({
      url: bench.gatewayUrl,
      connections: saturationConnections,
      overallRate: fixedRate,
      seconds: phaseSeconds,
      next: ingestRequest(bench, true),
    }),
  );
}

export function ingestAtSaturation(bench: Bench, url = bench.gatewayUrl, seconds = bench.options.phaseSeconds): Promise<IngestFigures> {
  const { saturationConnections } = bench.options;
  return ingest(bench, () => runAutocannon({ url, connections: saturationConnections, seconds, next: ingestRequest(bench, true) }));
}

export interface ReceiptsFigures {
  /** Saturated async ingest on a gateway without AUDIT_SIGNING_KEY: no receipts. */
  withoutKey: IngestFigures;
  /** The same on the bench's gateway, which signs a receipt for every accepted event. */
  withKey: IngestFigures;
  /** How much lower events/s is with receipts, in % of the rate without (negative: higher). */
  dropPercent: number;
}

/**
 * Ingest with receipts A/B in one run: a second gateway without the log key is started on the same
 * database, and the saturation phase runs against each in turn, twice (A B A B), so drift in the
 * machine's load falls on both sides. Both gateways stay up throughout: the idle one's dispatcher works
 * the same queue in both halves.
 */
export async function ingestReceiptsAB(bench: Bench): Promise<ReceiptsFigures> {
  const unsigned = await bench.startUnsignedGateway();
  try {
    // The new process is cold (JIT, pools) where the bench's gateway has run every phase before: an
    // untimed warm-up at the same load, or the A side would be measured cold against a warm B side.
    const warmup = await ingestAtSaturation(bench, unsigned.url, bench.options.warmupSeconds * 2);
    log(`  warm-up of the gateway without the key: ${warmup.ok} requests in ${warmup.seconds} s, not counted`);
    const runs: { withoutKey: IngestFigures[]; withKey: IngestFigures[] } = { withoutKey: [], withKey: [] };
    for (let round = 0; round < 2; round++) {
      runs.withoutKey.push(await ingestAtSaturation(bench, unsigned.url));
      unsigned.gateway.assertRunning();
      runs.withKey.push(await ingestAtSaturation(bench, bench.gatewayUrl));
    }
    const withoutKey = combined(runs.withoutKey);
    const withKey = combined(runs.withKey);
    return { withoutKey, withKey, dropPercent: round((1 - withKey.okPerSecond / withoutKey.okPerSecond) * 100) };
  } finally {
    await unsigned.gateway.stop();
  }
}

/** Two runs as one: counts summed, rate over the summed time, the worse latency of the two. */
function combined(runs: IngestFigures[]): IngestFigures {
  const sum = (pick: (f: IngestFigures) => number) => runs.reduce((total, f) => total + pick(f), 0);
  const statusCodes: Record<string, number> = {};
  for (const run of runs) for (const [code, count] of Object.entries(run.statusCodes)) statusCodes[code] = (statusCodes[code] ?? 0) + count;
  const seconds = sum((f) => f.seconds);
  return {
    seconds: round(seconds),
    requests: sum((f) => f.requests),
    ok: sum((f) => f.ok),
    non2xx: sum((f) => f.non2xx),
    errors: sum((f) => f.errors),
    okPerSecond: round(sum((f) => f.ok) / seconds),
    latencyMs: {
      p50: Math.max(...runs.map((f) => f.latencyMs.p50)),
      p99: Math.max(...runs.map((f) => f.latencyMs.p99)),
      max: Math.max(...runs.map((f) => f.latencyMs.max)),
    },
    statusCodes,
    committed: sum((f) => f.committed),
  };
}

export function insertBaseline(bench: Bench): Promise<BaselineFigures> {
  return runInsertBaseline({
    databaseUrl: bench.database.url,
    partnerId: bench.partner.id,
    accounts: bench.accounts,
    clients: bench.options.saturationConnections,
    seconds: bench.options.phaseSeconds,
  });
}

/** Empties what the ingest phases queued, with an instant upstream, so later phases start from an idle gateway. */
export async function drainIngestBacklog(bench: Bench): Promise<BacklogFigures> {
  await bench.simulator.setLatency(0);
  const events = await pendingCount(bench.db);
  const started = performance.now();
  const drained = await waitForEmptyQueue(bench.db, 20 * MINUTE);
  const seconds = (performance.now() - started) / 1000;
  return { events, seconds: round(seconds), eventsPerSecond: round(events / seconds), drained };
}

/** Requests that wait for CleverTap's answer, `syncConnections` at a time over the accounts. */
export async function syncEndToEnd(bench: Bench, latencyMs: number): Promise<LoadFigures> {
  await bench.simulator.setLatency(latencyMs);
  await waitForEmptyQueue(bench.db, 5 * MINUTE);
  return runAutocannon({
    url: bench.gatewayUrl,
    connections: bench.options.syncConnections,
    seconds: bench.options.phaseSeconds,
    next: ingestRequest(bench, false),
  });
}

/** A backlog left by an outage, drained against an upstream that answers in `drainLatencyMs`. */
export async function dispatchDrain(bench: Bench): Promise<DrainFigures> {
  const { drainEvents, drainLatencyMs, accounts, concurrencyPerAccount } = bench.options;
  await bench.simulator.setLatency(drainLatencyMs);
  await waitForEmptyQueue(bench.db, 5 * MINUTE);
  const ceilingPerSecond = (accounts * concurrencyPerAccount * 1000) / drainLatencyMs;
  const before = await bench.simulator.stats();
  const ids = await insertBacklog(bench.db, bench.partner.id, bench.accounts, drainEvents);
  const started = performance.now();
  const drained = await waitForEmptyQueue(bench.db, Math.max(2 * MINUTE, (4 * drainEvents * 1000) / ceilingPerSecond));
  const seconds = (performance.now() - started) / 1000;
  const after = await bench.simulator.stats();
  // Only what left the queue: a drain cut short by its timeout must not count the events still waiting.
  const eventsPerSecond = (drainEvents - (await pendingCount(bench.db))) / seconds;
  return {
    events: drainEvents,
    seconds: round(seconds),
    eventsPerSecond: round(eventsPerSecond),
    drained,
    latencyMs: drainLatencyMs,
    ceilingPerSecond,
    percentOfCeiling: round((100 * eventsPerSecond) / ceilingPerSecond),
    upstream429: after.rejected429 - before.rejected429,
    statuses: await statusesOf(bench.db, ids),
  };
}

