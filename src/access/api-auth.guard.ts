import { type CanActivate, type ExecutionContext, Inject, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { GatewayError, unauthenticated } from '../common/gateway.error.js';
import { GATEWAY_CONFIG } from '../config/config.module.js';
import type { GatewayConfig } from '../config/gateway-config.js';
import { type AuthenticatedRequest, presentedKey } from './partner-auth.guard.js';
import { sameSecret } from './partner-keys.js';
import { KeyAuthenticator } from './key-authenticator.js';
import type { Principal, Role } from './principal.js';

const ROLES_KEY = 'bulletin-gateway:roles';

/** The roles allowed on a /v1 route. */
export const AllowRoles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

/** What each role may do beyond its own events: auditors read everything, operators replay, admins manage. */
export const READERS_OF_EVERYTHING: readonly Role[] = ['auditor', 'operator', 'admin'];

export const canReadEverything = (principal: Principal) => READERS_OF_EVERYTHING.includes(principal.role);

const BOOTSTRAP_ADMIN: Principal = { partnerId: 'bootstrap-admin', name: 'bootstrap admin (GATEWAY_ADMIN_KEY)', role: 'admin', accounts: [] };

/**
 * Authenticates /v1 calls by `Authorization: Bearer <key>` and checks the route's roles. The bootstrap
 * GATEWAY_ADMIN_KEY is compared in constant time and acts as an admin, so the first real admin can be made.
 */
@Injectable()
export class ApiAuthGuard implements CanActivate {
  constructor(
    private readonly keys: KeyAuthenticator,
    private readonly reflector: Reflector,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const principal = await this.authenticate(presentedKey(request));
    if (!principal) throw unauthenticated();
    request.principal = principal;
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, [context.getHandler(), context.getClass()]);
    if (roles && !roles.includes(principal.role))
      throw new GatewayError('forbidden', 403, `This action needs one of the roles: ${roles.join(', ')}`);
    return true;
  }

  private async authenticate(key: string | undefined): Promise<Principal | undefined> {
    if (!key) return undefined;
    if (this.config.adminKey && sameSecret(key, this.config.adminKey)) return BOOTSTRAP_ADMIN;
    return this.keys.authenticate(key);
  }
}
