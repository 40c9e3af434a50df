import { type DynamicModule, Module } from '@nestjs/common';
import { AuditModule } from './audit/audit.module.js';
import { CqrsModule } from '@nestjs/cqrs';
import { ConfigModule } from './config/config.module.js';
import { ConsoleModule } from './console/console.module.js';
import type { GatewayConfig } from './config/gateway-config.js';
import { DatabaseModule } from './database/database.module.js';
import { DispatchModule } from './dispatch/dispatch.module.js';
import { EventLogModule } from './event-log/event-log.module.js';
import { HealthModule } from './health/health.module.js';
import { IngestModule } from './ingest/ingest.module.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { PartnersModule } from './partners/partners.module.js';
import { ReplayModule } from './replay/replay.module.js';

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
        PartnersModule,
        DispatchModule,
        IngestModule,
        MetricsModule,
        HealthModule,
        AuditModule,
        ReplayModule,
        ConsoleModule,
      ],
    };
  }
}
