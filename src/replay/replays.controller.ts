import { Body, Controller, Get, HttpCode, Param, Post, Req, Res, UseGuards } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { FastifyReply } from 'fastify';
import { GatewayError } from '../common/gateway.error.js';
import { strictValidation } from '../common/query-validation.pipe.js';
import { AllowRoles, ApiAuthGuard } from '../access/api-auth.guard.js';
import type { AuthenticatedRequest } from '../access/partner-auth.guard.js';
import { ReplayRequestDto } from './replay-request.dto.js';
import { ReplayRepository } from './replay.repository.js';
import { RequestReplayCommand, type ReplayResult } from './request-replay.command.js';

@Controller('v1/replays')
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
  async request(@Req() request: AuthenticatedRequest, @Body(strictValidation) body: ReplayRequestDto, @Res({ passthrough: true }) reply: FastifyReply) {
    const result: ReplayResult = await this.commandBus.execute(new RequestReplayCommand(request.principal, body));
    if (!result.dry_run) reply.code(202).header('Location', result.status_url);
    return result;
  }

  @Get(':id')
  @AllowRoles('auditor', 'operator', 'admin')
  async progress(@Param('id') id: string) {
    const progress = await this.replays.progress(id);
    if (!progress) throw new GatewayError('not_found', 404, 'No such replay');
    return progress;
  }
}
