import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { GATEWAY_CONFIG } from '../config/config.module.js';
import type { GatewayConfig } from '../config/gateway-config.js';
import { DatabaseNotifications } from '../database/database-notifications.js';
import { GatewayMetrics } from '../metrics/gateway-metrics.js';
import { AccountCircuit } from './account-circuit.js';
import { AccountSlots } from './account-slots.js';
import { DeliveryAttempts } from './delivery-attempts.js';
import { type ClaimedEvent, DispatchQueue, QUEUED_CHANNEL } from './dispatch-queue.js';
import { ReservedEvents } from './reserved-events.js';
import { SlotLoop, type SlotLoopHost, type SlotLoopServices } from './slot-loop.js';

/**
 * Drains the queue of every configured account: the process-wide part. Each account gets up to N slot
 * loops in this process (see SlotLoop), each holding one of the account's N cluster-wide slots, so the
 * whole fleet never has more than N requests in flight to one CleverTap account. Wake-ups come from
 * this process, from LISTEN/NOTIFY and from a poll that also catches scheduled retries and expired leases.
 */
@Injectable()
export class Dispatcher implements OnApplicationBootstrap, BeforeApplicationShutdown, SlotLoopHost {
  private readonly logger = new Logger(Dispatcher.name);
  readonly reserved: ReservedEvents;
  private readonly loops = new Map<string, number>();
  private readonly running = new Set<Promise<void>>();
  private readonly accountIds: Set<string>;
  private readonly services: SlotLoopServices;
  private pollTimer?: NodeJS.Timeout;
  private polling = false;
  private unsubscribe?: () => void;
  stopping = false;

  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly queue: DispatchQueue,
    slots: AccountSlots,
    circuit: AccountCircuit,
    private readonly attempts: DeliveryAttempts,
    private readonly notifications: DatabaseNotifications,
    private readonly metrics: GatewayMetrics,
  ) {
    this.accountIds = new Set(config.accounts.map((account) => account.id));
    this.services = { queue, slots, circuit, attempts };
    const { concurrencyPerAccount, laneShares } = config.dispatch;
    // Per line, two events per slot: one about to go out, one for when its answer comes, then the next batch.
    this.reserved = new ReservedEvents({
      reserve: (accountId, limit) => queue.reserve(accountId, limit),
      release: (events) => queue.release(events),
      abandoned: (event) => this.recordAbandoned(event),
      batch: 2 * concurrencyPerAccount,
      lowWater: concurrencyPerAccount,
      shares: laneShares,
    });
  }

  onApplicationBootstrap(): void {
    this.unsubscribe = this.notifications.on(QUEUED_CHANNEL, (accountId) => this.wake(accountId));
    this.pollTimer = setInterval(() => this.wakeDue(), this.config.dispatch.pollIntervalMs);
    this.pollTimer.unref();
    this.wakeDue();
  }

  get owner(): string {
    return this.queue.owner;
  }

  get isRunning(): boolean {
    return !this.stopping && this.pollTimer !== undefined;
  }

  inFlight(accountId: string): number {
    return this.loops.get(accountId) ?? 0;
  }

  /**
   * Wakes the accounts with due work nobody holds (scheduled retries, expired leases, work another
   * process announced while this one was not listening), in one query however many accounts there are,
   * and those whose reserved events wait here (behind an open circuit, say). Accounts whose slots all
   * run in this process are left out of the query.
   */
  async wakeDue(): Promise<void> {
    if (this.polling || this.stopping) return;
    this.polling = true;
    try {
      // An account whose every slot runs here already takes its due work as the slots free: asking
      // about it would be a probe of its (busy, churning) queue for a wake-up that starts nothing.
      const { concurrencyPerAccount } = this.config.dispatch;
      const idle = [...this.accountIds].filter((accountId) => this.inFlight(accountId) < concurrencyPerAccount);
      const due = idle.length > 0 ? await this.queue.dueAccounts(idle) : [];
      for (const accountId of new Set([...due, ...this.reserved.heldAccounts()])) this.wake(accountId);
      this.metrics.dispatchPolled(true);
    } catch (error) {
      this.metrics.dispatchPolled(false);
      this.logger.warn(`looking for due work failed (${(error as Error).message}); trying again at the next poll`);
    } finally {
      this.polling = false;
    }
  }

  /** Starts slot loops for the account up to its concurrency; loops with nothing to do end at once. */
  wake(accountId: string): void {
    if (this.stopping || !this.accountIds.has(accountId)) return;
    this.reserved.expectMore(accountId);
    while (this.inFlight(accountId) < this.config.dispatch.concurrencyPerAccount) {
      this.loops.set(accountId, this.inFlight(accountId) + 1);
      const loop = new SlotLoop(accountId, this, this.services).run().finally(() => {
        this.loops.set(accountId, this.inFlight(accountId) - 1);
        this.running.delete(loop);
      });
      this.running.add(loop);
    }
  }

  /**
   * A dead process's attempt is judged by the uncertain policy and recorded at once, without a slot: it
   * is never sent again, and waiting in line could outlast its lease.
   */
  private recordAbandoned(event: ClaimedEvent): void {
    void this.track(this.attempts.run(event, false).recorded, event.accountId);
  }

  track(recorded: Promise<void>, accountId: string): Promise<void> {
    const tracked = recorded
      .catch((error) => this.logger.error(`recording an attempt for account ${accountId} failed: ${(error as Error).message}`))
      .finally(() => this.running.delete(tracked));
    this.running.add(tracked);
    return tracked;
  }

  /** SIGTERM: stop claiming, let requests in flight finish within the grace period, hand back reservations. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    clearInterval(this.pollTimer);
    this.unsubscribe?.();
    const grace = new Promise((resolve) => setTimeout(resolve, this.config.dispatch.shutdownGraceMs).unref());
    // Slot loops start recordings as they finish, so wait until nothing at all is left.
    const drained = (async () => {
      while (this.running.size > 0) await Promise.allSettled([...this.running]);
      return true;
    })();
    const finished = await Promise.race([drained, grace.then(() => false)]);
    if (!finished)
      this.logger.warn(
        'shutdown grace period ended with requests in flight; their leases expire and they are recorded as uncertain',
      );
    await this.reserved
      .releaseAll()
      .catch((error) =>
        this.logger.warn(`reserved events not released (${(error as Error).message}); they are due again when their leases expire`),
      );
  }
}
