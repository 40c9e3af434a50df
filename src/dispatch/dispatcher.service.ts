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
import { type ClaimedEvent, DispatchQueue } from './dispatch-queue.js';
import { ReservedEvents } from './reserved-events.js';

const ERROR_BACKOFF_MS = 1000;

/** An event leased by this process for one attempt; `probe` tests whether an open circuit may close. */
interface Started {
  event: ClaimedEvent;
  probe: boolean;
}

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
  private readonly reserved: ReservedEvents;
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
    const { concurrencyPerAccount, leaseMs } = config.dispatch;
    // Two events per slot: one about to go out, one for when its answer comes, then the next batch.
    this.reserved = new ReservedEvents({
      reserve: (accountId, limit) => queue.reserve(accountId, this.owner, leaseMs, limit),
      release: (events) => queue.release(events),
      abandoned: (event) => this.recordAbandoned(event),
      batch: 2 * concurrencyPerAccount,
      lowWater: concurrencyPerAccount,
    });
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
    this.reserved.expectMore(accountId);
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
    // The outcomes of this slot's last two answers, oldest first, still being written perhaps.
    let recordings: Promise<void>[] = [Promise.resolve(), Promise.resolve()];
    try {
      slot = await this.slots.tryAcquire(accountId);
      if (slot === undefined) return;
      // Keep the slot while there is work: one lock round trip per burst, not per event.
      while (!this.stopping) {
        const sent = await this.dispatchNext(accountId, recordings[0]);
        if (!sent) break;
        recordings = [recordings[1], sent.recording];
      }
    } catch (error) {
      this.logger.error(`dispatch for account ${accountId} failed: ${(error as Error).message}`);
      await new Promise((resolve) => setTimeout(resolve, ERROR_BACKOFF_MS));
    } finally {
      // Whoever takes the slot next must not add to what this one left unwritten.
      await Promise.all(recordings);
      if (slot !== undefined) await this.slots.release(accountId, slot);
    }
  }

  /**
   * Starts and sends one event. Returns the recording of its outcome, which may still be running, or
   * undefined when there is nothing the account may send now.
   *
   * The slot bounds requests in flight to CleverTap, not database writes: once CleverTap has answered
   * normally, the next event is sent while this outcome is written. Before it goes out, the slot waits
   * for the outcome before that one (long written by then, as it has had a whole round trip to
   * CleverTap): a crash leaves at most two attempts per slot to be judged uncertain, the request in
   * flight and the answer being written. Anything else (a failure that may open the circuit or pause
   * the account, or a probe) is written before the slot moves on.
   */
  private async dispatchNext(accountId: string, olderRecording: Promise<void>): Promise<{ recording: Promise<void> } | undefined> {
    await olderRecording;
    const next = await this.startNext(accountId);
    if (!next) return undefined;
    const { event, probe } = next;
    let upstreamDone!: (outcome: AttemptOutcome) => void;
    const answered = new Promise<AttemptOutcome>((resolve) => (upstreamDone = resolve));
    const dispatched = this.commandBus.execute(new DispatchBulletinCommand(event, this.owner, probe, upstreamDone));
    const recording = this.track(dispatched, accountId);
    const outcome = await Promise.race([answered, dispatched.then(() => undefined)]);
    if (probe || (outcome !== 'sent' && outcome !== 'failed')) await dispatched;
    return { recording }; // wrapped: an async function would otherwise wait for the promise it returns
  }

  /** The next reserved event, now leased by this process as being sent; undefined when none may go now. */
  private async startNext(accountId: string): Promise<Started | undefined> {
    for (;;) {
      const event = await this.reserved.take(accountId);
      if (!event) return undefined;
      const started = await this.start(event).catch((error) => {
        this.reserved.putBack(event);
        throw error;
      });
      if (started === 'blocked') {
        this.reserved.putBack(event);
        return undefined;
      }
      if (started) return started;
      // Lost: the reservation expired and another process has the event; try the next one.
    }
  }

  /**
   * A closed circuit is checked in the same round trip as the start; otherwise the circuit decides
   * whether this slot sends the probe. `blocked`: the account may not send now.
   */
  private async start(event: ClaimedEvent): Promise<Started | 'blocked' | undefined> {
    const { leaseMs } = this.config.dispatch;
    const first = await this.queue.start(event, this.owner, leaseMs, false);
    if (first.started) return { event: first.event, probe: false };
    if (first.reason === 'lost') return undefined;
    const admission = await this.circuit.admit(event.accountId);
    if (!admission) return 'blocked';
    const second = await this.queue.start(event, this.owner, leaseMs, admission.probe);
    if (second.started) return { event: second.event, probe: admission.probe };
    if (admission.probe) await this.circuit.releaseProbe(event.accountId);
    return second.reason === 'blocked' ? 'blocked' : undefined;
  }

  /**
   * A dead process's attempt is judged by the uncertain policy and recorded at once, without a slot: it
   * is never sent again, and waiting in line could outlast its lease.
   */
  private recordAbandoned(event: ClaimedEvent): void {
    this.track(this.commandBus.execute(new DispatchBulletinCommand(event, this.owner, false)), event.accountId);
  }

  /** Recording continues after the slot moves on; shutdown waits for it, and failures are logged. */
  private track(dispatched: Promise<void>, accountId: string): Promise<void> {
    const tracked = dispatched
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
    await this.reserved
      .releaseAll()
      .catch((error) =>
        this.logger.warn(`reserved events not released (${(error as Error).message}); they are due again when their leases expire`),
      );
  }
}
