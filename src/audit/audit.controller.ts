import { Controller, Get, UseGuards } from '@nestjs/common';
import { GatewayMetrics } from '../metrics/gateway-metrics.js';
import { AllowRoles, ApiAuthGuard } from '../partners/api-auth.guard.js';
import { ChainSealer } from './chain-sealer.service.js';
import { ChainVerifier, type VerificationReport } from './chain-verifier.js';

@Controller('v1/audit')
@UseGuards(ApiAuthGuard)
@AllowRoles('auditor', 'operator', 'admin')
export class AuditController {
  constructor(
    private readonly sealer: ChainSealer,
    private readonly verifier: ChainVerifier,
    private readonly metrics: GatewayMetrics,
  ) {}

  /** Seals what is pending first, so the answer covers the log up to this moment. */
  @Get('verify')
  async verify(): Promise<VerificationReport> {
    await this.sealer.sealPending();
    const report = await this.verifier.verify();
    if (report.ok) this.metrics.markChainVerified(new Date(report.verifiedAt));
    return report;
  }
}
