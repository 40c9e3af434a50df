import { Module } from '@nestjs/common';
import { PartnersModule } from '../partners/partners.module.js';
import { AuditController } from './audit.controller.js';
import { ChainSealer } from './chain-sealer.service.js';
import { ChainVerifier } from './chain-verifier.js';
import { EventAuditRepository } from './event-audit.repository.js';
import { EventsController } from './events.controller.js';
import { RejectionLog } from './rejection-log.js';
import { RejectionsController } from './rejections.controller.js';
import { VerificationLog } from './verification-log.js';

@Module({
  imports: [PartnersModule],
  controllers: [EventsController, AuditController, RejectionsController],
  providers: [EventAuditRepository, ChainSealer, ChainVerifier, RejectionLog, VerificationLog],
  exports: [RejectionLog, ChainVerifier, ChainSealer, EventAuditRepository],
})
export class AuditModule {}
