import { Body, Controller, Param, Post, Req, Res, UseGuards } from '@nestjs/common';
import { IsString, Matches, MaxLength } from 'class-validator';
import type { FastifyReply } from 'fastify';
import { AllowRoles, ApiAuthGuard } from '../access/api-auth.guard.js';
import type { AuthenticatedRequest } from '../access/partner-auth.guard.js';
import { strictValidation } from '../common/query-validation.pipe.js';
import { MAX_REASON_LENGTH, PayloadEraser } from './payload-eraser.js';

class ErasureBody {
  /** Kept in the log with the erasure, for good: say why, without personal data. */
  @IsString({ message: 'reason is required: say why this payload is erased' })
  @Matches(/\S/, { message: 'reason is required: say why this payload is erased' })
  @MaxLength(MAX_REASON_LENGTH)
  reason: string;
}

@Controller('v1/events')
@UseGuards(ApiAuthGuard)
export class ErasureController {
  constructor(private readonly eraser: PayloadEraser) {}

  /** Erases an event's payload (right to erasure); the erasure is a log entry. 201, Location: the event. */
  @Post(':id/erasure')
  @AllowRoles('admin')
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
