import { Inject, Injectable, Logger, OnApplicationBootstrap, BeforeApplicationShutdown } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { GATEWAY_CONFIG } from '../config/config.module.js';
import type { GatewayConfig } from '../config/gateway-config.js';
import { DatabaseNotifications } from '../database/database-notifications.js';
import { QUEUED_CHANNEL } from '../event-log/event-log.repository.js';
import type { AttemptOutcome } from '../event-log/event-status.js';
import { AccountCircuit } from './account-circuit.js';
import { AccountSlots } from './account-slots.js';
import { DispatchBulletinCommand } from './dispatch-bulletin.command.js';
import { DispatchQueue } from './dispatch-queue.js';

const ERROR_BACKOFF_MS = 1000;

/**
 * Drains the queue of every configured account. Each account gets up to N workers in this process,
 * and each worker first takes one of the account's N cluster-wide slots, so the whole fleet never has
 * more than N requests in flight to one CleverTap account. Wake-ups come from this process, from
 * LISTEN/NOTIFY and from a poll that also catches scheduled retries and expired leases.
 */
@Injectable()
export class Dispatcher implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(Dispatcher.name);
  readonly owner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private readonly workers = new Map<string, number>();
  private readonly running = new Set<Promise<void>>();
  private readonly accountIds: string[];
  private pollTimer?: NodeJS.Timeout;
  private unsubscribe?: () => void;
  private stopping = false;

  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly queue: DispatchQueue,
    private readonly slots: AccountSlots,
    private readonly circuit: AccountCircuit,
    private readonly commandBus: CommandBus,
    private readonly notifications: DatabaseNotifications,
  ) {
    this.accountIds = config.accounts.map((account) => account.id);
  }

  onApplicationBootstrap(): void {
    this.unsubscribe = this.notifications.on(QUEUED_CHANNEL, (accountId) => this.wake(accountId));
    this.pollTimer = setInterval(() => this.wakeAll(), this.config.dispatch.pollIntervalMs);
    this.pollTimer.unref();
    this.wakeAll();
  }

  get isRunning(): boolean {
    return !this.stopping && this.pollTimer !== undefined;
  }

  inFlight(accountId: string): number {
    return this.workers.get(accountId) ?? 0;
  }

  wakeAll(): void {
    for (const accountId of this.accountIds) this.wake(accountId);
  }

  /** Starts workers for the account up to its concurrency; workers with nothing to do end at once. */
  wake(accountId: string): void {
    if (this.stopping || !this.accountIds.includes(accountId)) return;
    while (this.inFlight(accountId) < this.config.dispatch.concurrencyPerAccount) {
      this.workers.set(accountId, this.inFlight(accountId) + 1);
      const worker = this.drain(accountId).finally(() => {
        this.workers.set(accountId, this.inFlight(accountId) - 1);
        this.running.delete(worker);
      });
      this.running.add(worker);
    }
  }

  private async drain(accountId: string): Promise<void> {
    let slot: number | undefined;
    try {
      slot = await this.slots.tryAcquire(accountId);
      if (slot === undefined) return;
      // Keep the slot while there is work: one lock round trip per burst, not per event.
      let sent: { recording: Promise<void> } | undefined = { recording: Promise.resolve() };
      while (!this.stopping && (sent = await this.dispatchNext(accountId, sent.recording))) {
        // next event
      }
    } catch (error) {
      this.logger.error(`dispatch for account ${accountId} failed: ${(error as Error).message}`);
      await new Promise((resolve) => setTimeout(resolve, ERROR_BACKOFF_MS));
    } finally {
      if (slot !== undefined) await this.slots.release(accountId, slot);
    }
  }

  /**
   * Claims and sends one event. Returns the recording of its outcome, which may still be running, or
   * undefined when there is nothing the account may send now.
   *
   * The slot bounds requests in flight to CleverTap, not database writes: once CleverTap has answered
   * normally, the next event is claimed while this outcome is written, and waits for that write only
   * just before it is sent (so a worker never has more than one answer unwritten, and a crash leaves at
   * most two attempts per slot to be judged uncertain). Anything else (a failure that may open the
   * circuit or pause the account, or a probe) is written before the slot moves on.
   */
  private async dispatchNext(accountId: string, previousRecording: Promise<void>): Promise<{ recording: Promise<void> } | undefined> {
    const admission = await this.circuit.admit(accountId);
    if (!admission) return undefined;
    const event = await this.queue.claimNext(accountId, this.owner, this.config.dispatch.leaseMs);
    if (!event) {
      if (admission.probe) await this.circuit.releaseProbe(accountId);
      return undefined;
    }
    await previousRecording;
    let upstreamDone!: (outcome: AttemptOutcome) => void;
    const answered = new Promise<AttemptOutcome>((resolve) => (upstreamDone = resolve));
    const dispatched = this.commandBus.execute(new DispatchBulletinCommand(event, this.owner, admission.probe, upstreamDone));
    const recording = this.track(dispatched, accountId);
    const outcome = await Promise.race([answered, dispatched.then(() => undefined)]);
    if (admission.probe || (outcome !== 'sent' && outcome !== 'failed')) await dispatched;
    return { recording }; // wrapped: an async function would otherwise wait for the promise it returns
  }

  /** Recording continues after the slot moves on; shutdown waits for it, and failures are logged. */
  private track(dispatched: Promise<void>, accountId: string): Promise<void> {
    const tracked = dispatched
      .catch((error) => this.logger.error(`recording an attempt for account ${accountId} failed: ${(error as Error).message}`))
      .finally(() => this.running.delete(tracked));
    this.running.add(tracked);
    return tracked;
  }

  /** SIGTERM: stop claiming, let requests in flight finish within the grace period. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    clearInterval(this.pollTimer);
    this.unsubscribe?.();
    const grace = new Promise((resolve) => setTimeout(resolve, this.config.dispatch.shutdownGraceMs).unref());
    // Workers start recordings as they finish, so wait until nothing at all is left.
    const drained = (async () => {
      while (this.running.size > 0) await Promise.allSettled([...this.running]);
      return true;
    })();
    const finished = await Promise.race([drained, grace.then(() => false)]);
    if (!finished)
      this.logger.warn(
        'shutdown grace period ended with requests in flight; their leases expire and they are recorded as uncertain',
      );
  }
}
