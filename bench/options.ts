/** What one bench run does; the full run is the issue's, the smoke run only proves the harness works. */
export interface BenchOptions {
  smoke: boolean;
  /**
   * `--only ingest,drain`: run only these groups of phases and print their figures, leaving
   * bench/results.* (the full run's record) untouched. Empty: the full run.
   */
  only: PhaseGroup[];
  /** Length of each timed load phase. */
  phaseSeconds: number;
  /** Untimed load before the first ingest phase: connections, JIT and the client's own first use. */
  warmupSeconds: number;
  /** The fixed arrival rate of the first ingest phase. */
  fixedRate: number;
  /** Connections (and baseline clients) at saturation. */
  saturationConnections: number;
  /** Sync requests in flight: accounts × 3, so the upstream limit, not client queueing, sets the pace. */
  syncConnections: number;
  auditConnections: number;
  accounts: number;
  /** Per-account concurrency the gateway is configured with (its default): part of the drain ceiling. */
  concurrencyPerAccount: number;
  drainEvents: number;
  drainLatencyMs: number;
  logEvents: number;
  gatewayLogLevel: string;
  /** Node.js flags for the gateway process alone, e.g. `--cpu-prof` to profile it under load. */
  gatewayNodeFlags: string[];
  /**
   * Gateway processes sharing the database (`BENCH_GATEWAYS`, default 1): each is configured with every
   * account, so they share the accounts' slots as a fleet does. Load and phases talk to the first.
   */
  gateways: number;
  /** Keep the temp dir (embedded Postgres, logs) or the bench database after the run. */
  keep: boolean;
}

/** Phases that can run on their own (`--only`); each group sets up what it needs. */
export const PHASE_GROUPS = ['baseline', 'ingest', 'sync', 'drain', 'accounts', 'fairness', 'audit'] as const;
export type PhaseGroup = (typeof PHASE_GROUPS)[number];

export function readOptions(argv: string[], env: NodeJS.ProcessEnv): BenchOptions {
  const smoke = argv.includes('--smoke') || env.BENCH_SMOKE === '1';
  const only = onlyGroups(argv);
  return {
    smoke,
    only,
    phaseSeconds: intFrom(env.BENCH_DURATION_S, smoke ? 2 : 10),
    warmupSeconds: intFrom(env.BENCH_WARMUP_S, smoke ? 1 : 3),
    fixedRate: intFrom(env.BENCH_FIXED_RATE, 1000),
    saturationConnections: intFrom(env.BENCH_CONNECTIONS, 64),
    syncConnections: 12,
    auditConnections: intFrom(env.BENCH_AUDIT_CONNECTIONS, 8),
    // `--only accounts` is the many-accounts run: 100 accounts (the fairness phases use the first one).
    accounts: intFrom(env.BENCH_ACCOUNTS, only.includes('accounts') ? 100 : 4),
    concurrencyPerAccount: 3,
    drainEvents: intFrom(env.BENCH_DRAIN_EVENTS, smoke ? 1_000 : 50_000),
    drainLatencyMs: 100,
    logEvents: intFrom(env.BENCH_LOG_EVENTS, smoke ? 20_000 : 1_000_000),
    // The gateway's own default: production logs one line per request, and that cost is part of the figures.
    gatewayLogLevel: env.BENCH_GATEWAY_LOG_LEVEL || 'info',
    gatewayNodeFlags: (env.BENCH_GATEWAY_NODE_FLAGS ?? '').split(/\s+/).filter(Boolean),
    gateways: intFrom(env.BENCH_GATEWAYS, 1),
    keep: env.BENCH_KEEP === '1',
  };
}

function intFrom(value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed <= 0) throw new Error(`expected a positive integer, got "${value}"`);
  return parsed;
}

function onlyGroups(argv: string[]): PhaseGroup[] {
  const at = argv.indexOf('--only');
  if (at === -1) return [];
  const groups = (argv[at + 1] ?? '').split(',').filter(Boolean);
  const unknown = groups.filter((group) => !(PHASE_GROUPS as readonly string[]).includes(group));
  if (groups.length === 0 || unknown.length > 0)
    throw new Error(`--only takes a comma-separated list of ${PHASE_GROUPS.join(', ')}; got "${argv[at + 1] ?? ''}"`);
  return groups as PhaseGroup[];
}
