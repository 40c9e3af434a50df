import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from '../src/database/embedded-postgres.js';

export interface BenchDatabase {
  url: string;
  source: string;
  dispose(): Promise<void>;
}

export interface ServerFacts {
  version: string;
  fsync: string;
  synchronousCommit: string;
}

/**
 * A database that holds nothing but this run: the log tables are append-only, so a bench must never
 * write into a database someone uses. With DATABASE_URL, a fresh database on that server (dropped
 * afterwards); otherwise an embedded Postgres in the run's temp dir, with its default (durable) settings.
 */
export async function openBenchDatabase(workDir: string, keep: boolean): Promise<BenchDatabase> {
  const given = process.env.DATABASE_URL;
  if (given) return freshDatabaseOn(given, keep);
  const embedded = await startEmbeddedPostgres({ dataDir: join(workDir, 'postgres'), database: 'bulletin_gateway' });
  return { url: embedded.url, source: 'embedded Postgres (fresh temp dir)', dispose: () => embedded.stop() };
}

async function freshDatabaseOn(serverUrl: string, keep: boolean): Promise<BenchDatabase> {
  const name = `bulletin_bench_${randomBytes(4).toString('hex')}`;
  await adminQuery(serverUrl, `CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    source: `DATABASE_URL server (fresh database ${name})`,
    dispose: async () => {
      if (!keep) await adminQuery(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

async function adminQuery(url: string, sql: string): Promise<void> {
  const client = new pg.Client(url);
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export async function serverFacts(db: pg.Pool): Promise<ServerFacts> {
  const { rows } = await db.query(
    `SELECT current_setting('server_version') AS version, current_setting('fsync') AS fsync,
            current_setting('synchronous_commit') AS synchronous_commit`,
  );
  return { version: rows[0].version, fsync: rows[0].fsync, synchronousCommit: rows[0].synchronous_commit };
}
