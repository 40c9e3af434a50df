import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import pg from 'pg';
import { GATEWAY_CONFIG } from '../config/config.module.js';
import type { GatewayConfig } from '../config/gateway-config.js';
import { DATABASE_URL } from '../database/database.tokens.js';

/**
 * CleverTap's "3 requests in flight per account", held across every gateway process: each in-flight
 * request holds one of N session-level advisory locks `(hashtext(account), slot)`. They live on one
 * dedicated connection per process, so a process that dies releases its slots with its connection.
 */
@Injectable()
export class AccountSlots implements OnApplicationShutdown {
  private readonly logger = new Logger(AccountSlots.name);
  private readonly slotsPerAccount: number;
  /** Advisory locks are re-entrant within a session, so this process must track which slots it holds. */
  private readonly held = new Set<string>();
  private connection?: Promise<pg.Client>;
  /** One query at a time on the slot connection (pg queues them, but that use is deprecated). */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    @Inject(DATABASE_URL) private readonly databaseUrl: string,
    @Inject(GATEWAY_CONFIG) config: GatewayConfig,
  ) {
    this.slotsPerAccount = config.dispatch.concurrencyPerAccount;
  }

  /** Takes a free slot of the account, or returns undefined when all are taken (here or elsewhere). */
  tryAcquire(accountId: string): Promise<number | undefined> {
    return this.serially(async () => {
      const candidates = [];
      for (let slot = 0; slot < this.slotsPerAccount; slot++) if (!this.held.has(slotKey(accountId, slot))) candidates.push(slot);
      if (candidates.length === 0) return undefined;
      const client = await this.client();
      // One round trip: LIMIT stops the scan at the first lock taken, so no other slot is locked.
      const { rows } = await client.query<{ slot: number }>(
        'SELECT slot FROM unnest($2::int[]) WITH ORDINALITY AS c(slot, n) WHERE pg_try_advisory_lock(hashtext($1), slot) LIMIT 1',
        [accountId, candidates],
      );
      if (rows.length === 0) return undefined;
      this.held.add(slotKey(accountId, rows[0].slot));
      return rows[0].slot;
    });
  }

  release(accountId: string, slot: number): Promise<void> {
    return this.serially(async () => {
      if (!this.held.delete(slotKey(accountId, slot))) return;
      const client = await this.client();
      await client.query('SELECT pg_advisory_unlock(hashtext($1), $2)', [accountId, slot]);
    }).catch(() => undefined);
  }

  private serially<T>(work: () => Promise<T>): Promise<T> {
    const result = this.queue.then(work, work);
    this.queue = result.catch(() => undefined);
    return result;
  }

  private client(): Promise<pg.Client> {
    this.connection ??= this.connect();
    return this.connection;
  }

  private async connect(): Promise<pg.Client> {
    const client = new pg.Client({ connectionString: this.databaseUrl, application_name: 'bulletin-gateway-slots' });
    const forget = (reason: string) => {
      if (!this.connection) return;
      // The locks went with the connection; slots held now may be taken by another process.
      this.logger.warn(`slot connection lost (${reason}); slots will be re-acquired`);
      this.connection = undefined;
      this.held.clear();
    };
    client.on('error', (error) => forget(error.message));
    client.on('end', () => forget('connection ended'));
    try {
      await client.connect();
      return client;
    } catch (error) {
      this.connection = undefined;
      await client.end().catch(() => undefined);
      throw error;
    }
  }

  async onApplicationShutdown(): Promise<void> {
    const connection = this.connection;
    this.connection = undefined;
    const client = await connection?.catch(() => undefined);
    await client?.end().catch(() => undefined);
  }
}

const slotKey = (accountId: string, slot: number) => `${accountId}\u0000${slot}`;
