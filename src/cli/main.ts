import 'reflect-metadata';
import { Command, InvalidArgumentError } from 'commander';
import { DataSource } from 'typeorm';
import { loadConfigOrExit } from '../config/load-config-or-exit.js';
import { dataSourceOptions } from '../database/data-source-options.js';
import { openDatabase } from '../database/open-database.js';
import { runMigrations } from '../database/run-migrations.js';
import { PartnersRepository } from '../partners/partners.repository.js';
import { ROLES, type Role } from '../partners/principal.js';
import { runSimulator } from '../simulator/run-simulator.js';

/** Opens the gateway's database (DATABASE_URL or the embedded one), migrated, for one command. */
async function withDatabase<T>(work: (db: DataSource) => Promise<T>): Promise<T> {
  const config = loadConfigOrExit();
  const database = await openDatabase(config);
  try {
    await runMigrations(database.url);
    const db = new DataSource(dataSourceOptions(database.url, 2));
    await db.initialize();
    try {
      return await work(db);
    } finally {
      await db.destroy();
    }
  } finally {
    await database.stop();
  }
}

function role(value: string): Role {
  if (!ROLES.includes(value as Role)) throw new InvalidArgumentError(`must be one of ${ROLES.join(', ')}`);
  return value as Role;
}

function port(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0 || parsed > 65535) throw new InvalidArgumentError('must be a port number');
  return parsed;
}

const collect = (value: string, previous: string[]) => [...previous, value];

const program = new Command('bulletin-gateway').description('Bulletin Gateway: a durable, auditable front for CleverTap Bulletins');

program
  .command('migrate')
  .description('apply pending database migrations')
  .action(async () => {
    const config = loadConfigOrExit();
    const database = await openDatabase(config);
    try {
      const applied = await runMigrations(database.url);
      console.log(applied.length > 0 ? `applied: ${applied.join(', ')}` : 'the schema is up to date');
    } finally {
      await database.stop();
    }
  });

program
  .command('partners:create')
  .description('create a partner (or an auditor, operator, admin) and print its key once')
  .requiredOption('--name <name>', 'who this key is for')
  .option('--account <accountId>', 'a CleverTap account the partner may use (repeatable)', collect, [])
  .option('--role <role>', `one of ${ROLES.join(', ')}`, role, 'partner')
  .option('--json', 'print {"id":...,"key":...}')
  .action(async (options: { name: string; account: string[]; role: Role; json?: boolean }) => {
    if (options.role === 'partner' && options.account.length === 0)
      program.error('a partner needs at least one --account ACCOUNT_ID');
    const created = await withDatabase((db) => new PartnersRepository(db).create(options.name, options.role, options.account));
    if (options.json) console.log(JSON.stringify({ id: created.id, key: created.key }));
    else console.log(`partner ${created.id} created (${options.role}).\nKey (shown once, store it now): ${created.key}`);
  });

program
  .command('partners:list')
  .description('list partners, their roles, accounts and key prefixes')
  .option('--json', 'print JSON')
  .action(async (options: { json?: boolean }) => {
    const partners = await withDatabase((db) => new PartnersRepository(db).list());
    if (options.json) return console.log(JSON.stringify(partners));
    console.table(
      partners.map((p) => ({ id: p.id, name: p.name, role: p.role, accounts: p.accounts.join(' '), keys: p.keyPrefixes.join(' '), revoked: p.revokedAt ?? '' })),
    );
  });

program
  .command('partners:revoke')
  .description('revoke a partner and all its keys, at once')
  .argument('<id>', 'partner id')
  .action(async (id: string) => {
    if (!/^[0-9a-f-]{36}$/i.test(id)) program.error(`"${id}" is not a partner id`);
    const revoked = await withDatabase((db) => new PartnersRepository(db).revoke(id));
    if (!revoked) program.error(`no active partner ${id}`);
    console.log(`partner ${id} revoked`);
  });

program
  .command('simulator')
  .description('run the CleverTap simulator on its own port')
  .option('--port <port>', 'port to listen on', port, 4010)
  .option('--host <host>', 'address to bind', '127.0.0.1')
  .option('--config <file>', 'JSON file of simulator options (accounts, business events, latency, faults)')
  .action(async (options: { port: number; host: string; config?: string }) => {
    const simulator = await runSimulator({ port: options.port, host: options.host, configFile: options.config });
    const stop = () => void simulator.stop().then(() => process.exit(0));
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });

await program.parseAsync(process.argv).catch((error: Error) => {
  console.error(`bulletin-gateway: ${error.message}`);
  process.exit(1);
});
