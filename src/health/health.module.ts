import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { DispatchModule } from '../dispatch/dispatch.module.js';
import { AuditLogModule } from '../audit-log/audit-log.module.js';
import { AccountsIndicator } from './accounts.indicator.js';
import { AuditLogIndicator } from './audit-log.indicator.js';
import { DatabaseIndicator } from './database.indicator.js';
import { DispatcherIndicator } from './dispatcher.indicator.js';
import { HealthController } from './health.controller.js';

@Module({
  imports: [TerminusModule.forRoot({ errorLogStyle: 'json' }), DispatchModule, AuditLogModule],
  controllers: [HealthController],
  providers: [DatabaseIndicator, DispatcherIndicator, AccountsIndicator, AuditLogIndicator],
})
export class HealthModule {}
