import './heap-tuning.js';
import 'reflect-metadata';
import cluster, { type Worker } from 'node:cluster';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { type GatewayConfig, gatewayBootProblem } from './config/gateway-config.js';
import { loadConfigOrExit } from './config/load-config-or-exit.js';
import { dataSourceOptions } from './database/data-source-options.js';
import type { EmbeddedDatabase } from './database/embedded-postgres.js';
import { openDatabase } from './database/open-database.js';
import { runMigrations } from './database/run-migrations.js';
import { createGatewayApp } from './gateway-app.js';
import { createLogger } from './logging/logger.js';
import { startTracing } from './tracing/tracing.js';
import { PartnersRepository } from './access/partners.repository.js';
import { startBuiltInSimulator } from './simulator/built-in-simulator.js';
import type { CleverTapSimulator } from './simulator/clevertap-simulator.js';

const DEMO_PARTNER = 'demo (simulator mode)';
const EXAMPLE_BULLETIN = {
  business_event: 'Program Released',
  name: 'Sa Re Ga Ma episode 12',
  properties: { program_id: '234567', language: 'Hindi', prev_program_id: '123457' },
  'c-by': 'editor@example.com',
  when: 'now',
};

/** Something that serves HTTP until stopped: the app itself, or a set of worker processes. */
interface Server {
  stop(): Promise<void>;
}

/**
 * The primary process prepares what must exist once (database, migrations, simulator, demo key), then
 * serves HTTP itself or, with GATEWAY_WORKERS > 1, through worker processes sharing the port.
 */
async function main(): Promise<void> {
  if (cluster.isWorker) return runWorker();
  const config = loadConfigOrExit();
  const bootProblem = gatewayBootProblem(config);
  if (bootProblem) throw new Error(bootProblem);
  const logger = createLogger(config.logLevel);
  const database = await openDatabase(config);
  let simulator: CleverTapSimulator | undefined;
  try {
    const applied = await runMigrations(database.url);
    if (applied.length > 0) logger.info({ migrations: applied }, 'database migrated');
    if (config.accounts.length === 0) {
      const builtIn = await startBuiltInSimulator();
      simulator = builtIn.simulator;
      config.accounts.push(builtIn.account);
      logger.warn('SIMULATOR MODE: no CleverTap credentials are configured; bulletins go to the built-in simulator, nothing real is sent');
    }
    const server = config.workers > 1 ? await startWorkers(config, database.url, simulator !== undefined, logger) : await serve(config, database.url, logger);
    stopGracefullyOn(['SIGTERM', 'SIGINT'], server, simulator, database, logger);
    printBanner(config, database, simulator ? await demoPartnerKey(database.url, config.accounts[0].id) : undefined);
  } catch (error) {
    // A start that failed halfway leaves no embedded Postgres or simulator running behind it.
    await simulator?.stop().catch(() => undefined);
    await database.stop().catch(() => undefined);
    throw error;
  }
}

/** Each process that serves HTTP traces itself (when configured); its spans are flushed as it stops. */
async function serve(config: GatewayConfig, databaseUrl: string, logger: Logger): Promise<Server> {
  const tracing = await startTracing(config.tracing);
  if (tracing) logger.info({ exporter: config.tracing?.exporter }, 'OpenTelemetry tracing on');
  const app = await createGatewayApp(config, databaseUrl, logger);
  await app.listen(config.port, config.host);
  logger.info({ host: config.host, port: config.port, pid: process.pid }, 'listening for HTTP');
  return {
    stop: async () => {
      await app.close();
      await tracing?.shutdown();
    },
  };
}

