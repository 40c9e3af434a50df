import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import type { GatewayConfig } from './config/gateway-config.js';
import { loadConfigOrExit } from './config/load-config-or-exit.js';
import type { EmbeddedDatabase } from './database/embedded-postgres.js';
import { openDatabase } from './database/open-database.js';
import { runMigrations } from './database/run-migrations.js';
import { createGatewayApp } from './gateway-app.js';
import type { Logger } from 'pino';
import { createLogger } from './logging/logger.js';
import { PartnersRepository } from './partners/partners.repository.js';
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

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const logger = createLogger(config.logLevel);
  const database = await openDatabase(config);
  const applied = await runMigrations(database.url);
  if (applied.length > 0) logger.info({ migrations: applied }, 'database migrated');

  let simulator: CleverTapSimulator | undefined;
  if (config.accounts.length === 0) {
    const builtIn = await startBuiltInSimulator();
    simulator = builtIn.simulator;
    config.accounts.push(builtIn.account);
    logger.warn('SIMULATOR MODE: no CleverTap credentials are configured; bulletins go to the built-in simulator, nothing real is sent');
  }

  const app = await createGatewayApp(config, database.url, logger);
  await app.listen(config.port, config.host);
  stopGracefullyOn(['SIGTERM', 'SIGINT'], app, simulator, database, logger);
  printBanner(config, simulator ? await demoPartnerKey(app, config.accounts[0].id) : undefined);
}

/** The demo partner gets a fresh key on every start: only the newest key, printed once, works. */
async function demoPartnerKey(app: INestApplication, accountId: string): Promise<string> {
  const partners = app.get(PartnersRepository);
  const existing = await partners.findIdByName(DEMO_PARTNER);
  if (existing) return partners.rotateKey(existing);
  return (await partners.create(DEMO_PARTNER, 'partner', [accountId])).key;
}

function printBanner(config: GatewayConfig, demoKey: string | undefined): void {
  const url = `http://localhost:${config.port}`;
  const lines = [`Bulletin Gateway is ready at ${url}`];
  if (demoKey) {
    const account = config.accounts[0].id;
    lines.push(
      'Mode: SIMULATOR (no CleverTap credentials configured; nothing real is sent)',
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
  app: INestApplication,
  simulator: CleverTapSimulator | undefined,
  database: EmbeddedDatabase,
  logger: Logger,
): void {
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await app.close();
    await simulator?.stop();
    await database.stop();
    logger.flush(() => process.exit(0));
  };
  for (const signal of signals) process.once(signal, () => void stop());
}

main().catch((error) => {
  console.error(`Bulletin Gateway failed to start: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
});
