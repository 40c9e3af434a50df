import { Module } from '@nestjs/common';
import { AccessModule } from '../access/access.module.js';
import { ReplayRepository } from './replay.repository.js';
import { ReplaysController } from './replays.controller.js';
import { RequestReplayHandler } from './request-replay.handler.js';

@Module({
  imports: [AccessModule],
  controllers: [ReplaysController],
  providers: [ReplayRepository, RequestReplayHandler],
  exports: [ReplayRepository],
})
export class ReplayModule {}
