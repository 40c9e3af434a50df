import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { unauthenticated } from '../common/gateway.error.js';
import type { Principal } from './principal.js';
import { KeyAuthenticator } from './key-authenticator.js';

export type AuthenticatedRequest = Request & { principal: Principal };

/**
 * Reads the gateway key from `X-CleverTap-Passcode` (so a partner's CleverTap client works unchanged)
 * or from `Authorization: Bearer`. The real CleverTap passcode is never accepted from partners.
 */
export function presentedKey(request: Request): string | undefined {
  const bearer = /^Bearer\s+(\S+)$/i.exec(request.header('authorization') ?? '')?.[1];
  return bearer ?? (request.header('x-clevertap-passcode') || undefined);
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
