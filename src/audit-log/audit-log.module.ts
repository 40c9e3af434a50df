import { Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { AccessModule } from '../access/access.module.js';
import { QueueModule } from '../dispatch/queue.module.js';
import { AuditController, EventProofController } from './audit.controller.js';
import { LogProofs } from './log-proofs.service.js';
import { ProjectionCheck } from './projection-check.service.js';
import { CheckpointSigner } from './checkpoint-signer.service.js';
import { LogVerifier } from './log-verifier.js';
import { TreeSealer } from './tree-sealer.service.js';
import { VerificationLog } from './verification-log.js';

/** The proof's services, with no background work and no routes: what the CLI and the audit API share with the gateway. */
@Module({
  imports: [QueueModule],
  providers: [TreeSealer, CheckpointSigner, LogVerifier, VerificationLog, ProjectionCheck, LogProofs],
  exports: [TreeSealer, CheckpointSigner, LogVerifier, VerificationLog, ProjectionCheck, LogProofs],
})
export class AuditProofModule {}

/**
 * The proof over the log: the Merkle tree, signed checkpoints, proofs and verification, served over
 * HTTP, with the gateway's background sealing and projection checks.
 */
@Module({
  imports: [AccessModule, AuditProofModule],
  controllers: [AuditController, EventProofController],
  exports: [AuditProofModule],
})
export class AuditLogModule implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    private readonly sealer: TreeSealer,
    private readonly projectionCheck: ProjectionCheck,
  ) {}

  onApplicationBootstrap(): void {
    this.sealer.startSchedule();
    this.projectionCheck.startSchedule();
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([this.sealer.stopSchedule(), this.projectionCheck.stopSchedule()]);
  }
}
