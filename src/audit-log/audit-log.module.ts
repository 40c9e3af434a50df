import { Module } from '@nestjs/common';
import { AccessModule } from '../access/access.module.js';
import { AuditController } from './audit.controller.js';
import { ChainSealer } from './chain-sealer.service.js';
import { ChainVerifier } from './chain-verifier.js';
import { VerificationLog } from './verification-log.js';

/** The proof over the log: sealing, signed checkpoints and verification. */
@Module({
  imports: [AccessModule],
  controllers: [AuditController],
  providers: [ChainSealer, ChainVerifier, VerificationLog],
  exports: [ChainVerifier, ChainSealer],
})
export class AuditLogModule {}
