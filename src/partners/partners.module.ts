import { Module } from '@nestjs/common';
import { ApiAuthGuard } from './api-auth.guard.js';
import { PartnerAuthGuard } from './partner-auth.guard.js';
import { PartnersController } from './partners.controller.js';
import { PartnersRepository } from './partners.repository.js';
import { WhoAmIController } from './whoami.controller.js';

@Module({
  controllers: [PartnersController, WhoAmIController],
  providers: [PartnersRepository, PartnerAuthGuard, ApiAuthGuard],
  exports: [PartnersRepository, PartnerAuthGuard, ApiAuthGuard],
})
export class PartnersModule {}
