import request from 'supertest';
import { payloadSha256 } from '../../src/transparency/leaf.js';
import { bearer, bulletin, partnerIdOf, raise } from '../support/fixtures.js';
import { ACCOUNT_ID, startGateway, type GatewayHarness } from '../support/gateway-harness.js';

/**
 * The sealer appends log rows to the tree in (transaction id, table, position) order. Transaction ids are numbers:
 * every database passes 999 -> 1000, 9999 -> 10000 and so on, and a batch that straddles such a step
 * must still be sealed in numeric order, or the sealer's cursor goes backwards and sealing stops.
 */
describe('sealing the tree across transaction ids of different lengths', () => {
  let gateway: GatewayHarness;
  let auditor: string;

  beforeAll(async () => {
    // No background sealing: the test decides when a batch is sealed.
    gateway = await startGateway({ env: { AUDIT_SEAL_INTERVAL_MS: '3600000' } });
    auditor = await gateway.createPartner({ role: 'auditor', accounts: [] });
  });
  afterAll(() => gateway.close());

  const verify = async () => {
    const response = await request(gateway.http).get('/v1/audit/verify').set(bearer(auditor));
    expect({ status: response.status, ok: response.body.ok }).toEqual({ status: 200, ok: true });
    return response.body;
  };

  const payloadOf = (xid: string) => bulletin({ name: `written by transaction ${xid}` });

  it('seals rows of transactions 99 and 100 in numeric order and keeps sealing afterwards', async () => {
    const partnerId = await partnerIdOf(gateway, await gateway.createPartner());
    // Two rows as if written by transactions 99 and 100 (both long finished, so both are sealable now).
    for (const xid of ['100', '99'])
      await gateway.sql(
        `INSERT INTO bulletin_events (id, partner_id, account_id, business_event, payload, payload_sha256, request_id, inserted_xid)
         VALUES (gen_random_uuid(), $1, $2, 'Program Released', $3, $4, $5, $6::xid8)`,
        [partnerId, ACCOUNT_ID, JSON.stringify(payloadOf(xid)), payloadSha256(payloadOf(xid)), `xid-${xid}`, xid],
      );

    await verify();
    const leaves = await gateway.sql(`SELECT source_xid::text AS xid FROM audit_leaves ORDER BY leaf_index`);
    expect(leaves.map((leaf) => leaf.xid)).toEqual(['99', '100']);

    // The next batch starts after the right row: nothing sealed twice, nothing skipped.
    await raise(gateway, await gateway.createPartner(), bulletin({ name: 'after the step' }));
    const report = await verify();
    const [{ rows }] = await gateway.sql(
      `SELECT (SELECT count(*) FROM bulletin_events) + (SELECT count(*) FROM dispatch_attempts) AS rows`,
    );
    expect(report.entries_checked).toBe(Number(rows));
  });
});
