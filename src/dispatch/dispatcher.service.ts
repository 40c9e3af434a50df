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

/** An event started while the slot's previous request was in flight. */
interface StartedAhead extends Started {
  /** The account's count of troubled answers when its start checked the circuit. */
  troublesBefore: number;
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
  /** Per account, answers in this process that may open the circuit or pause the account (see send). */
  private readonly troubles = new Map<string, number>();
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
    let recording: Promise<void> = Promise.resolve(); // of this slot's last answer, still being written perhaps
    let ahead: Promise<StartedAhead | undefined> | undefined;
    try {
      slot = await this.slots.tryAcquire(accountId);
      if (slot === undefined) return;
      // Keep the slot while there is work: one lock round trip per burst, not per event.
      while (!this.stopping) {
        // Cleared before anything can fail: an event handed back may be started again by another slot.
        const startedAhead = ahead;
        ahead = undefined;
        const next = (await this.stillSendable(startedAhead)) ?? (await this.startNext(accountId, true));
        if (!next) break;
        ({ recording, ahead } = await this.send(accountId, next, recording));
      }
    } catch (error) {
      this.logger.error(`dispatch for account ${accountId} failed: ${(error as Error).message}`);
      await new Promise((resolve) => setTimeout(resolve, ERROR_BACKOFF_MS));
    } finally {
      await this.handBack(ahead);
      // Whoever takes the slot next must not add to what this one left unwritten.
      await recording;
      if (slot !== undefined) await this.slots.release(accountId, slot);
    }
  }

  /**
   * Sends one started event and returns once CleverTap has answered, with the recording of that answer
   * (perhaps still running) and, when the slot may go on at once, the next event, started meanwhile.
   *
   * The slot bounds requests in flight to CleverTap, not database writes. While CleverTap holds this
   * request, the slot waits for its previous answer to be written, then starts its next event (the
   * durable write that must precede a send), so that event goes out the moment this answer comes: the
   * slot's cycle is CleverTap's round trip alone. At any moment a slot has at most two attempts a crash
   * would leave uncertain: the request in flight, and either the answer before it being written or the
   * event started ahead of it (never sent, but the database cannot tell). After a probe, or an answer
   * that may open the circuit or pause the account, the answer is written before the slot moves on, and
   * an event started ahead is handed back, to go through the circuit again.
   */
  private async send(
    accountId: string,
    { event, probe }: Started,
    previousRecording: Promise<void>,
  ): Promise<{ recording: Promise<void>; ahead?: Promise<StartedAhead | undefined> }> {
    let upstreamDone!: (outcome: AttemptOutcome) => void;
    const answered = new Promise<AttemptOutcome>((resolve) => (upstreamDone = resolve));
    const dispatched = this.commandBus.execute(new DispatchBulletinCommand(event, this.owner, probe, upstreamDone));
    const recording = this.track(dispatched, accountId);
    // previousRecording comes from track() and never rejects; a start that fails rejects `ahead`, and the
    // loop gets the error where it awaits it. A probe goes alone: nothing is started ahead of it.
    const ahead = probe ? undefined : previousRecording.then(() => this.startAhead(accountId));
    ahead?.catch(() => undefined); // awaited later (loop or handBack): not an unhandled rejection meanwhile
    const outcome = await Promise.race([answered, dispatched.then(() => undefined)]).catch(async (error) => {
      await this.handBack(ahead);
      throw error;
    });
    const troubled = outcome !== 'sent' && outcome !== 'failed';
    if (troubled) this.troubles.set(accountId, this.troublesOf(accountId) + 1);
    if (probe || troubled) {
      try {
        await dispatched;
      } finally {
        await this.handBack(ahead);
      }
      return { recording };
    }
    return { recording, ahead };
  }

  private troublesOf(accountId: string): number {
    return this.troubles.get(accountId) ?? 0;
  }

  private async startAhead(accountId: string): Promise<StartedAhead | undefined> {
    if (this.stopping) return undefined;
    const troublesBefore = this.troublesOf(accountId);
    const started = await this.startNext(accountId, false);
    return started && { ...started, troublesBefore };
  }

  /**
   * The event started ahead, unless another slot of the account has had a troubled answer since its
   * start checked the circuit: that answer may have opened it, so the event goes back and through the
   * circuit again. (A troubled answer in another gateway process is seen by the next start's check:
   * until then each of this process's slots may send the one event it started ahead.)
   */
  private async stillSendable(ahead: Promise<StartedAhead | undefined> | undefined): Promise<Started | undefined> {
    const started = await ahead;
    if (!started || started.troublesBefore === this.troublesOf(started.event.accountId)) return started;
    await this.handBack(ahead);
    return undefined;
  }

  /**
   * The next reserved event, now leased by this process as being sent; undefined when none may go now.
   * `mayProbe`: when the account's circuit is not closed, ask it whether this slot sends the probe; an
   * event started ahead never does (a probe goes alone).
   */
  private async startNext(accountId: string, mayProbe: boolean): Promise<Started | undefined> {
    for (;;) {
      const event = await this.reserved.take(accountId);
      if (!event) return undefined;
      const started = await this.start(event, mayProbe).catch((error) => {
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
  private async start(event: ClaimedEvent, mayProbe: boolean): Promise<Started | 'blocked' | undefined> {
    const { leaseMs } = this.config.dispatch;
    const first = await this.queue.start(event, this.owner, leaseMs, false);
    if (first.started) return { event: first.event, probe: false };
    if (first.reason === 'lost') return undefined;
    if (!mayProbe) return 'blocked';
    const admission = await this.circuit.admit(event.accountId);
    if (!admission) return 'blocked';
    const second = await this.queue.start(event, this.owner, leaseMs, admission.probe);
    if (second.started) return { event: second.event, probe: admission.probe };
    if (admission.probe) await this.circuit.releaseProbe(event.accountId);
    return second.reason === 'blocked' ? 'blocked' : undefined;
  }

  /**
   * An event started ahead that will not go out now becomes a reservation again, first in line. Were it
   * left leased, it would look abandoned by a dead process once the lease expired, and be parked as
   * uncertain although it was never sent.
   */
  private async handBack(ahead: Promise<StartedAhead | undefined> | undefined): Promise<void> {
    const started = await ahead?.catch(() => undefined);
    if (!started) return;
    try {
      const reserved = await this.queue.unstart(started.event, this.owner, this.config.dispatch.leaseMs);
      if (reserved) this.reserved.putBack(reserved);
    } catch (error) {
      this.logger.warn(
        `event ${started.event.eventId} was started but not sent, and could not be handed back (${(error as Error).message}): ` +
          'when its lease expires it is judged as an abandoned attempt',
      );
    }
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
