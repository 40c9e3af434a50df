import { type ChildProcess, spawn } from 'node:child_process';
import { DataSource } from 'typeorm';
import { findFreePort } from '../../src/database/embedded-postgres.js';
import { dataSourceOptions } from '../../src/database/data-source-options.js';
import { PartnersRepository } from '../../src/access/partners.repository.js';
import { ACCOUNT_ID, UPSTREAM_PASSCODE } from './gateway-harness.js';

/**
 * A real gateway process (`node dist/src/main.js`, built by `npm test`'s pretest step), for tests that
 * kill it, stop it or run two of them side by side.
 */
export class GatewayProcess {
  private output = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  private constructor(
    readonly child: ChildProcess,
    readonly url: string,
  ) {
    child.stdout!.on('data', (chunk) => (this.output += chunk));
    child.stderr!.on('data', (chunk) => (this.output += chunk));
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  }

  static async start(env: Record<string, string>): Promise<GatewayProcess> {
    const port = await findFreePort();
    const child = spawn(process.execPath, ['dist/src/main.js'], {
      env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const gateway = new GatewayProcess(child, `http://127.0.0.1:${port}`);
    await gateway.waitForOutput(/is ready at/, 30_000);
    return gateway;
  }

  get logs(): string {
    return this.output;
  }

  async waitForOutput(pattern: RegExp, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!pattern.test(this.output)) {
      if (this.child.exitCode !== null) throw new Error(`gateway exited (${this.child.exitCode}):\n${this.output}`);
      if (Date.now() > deadline) throw new Error(`gateway did not print ${pattern} in ${timeoutMs} ms:\n${this.output}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    return this.exited;
  }
}

/** Creates a partner straight in the database, as `bulletin-gateway partners:create` does. */
export async function createPartnerIn(databaseUrl: string, accounts: string[]): Promise<string> {
  const db = new DataSource(dataSourceOptions(databaseUrl, 1));
  await db.initialize();
  try {
    return (await new PartnersRepository(db).create(`partner-${Date.now()}`, 'partner', accounts)).key;
  } finally {
    await db.destroy();
  }
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * `bulletin-gateway <args>` as a real process against `databaseUrl`. Asynchronous (not spawnSync), so
 * a gateway living in the test process keeps dispatching meanwhile. Killed, and failed, after `timeoutMs`.
 */
export function runCli(databaseUrl: string, args: string[], options: { env?: Record<string, string>; timeoutMs?: number } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/bulletin-gateway.js', ...args], {
      env: { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (chunk) => (stdout += chunk));
    child.stderr!.on('data', (chunk) => (stderr += chunk));
    const timeoutMs = options.timeoutMs ?? 30_000;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`bulletin-gateway ${args.join(' ')} did not finish in ${timeoutMs} ms\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, timeoutMs);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** The environment of a gateway process sending to a test simulator as the account's real CleverTap. */
export function liveGatewayEnv(databaseUrl: string, simulatorUrl: string, settings: Record<string, string> = {}): Record<string, string> {
  return {
    DATABASE_URL: databaseUrl,
    CLEVERTAP_ACCOUNT_ID: ACCOUNT_ID,
    CLEVERTAP_PASSCODE: UPSTREAM_PASSCODE,
    CLEVERTAP_BASE_URL: simulatorUrl,
    ...settings,
  };
}
