import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { findFreePort } from '../src/database/embedded-postgres.js';
import { generateNoteKey } from '../src/transparency/signed-note.js';
import type { SimulatorStats } from '../src/simulator/clevertap-simulator.js';
import { type BenchDatabase, openBenchDatabase } from './database.js';
import type { BenchOptions } from './options.js';
import { benchAccountIds } from './payload.js';
import { childEnv, runCli, ServerProcess } from './processes.js';
import { CpuShareSampler, postmasterOf } from './cpu-shares.js';
import { ProcessSampler } from './process-sampler.js';

/** Everything the phases talk to. */
export interface Bench {
  options: BenchOptions;
  workDir: string;
  database: BenchDatabase;
  db: pg.Pool;
  accounts: string[];
  partner: { id: string; key: string };
  auditorKey: string;
  simulator: SimulatorControl;
  /** The first gateway process: the one the load and the phases' requests go to. */
  gateway: ServerProcess;
  gatewayUrl: string;
  /** Every gateway process (BENCH_GATEWAYS), the first included; all run with the log key. */
  gateways: ServerProcess[];
  /** Starts another gateway on the same database, without the log key: the A side of the receipts A/B. */
  startUnsignedGateway(): Promise<{ gateway: ServerProcess; url: string }>;
  /** The gateways' memory per phase (the peak of any one process). */
  usage: ProcessSampler;
  /** Every process's share of the cores per phase. */
  cpu: CpuShareSampler;
}

/** Undo steps, run last-in first-out at the end, on failure and on Ctrl-C. */
export class Cleanup {
  private readonly steps: (() => Promise<void> | void)[] = [];

  add(step: () => Promise<void> | void): void {
    this.steps.push(step);
  }

  async run(): Promise<void> {
    for (let step = this.steps.pop(); step; step = this.steps.pop()) {
      try {
        await step();
      } catch (error) {
        console.error(`cleanup: ${(error as Error).message}`);
      }
    }
  }
}

export async function startBench(options: BenchOptions, cleanup: Cleanup): Promise<Bench> {
  const workDir = mkdtempSync(join(tmpdir(), 'bulletin-bench-'));
  chmodSync(workDir, 0o755); // as root, the embedded Postgres runs as `postgres`, which must reach it
  cleanup.add(() => (options.keep ? console.log(`kept ${workDir}`) : rmSync(workDir, { recursive: true, force: true })));

  const database = await openBenchDatabase(workDir, options.keep);
  cleanup.add(() => database.dispose());
  const accounts = benchAccountIds(options.accounts);
  const cliEnv = childEnv({ DATABASE_URL: database.url, LOG_LEVEL: 'warn' });
  // The first CLI call also applies the migrations.
  // --force: the bench's accounts are configured for its gateway process only, not in this CLI's environment.
  const partner = await createKey(cliEnv, ['--name', 'bench partner', ...accounts.flatMap((id) => ['--account', id])]);
  const auditor = await createKey(cliEnv, ['--name', 'bench auditor', '--role', 'auditor']);

  const db = new pg.Pool({ connectionString: database.url, max: 4 });
  // An idle connection dropped by the server is reported here; the next query reconnects.
  db.on('error', (error) => console.error(`bench database connection: ${error.message}`));
  cleanup.add(() => db.end());
  const passcodes = accounts.map(() => randomBytes(12).toString('hex'));
  const simulator = await startSimulator(workDir, accounts, passcodes, cleanup);
  // The gateways run as production does with auditing: a log key, so every accepted event gets a receipt
  // and checkpoints cover the log (the audit phases read proofs and entries against them).
  const stateDir = join(workDir, 'audit-state');
  mkdirSync(stateDir);
  const signing = { AUDIT_SIGNING_KEY: generateNoteKey('bench.bulletin-gateway.test/log').signingKey, AUDIT_STATE_DIR: stateDir };
  const start = (n: number, name: string, extraEnv: Record<string, string>) =>
    startGateway(options, n, workDir, database.url, simulator.url, accounts, passcodes, cleanup, name, extraEnv);
  const started = [];
  for (let n = 1; n <= options.gateways; n++) started.push(await start(n, n === 1 ? 'gateway' : `gateway-${n}`, signing));
  const [{ gateway, url }] = started;
  const gateways = started.map((one) => one.gateway);
  const usage = new ProcessSampler(gateways.map((one) => one.pid));
  cleanup.add(() => usage.stop());
  const { rows } = await db.query('SELECT pg_backend_pid() AS pid');
  const cpu = new CpuShareSampler({ gateways: gateways.map((one) => one.pid), simulator: simulator.process.pid, postmaster: postmasterOf(rows[0].pid) });
  return {
    options,
    workDir,
    database,
    db,
    accounts,
    partner,
    auditorKey: auditor.key,
    simulator,
    gateway,
    gatewayUrl: url,
    gateways,
    startUnsignedGateway: () => start(options.gateways + 1, 'gateway-unsigned', {}),
    usage,
    cpu,
  };
}

