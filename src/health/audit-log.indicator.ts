import { Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { CheckpointSigner } from '../audit-log/checkpoint-signer.service.js';
import { ProjectionCheck } from '../audit-log/projection-check.service.js';

/**
 * The audit log's state on /health/ready. Problems here leave the gateway ready (ingest and dispatch work)
 * but "degraded": the checkpoint signer refusing, or the status projection disagreeing with the log.
 */
@Injectable()
export class AuditLogIndicator {
  constructor(
    private readonly signer: CheckpointSigner,
    private readonly projection: ProjectionCheck,
    private readonly health: HealthIndicatorService,
  ) {}

  state(): HealthIndicatorResult<'audit_log'> {
    const status = this.signer.status;
    const projection = this.projection.latest;
    const signer =
      status.state === 'refusing'
        ? { state: 'refusing', reason: status.reason, since: status.since, last_good_checkpoint_size: status.lastGood.tree_size }
        : { state: status.state };
    const projectionState = projection
      ? { checked_at: projection.checkedAt, mismatches: projection.mismatches }
      : { checked_at: null, mismatches: null };
    const degraded = status.state === 'refusing' || (projection?.mismatches ?? 0) > 0;
    const check = this.health.check('audit_log');
    return degraded ? check.degraded({ signer, projection: projectionState }) : check.up({ signer, projection: projectionState });
  }
}
