import { Module } from '@nestjs/common';
import { AccessModule } from '../access/access.module.js';
import { AuditController, EventProofController } from './audit.controller.js';
import { LogProofs } from './log-proofs.service.js';
import { ProjectionCheck } from './projection-check.service.js';
import { CheckpointSigner } from './checkpoint-signer.service.js';
import { LogVerifier } from './log-verifier.js';
import { TreeSealer } from './tree-sealer.service.js';
import { VerificationLog } from './verification-log.js';

/** The proof over the log: the Merkle tree, signed checkpoints, proofs and verification. */
@Module({
  imports: [AccessModule],
  controllers: [AuditController, EventProofController],
  providers: [TreeSealer, CheckpointSigner, LogVerifier, VerificationLog, LogProofs, ProjectionCheck],
  exports: [LogVerifier, TreeSealer, CheckpointSigner, ProjectionCheck, LogProofs],
})
export class AuditLogModule {}
