import { type DynamicModule, type INestApplicationContext, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { AccessModule } from '../access/access.module.js';
import { AuditApiModule } from '../audit-api/audit-api.module.js';
import { AuditProofModule } from '../audit-log/audit-log.module.js';
import { ConfigModule } from '../config/config.module.js';
import type { GatewayConfig } from '../config/gateway-config.js';
import { DatabaseModule } from '../database/database.module.js';
import { QueueModule } from '../dispatch/queue.module.js';
import { ReplayModule } from '../replay/replay.module.js';
import { ErasureModule } from '../erasure/erasure.module.js';

/**
 * The providers and command handlers the CLI shares with the HTTP API, from the same Nest container, so
 * a rule (who may force a replay, what a reason must say) lives in one place for both. Only modules with
 * no background work: nothing here dispatches, seals on a schedule or polls (the gateway's
 * DispatchModule and AuditLogModule start those; the CLI imports neither).
 */
@Module({})
class CliModule {
  static register(config: GatewayConfig, databaseUrl: string): DynamicModule {
    return {
      module: CliModule,
      imports: [
        ConfigModule.forRoot(config),
        DatabaseModule.forRoot(databaseUrl),
        CqrsModule.forRoot(),
        AccessModule,
        QueueModule,
        AuditProofModule,
        AuditApiModule,
        ReplayModule,
        ErasureModule,
      ],
    };
  }
}

export async function withCliContext<T>(
  config: GatewayConfig,
  databaseUrl: string,
  work: (app: INestApplicationContext) => Promise<T>,
): Promise<T> {
  const app = await NestFactory.createApplicationContext(CliModule.register(config, databaseUrl), { logger: ['error', 'warn'] });
  try {
    return await work(app);
  } finally {
    await app.close();
  }
}
