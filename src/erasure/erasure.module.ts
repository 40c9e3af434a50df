import { Module } from '@nestjs/common';
import { AccessModule } from '../access/access.module.js';
import { ErasureController } from './erasure.controller.js';
import { PayloadEraser } from './payload-eraser.js';
import { PayloadErasuresRepository } from './payload-erasures.repository.js';

/** Right to erasure: a payload (or a rejection's excerpt) erased, and the erasure recorded in the log. */
@Module({
  imports: [AccessModule],
  controllers: [ErasureController],
  providers: [PayloadErasuresRepository, PayloadEraser],
  exports: [PayloadEraser],
})
export class ErasureModule {}
