import { Module } from '@nestjs/common';
import { PartnerAuthGuard } from './partner-auth.guard.js';
import { PartnersRepository } from './partners.repository.js';

@Module({ providers: [PartnersRepository, PartnerAuthGuard], exports: [PartnersRepository, PartnerAuthGuard] })
export class PartnersModule {}
