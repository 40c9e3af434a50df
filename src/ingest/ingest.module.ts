import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { EventLogModule } from '../event-log/event-log.module.js';
import { PartnersModule } from '../partners/partners.module.js';
import { OutcomeWaiter, WakeWaitingRequests } from './outcome-waiter.js';
import { TriggerBulletinHandler } from './trigger-bulletin.handler.js';
import { TriggerController } from './trigger.controller.js';

@Module({
  imports: [EventLogModule, PartnersModule, AuditModule],
  controllers: [TriggerController],
  providers: [TriggerBulletinHandler, OutcomeWaiter, WakeWaitingRequests],
})
export class IngestModule {}
