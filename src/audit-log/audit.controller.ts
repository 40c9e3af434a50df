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
import { ApiExtraModels, ApiProperty, ApiResponse, ApiSchema } from '@nestjs/swagger';
import { ANY_ROLE, ApiIdempotencyKey, ApiJsonResponse, ApiProblems, ApiV1Controller, ApiV1Operation, HEADERS, invalidRequest, notFound, POST_PROBLEMS, PROBLEMS, READERS, type ProblemSpec } from '../openapi/api-docs.js';
import {
  CHECKPOINT_NOTE,
  CONSISTENCY_EXAMPLE,
  COSIGNATURE_EXAMPLE,
  ConsistencyProofView,
  CosignatureAcceptedView,
  EVENT_PROOF_EXAMPLE,
  EventProofView,
  RECORDED_VERIFICATION_EXAMPLE,
  RecordedVerificationView,
  TreeHeadView,
  VERIFICATION_EXAMPLE,
  VerificationReportView,
} from './audit-views.js';

const NO_CHECKPOINT: ProblemSpec = { status: 404, description: 'No checkpoint is signed yet, or the log has no signing key', examples: { noCheckpoint: { code: 'no_checkpoint', detail: 'No checkpoint has been signed yet' } } };
const BAD_RANGE = invalidRequest('to', "to must be at most the latest checkpoint's size, 2088");

const MAX_SIZE = Number.MAX_SAFE_INTEGER;
/** docs/audit-format.md §9: a full audit pages through the log 10,000 entries at a time. */
const MAX_ENTRIES_PER_REQUEST = 10_000;

class TreeRange {
  @ApiProperty({ type: 'integer', minimum: 0, description: 'The first tree size or leaf index' })
  @Type(() => Number) @IsInt({ message: 'from must be a whole number' }) @Min(0, { message: 'from must be 0 or more' }) @Max(MAX_SIZE)
  from!: number;

  @ApiProperty({ type: 'integer', minimum: 0, description: "The second tree size, or the leaf index after the last; at most the latest checkpoint's size" })
  @Type(() => Number) @IsInt({ message: 'to must be a whole number' }) @Min(0, { message: 'to must be 0 or more' }) @Max(MAX_SIZE)
  to!: number;
}

@ApiSchema({ name: 'CosignatureSubmission', description: "A witness's cosignature of a checkpoint it verified" })
class CosignatureSubmission {
  @ApiProperty({ type: 'string', maxLength: 16_384, description: 'The signed checkpoint note, as served by GET /v1/audit/checkpoint', example: CHECKPOINT_NOTE })
  @IsString({ message: 'checkpoint must be the signed checkpoint note' }) @MaxLength(16_384)
  checkpoint!: string;

  @ApiProperty({ type: 'string', maxLength: 1024, description: 'The witness\'s signature line, "— <name> <base64>"', example: '— witness.example/w1 gE3mKZ0Vq2jB9xYv1u5pTqQ2rT6s8wZk3m1n0b9c7x4y2a6d8f0h2j4l6n8p0r2t4v6x8z0b2d4f6h8j0l2n4p6r8t0==' })
  @IsString({ message: 'cosignature must be the witness\'s signature line "— <name> <base64>"' }) @MaxLength(1024)
  cosignature!: string;
}

/** Header set on checkpoints and proofs served while the database no longer matches the last signed checkpoint. */
export const MISMATCH_HEADER = 'X-Audit-Log-Mismatch';

