import { Body, Controller, Param, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { IsString, Matches, MaxLength } from 'class-validator';
import type { FastifyReply } from 'fastify';
import { AllowRoles, ApiAuthGuard } from '../access/api-auth.guard.js';
import type { AuthenticatedRequest } from '../access/partner-auth.guard.js';
import { strictValidation } from '../common/query-validation.pipe.js';
import { ApiIdempotencyKey, ApiJsonResponse, ApiProblems, ApiV1Controller, ApiV1Operation, HEADERS, invalidRequest, notFound, POST_PROBLEMS, PROBLEMS } from '../openapi/api-docs.js';
import { PAYLOAD_ERASURE_EXAMPLE, PayloadErasureView } from './erasure-views.js';
import { MAX_REASON_LENGTH, PayloadEraser } from './payload-eraser.js';

@ApiSchema({ name: 'ErasureRequest', description: "Why an event's payload is erased" })
class ErasureBody {
  /** Kept in the log with the erasure, for good: say why, without personal data. */
  @ApiProperty({
    type: 'string',
    minLength: 1,
    maxLength: MAX_REASON_LENGTH,
    pattern: '\\S',
    description: 'Why (a request or ticket number, not the person): kept in the log for good, so no personal data and no secret',
    example: 'data-subject request DSR-2026-0042',
  })
  @IsString({ message: 'reason is required: say why this payload is erased' })
  @Matches(/\S/, { message: 'reason is required: say why this payload is erased' })
  @MaxLength(MAX_REASON_LENGTH)
  reason: string;
}

@Controller('v1/events')
@ApiV1Controller('audit')
@UseGuards(ApiAuthGuard)
export class ErasureController {
  constructor(private readonly eraser: PayloadEraser) {}

  /** Erases an event's payload (right to erasure); the erasure is a log entry. 201, Location: the event. */
  @Post(':id/erasure')
  @AllowRoles('admin')
  @ApiV1Operation({
    id: 'erasePayload',
    summary: "Erase an event's payload (right to erasure)",
    roles: ['admin'],
    description:
      'Appends an `erasure` entry to the log and sets the payload to null, for good. Every record, proof and receipt stays valid: ' +
      'the event commits to its payload by `payload_sha256` only. Only once delivery has ended (not while queued or retrying). See docs/audit.md.',
  })
  @ApiIdempotencyKey()
  @ApiJsonResponse(201, PayloadErasureView, {
    description: 'Erased; Location is the event, which now shows `payload: null` and `payload_erasure`',
    example: PAYLOAD_ERASURE_EXAMPLE,
    headers: { Location: HEADERS.location, 'Idempotent-Replayed': HEADERS.idempotentReplayed },
  })
  @ApiProblems(
    invalidRequest('reason', 'reason is required: say why this payload is erased'),
    {
      status: 400,
      description: 'The reason holds a gateway key or passcode',
      examples: { secretInRequest: { code: 'secret_in_request', detail: 'The erasure reason holds a gateway key or passcode: nothing was stored (rotate that key)' } },
    },
    ...POST_PROBLEMS,
    notFound('No such event'),
    {
      status: 409,
      description: 'Already erased, or the event is still queued or retrying',
      examples: {
        alreadyErased: { code: 'already_erased', detail: "The event's payload was already erased" },
        eventPending: { code: 'event_pending', detail: 'The event is still queued: erase it once delivery has ended (sent, failed, exhausted or uncertain)' },
      },
    },
    PROBLEMS.unauthenticated,
    { ...PROBLEMS.forbidden, examples: { forbidden: { code: 'forbidden', detail: 'This action needs one of the roles: admin' } } },
    PROBLEMS.databaseUnavailable,
  )
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
