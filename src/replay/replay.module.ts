import { Module } from '@nestjs/common';
import { PartnersModule } from '../partners/partners.module.js';
import { ReplayRepository } from './replay.repository.js';
import { ReplaysController } from './replays.controller.js';
import { RequestReplayHandler } from './request-replay.handler.js';

@Module({
  imports: [PartnersModule],
  controllers: [ReplaysController],
  providers: [ReplayRepository, RequestReplayHandler],
  exports: [ReplayRepository],
})
export class ReplayModule {}