/**
 * The CLI runs without the gateway's account configuration (the bench gives it to the gateway process
 * only), so it is told to bind partners to accounts it cannot see.
 */
export async function createKey(env: NodeJS.ProcessEnv, args: string[]): Promise<{ id: string; key: string }> {
  const stdout = await runCli(['partners:create', ...args, '--force', '--json'], env);
  const line = stdout.trim().split('\n').reverse().find((text) => text.startsWith('{'));
  if (!line) throw new Error(`partners:create printed no JSON: ${stdout}`);
  return JSON.parse(line);
}

async function startSimulator(workDir: string, accounts: string[], passcodes: string[], cleanup: Cleanup): Promise<SimulatorControl> {
  const config = join(workDir, 'simulator.json');
  writeFileSync(config, JSON.stringify({ accounts: accounts.map((id, i) => ({ id, passcode: passcodes[i] })), latencyMs: 0 }));
  const port = await findFreePort();
  const server = await ServerProcess.start({
    name: 'simulator',
    args: ['bin/bulletin-gateway.js', 'simulator', '--port', String(port), '--config', config],
    env: childEnv({}),
    logFile: join(workDir, 'simulator.log'),
    ready: /CleverTap simulator listening on/,
  });
  cleanup.add(() => server.stop());
  return new SimulatorControl(`http://127.0.0.1:${port}`, server);
}

async function startGateway(
  options: BenchOptions,
  n: number,
  workDir: string,
  databaseUrl: string,
  simulatorUrl: string,
  accounts: string[],
  passcodes: string[],
  cleanup: Cleanup,
  name: string,
  extraEnv: Record<string, string>,
): Promise<{ gateway: ServerProcess; url: string }> {
  const accountsFile = join(workDir, `accounts-${n}.json`);
  const passcodeEnv = accounts.map((_, i) => `BENCH_CLEVERTAP_PASSCODE_${i + 1}`);
  writeFileSync(accountsFile, JSON.stringify(accounts.map((id, i) => ({ id, baseUrl: simulatorUrl, passcodeEnv: passcodeEnv[i] }))));
  const port = await findFreePort();
  const gateway = await ServerProcess.start({
    name,
    // Flags go on the command line: Node refuses some of them (--cpu-prof) in NODE_OPTIONS.
    args: [...options.gatewayNodeFlags, 'dist/src/main.js'],
    env: childEnv({
      ...Object.fromEntries(passcodeEnv.map((name, i) => [name, passcodes[i]])),
      NODE_ENV: 'production',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: databaseUrl,
      CLEVERTAP_ACCOUNTS_FILE: accountsFile,
      DISPATCH_CONCURRENCY_PER_ACCOUNT: String(options.concurrencyPerAccount),
      LOG_LEVEL: options.gatewayLogLevel,
      ...extraEnv,
    }),
    logFile: join(workDir, `${name}.log`),
    ready: /is ready at/,
  });
  cleanup.add(() => gateway.stop());
  return { gateway, url: `http://127.0.0.1:${port}` };
}

/** The simulator's control API (`/__simulator/*`), from another process. */
export class SimulatorControl {
  constructor(
    readonly url: string,
    readonly process: ServerProcess,
  ) {}

  async setLatency(latencyMs: number): Promise<void> {
    const response = await fetch(`${this.url}/__simulator/latency`, { method: 'PUT', body: JSON.stringify({ latencyMs }) });
    if (!response.ok) throw new Error(`simulator refused latency ${latencyMs}: ${await response.text()}`);
  }

  async stats(): Promise<SimulatorStats> {
    return (await fetch(`${this.url}/__simulator/stats`)).json() as Promise<SimulatorStats>;
  }
}
