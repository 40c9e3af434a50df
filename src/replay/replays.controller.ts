import { Body, Controller, Get, HttpCode, Param, Post, Req, Res, UseGuards } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { FastifyReply } from 'fastify';
import { GatewayError } from '../common/gateway.error.js';
import { strictValidation } from '../common/query-validation.pipe.js';
import { AllowRoles, ApiAuthGuard } from '../access/api-auth.guard.js';
import type { AuthenticatedRequest } from '../access/partner-auth.guard.js';
import { ReplayRequestDto } from './replay-request.dto.js';
import { ReplayRepository } from './replay.repository.js';
import { ApiIdempotencyKey, ApiJsonResponse, ApiProblems, ApiV1Controller, ApiV1Operation, HEADERS, invalidRequest, notFound, POST_PROBLEMS, PROBLEMS, READERS } from '../openapi/api-docs.js';
import { REPLAY_PREVIEW_EXAMPLE, REPLAY_PROGRESS_EXAMPLE, REPLAY_STARTED_EXAMPLE, ReplayPreviewView, ReplayProgressView, ReplayStartedView } from './replay-views.js';
import { RequestReplayCommand, type ReplayResult } from './request-replay.command.js';

@Controller('v1/replays')
@ApiV1Controller('replay')
@UseGuards(ApiAuthGuard)
export class ReplaysController {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly replays: ReplayRepository,
  ) {}

  /** 202 + Location of its progress when events are re-queued; a dry run creates nothing and answers 200. */
  @Post()
  @HttpCode(200)
  @AllowRoles('operator', 'admin')
  @ApiV1Operation({ id: 'requestReplay', summary: 'Replay events (dry run first)', roles: ['operator', 'admin'], description: 'Puts the events matching the filters back in the queue, never sending one twice by accident: uncertain events need `include_uncertain`, sent ones `force` (admin). With `dry_run` it only says what would happen. See docs/replay.md.' })
  @ApiIdempotencyKey()
  @ApiJsonResponse(200, ReplayPreviewView, { description: 'The dry run: nothing was queued', example: REPLAY_PREVIEW_EXAMPLE })
  @ApiJsonResponse(202, ReplayStartedView, { description: 'The replay is recorded and its events queued', example: REPLAY_STARTED_EXAMPLE, headers: { Location: HEADERS.location, 'Idempotent-Replayed': HEADERS.idempotentReplayed } })
  @ApiProblems(
    invalidRequest('reason', 'reason is required: say why these events are being replayed'),
    ...POST_PROBLEMS,
    {
      status: 409,
      description: 'Every event the replay would send had its payload erased: nothing was queued or recorded',
      examples: { payloadErased: { code: 'payload_erased', detail: 'The 3 event(s) this replay would send had their payloads erased: nothing is left to send, nothing was queued' } },
    },
    PROBLEMS.unauthenticated, PROBLEMS.forbidden,
    PROBLEMS.databaseUnavailable,
  )
  async request(@Req() request: AuthenticatedRequest, @Body(strictValidation) body: ReplayRequestDto, @Res({ passthrough: true }) reply: FastifyReply) {
    const result: ReplayResult = await this.commandBus.execute(new RequestReplayCommand(request.principal, body));
    if (!result.dry_run) reply.code(202).header('Location', result.status_url);
    return result;
  }

  @Get(':id')
  @AllowRoles('auditor', 'operator', 'admin')
  @ApiV1Operation({ id: 'getReplay', summary: "A replay's progress", roles: READERS })
  @ApiJsonResponse(200, ReplayProgressView, { description: 'The replay and how far its events have got', example: REPLAY_PROGRESS_EXAMPLE })
  @ApiProblems(notFound('No such replay'), PROBLEMS.unauthenticated, PROBLEMS.forbidden, PROBLEMS.databaseUnavailable)
  async progress(@Param('id') id: string) {
    const progress = await this.replays.progress(id);
    if (!progress) throw new GatewayError('not_found', 404, 'No such replay');
    return progress;
  }
}
