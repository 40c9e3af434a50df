import 'reflect-metadata';
import type { INestApplicationContext } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { strictValidation } from '../common/query-validation.pipe.js';
import { ReplayRequestDto } from '../replay/replay-request.dto.js';
import { RequestReplayCommand } from '../replay/request-replay.command.js';
import { withCliContext } from './cli-context.js';
import { Command, InvalidArgumentError } from 'commander';
import { DataSource } from 'typeorm';
import type { GatewayConfig } from '../config/gateway-config.js';
import { loadConfigOrExit } from '../config/load-config-or-exit.js';
import { openDatabase } from '../database/open-database.js';
import { runMigrations } from '../database/run-migrations.js';
import { PartnersRepository } from '../access/partners.repository.js';
import { ROLES, type Role } from '../access/principal.js';
import { runSimulator } from '../simulator/run-simulator.js';
import { registerAuditClientCommands } from './audit-client-commands.js';
import { registerAuditCommands } from './audit-commands.js';
import { exportEvents, type ExportCheckpoint, type ExportFormat } from '../audit-api/event-export.js';
import { verifyExportFile } from '../audit-api/export-verifier.js';
import { EventAuditRepository } from '../audit-api/event-audit.repository.js';
import { latestCheckpoint, withCosignatures } from '../audit-log/checkpoint-store.js';
import { parseWitnessVerifier } from '../transparency/cosignature.js';
import { parseVerifierKey } from '../transparency/signed-note.js';
import { EventFilter } from '../event-log/event-filter.dto.js';
import { DispatchQueue } from '../dispatch/dispatch-queue.js';
import { Presets, SingleBar } from 'cli-progress';
import { validate } from 'class-validator';
import { createWriteStream } from 'node:fs';
import { userInfo } from 'node:os';
import { ReplayRepository } from '../replay/replay.repository.js';
import { packageVersion } from './package-version.js';
import { unconfiguredAccountsProblem } from './configured-accounts.js';
import { isUuid } from '../common/uuid.js';
import { GatewayError } from '../common/gateway.error.js';
import { PayloadEraser } from '../erasure/payload-eraser.js';

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

/** A progress bar on stderr for long work, so stdout stays clean for scripts. */
async function withProgress<T>(label: string, total: number, work: (update: (done: number) => void) => Promise<T>): Promise<T> {
  const bar = new SingleBar({ format: `${label} [{bar}] {percentage}% {value}/{total}`, stream: process.stderr }, Presets.shades_classic);
  bar.start(Math.max(total, 1), 0);
  try {
    return await work((done) => bar.update(Math.min(done, total)));
  } finally {
    bar.update(total);
    bar.stop();
  }
}

/** The filter options of `export` and `replay`, under the API's field names. */
function filterOptions(options: Record<string, string>): Record<string, string | undefined> {
  return {
    error: options.error,
    error_code: options.errorCode ?? options.error_code,
    status: options.status,
    business_event: options.businessEvent,
    partner: options.partner,
    account: options.account,
    received_from: options.from,
    received_to: options.to,
  };
}

/** The API's field names in a validation message, as this CLI's options. */
const CLI_NAMES: [RegExp, string][] = [
  [/\breceived_from\b/g, '--from'],
  [/\breceived_to\b/g, '--to'],
  [/\bbusiness_event\b/g, '--business-event'],
  [/\berror_code\b/g, '--error-code'],
  [/\binclude_uncertain\b/g, '--include-uncertain'],
  [/\bdry_run\b/g, '--dry-run'],
  [/\breason\b/g, '--reason'],
];
const inCliTerms = (message: string) => CLI_NAMES.reduce((text, [name, option]) => text.replace(name, option), message);

async function validFilter(options: Record<string, string>): Promise<EventFilter> {
  const filter = Object.assign(new EventFilter(), filterOptions(options));
  const errors = await validate(filter, { skipUndefinedProperties: true });
  const messages = new Set(errors.flatMap((e) => Object.values(e.constraints ?? {})));
  if (messages.size > 0) program.error(inCliTerms([...messages].join('; ')));
  return filter;
}

/** Validated exactly as the body of POST /v1/replays is. */
async function validReplayRequest(body: Record<string, unknown>): Promise<ReplayRequestDto> {
  const defined = Object.fromEntries(Object.entries(body).filter(([, value]) => value !== undefined));
  try {
    return (await strictValidation.transform(defined, { type: 'body', metatype: ReplayRequestDto })) as ReplayRequestDto;
  } catch (error) {
    return program.error(inCliTerms((error as Error).message));
  }
}

