import { Controller, Get, Req, UseGuards } from '@nestjs/common';
import { GatewayError } from '../common/gateway.error.js';
import type { AuthenticatedRequest } from '../access/partner-auth.guard.js';
import { GatewayMetrics } from '../metrics/gateway-metrics.js';
import { AllowRoles, ApiAuthGuard } from '../access/api-auth.guard.js';
import { ChainSealer } from './chain-sealer.service.js';
import { ChainVerifier, type VerificationReport } from './chain-verifier.js';
import { type RecordedVerification, VerificationLog } from './verification-log.js';

@Controller('v1/audit')
@UseGuards(ApiAuthGuard)
@AllowRoles('auditor', 'operator', 'admin')
export class AuditController {
  constructor(
    private readonly sealer: ChainSealer,
    private readonly verifier: ChainVerifier,
    private readonly metrics: GatewayMetrics,
    private readonly verifications: VerificationLog,
  ) {}

  /** Seals what is pending first, so the answer covers the log up to this moment; the run is recorded. */
  @Get('verify')
  async verify(@Req() request: AuthenticatedRequest): Promise<VerificationReport> {
    await this.sealer.sealPending();
    const report = await this.verifier.verify();
    await this.verifications.record(report, request.principal.name);
    if (report.ok) this.metrics.markChainVerified(new Date(report.verifiedAt));
    return report;
  }

  @Get('verifications/latest')
  async latest(): Promise<RecordedVerification> {
    const latest = await this.verifications.latest();
    if (!latest) throw new GatewayError('not_found', 404, 'The chain has not been verified yet');
    return latest;
  }
}
