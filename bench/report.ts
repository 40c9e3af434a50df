import { writeFileSync } from 'node:fs';
import type { WaitFigures } from './tenant-phases.js';
import type { BenchOptions } from './options.js';
import type { EntriesFigures, ExportFigures, LogFigures, ProofFigures } from './audit-phases.js';
import type { BaselineFigures } from './baseline.js';
import type { Latency, LoadFigures } from './load.js';
import type { CpuShares } from './cpu-shares.js';
import type { PhaseUsage } from './process-sampler.js';
import type { BacklogFigures, DrainFigures, IngestFigures, ReceiptsFigures } from './phases.js';

export interface BenchResults {
  mode: 'full' | 'smoke';
  command: string;
  startedAt: string;
  finishedAt: string;
  machine: { cores: number; cpu: string; memoryGb: number; node: string; postgres: string; database: string; fsync: string; synchronousCommit: string };
  settings: Omit<BenchOptions, 'keep' | 'only'>;
  ingest: { fixedRate: IngestFigures; fixedRateAutocannon: IngestFigures; saturation: IngestFigures };
  /** Saturated ingest with and without the log key (receipts), A B A B in this run. */
  receipts: ReceiptsFigures;
  baseline: BaselineFigures;
  /** Saturated async ingest events/s divided by the baseline's inserts/s. */
  gatewayToBaseline: number;
  ingestBacklog: BacklogFigures;
  sync: { latency0ms: LoadFigures; latency100ms: LoadFigures };
  drain: DrainFigures;
  tenants: { fairness: WaitFigures; liveDuringReplay: WaitFigures };
  log: LogFigures;
  auditList: LoadFigures;
  proofs: ProofFigures;
  entries: EntriesFigures;
  export: ExportFigures;
  /** Peak RSS of the gateway process in each phase. */
  gateway: Record<string, PhaseUsage>;
  /** Each process's share of the cores in each phase. */
  cpu: Record<string, CpuShares>;
  gatewayWarnings: { message: string; count: number }[];
}

interface Row {
  phase: string;
  figure: string;
  measured: string;
  target?: string;
  met?: boolean;
}

const RSS_LIMIT_MB = 300;
const n = (value: number) => (Number.isFinite(value) ? value.toLocaleString('en-US', { maximumFractionDigits: 1 }) : 'n/a');
const ms = (latency: Latency) => `${n(latency.p50)} / ${n(latency.p99)} / ${n(latency.max)} ms`;

function loadRows(phase: string, figures: LoadFigures, rateLabel: string, targets: { rate?: [string, boolean]; p99?: [string, boolean] } = {}): Row[] {
  const codes = Object.entries(figures.statusCodes).map(([code, count]) => `${code}: ${n(count)}`).join(', ');
  return [
    { phase, figure: rateLabel, measured: n(figures.okPerSecond), target: targets.rate?.[0], met: targets.rate?.[1] },
    { phase: '', figure: 'latency p50 / p99 / max', measured: ms(figures.latencyMs), target: targets.p99?.[0], met: targets.p99?.[1] },
    { phase: '', figure: 'non-2xx / errors (status codes)', measured: `${n(figures.non2xx)} / ${n(figures.errors)} (${codes})` },
  ];
}

function ingestRows(phase: string, figures: IngestFigures, targets: Parameters<typeof loadRows>[3] = {}): Row[] {
  return [...loadRows(phase, figures, 'events/s', targets), { phase: '', figure: 'rows committed', measured: n(figures.committed) }];
}

