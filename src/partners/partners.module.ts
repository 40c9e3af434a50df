import { Module } from '@nestjs/common';
import { ApiAuthGuard } from './api-auth.guard.js';
import { PartnerAuthGuard } from './partner-auth.guard.js';
import { PartnersController } from './partners.controller.js';
import { PartnersRepository } from './partners.repository.js';

@Module({
  controllers: [PartnersController],
  providers: [PartnersRepository, PartnerAuthGuard, ApiAuthGuard],
  exports: [PartnersRepository, PartnerAuthGuard, ApiAuthGuard],
})
export class PartnersModule {}
