import { Module } from '@nestjs/common';
import { ApiAuthGuard } from './api-auth.guard.js';
import { KeyAuthenticator } from './key-authenticator.js';
import { PartnerAuthGuard } from './partner-auth.guard.js';
import { PartnersController } from './partners.controller.js';
import { PartnersRepository } from './partners.repository.js';
import { WhoAmIController } from './whoami.controller.js';

@Module({
  controllers: [PartnersController, WhoAmIController],
  providers: [PartnersRepository, KeyAuthenticator, PartnerAuthGuard, ApiAuthGuard],
  exports: [PartnersRepository, KeyAuthenticator, PartnerAuthGuard, ApiAuthGuard],
})
export class AccessModule {}
