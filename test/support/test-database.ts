import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { runMigrations } from '../../src/database/run-migrations.js';

export interface TestDatabase {
  url: string;
  /** A connection URL to another database on the same server. */
  serverUrl: string;
  drop(): Promise<void>;
}

/** Migrated once per run, then copied: CREATE DATABASE ... TEMPLATE is much cheaper than migrating. */
const TEMPLATE = 'bg_test_template';
/** Any fixed number: test files in parallel workers take turns creating the template. */
const TEMPLATE_LOCK_KEY = 0x74706c;

/** A fresh database for one test file, migrated exactly as the gateway migrates production. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = process.env.TEST_DATABASE_SERVER_URL!;
  await ensureTemplate(serverUrl);
  const name = `bg_test_${randomBytes(6).toString('hex')}`;
  await withAdmin(serverUrl, (client) => client.query(`CREATE DATABASE ${name} TEMPLATE ${TEMPLATE}`));
  const url = withDatabase(serverUrl, name);
  return {
    url,
    serverUrl,
    drop: async () => {
      await withAdmin(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}

async function ensureTemplate(serverUrl: string): Promise<void> {
  await withAdmin(serverUrl, async (client) => {
    await client.query('SELECT pg_advisory_lock($1)', [TEMPLATE_LOCK_KEY]);
    try {
      const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [TEMPLATE]);
      if (rowCount) return;
      // Built under another name and renamed when complete, so a run that dies midway leaves no half template.
      const building = `${TEMPLATE}_building`;
      await client.query(`DROP DATABASE IF EXISTS ${building} WITH (FORCE)`);
      await client.query(`CREATE DATABASE ${building}`);
      await runMigrations(withDatabase(serverUrl, building));
      await client.query(`ALTER DATABASE ${building} RENAME TO ${TEMPLATE}`);
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [TEMPLATE_LOCK_KEY]);
    }
  });
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

async function withAdmin<T>(serverUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client(serverUrl);
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