@Controller('v1/audit')
@UseGuards(ApiAuthGuard)
@AllowRoles('auditor', 'operator', 'admin')
@ApiV1Controller('audit')
@ApiExtraModels(TreeHeadView)
@ApiProblems(PROBLEMS.unauthenticated, PROBLEMS.forbidden, PROBLEMS.databaseUnavailable)
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
  @ApiV1Operation({ id: 'verifyLog', summary: 'Verify the whole log now', roles: READERS, description: 'Seals what is pending, rebuilds the tree from the rows and checks every hash and checkpoint; the run is recorded.' })
  @ApiJsonResponse(200, VerificationReportView, { description: 'The report (ok false names the first problem)', example: VERIFICATION_EXAMPLE })
  async verify(@Req() request: AuthenticatedRequest): Promise<ReturnType<typeof verificationView>> {
    await this.sealer.sealPending();
    const report = await this.verifier.verify();
    await this.verifications.record(report, request.principal.name);
    if (report.ok) this.metrics.markLogVerified(new Date(report.verifiedAt));
    return verificationView(report);
  }

  @Get('verifications/latest')
  @ApiV1Operation({ id: 'getLatestVerification', summary: 'The latest recorded verification', roles: READERS })
  @ApiJsonResponse(200, RecordedVerificationView, { description: 'The latest run', example: RECORDED_VERIFICATION_EXAMPLE })
  @ApiProblems(notFound('The log has not been verified yet'))
  async latest(): Promise<ReturnType<typeof verificationView>> {
    const latest = await this.verifications.latest();
    if (!latest) throw new GatewayError('not_found', 404, 'The log has not been verified yet');
    return verificationView(latest);
  }

  /** The latest signed checkpoint as a C2SP signed note, with witness cosignatures as further lines. */
  @Get('checkpoint')
  @ApiV1Operation({ id: 'getCheckpoint', summary: 'The latest signed checkpoint', roles: READERS, description: 'A C2SP signed note, with witness cosignatures as further lines (docs/audit-format.md).' })
  @ApiResponse({
    status: 200,
    description: 'The signed note',
    headers: { 'X-Request-Id': HEADERS.requestId, 'X-Audit-Log-Mismatch': HEADERS.auditLogMismatch },
    content: { 'text/plain': { schema: { type: 'string' }, example: CHECKPOINT_NOTE } },
  })
  @ApiProblems(NO_CHECKPOINT)
  async checkpoint(@Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    const served = await this.proofs.checkpoint();
    reply.header('Content-Type', 'text/plain; charset=utf-8');
    if (served.mismatch) reply.header(MISMATCH_HEADER, served.mismatch);
    return served.note;
  }

  @Get('consistency')
  @ApiV1Operation({ id: 'getConsistencyProof', summary: 'A consistency proof between two tree sizes', roles: READERS })
  @ApiJsonResponse(200, ConsistencyProofView, { description: 'The proof (RFC 9162 §2.1.4)', example: CONSISTENCY_EXAMPLE })
  @ApiProblems(BAD_RANGE, NO_CHECKPOINT)
  consistency(@Query(strictValidation) range: TreeRange) {
    return this.proofs.consistency(range.from, range.to);
  }

  /** Leaves [from, to) as NDJSON, streamed with backpressure: memory stays flat however wide the range. */
  @Get('entries')
  @ApiV1Operation({ id: 'listLogEntries', summary: 'Log entries [from, to) as NDJSON', roles: READERS, description: 'At most 10,000 per request, streamed: each line is a leaf index, its kind and record.' })
  @ApiResponse({
    status: 200,
    description: 'One entry per line',
    headers: { 'X-Request-Id': HEADERS.requestId },
    content: { 'application/x-ndjson': { schema: { type: 'string' }, example: '{"index":0,"kind":"event","record":{"kind":"event"}}\n' } },
  })
  @ApiProblems(BAD_RANGE, NO_CHECKPOINT)
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
  @ApiV1Operation({ id: 'addCosignature', summary: "Submit a witness's cosignature", roles: READERS, description: 'Checked against AUDIT_WITNESSES before it is kept; it adds to an existing checkpoint.' })
  @ApiIdempotencyKey()
  @ApiJsonResponse(200, CosignatureAcceptedView, { description: 'Kept (or already kept)', example: COSIGNATURE_EXAMPLE, headers: { 'Idempotent-Replayed': HEADERS.idempotentReplayed } })
  @ApiProblems(
    { status: 400, description: 'Not a cosignature by a configured witness', examples: { invalidCosignature: { code: 'invalid_cosignature', detail: 'The cosignature is not by a witness in AUDIT_WITNESSES' } } },
    notFound('This log never signed that checkpoint'),
    { status: 409, description: 'No witness is configured', examples: { noWitnesses: { code: 'no_witnesses', detail: 'No witness is configured (AUDIT_WITNESSES)' } } },
    invalidRequest('cosignature', 'cosignature must be the witness\'s signature line "— <name> <base64>"'),
    ...POST_PROBLEMS,
  )
  addCosignature(@Req() request: AuthenticatedRequest, @Body(strictValidation) body: CosignatureSubmission) {
    return this.proofs.addCosignature(body.checkpoint, body.cosignature, request.principal.name);
  }
}

/** Partners fetch proofs of their own events, with the same 404 as /v1/events/:id; readers of everything, of any. */
@Controller('v1/events')
@UseGuards(ApiAuthGuard)
@ApiV1Controller('audit')
export class EventProofController {
  constructor(private readonly proofs: LogProofs) {}

  @Get(':id/proof')
  @ApiV1Operation({ id: 'getEventProof', summary: "Proof that an event is in the log", roles: ANY_ROLE, description: "Redeems a receipt: every leaf of the event with its inclusion proof to the served checkpoint." })
  @ApiJsonResponse(200, EventProofView, { description: 'The proof', example: EVENT_PROOF_EXAMPLE, headers: { 'X-Audit-Log-Mismatch': HEADERS.auditLogMismatch } })
  @ApiProblems(
    notFound('No such event'),
    NO_CHECKPOINT,
    { status: 409, description: 'Not covered by a signed checkpoint yet', examples: { notYetCheckpointed: { code: 'not_yet_checkpointed', detail: 'The event is not covered by a signed checkpoint yet: retry after the next one' } } },
    PROBLEMS.unauthenticated,
    PROBLEMS.databaseUnavailable,
  )
  async proof(@Req() request: AuthenticatedRequest, @Param('id') id: string, @Res({ passthrough: true }) reply: FastifyReply) {
    const principal = request.principal;
    const proof = await this.proofs.eventProof(id, canReadEverything(principal) ? undefined : principal.partnerId);
    if (proof.mismatch) reply.header(MISMATCH_HEADER, proof.mismatch);
    return proof;
  }
}
