import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { type EmbeddedDatabase, findFreePort, startEmbeddedPostgres } from '../../src/database/embedded-postgres.js';
import { runMigrations } from '../../src/database/run-migrations.js';
import { startGateway, type GatewayHarness } from '../support/gateway-harness.js';
import { waitFor } from '../support/wait-for.js';

/** A Postgres of its own, so the test can stop and restart the server under the running gateway. */
describe('readiness while Postgres goes away and comes back', () => {
  let dataDir: string;
  let port: number;
  let postgres: EmbeddedDatabase;
  let gateway: GatewayHarness;

  const startPostgres = async () => (postgres = await startEmbeddedPostgres({ dataDir, port, database: 'readiness' }));
  const ready = () => request(gateway.http).get('/health/ready');

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'bulletin-gateway-readiness-'));
    chmodSync(dataDir, 0o755);
    port = await findFreePort();
    await startPostgres();
    await runMigrations(postgres.url);
    gateway = await startGateway({ database: { url: postgres.url, serverUrl: postgres.url, drop: async () => undefined } });
  });
  afterAll(async () => {
    await gateway.close();
    await postgres.stop();
  });

  it('turns 503 naming the database while it is down, stays live, and turns 200 again by itself', async () => {
    await ready().expect(200);

    await postgres.stop();
    const down = await waitFor(async () => {
      const response = await ready();
      return response.status === 503 ? response : undefined;
    }, 5000, 'readiness to notice the outage');
    expect(down.body.status).toBe('error');
    expect(down.body.error.database).toMatchObject({ status: 'down', message: expect.any(String) });
    expect(down.body.info.dispatcher).toMatchObject({ status: 'up' });
    expect(down.headers['retry-after']).toBe('5');
    await request(gateway.http).get('/health/live').expect(200);

    await startPostgres();
    const back = await waitFor(async () => {
      const response = await ready();
      return response.status === 200 ? response : undefined;
    }, 30_000, 'readiness to recover without a restart');
    expect(back.body.status).toBe('ok');
    expect(back.body.details.database.status).toBe('up');
  }, 60_000);
});
