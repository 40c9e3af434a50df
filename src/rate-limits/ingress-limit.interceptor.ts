import { type CallHandler, type ExecutionContext, Inject, Injectable, type NestInterceptor } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Observable } from 'rxjs';
import type { Principal } from '../access/principal.js';
import { isIngestPath, pathOf } from '../common/error-response.js';
import { GatewayError } from '../common/gateway.error.js';
import { isSafeHeaderToken } from '../common/header-tokens.js';
import { secretScrubber } from '../common/secret-scrubber.js';
import { GATEWAY_CONFIG } from '../config/config.module.js';
import type { GatewayConfig } from '../config/gateway-config.js';
import { GatewayMetrics } from '../metrics/gateway-metrics.js';
import { PartnerLimiter, type Refusal } from './partner-limiter.js';
import { RefusalTally } from './refusal-tally.js';

const MESSAGES: Record<Refusal, string> = {
  rate_limited: 'Too many requests: this partner is over its rate limit',
  backlog_quota_exceeded: 'Too many events waiting: this partner is over its quota of queued events',
};

/**
 * Applies the partner's ingress limits to the ingest route, after authentication (guards run before
 * interceptors) and before anything is stored. A refusal is a 429 in CleverTap's shape with Retry-After
 * and the RateLimit header fields; an admitted request carries RateLimit too.
 */
@Injectable()
export class IngressLimitInterceptor implements NestInterceptor {
  private readonly scrub: (text: string) => string;

  constructor(
    private readonly limiter: PartnerLimiter,
    private readonly tally: RefusalTally,
    private readonly metrics: GatewayMetrics,
    @Inject(GATEWAY_CONFIG) config: GatewayConfig,
  ) {
    this.scrub = secretScrubber(config);
  }

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const request = context.switchToHttp().getRequest<FastifyRequest & { principal?: Principal }>();
    const principal = request.principal;
    if (principal?.role !== 'partner' || !isIngestPath(pathOf(request))) return next.handle();
    const verdict = await this.limiter.admit(principal.partnerId);
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    reply.headers(verdict.headers);
    if (!verdict.refusal) return next.handle();
    reply.header('Retry-After', String(verdict.retryAfterSeconds));
    // The header goes into the rejection log: only a value that cannot be a key pasted in the wrong place.
    const header = request.headers['x-clevertap-account-id'];
    const accountId = typeof header === 'string' && isSafeHeaderToken(header, this.scrub) ? header : undefined;
    this.tally.count(principal.partnerId, accountId, verdict.refusal, request.id);
    this.metrics.partnerRefused(principal.partnerId, verdict.refusal);
    throw new GatewayError(verdict.refusal, 429, `${MESSAGES[verdict.refusal]}; retry after ${verdict.retryAfterSeconds} s`);
  }
}