/**
 * The gateway's own providers and handlers for one command (see cli-context.ts), on the gateway's
 * database (DATABASE_URL or the embedded one), migrated.
 */
async function withGateway<T>(work: (app: INestApplicationContext, config: GatewayConfig) => Promise<T>): Promise<T> {
  const config = loadConfigOrExit();
  const database = await openDatabase(config);
  try {
    await runMigrations(database.url);
    return await withCliContext(config, database.url, (app) => work(app, config));
  } finally {
    await database.stop();
  }
}

const program = new Command('bulletin-gateway')
  .description('Bulletin Gateway: a durable, auditable front for CleverTap Bulletins')
  .version(packageVersion(), '-V, --version', 'print the version of Bulletin Gateway');

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
  .option('--force', 'accept an account this configuration does not define (e.g. one only the gateway\'s own environment configures)')
  .action(async (options: { name: string; account: string[]; role: Role; json?: boolean; force?: boolean }) => {
    if (options.role === 'partner' && options.account.length === 0)
      program.error('a partner needs at least one --account ACCOUNT_ID');
    if (!options.force) {
      const problem = unconfiguredAccountsProblem(options.account, loadConfigOrExit());
      if (problem) program.error(problem);
    }
    const created = await withGateway((app) => app.get(PartnersRepository).create(options.name, options.role, options.account));
    if (options.json) console.log(JSON.stringify({ id: created.id, key: created.key }));
    else console.log(`partner ${created.id} created (${options.role}).\nKey (shown once, store it now): ${created.key}`);
  });

program
  .command('partners:list')
  .description('list partners, their roles, accounts and key prefixes')
  .option('--json', 'print JSON')
  .action(async (options: { json?: boolean }) => {
    const partners = await withGateway((app) => app.get(PartnersRepository).list());
    if (options.json) return console.log(JSON.stringify(partners));
    console.table(
      partners.map((p) => ({ id: p.id, name: p.name, role: p.role, accounts: p.accounts.join(' '), keys: p.key_prefixes.join(' '), revoked: p.revoked_at ?? '' })),
    );
  });

/** A number option of partners:set, or null for "default". */
function settingValue(name: string, integer: boolean) {
  return (value: string): number | null => {
    if (value === 'default') return null;
    const number = Number(value);
    if (!Number.isFinite(number) || number <= 0 || (integer && !Number.isInteger(number)))
      throw new InvalidArgumentError(`${name} must be a positive ${integer ? 'integer' : 'number'} or "default"`);
    return number;
  };
}

program
  .command('partners:set')
  .description("set a partner's dispatch weight and ingress limits (\"default\" resets one to the configured default)")
  .argument('<id>', 'partner id')
  .option('--weight <n>', 'share of its accounts\' turns against other partners (1-100; default 1)', settingValue('--weight', true))
  .option('--rate <perSecond>', 'requests per second the partner may make (token bucket refill)', settingValue('--rate', false))
  .option('--burst <n>', 'requests the partner may make at once (token bucket size)', settingValue('--burst', true))
  .option('--max-backlog <n>', 'events the partner may have queued or retrying at once', settingValue('--max-backlog', true))
  .action(async (id: string, options: { weight?: number | null; rate?: number | null; burst?: number | null; maxBacklog?: number | null }) => {
    if (!/^[0-9a-f-]{36}$/i.test(id)) program.error(`"${id}" is not a partner id`);
    const patch = Object.fromEntries(
      Object.entries({ weight: options.weight, ratePerSecond: options.rate, burst: options.burst, maxBacklog: options.maxBacklog }).filter(
        ([, value]) => value !== undefined,
      ),
    );
    const settings = await withGateway((app) => app.get(PartnersRepository).updateSettings(id, patch));
    if (!settings) program.error(`no active partner ${id}`);
    console.log(JSON.stringify({ id, ...settings }));
  });

program
  .command('partners:revoke')
  .description('revoke a partner and all its keys, at once')
  .argument('<id>', 'partner id')
  .action(async (id: string) => {
    if (!isUuid(id)) program.error(`"${id}" is not a partner id`);
    const revoked = await withGateway((app) => app.get(PartnersRepository).revoke(id));
    if (!revoked) program.error(`no active partner ${id}`);
    console.log(`partner ${id} revoked`);
  });

registerAuditCommands(program, withGateway, withProgress);

