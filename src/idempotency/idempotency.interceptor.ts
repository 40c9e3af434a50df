import { type CallHandler, type ExecutionContext, Inject, Injectable, Logger, type NestInterceptor, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import canonicalize from 'canonicalize';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { createHash } from 'node:crypto';
import { catchError, from, mergeMap, type Observable, of, throwError } from 'rxjs';
import type { Principal } from '../access/principal.js';
import { pathOf } from '../common/error-response.js';
import { GatewayError } from '../common/gateway.error.js';
import { parseIdempotencyKey } from '../common/header-tokens.js';
import { secretScrubber } from '../common/secret-scrubber.js';
import { GATEWAY_CONFIG } from '../config/config.module.js';
import type { GatewayConfig } from '../config/gateway-config.js';
import { REPLAYED_HEADER } from '../ingest/trigger-reply.js';
import { IdempotencyRepository, type IdempotencyScope } from './idempotency.repository.js';

const SHOWN_ONCE = 'bulletin-gateway:shown-once';

/**
 * Fields of a route's answer that are shown once and never stored (a newly created key): a replayed
 * answer leaves them out.
 */
export const ShownOnce = (...fields: string[]) => SetMetadata(SHOWN_ONCE, fields);


/**
 * `Idempotency-Key` on every POST under /v1 (draft-ietf-httpapi-idempotency-key-header), per caller and
 * route: the first answer is kept for 24 hours and given again to a request with the same key and body,
 * with `Idempotent-Replayed: true`, without doing anything twice. Runs after the guards (the caller is
 * known) and before validation (a refused request releases its key). See docs/api-conventions.md.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  private readonly logger = new Logger('Idempotency');
  private readonly scrub: (text: string) => string;

  constructor(
    private readonly store: IdempotencyRepository,
    private readonly reflector: Reflector,
    @Inject(GATEWAY_CONFIG) config: GatewayConfig,
  ) {
    this.scrub = secretScrubber(config);
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<FastifyRequest & { principal?: Principal }>();
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    const path = pathOf(request);
    if (request.method !== 'POST' || !path.startsWith('/v1/') || !request.principal) return next.handle();
    const header = request.headers['idempotency-key'];
    const key = parseIdempotencyKey(Array.isArray(header) ? header[0] : header, this.scrub);
    if (key === undefined) return next.handle();
    const scope: IdempotencyScope = { principal: request.principal.partnerId, route: `POST ${path}`, key };
    const fingerprint = createHash('sha256').update(canonicalize(request.body ?? null) ?? '').digest('hex');
    const shownOnce = this.reflector.get<string[] | undefined>(SHOWN_ONCE, context.getHandler()) ?? [];

    return from(this.store.claim(scope, fingerprint)).pipe(
      mergeMap((claim) => {
        switch (claim.kind) {
          case 'reused':
            throw new GatewayError('idempotency_key_reused', 422, 'This Idempotency-Key was already used on this route with a different request body; use a new key for a new request');
          case 'in_progress':
            throw new GatewayError('idempotency_key_in_progress', 409, 'A request with this Idempotency-Key is still being processed; retry shortly to get its answer');
          case 'answered':
            reply.code(claim.answer.status).header(REPLAYED_HEADER, 'true');
            if (claim.answer.location) reply.header('Location', claim.answer.location);
            return of(claim.answer.body);
          case 'claimed':
            return next.handle().pipe(
              catchError((error) =>
                from(this.store.release(scope, claim.claimId).catch(() => undefined)).pipe(mergeMap(() => throwError(() => error))),
              ),
              mergeMap(async (body) => {
                const location = reply.getHeader('location');
                // The request was done: its answer goes out even if it cannot be kept (a retry then waits
                // for the claim to be taken over, see ABANDONED_CLAIM_MS).
                await this.store
                  .complete(scope, claim.claimId, {
                    status: reply.statusCode,
                    location: typeof location === 'string' ? location : null,
                    body: storable(body, shownOnce, this.scrub),
                  })
                  .catch((error: Error) => this.logger.error(`could not keep the answer for an Idempotency-Key (request ${request.id}): ${this.scrub(error.message)}`));
                return body;
              }),
            );
        }
      }),
    );
  }
}

/**
 * The answer as it may be stored: without the fields shown once, and not at all (null) if it would
 * still hold something that looks like a gateway key.
 */
function storable(body: unknown, shownOnce: string[], scrub: (text: string) => string): unknown {
  const kept = body !== null && typeof body === 'object' && !Array.isArray(body) && shownOnce.length > 0
    ? Object.fromEntries(Object.entries(body).filter(([field]) => !shownOnce.includes(field)))
    : body;
  const text = JSON.stringify(kept ?? null);
  return scrub(text) === text ? kept : null;
}
