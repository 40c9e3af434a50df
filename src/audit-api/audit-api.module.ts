import { Module } from '@nestjs/common';
import { AccessModule } from '../access/access.module.js';
import { AuditProofModule } from '../audit-log/audit-log.module.js';
import { EventAuditRepository } from './event-audit.repository.js';
import { EventsController } from './events.controller.js';

/** What auditors read: event lists, timelines and exports. */
@Module({
  imports: [AccessModule, AuditProofModule],
  controllers: [EventsController],
  providers: [EventAuditRepository],
  exports: [EventAuditRepository],
})
export class AuditApiModule {}
