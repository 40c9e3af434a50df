import { Module } from '@nestjs/common';
import { AccessModule } from '../access/access.module.js';
import { ReplayRepository } from './replay.repository.js';
import { ReplaysController } from './replays.controller.js';
import { RequestReplayHandler } from './request-replay.handler.js';

export const CommandHandlers = [RequestReplayHandler];

@Module({
  imports: [AccessModule],
  controllers: [ReplaysController],
  providers: [ReplayRepository, ...CommandHandlers],
  exports: [ReplayRepository],
})
export class ReplayModule {}
