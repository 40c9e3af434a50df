import { Module } from '@nestjs/common';
import { RejectionsModule } from '../rejections/rejections.module.js';
import { EventLogModule } from '../event-log/event-log.module.js';
import { AccessModule } from '../access/access.module.js';
import { OutcomeWaiter, WakeWaitingRequests } from './outcome-waiter.js';
import { TriggerBulletinHandler } from './trigger-bulletin.handler.js';
import { TriggerController } from './trigger.controller.js';

@Module({
  imports: [EventLogModule, AccessModule, RejectionsModule],
  controllers: [TriggerController],
  providers: [TriggerBulletinHandler, OutcomeWaiter, WakeWaitingRequests],
})
export class IngestModule {}