function rows(results: BenchResults): Row[] {
  const { ingest, baseline, drain, settings } = results;
  const fixed = `Ingest async, ${n(settings.fixedRate)} req/s`;
  return [
    ...ingestRows(`${fixed}, steady (open loop)`, ingest.fixedRate, { p99: ['p99 ≤ 20 ms', ingest.fixedRate.latencyMs.p99 <= 20] }),
    ...ingestRows(`${fixed}, autocannon overallRate (bursts each second)`, ingest.fixedRateAutocannon, {
      p99: ['p99 ≤ 20 ms', ingest.fixedRateAutocannon.latencyMs.p99 <= 20],
    }),
    ...ingestRows(`Ingest async, saturation (${settings.saturationConnections} connections)`, ingest.saturation, {
      rate: ['≥ 5,000/s', ingest.saturation.okPerSecond >= 5000],
    }),
    {
      phase: `Ingest with receipts A/B (saturation, ${settings.saturationConnections} connections, A B A B)`,
      figure: 'events/s without key / with key (drop)',
      measured: `${n(results.receipts.withoutKey.okPerSecond)} / ${n(results.receipts.withKey.okPerSecond)} (${n(results.receipts.dropPercent)} %)`,
      target: 'drop ≤ 5 %',
      met: results.receipts.dropPercent <= 5,
    },
    { phase: '', figure: 'latency p99 without / with key', measured: `${n(results.receipts.withoutKey.latencyMs.p99)} / ${n(results.receipts.withKey.latencyMs.p99)} ms` },
    { phase: `Baseline: pg single-row INSERT (${baseline.clients} clients)`, figure: 'inserts/s', measured: n(baseline.insertsPerSecond) },
    { phase: '', figure: 'latency p50 / p99 / max', measured: ms(baseline.latencyMs) },
    { phase: 'Gateway / baseline', figure: 'ratio', measured: `${n(results.gatewayToBaseline * 100)} %`, target: '≥ 50 %', met: results.gatewayToBaseline >= 0.5 },
    { phase: 'Ingest backlog, dispatched at 0 ms', figure: 'events, s, events/s', measured: `${n(results.ingestBacklog.events)}, ${n(results.ingestBacklog.seconds)} s, ${n(results.ingestBacklog.eventsPerSecond)}/s` },
    ...loadRows(`Sync end to end, upstream 0 ms (${settings.syncConnections} connections)`, results.sync.latency0ms, 'req/s'),
    ...loadRows(`Sync end to end, upstream 100 ms (${settings.syncConnections} connections)`, results.sync.latency100ms, 'req/s'),
    { phase: `Dispatch drain, ${n(drain.events)} events at ${drain.latencyMs} ms`, figure: 'events/s (time)', measured: `${n(drain.eventsPerSecond)} (${n(drain.seconds)} s)` },
    { phase: '', figure: `% of ceiling (${n(drain.ceilingPerSecond)}/s)`, measured: `${n(drain.percentOfCeiling)} %`, target: '≥ 95 %', met: drain.percentOfCeiling >= 95 },
    { phase: '', figure: 'upstream 429s', measured: n(drain.upstream429), target: '0', met: drain.upstream429 === 0 },
    { phase: '', figure: 'final statuses', measured: Object.entries(drain.statuses).map(([status, count]) => `${status}: ${n(count)}`).join(', ') },
    ...waitRows(`Fairness: B at 1/s behind A's ${n(results.tenants.fairness.backlog)} on one account`, results.tenants.fairness),
    ...waitRows(`Live at 1/s during a ${n(results.tenants.liveDuringReplay.backlog)}-event replay`, results.tenants.liveDuringReplay),
    {
      phase: `Audit log of ${n(results.log.events)} events`,
      figure: 'generate / seal (rows/s) / vacuum',
      measured: `${n(results.log.generateSeconds)} s / ${n(results.log.sealSeconds)} s (${n(results.log.sealedRowsPerSecond)}/s${results.log.sealed ? '' : `; ${n(results.log.unsealedRows)} rows left unsealed`}) / ${n(results.log.vacuumAnalyzeSeconds)} s`,
    },
    {
      phase: `Merkle tree building (the sealer), ${n(results.log.treeSize)} leaves`,
      figure: 'leaves/s',
      measured: n(results.log.sealedRowsPerSecond),
      target: '≥ 24,000/s (the hash chain it replaced)',
      met: results.log.sealedRowsPerSecond >= 24_000,
    },
    ...loadRows(`GET /v1/events, 3 filter sets, limit 50 (${settings.auditConnections} connections)`, results.auditList, 'req/s', {
      p99: ['p99 < 50 ms', results.auditList.latencyMs.p99 < 50],
    }),
    ...loadRows(
      `GET /v1/events/:id/proof, random events, ${n(results.proofs.treeSize)} leaves (${settings.auditConnections} connections)`,
      results.proofs,
      'proofs/s',
      { p99: ['p99 < 20 ms', results.proofs.latencyMs.p99 < 20] },
    ),
    {
      phase: 'GET /v1/audit/entries, whole tree, pages of 10,000',
      figure: 'entries/s (entries, MB, s)',
      measured: `${n(results.entries.rowsPerSecond)} (${n(results.entries.rows)}, ${n(results.entries.megabytes)} MB, ${n(results.entries.seconds)} s)`,
    },
    {
      phase: 'Export NDJSON, whole log, with every inclusion proof',
      figure: 'rows/s (rows, MB, s)',
      measured: `${n(results.export.rowsPerSecond)} (${n(results.export.rows)}, ${n(results.export.megabytes)} MB, ${n(results.export.seconds)} s)`,
      target: '≥ 50,000/s',
      met: results.export.rowsPerSecond >= 50_000,
    },
    ...Object.entries(results.gateway).map(([phase, usage], i) => ({
      phase: i === 0 ? 'Gateway process, by phase' : '',
      figure: `${phase}: peak RSS`,
      measured: `${n(usage.peakRssMb)} MB`,
      target: `RSS < ${RSS_LIMIT_MB} MB`,
      met: usage.peakRssMb < RSS_LIMIT_MB,
    })),
    ...Object.entries(results.cpu).map(([phase, cpu], i) => ({
      phase: i === 0 ? 'CPU by phase, % of one core' : '',
      figure: `${phase}: gateway · Postgres · simulator · bench client (machine, of it stolen)`,
      measured: `${cpu.gateway} · ${cpu.postgres} · ${cpu.simulator} · ${cpu.bench} (${cpu.machine} of ${cpu.cores * 100}, ${cpu.stolen ?? 0})`,
    })),
  ];
}

