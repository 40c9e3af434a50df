import request from 'supertest';
import { migrations } from '../../migrations/index.js';
import { ACCOUNT_ID, exampleBulletin, startGateway, type GatewayHarness } from '../support/gateway-harness.js';
import { waitFor } from '../support/wait-for.js';

describe('GET /health/live and /health/ready on a healthy gateway', () => {
  let gateway: GatewayHarness;

  beforeAll(async () => {
    gateway = await startGateway();
  });
  afterAll(() => gateway.close());

  it('reports the process alive without asking the database', async () => {
    const response = await request(gateway.http).get('/health/live').expect(200);
    expect(response.body).toMatchObject({ status: 'ok', info: { process: { status: 'up', pid: process.pid } } });
    expect(response.headers['cache-control']).toMatch(/no-store/);
  });

  it('reports ready with the database, every migration, the dispatcher and each account ok', async () => {
    const response = await request(gateway.http).get('/health/ready').expect(200);
    expect(response.body).toMatchObject({
      status: 'ok',
      details: {
        database: { status: 'up' },
        migrations: { status: 'up', applied: migrations.length },
        dispatcher: { status: 'up' },
        clevertap_accounts: { status: 'up', accounts: { [ACCOUNT_ID]: { state: 'ok' } } },
      },
    });
  });

  it('reports unready, naming the migration, when the schema lacks one this build expects', async () => {
    const [last] = await gateway.sql<{ name: string }>('SELECT name FROM schema_migrations ORDER BY id DESC LIMIT 1');
    await gateway.sql('DELETE FROM schema_migrations WHERE name = $1', [last.name]);
    try {
      const response = await request(gateway.http).get('/health/ready').expect(503);
      expect(response.body.error.migrations).toEqual({ status: 'down', message: 'migrations are pending', pending: [last.name] });
    } finally {
      await gateway.sql('INSERT INTO schema_migrations (timestamp, name) VALUES ($1, $2)', [Number(last.name.match(/\d{13}/)![0]), last.name]);
    }
  });
});

describe('readiness when CleverTap rejects the credentials', () => {
  let gateway: GatewayHarness;

  beforeAll(async () => {
    // A long credentials retry, so the account stays paused while the test looks.
    gateway = await startGateway({ env: { CREDENTIALS_RETRY_MS: '600000' } });
  });
  afterAll(() => gateway.close());

  it('stays 200 but reports the account paused, with the reason and when it will be retried', async () => {
    const key = await gateway.createPartner();
    gateway.simulator.setFaults([{ kind: 'unauthorized' }]);
    await request(gateway.http)
      .post('/1/targets/trigger.json')
      .set(gateway.partnerHeaders(key))
      .set('Prefer', 'respond-async')
      .send(exampleBulletin())
      .expect(202);

    const response = await waitFor(async () => {
      const ready = await request(gateway.http).get('/health/ready');
      return ready.body.details?.clevertap_accounts?.accounts?.[ACCOUNT_ID]?.state === 'paused' ? ready : undefined;
    }, 10_000, 'the account to be reported paused');
    expect(response.status).toBe(200);
    expect(response.body.status).toBe('degraded');
    expect(response.body.details.clevertap_accounts).toEqual({
      status: 'degraded',
      accounts: {
        [ACCOUNT_ID]: {
          state: 'paused',
          reason: expect.stringMatching(/rejected the credentials/),
          retry_at: expect.any(String),
          consecutive_failures: expect.any(Number),
        },
      },
    });
    expect(new Date(response.body.details.clevertap_accounts.accounts[ACCOUNT_ID].retry_at).getTime()).toBeGreaterThan(Date.now());
    expect(response.body.details.database.status).toBe('up');
  });
});
