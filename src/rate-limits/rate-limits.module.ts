import { Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { AccessModule } from '../access/access.module.js';
import { DispatchModule } from '../dispatch/dispatch.module.js';
import { RejectionsModule } from '../rejections/rejections.module.js';
import { IngressLimitInterceptor } from './ingress-limit.interceptor.js';
import { PartnerLimiter } from './partner-limiter.js';
import { RefusalTally } from './refusal-tally.js';
import { TokenBucketRepository } from './token-bucket.repository.js';

@Module({
  imports: [AccessModule, DispatchModule, RejectionsModule],
  providers: [TokenBucketRepository, PartnerLimiter, RefusalTally, { provide: APP_INTERCEPTOR, useClass: IngressLimitInterceptor }],
})
export class RateLimitsModule {}
