import { Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { DatabaseNotifications } from '../database/database-notifications.js';
import { hashKey } from './partner-keys.js';
import { KEYS_CHANGED_CHANNEL, PartnersRepository } from './partners.repository.js';
import type { Principal } from './principal.js';

/** Bounds staleness if a notification is lost (e.g. while the LISTEN connection reconnects). */
const CACHE_TTL_MS = 10_000;

/**
 * Resolves a presented key to its principal, remembering known keys briefly so ingest does not pay a
 * query per request. Any revocation or new key, in any process (API or CLI), sends a NOTIFY that
 * empties every process's cache; this process's own changes empty it at once. Unknown keys are never
 * cached, so a new key works immediately.
 */
@Injectable()
export class KeyAuthenticator implements OnModuleInit, OnModuleDestroy {
  private readonly cache = new Map<string, { principal: Principal; expiresAt: number }>();
  private unsubscribe?: () => void;

  constructor(
    private readonly partners: PartnersRepository,
    private readonly notifications: DatabaseNotifications,
  ) {}

  onModuleInit(): void {
    this.unsubscribe = this.notifications.on(KEYS_CHANGED_CHANNEL, () => this.forgetAll());
  }

  onModuleDestroy(): void {
    this.unsubscribe?.();
  }

  async authenticate(key: string): Promise<Principal | undefined> {
    const cacheKey = hashKey(key).toString('base64');
    const cached = this.cache.get(cacheKey);
    if (cached && cached.expiresAt > Date.now()) return cached.principal;
    const principal = await this.partners.findByKey(key);
    if (principal) this.cache.set(cacheKey, { principal, expiresAt: Date.now() + CACHE_TTL_MS });
    else this.cache.delete(cacheKey);
    return principal;
  }

  forgetAll(): void {
    this.cache.clear();
  }
}
