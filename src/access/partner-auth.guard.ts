import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { unauthenticated } from '../common/gateway.error.js';
import type { Principal } from './principal.js';
import { KeyAuthenticator } from './key-authenticator.js';

export type AuthenticatedRequest = FastifyRequest & { principal: Principal };

/** One request header as a string (the first, if the client sent it twice). */
export function headerOf(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Reads the gateway key from `X-CleverTap-Passcode` (so a partner's CleverTap client works unchanged)
 * or from `Authorization: Bearer`. The real CleverTap passcode is never accepted from partners.
 */
export function presentedKey(request: FastifyRequest): string | undefined {
  const bearer = /^Bearer\s+(\S+)$/i.exec(headerOf(request, 'authorization') ?? '')?.[1];
  return bearer ?? (headerOf(request, 'x-clevertap-passcode') || undefined);
}

@Injectable()
export class PartnerAuthGuard implements CanActivate {
  constructor(private readonly keys: KeyAuthenticator) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const key = presentedKey(request);
    const principal = key ? await this.keys.authenticate(key) : undefined;
    if (!principal) throw unauthenticated();
    request.principal = principal;
    return true;
  }
}
