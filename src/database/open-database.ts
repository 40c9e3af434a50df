import type { GatewayConfig } from '../config/gateway-config.js';
import { type EmbeddedDatabase, startEmbeddedPostgres } from './embedded-postgres.js';

/** DATABASE_URL when given; otherwise the embedded Postgres under EMBEDDED_POSTGRES_DIR. */
export async function openDatabase(config: GatewayConfig): Promise<EmbeddedDatabase> {
  if (config.databaseUrl) return { url: config.databaseUrl, stop: async () => undefined };
  return startEmbeddedPostgres({ ...config.embeddedPostgres, database: 'bulletin_gateway' });
}
