import { Logger } from '@nestjs/common';
import type { GatewayConfig } from '../config/gateway-config.js';
import type { AccountCircuit } from './account-circuit.js';
import type { AccountSlots } from './account-slots.js';
import type { DeliveryAttempts } from './delivery-attempts.js';
import type { ClaimedEvent, DispatchQueue } from './dispatch-queue.js';
import type { ReservedEvents } from './reserved-events.js';

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

/** The services a slot loop works with. */
export interface SlotLoopServices {
  config: GatewayConfig;
  queue: DispatchQueue;
  slots: AccountSlots;
  circuit: AccountCircuit;
  attempts: DeliveryAttempts;
}

/** What the process-wide dispatcher shares with each of its slot loops. */
export interface SlotLoopHost {
  readonly owner: string;
  readonly stopping: boolean;
  readonly reserved: ReservedEvents;
  /** Per account, answers in this process that may open the circuit or pause the account (see send). */
  readonly troubles: Map<string, number>;
  /** Recording continues after the slot moves on; shutdown waits for it, and failures are logged. */
  track(recorded: Promise<void>, accountId: string): Promise<void>;
}

/**
 * One of an account's slots in this process: takes one of the account's N cluster-wide slots and sends
 * its events one after the other, as long as there is work.
 */
export class SlotLoop {
  private readonly logger = new Logger(SlotLoop.name);

  constructor(
    private readonly accountId: string,
    private readonly host: SlotLoopHost,
    private readonly deps: SlotLoopServices,
  ) {}

  async run(): Promise<void> {
    const { accountId } = this;
    let slot: number | undefined;
    let recording: Promise<void> = Promise.resolve(); // of this slot's last answer, still being written perhaps
    let ahead: Promise<StartedAhead | undefined> | undefined;
    try {
      slot = await this.deps.slots.tryAcquire(accountId);
      if (slot === undefined) return;
      // Keep the slot while there is work: one lock round trip per burst, not per event.
      while (!this.host.stopping) {
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
      if (slot !== undefined) await this.deps.slots.release(accountId, slot);
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
    const run = this.deps.attempts.run(event, this.host.owner, probe);
    const recording = this.host.track(run.recorded, accountId);
    // previousRecording comes from track() and never rejects; a start that fails rejects `ahead`, and the
    // loop gets the error where it awaits it. A probe goes alone: nothing is started ahead of it.
    const ahead = probe ? undefined : previousRecording.then(() => this.startAhead(accountId));
    ahead?.catch(() => undefined); // awaited later (loop or handBack): not an unhandled rejection meanwhile
    const outcome = await run.answered.catch(async (error) => {
      await this.handBack(ahead);
      throw error;
    });
    const troubled = outcome !== 'sent' && outcome !== 'failed';
    if (troubled) this.host.troubles.set(accountId, this.troublesOf(accountId) + 1);
    if (probe || troubled) {
      try {
        await run.recorded;
      } finally {
        await this.handBack(ahead);
      }
      return { recording };
    }
    return { recording, ahead };
  }

  private troublesOf(accountId: string): number {
    return this.host.troubles.get(accountId) ?? 0;
  }

  private async startAhead(accountId: string): Promise<StartedAhead | undefined> {
    if (this.host.stopping) return undefined;
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
      const event = await this.host.reserved.take(accountId);
      if (!event) return undefined;
      const started = await this.start(event, mayProbe).catch((error) => {
        this.host.reserved.putBack(event);
        throw error;
      });
      if (started === 'blocked') {
        this.host.reserved.putBack(event);
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
    const { leaseMs } = this.deps.config.dispatch;
    const first = await this.deps.queue.start(event, this.host.owner, leaseMs, false);
    if (first.started) return { event: first.event, probe: false };
    if (first.reason === 'lost') return undefined;
    if (!mayProbe) return 'blocked';
    const admission = await this.deps.circuit.admit(event.accountId);
    if (!admission) return 'blocked';
    const second = await this.deps.queue.start(event, this.host.owner, leaseMs, admission.probe);
    if (second.started) return { event: second.event, probe: admission.probe };
    if (admission.probe) await this.deps.circuit.releaseProbe(event.accountId);
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
      const reserved = await this.deps.queue.unstart(started.event, this.host.owner, this.deps.config.dispatch.leaseMs);
      if (reserved) this.host.reserved.putBack(reserved);
    } catch (error) {
      this.logger.warn(
        `event ${started.event.eventId} was started but not sent, and could not be handed back (${(error as Error).message}): ` +
          'when its lease expires it is judged as an abandoned attempt',
      );
    }
  }
}