program
  .command('export')
  .description('export events (oldest first) to a file, with the audit filters')
  .requiredOption('--out <file>', 'where to write')
  .option('--format <format>', 'ndjson (verifiable offline) or csv', 'ndjson')
  .option('--status <status>')
  .option('--business-event <name>')
  .option('--partner <id>')
  .option('--account <id>')
  .option('--from <iso>', 'received from (inclusive)')
  .option('--to <iso>', 'received before')
  .action(async (options: Record<string, string>) => {
    const filter = await validFilter(options);
    if (!['ndjson', 'csv'].includes(options.format)) program.error('--format must be ndjson or csv');
    let proven: ExportCheckpoint | undefined;
    let signed = false;
    const rows = await withGateway(async (app, config) => {
      signed = config.auditLog.signer !== undefined;
      const db = app.get(DataSource);
      const latest = options.format === 'ndjson' ? await latestCheckpoint(db) : undefined;
      proven = latest && { note: await withCosignatures(db, latest), treeSize: Number(latest.tree_size) };
      const total = await app.get(EventAuditRepository).count(filter);
      const output = createWriteStream(options.out);
      return withProgress('exporting', total, async (update) => {
        let done = 0;
        return exportEvents({
          db,
          filter,
          format: options.format as ExportFormat,
          output,
          checkpoint: proven,
          signer: config.auditLog.signer,
          onRow: () => update(++done),
        });
      });
    });
    const proof = !proven
      ? ' (no checkpoint in the database: not a proof; run a gateway with AUDIT_SIGNING_KEY)'
      : ` (proven against the checkpoint of size ${proven.treeSize}${signed ? ', signed' : '; set AUDIT_SIGNING_KEY to sign the trailer'})`;
    console.log(`${rows} events written to ${options.out}${options.format === 'ndjson' ? proof : ''}`);
  });

program
  .command('verify-export')
  .description('check an NDJSON export offline against the log key you pinned: no database needed; fails closed')
  .argument('<file>')
  .option('--verifier-key <vkey>', "the log's verifier key you trust (from audit:keygen, obtained out of band)")
  .option('--public-key <key>', 'the same, under its earlier name')
  .option('--witness <vkey>', 'a witness verifier key (repeatable); default: AUDIT_WITNESSES', (value: string, previous: string[]) => [...previous, value], [])
  .option('--quorum <k>', "cosignatures the export's checkpoint needs from those witnesses; default: AUDIT_WITNESS_QUORUM", (v) => Number(v))
  .action(async (file: string, options: { verifierKey?: string; publicKey?: string; witness: string[]; quorum?: number }) => {
    const pinned = options.verifierKey ?? options.publicKey;
    // A key found in the file proves nothing about who wrote it: without a pinned key there is no check.
    if (!pinned) program.error('--verifier-key is required: the log\'s verifier key you trust, obtained out of band');
    let trust;
    try {
      const witnessKeys = options.witness.length > 0 ? options.witness : (process.env.AUDIT_WITNESSES ?? '').split(',').map((k) => k.trim()).filter(Boolean);
      const witnesses = witnessKeys.map(parseWitnessVerifier);
      const quorum = options.quorum ?? Number(process.env.AUDIT_WITNESS_QUORUM || 0);
      if (!Number.isInteger(quorum) || quorum < 0 || quorum > witnesses.length) program.error(`--quorum must be a whole number from 0 to ${witnesses.length}`);
      trust = { log: parseVerifierKey(pinned!), witnesses, quorum };
    } catch (error) {
      return program.error(`bad key: ${(error as Error).message}`);
    }
    const result = await verifyExportFile(file, trust);
    if (!result.ok) console.log(`EXPORT INVALID: ${result.problem}`);
    else
      console.log(
        `export proven: ${result.events} events and ${result.entries} entries in the log at the checkpoint of size ${result.treeSize}, ` +
          (result.scope === 'whole_log'
            ? 'every entry of that tree present (the whole log); signature valid'
            : 'signature valid (a filtered export cannot prove that no matching event is missing)'),
      );
    process.exitCode = result.ok ? 0 : 1;
  });

program
  .command('projections:check')
  .description('rebuild the status projection from the log in a query and report any difference')
  .option('--repair', 'rewrite the rows that differ (stop the gateways first)')
  .action(async (options: { repair?: boolean }) => {
    await withGateway(async (app) => {
      const queue = app.get(DispatchQueue);
      const { differences, events } = await queue.compareWithLog();
      if (differences.length === 0) return console.log(`projection matches the log (${events} events)`);
      console.table(differences);
      if (!options.repair) {
        process.exitCode = 1;
        return console.log(`${differences.length} differences; run with --repair to rebuild them from the log`);
      }
      console.log(`repaired ${await queue.repairFromLog()} rows`);
    });
  });