/** A worker gets everything from the environment its primary prepared (database URL, simulator account). */
async function runWorker(): Promise<void> {
  const config = loadConfigOrExit();
  const logger = createLogger(config.logLevel);
  const server = await serve(config, config.databaseUrl!, logger);
  // Ctrl-C reaches the whole process group: workers stop as gracefully as on the primary's SIGTERM.
  const stop = () => void server.stop().then(() => logger.flush(() => process.exit(0)));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

async function startWorkers(config: GatewayConfig, databaseUrl: string, simulatorMode: boolean, logger: Logger): Promise<Server> {
  const account = config.accounts[0];
  const env: Record<string, string> = {
    DATABASE_URL: databaseUrl,
    // In simulator mode the workers use the simulator this process runs.
    // (SIMULATOR=1 is cleared: to a worker, that account is a configured one.)
    ...(simulatorMode
      ? { CLEVERTAP_ACCOUNT_ID: account.id, CLEVERTAP_PASSCODE: account.passcode, CLEVERTAP_BASE_URL: account.baseUrl, SIMULATOR: '' }
      : {}),
  };
  let stopping = false;
  const fork = () =>
    new Promise<Worker>((resolve, reject) => {
      const worker = cluster.fork(env);
      let started = false;
      worker.once('listening', () => {
        started = true;
        resolve(worker);
      });
      worker.once('exit', (code) => {
        if (stopping) return;
        if (!started) return reject(new Error(`a gateway worker exited with code ${code} while starting`));
        // A worker that dies after starting is replaced: nothing of its work was only in its memory.
        logger.error({ pid: worker.process.pid, code }, 'gateway worker exited; starting another');
        void fork().catch((error: Error) => logger.error(error.message));
      });
    });
  const workers = await Promise.all(Array.from({ length: config.workers }, fork));
  return {
    stop: async () => {
      stopping = true;
      await Promise.all(
        Object.values(cluster.workers ?? {}).map(
          (worker) =>
            new Promise<void>((resolve) => {
              if (!worker || worker.isDead()) return resolve();
              worker.once('exit', () => resolve());
              worker.process.kill('SIGTERM');
            }),
        ),
      );
      logger.info({ workers: workers.length }, 'gateway workers stopped');
    },
  };
}

/** The demo partner gets a fresh key on every start: only the newest key, printed once, works. */
async function demoPartnerKey(databaseUrl: string, accountId: string): Promise<string> {
  const db = await new DataSource(dataSourceOptions(databaseUrl, 1)).initialize();
  try {
    const partners = new PartnersRepository(db);
    const existing = await partners.findIdByName(DEMO_PARTNER);
    if (existing) return await partners.rotateKey(existing);
    return (await partners.create(DEMO_PARTNER, 'partner', [accountId])).key;
  } finally {
    await db.destroy();
  }
}

function printBanner(config: GatewayConfig, database: EmbeddedDatabase, demoKey: string | undefined): void {
  const url = `http://localhost:${config.port}`;
  const workers = config.workers > 1 ? ` (${config.workers} worker processes)` : '';
  const lines = [`Bulletin Gateway is ready at ${url}${workers}`];
  if (database.port !== undefined)
    lines.push(`Database: embedded Postgres on 127.0.0.1:${database.port} (data in ${config.embeddedPostgres.dataDir})`);
  if (demoKey) {
    const account = config.accounts[0].id;
    lines.push(
      'Mode: SIMULATOR (no CleverTap credentials configured; nothing real is sent)',
      `Simulator: ${config.accounts[0].baseUrl} (inject faults under ${config.accounts[0].baseUrl}/__simulator; see docs/getting-started.md)`,
      '',
      'Raise the vendor example bulletin with the demo partner key (shown once, new at every start):',
      `curl -sS -X POST ${url}/1/targets/trigger.json \\`,
      `  -H "X-CleverTap-Account-Id: ${account}" \\`,
      `  -H "X-CleverTap-Passcode: ${demoKey}" \\`,
      `  -H "Content-Type: application/json" \\`,
      `  -d '${JSON.stringify(EXAMPLE_BULLETIN)}'`,
    );
  } else {
    lines.push(`Mode: LIVE: bulletins are sent to CleverTap (accounts: ${config.accounts.map((a) => a.id).join(', ')})`);
  }
  console.log(['', ...lines, ''].join('\n'));
}

function stopGracefullyOn(
  signals: NodeJS.Signals[],
  server: Server,
  simulator: CleverTapSimulator | undefined,
  database: EmbeddedDatabase,
  logger: Logger,
): void {
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await server.stop();
    await simulator?.stop();
    await database.stop();
    logger.flush(() => process.exit(0));
  };
  for (const signal of signals) process.once(signal, () => void stop());
}

main().catch((error) => {
  // A reason-less rejection is a bug of ours or a dependency's: its stack is then all there is to go on.
  const said = error instanceof Error && error.message !== '' ? error.message : `unexpected ${error instanceof Error ? error.stack : String(error)}`;
  const hint = (error as { code?: string })?.code === 'EADDRINUSE' ? '. Another program holds that port: set PORT (and HOST) to a free one' : '';
  console.error(`Bulletin Gateway failed to start: ${said}${hint}`);
  process.exit(1);
});
