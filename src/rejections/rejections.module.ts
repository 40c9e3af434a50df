import { Module } from '@nestjs/common';
import { AccessModule } from '../access/access.module.js';
import { RejectionLog } from './rejection-log.js';
import { RejectionsController } from './rejections.controller.js';

/** The append-only log of refused requests, and its read route. */
@Module({
  imports: [AccessModule],
  controllers: [RejectionsController],
  providers: [RejectionLog],
  exports: [RejectionLog],
})
export class RejectionsModule {}