program
  .command('replay')
  .description('put failed events back in the queue (dry run first!); a running gateway sends them')
  .requiredOption('--reason <text>', 'why: kept in the audit log')
  .option('--status <status>', 'failed, exhausted, uncertain (with --include-uncertain), queued, retrying')
  .option('--business-event <name>')
  .option('--partner <id>')
  .option('--account <id>')
  .option('--from <iso>', 'received from (inclusive)')
  .option('--to <iso>', 'received before')
  .option('--error <text>', 'text in the latest error')
  .option('--error-code <code>', 'code of the latest error, e.g. 400 or ECONNREFUSED')
  .option('--dry-run', 'only say what would be queued')
  .option('--include-uncertain', 'also resend uncertain events (CleverTap may already have raised them)')
  .option('--force', 'also resend events already sent (users are notified again; recorded with the replay)')
  .option('--no-wait', 'return once queued instead of following progress')
  .action(async (options: Record<string, string | boolean>) => {
    await withGateway(async (app) => {
      // The same request, validation and handler as POST /v1/replays.
      const request = await validReplayRequest({
        reason: options.reason,
        dry_run: options.dryRun === true,
        include_uncertain: options.includeUncertain === true,
        force: options.force === true,
        ...filterOptions(options as Record<string, string>),
      });
      const who = `cli:${userInfo().username}`;
      // Whoever can reach the database can do what an admin can; the CLI acts as one, named by the OS user.
      const result = await app.get(CommandBus).execute(new RequestReplayCommand({ partnerId: who, name: who, role: 'admin' }, request));
      if (result.dry_run) return console.log(JSON.stringify(result, null, 2));
      console.log(`replay ${result.id}: ${result.matched} matched, ${result.queued} queued`);
      if (!options.wait || result.queued === 0) return;
      console.error('following progress (the gateway sends them; Ctrl-C stops following, not the replay)');
      const replays = app.get(ReplayRepository);
      const final = await withProgress('sending', result.queued, async (update) => {
        for (;;) {
          const progress = (await replays.progress(result.id))!;
          update(progress.queued - progress.pending);
          if (progress.done) return progress;
          await new Promise((resolve) => setTimeout(resolve, 500));
        }
      });
      console.log(`replay ${final.id} done: ${final.sent} sent, ${final.failed} failed again`);
    });
  });

program
  .command('erase-payload')
  .description("erase an event's payload (or with --rejection, a rejection's excerpt) for good; the erasure is recorded in the log")
  .argument('[event-id]', 'the event whose payload to erase')
  .requiredOption('--reason <text>', 'why: kept in the audit log for good (no personal data)')
  .option('--rejection <position>', "erase this rejection's payload excerpt instead (its position, as in the rejection log)")
  .action(async (eventId: string | undefined, options: { reason: string; rejection?: string }) => {
    if ((eventId === undefined) === (options.rejection === undefined)) program.error('name either an event id or --rejection POSITION');
    const rejection = options.rejection === undefined ? undefined : Number(options.rejection);
    if (rejection !== undefined && !(Number.isSafeInteger(rejection) && rejection > 0 && /^[0-9]+$/.test(options.rejection!)))
      program.error('--rejection must be a rejection position (a positive integer)');
    await withGateway(async (app) => {
      const request = { reason: options.reason, requestedBy: `cli:${userInfo().username}` };
      const eraser = app.get(PayloadEraser);
      try {
        const erasure = rejection === undefined ? await eraser.eraseEvent(eventId!, request) : await eraser.eraseRejectionExcerpt(rejection, request);
        const what = rejection === undefined ? `the payload of event ${eventId}` : `the payload excerpt of rejection ${rejection}`;
        console.log(`erased ${what} at ${erasure.erasedAt.toISOString()} (sha256 ${erasure.erasedSha256}); the erasure is entry ${erasure.position} of payload_erasures`);
      } catch (error) {
        if (!(error instanceof GatewayError)) throw error;
        // Not program.error: it would exit before the embedded database is stopped.
        console.error(`error: ${error.message} (${error.code})`);
        process.exitCode = 1;
      }
    });
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

registerAuditClientCommands(program);

await program.parseAsync(process.argv).catch((error: Error) => {
  console.error(`bulletin-gateway: ${error.message}`);
  process.exit(1);
});
