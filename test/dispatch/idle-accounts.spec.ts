import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startGateway, type GatewayHarness } from '../support/gateway-harness.js';

const IDLE_ACCOUNTS = 1000;
const POLL_MS = 100;

describe('a gateway with many configured accounts and nothing to send', () => {
  let gateway: GatewayHarness;

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'idle-accounts-'));
    const file = join(dir, 'accounts.json');
    writeFileSync(
      file,
      JSON.stringify(Array.from({ length: IDLE_ACCOUNTS }, (_, i) => ({ id: `idle-${i}`, baseUrl: 'http://127.0.0.1:9', passcodeEnv: 'IDLE_PASSCODE' }))),
    );
    gateway = await startGateway({ env: { CLEVERTAP_ACCOUNTS_FILE: file, IDLE_PASSCODE: 'idle-passcode', DISPATCH_POLL_MS: String(POLL_MS) } });
  });
  afterAll(() => gateway.close());

  it(`costs a query per poll, not one per account (${IDLE_ACCOUNTS} accounts)`, async () => {
    expect(gateway.config.accounts).toHaveLength(IDLE_ACCOUNTS + 1);
    const transactions = async () =>
      Number((await gateway.sql('SELECT xact_commit + xact_rollback AS n FROM pg_stat_database WHERE datname = current_database()'))[0].n);
    await gateway.morePolls(2); // past the start-up
    const before = await transactions();
    const pollsBefore = await gateway.polls();
    const started = Date.now();
    await gateway.morePolls(30);
    const spent = (await transactions()) - before;
    const polls = (await gateway.polls()) - pollsBefore;
    const seconds = (Date.now() - started) / 1000;
    // One query per poll, plus the sealer's and this test's own few a second: nothing that grows with accounts.
    expect(spent).toBeLessThan(polls + 5 * seconds + 10);
    expect(gateway.simulator.received()).toHaveLength(0);
  });
});