export function markdown(results: BenchResults): string {
  const { machine, settings } = results;
  const heading = [
    `## Bulletin Gateway benchmark${results.mode === 'smoke' ? ' (smoke run)' : ''}`,
    '',
    `\`${results.command}\` · ${results.startedAt.slice(0, 16).replace('T', ' ')} UTC · ${machine.cores} cores (${machine.cpu}), ${machine.memoryGb} GB · Node ${machine.node} · PostgreSQL ${machine.postgres}, ${machine.database}, fsync ${machine.fsync}, synchronous_commit ${machine.synchronousCommit} · gateway LOG_LEVEL ${settings.gatewayLogLevel} · load generator on the same machine`,
    '',
  ];
  if (results.mode === 'smoke')
    heading.push(`Smoke run: ${settings.phaseSeconds} s phases, ${n(settings.drainEvents)} drain events, ${n(settings.logEvents)} log events. It proves the harness; its figures are not comparable with the targets.`, '');
  const table = ['| Phase | Figure | Measured | Target | Met |', '| --- | --- | --- | --- | --- |'];
  for (const row of rows(results))
    table.push(`| ${row.phase} | ${row.figure} | ${row.measured} | ${row.target ?? ''} | ${row.met === undefined ? '' : row.met ? 'yes' : 'no'} |`);
  const notes = [
    '',
    `Notes: async ingest runs with the simulator at ${settings.drainLatencyMs} ms, so the dispatcher works at CleverTap's pace beside the load. ` +
      'The baseline writes one row per INSERT into a copy of bulletin_events (same columns, defaults and indexes; no foreign key); ' +
      'the gateway also writes the queue row, and sends a NOTIFY after each commit. Latencies of the steady run count from when each request was due, after an untimed warm-up at the same rate. ' +
      'Before the audit phases the log is sealed by the gateway and vacuumed. CPU: 100 is one core busy for the whole phase; the machine figure counts every process, and "stolen" is the part the hypervisor gave to other guests (steal time): capacity the phase did not get.',
  ];
  const warnings = results.gatewayWarnings.map(({ message, count }) => `- ${count} × ${message}`);
  if (warnings.length > 0) warnings.unshift('', 'Gateway warnings and errors during the run:');
  return [...heading, ...table, ...notes, ...warnings, ''].join('\n');
}

export function writeResults(results: BenchResults, directory: string): string {
  const table = markdown(results);
  writeFileSync(`${directory}/results.json`, `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(`${directory}/results.md`, table);
  return table;
}

function waitRows(phase: string, figures: WaitFigures) {
  const n = (value: number) => value.toLocaleString('en-US');
  return [
    {
      phase,
      figure: `wait to first attempt p99 (p50, max), ms`,
      measured: `${n(figures.waitP99Ms)} (${n(figures.waitP50Ms)}, ${n(figures.waitMaxMs)})`,
      target: `≤ ${n(figures.targetMs)}`,
      met: figures.waitP99Ms <= figures.targetMs,
    },
  ];
}
