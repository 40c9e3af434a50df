import { Body, Controller, Get, Header, HttpCode, Param, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsInt, IsString, Max, MaxLength, Min } from 'class-validator';
import type { FastifyReply } from 'fastify';
import { GatewayError } from '../common/gateway.error.js';
import { strictValidation } from '../common/query-validation.pipe.js';
import type { AuthenticatedRequest } from '../access/partner-auth.guard.js';
import { GatewayMetrics } from '../metrics/gateway-metrics.js';
import { AllowRoles, ApiAuthGuard, canReadEverything } from '../access/api-auth.guard.js';
import { LogProofs } from './log-proofs.service.js';
import { LogVerifier } from './log-verifier.js';
import { TreeSealer } from './tree-sealer.service.js';
import { VerificationLog, verificationView } from './verification-log.js';

const MAX_SIZE = Number.MAX_SAFE_INTEGER;
/** docs/audit-format.md §9: a full audit pages through the log 10,000 entries at a time. */
const MAX_ENTRIES_PER_REQUEST = 10_000;

class TreeRange {
  @Type(() => Number) @IsInt({ message: 'from must be a whole number' }) @Min(0, { message: 'from must be 0 or more' }) @Max(MAX_SIZE)
  from!: number;

  @Type(() => Number) @IsInt({ message: 'to must be a whole number' }) @Min(0, { message: 'to must be 0 or more' }) @Max(MAX_SIZE)
  to!: number;
}

class CosignatureSubmission {
  @IsString({ message: 'checkpoint must be the signed checkpoint note' }) @MaxLength(16_384)
  checkpoint!: string;

  @IsString({ message: 'cosignature must be the witness\'s signature line "— <name> <base64>"' }) @MaxLength(1024)
  cosignature!: string;
}

/** Header set on checkpoints and proofs served while the database no longer matches the last signed checkpoint. */
export const MISMATCH_HEADER = 'X-Audit-Log-Mismatch';

@Controller('v1/audit')
@UseGuards(ApiAuthGuard)
@AllowRoles('auditor', 'operator', 'admin')
export class AuditController {
  constructor(
    private readonly sealer: TreeSealer,
    private readonly verifier: LogVerifier,
    private readonly proofs: LogProofs,
    private readonly metrics: GatewayMetrics,
    private readonly verifications: VerificationLog,
  ) {}

  /** Seals what is pending first, so the answer covers the log up to this moment; the run is recorded. */
  @Get('verify')
  async verify(@Req() request: AuthenticatedRequest): Promise<ReturnType<typeof verificationView>> {
    await this.sealer.sealPending();
    const report = await this.verifier.verify();
    await this.verifications.record(report, request.principal.name);
    if (report.ok) this.metrics.markLogVerified(new Date(report.verifiedAt));
    return verificationView(report);
  }

  @Get('verifications/latest')
  async latest(): Promise<ReturnType<typeof verificationView>> {
    const latest = await this.verifications.latest();
    if (!latest) throw new GatewayError('not_found', 404, 'The log has not been verified yet');
    return verificationView(latest);
  }

  /** The latest signed checkpoint as a C2SP signed note, with witness cosignatures as further lines. */
  @Get('checkpoint')
  async checkpoint(@Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    const served = await this.proofs.checkpoint();
    reply.header('Content-Type', 'text/plain; charset=utf-8');
    if (served.mismatch) reply.header(MISMATCH_HEADER, served.mismatch);
    return served.note;
  }

  @Get('consistency')
  consistency(@Query(strictValidation) range: TreeRange) {
    return this.proofs.consistency(range.from, range.to);
  }

  /** Leaves [from, to) as NDJSON, streamed with backpressure: memory stays flat however wide the range. */
  @Get('entries')
  async entries(@Req() request: AuthenticatedRequest, @Res() reply: FastifyReply, @Query(strictValidation) range: TreeRange) {
    await this.proofs.checkRange(range.from, range.to, MAX_ENTRIES_PER_REQUEST);
    reply.hijack();
    const response = reply.raw;
    response.statusCode = 200;
    response.setHeader('Content-Type', 'application/x-ndjson; charset=utf-8');
    response.setHeader('X-Request-Id', request.id);
    await this.proofs.streamEntries(range.from, range.to, response);
  }

  /** A witness's cosignature of a checkpoint it verified; checked against AUDIT_WITNESSES before it is kept. */
  @Post('cosignatures')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  addCosignature(@Req() request: AuthenticatedRequest, @Body(strictValidation) body: CosignatureSubmission) {
    return this.proofs.addCosignature(body.checkpoint, body.cosignature, request.principal.name);
  }
}

/** Partners fetch proofs of their own events, with the same 404 as /v1/events/:id; readers of everything, of any. */
@Controller('v1/events')
@UseGuards(ApiAuthGuard)
export class EventProofController {
  constructor(private readonly proofs: LogProofs) {}

  @Get(':id/proof')
  async proof(@Req() request: AuthenticatedRequest, @Param('id') id: string, @Res({ passthrough: true }) reply: FastifyReply) {
    const principal = request.principal;
    const proof = await this.proofs.eventProof(id, canReadEverything(principal) ? undefined : principal.partnerId);
    if (proof.mismatch) reply.header(MISMATCH_HEADER, proof.mismatch);
    return proof;
  }
}
