import { type DynamicModule, Module } from '@nestjs/common';
import { AccessModule } from './access/access.module.js';
import { AuditApiModule } from './audit-api/audit-api.module.js';
import { AuditLogModule } from './audit-log/audit-log.module.js';
import { CqrsModule } from '@nestjs/cqrs';
import { ConfigModule } from './config/config.module.js';
import { ConsoleModule } from './console-host/console.module.js';
import type { GatewayConfig } from './config/gateway-config.js';
import { DatabaseModule } from './database/database.module.js';
import { DispatchModule } from './dispatch/dispatch.module.js';
import { EventLogModule } from './event-log/event-log.module.js';
import { HealthModule } from './health/health.module.js';
import { IdempotencyModule } from './idempotency/idempotency.module.js';
import { IngestModule } from './ingest/ingest.module.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { RejectionsModule } from './rejections/rejections.module.js';
import { RateLimitsModule } from './rate-limits/rate-limits.module.js';
import { ReplayModule } from './replay/replay.module.js';
import { ErasureModule } from './erasure/erasure.module.js';

@Module({})
export class AppModule {
  static register(config: GatewayConfig, databaseUrl: string): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        DatabaseModule.forRoot(databaseUrl),
        CqrsModule.forRoot(),
        EventLogModule,
        AccessModule,
        DispatchModule,
        IngestModule,
        MetricsModule,
        HealthModule,
        AuditLogModule,
        AuditApiModule,
        RejectionsModule,
        ReplayModule,
        ErasureModule,
        RateLimitsModule,
        ConsoleModule,
        IdempotencyModule,
      ],
    };
  }
}
