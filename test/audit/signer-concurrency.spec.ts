import request from 'supertest';
import { CheckpointSigner } from '../../src/audit-log/checkpoint-signer.service.js';
import { TreeSealer } from '../../src/audit-log/tree-sealer.service.js';
import { sealedAndSigned, signingLog } from '../support/audit-log-keys.js';
import { bearer, bulletin, raise } from '../support/fixtures.js';
import { startGateway, type GatewayHarness } from '../support/gateway-harness.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

/**
 * Two gateway processes of one host (one database, one state directory) seal and sign in turns while
 * events arrive: neither may mistake the other's newer checkpoint for a rolled-back database.
 */
describe('two signers sharing a database and a state directory', () => {
  let database: TestDatabase;
  let gateways: GatewayHarness[];
  const log = signingLog();

  beforeAll(async () => {
    database = await createTestDatabase();
    const env = { ...log.env, AUDIT_SEAL_INTERVAL_MS: '100', AUDIT_CHECKPOINT_INTERVAL_MS: '100' };
    gateways = [await startGateway({ database, env }), await startGateway({ database, env })];
  });
  afterAll(async () => {
    for (const gateway of gateways) await gateway.close();
    await database.drop();
  });

  it('never refuses, and every checkpoint verifies', async () => {
    const partners = await Promise.all(gateways.map((gateway) => gateway.createPartner()));
    const deadline = Date.now() + 4000;
    await Promise.all(
      gateways.map(async (gateway, i) => {
        for (let n = 0; Date.now() < deadline; n++) {
          await raise(gateway, partners[i], bulletin({ name: `gateway ${i} event ${n}` }), { async: true });
          await gateway.app.get(TreeSealer).sealPending();
        }
      }),
    );
    await sealedAndSigned(gateways[0], TreeSealer);
    for (const gateway of gateways) {
      await gateway.app.get(CheckpointSigner).signIfDue();
      expect(gateway.app.get(CheckpointSigner).status).toEqual({ state: 'signing' });
    }
    expect(await gateways[0].sql(`SELECT detail FROM audit_signer_events`)).toEqual([]);
    const auditor = await gateways[1].createPartner({ role: 'auditor', accounts: [] });
    const report = (await request(gateways[1].http).get('/v1/audit/verify').set(bearer(auditor)).expect(200)).body;
    expect(report).toMatchObject({ ok: true, signatures_checked: true });
    expect(report.checkpoints_checked).toBeGreaterThan(3);
  });
});
