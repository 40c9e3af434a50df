import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * A server the bench starts as its own process (the gateway, the simulator), so the load generator
 * never shares an event loop with what it measures. Output goes to a file: a pipe nobody reads would
 * fill up and stall the server.
 */
export class ServerProcess {
  private exit?: { code: number | null; signal: NodeJS.Signals | null };
  private readonly exited: Promise<void>;

  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
    readonly logFile: string,
  ) {
    this.exited = new Promise((resolve) =>
      child.once('exit', (code, signal) => {
        this.exit = { code, signal };
        resolve();
      }),
    );
  }

  static async start(options: {
    name: string;
    args: string[];
    env: NodeJS.ProcessEnv;
    logFile: string;
    ready: RegExp;
    timeoutMs?: number;
  }): Promise<ServerProcess> {
    const out = openSync(options.logFile, 'a');
    const child = spawn(process.execPath, options.args, { env: options.env, stdio: ['ignore', out, out] });
    closeSync(out);
    const server = new ServerProcess(options.name, child, options.logFile);
    await server.waitForLog(options.ready, options.timeoutMs ?? 60_000);
    return server;
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** Fails a phase at once when the server died under load, instead of reporting figures of errors. */
  assertRunning(): void {
    if (this.exit) throw new Error(`${this.name} exited (${this.exit.code ?? this.exit.signal}):\n${this.logTail()}`);
  }

  async stop(timeoutMs = 30_000): Promise<void> {
    if (this.exit) return;
    this.child.kill('SIGTERM');
    const stopped = await Promise.race([this.exited.then(() => true), sleep(timeoutMs).then(() => false)]);
    if (!stopped) {
      this.child.kill('SIGKILL');
      await this.exited;
    }
  }

  logTail(lines = 30): string {
    return readFileSync(this.logFile, 'utf8').split('\n').slice(-lines).join('\n');
  }

  private async waitForLog(pattern: RegExp, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!pattern.test(readFileSync(this.logFile, 'utf8'))) {
      this.assertRunning();
      if (Date.now() > deadline) throw new Error(`${this.name} did not print ${pattern} within ${timeoutMs} ms:\n${this.logTail()}`);
      await sleep(100);
    }
  }
}

/** The gateway's warnings and errors (pino level >= 40), by message, most frequent first. */
export function warningsIn(logFile: string): { message: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const line of readFileSync(logFile, 'utf8').split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      const entry = JSON.parse(line) as { level?: number; msg?: string };
      if ((entry.level ?? 0) >= 40) counts.set(entry.msg ?? '', (counts.get(entry.msg ?? '') ?? 0) + 1);
    } catch {
      // a line that is not JSON (the banner) is not a warning
    }
  }
  return [...counts].map(([message, count]) => ({ message, count })).sort((a, b) => b.count - a.count).slice(0, 10);
}

/** Runs the project's CLI (`bin/bulletin-gateway.js`) once and returns its stdout. */
export async function runCli(args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  const { stdout } = await run(process.execPath, ['bin/bulletin-gateway.js', ...args], { env, maxBuffer: 1 << 20 });
  return stdout;
}

/** The environment of a child, without any real CleverTap account the user's shell may define. */
export function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const inherited = Object.entries(process.env).filter(
    ([name]) => !name.startsWith('CLEVERTAP_') && !name.startsWith('BENCH_') && name !== 'DATABASE_URL',
  );
  return { ...Object.fromEntries(inherited), ...extra };
}
