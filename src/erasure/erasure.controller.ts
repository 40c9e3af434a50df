import { Body, Controller, Param, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiCreatedResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsString, Matches, MaxLength } from 'class-validator';
import type { FastifyReply } from 'fastify';
import { AllowRoles, ApiAuthGuard } from '../access/api-auth.guard.js';
import type { AuthenticatedRequest } from '../access/partner-auth.guard.js';
import { strictValidation } from '../common/query-validation.pipe.js';
import { MAX_REASON_LENGTH, PayloadEraser } from './payload-eraser.js';

class ErasureBody {
  /** Kept in the log with the erasure, for good: say why, without personal data. */
  @ApiProperty({ description: 'Why (a request or ticket number, not the person): kept in the log for good', maxLength: MAX_REASON_LENGTH, example: 'data-subject request DSR-2026-0042' })
  @IsString({ message: 'reason is required: say why this payload is erased' })
  @Matches(/\S/, { message: 'reason is required: say why this payload is erased' })
  @MaxLength(MAX_REASON_LENGTH)
  reason: string;
}

@ApiTags('audit')
@ApiBearerAuth('bearer')
@Controller('v1/events')
@UseGuards(ApiAuthGuard)
export class ErasureController {
  constructor(private readonly eraser: PayloadEraser) {}

  /** Erases an event's payload (right to erasure); the erasure is a log entry. 201, Location: the event. */
  @Post(':id/erasure')
  @AllowRoles('admin')
  @ApiOperation({
    summary: "Erase an event's payload (right to erasure; admin)",
    description:
      'Appends an `erasure` entry to the log and sets the payload to null, for good. Every record, proof and receipt stays valid: ' +
      'the event commits to its payload by `payload_sha256` only. See docs/audit.md.',
  })
  @ApiCreatedResponse({ description: '`{ "event_id", "erased_at", "reason", "erased_sha256", "requested_by" }`, `Location: /v1/events/{id}`' })
  @ApiConflictResponse({ description: '`already_erased`, or `event_pending` while the event is queued or retrying' })
  async erase(@Req() request: AuthenticatedRequest, @Param('id') id: string, @Body(strictValidation) body: ErasureBody, @Res({ passthrough: true }) reply: FastifyReply) {
    const erasure = await this.eraser.eraseEvent(id, { reason: body.reason, requestedBy: request.principal.partnerId });
    reply.header('Location', `/v1/events/${id}`);
    return {
      event_id: id,
      erased_at: erasure.erasedAt.toISOString(),
      reason: body.reason.trim(),
      erased_sha256: erasure.erasedSha256,
      requested_by: request.principal.partnerId,
    };
  }
}
