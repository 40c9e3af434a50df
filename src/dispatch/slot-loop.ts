import { Logger } from '@nestjs/common';
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

/** The services a slot loop works with. */
export interface SlotLoopServices {
  queue: DispatchQueue;
  slots: AccountSlots;
  circuit: AccountCircuit;
  attempts: DeliveryAttempts;
}

/** What the process-wide dispatcher shares with each of its slot loops. */
export interface SlotLoopHost {
  readonly stopping: boolean;
  readonly reserved: ReservedEvents;
  /** Recording continues after the slot moves on; shutdown waits for it, and failures are logged. */
  track(recorded: Promise<void>, accountId: string): Promise<void>;
}

/**
 * One of an account's slots in this process: takes one of the account's N cluster-wide slots and sends
 * its events one after the other, as long as there is work.
 *
 * An event is started (leased by this process, so `uncertain` if it dies) only when its request is
 * about to leave: at any moment a slot owns one event, the one CleverTap holds or has just answered.
 * The pipelining is in the reservations (ReservedEvents has the next events in memory, and a crash
 * simply lets them expire) and in the statement that records an answer and starts the slot's next event
 * together, in one round trip and one commit. An answer that may open the circuit or pause the account,
 * and a probe's, is recorded before the slot starts anything else, so that start sees the circuit.
 */
export class SlotLoop {
  private readonly logger = new Logger(SlotLoop.name);

  constructor(
    private readonly accountId: string,
    private readonly host: SlotLoopHost,
    private readonly deps: SlotLoopServices,
  ) {}

  async run(): Promise<void> {
    let slot: number | undefined;
    let recording: Promise<void> = Promise.resolve();
    try {
      slot = await this.deps.slots.tryAcquire(this.accountId);
      if (slot === undefined) return;
      // Keep the slot while there is work: one lock round trip per burst, not per event.
      let next = await this.startNext();
      while (next) {
        const { event, probe } = next;
        const attempt = this.deps.attempts.run(event, probe);
        recording = this.host.track(attempt.recorded, this.accountId);
        const outcome = await attempt.answered.finally(() => this.host.reserved.done(event));
        if (probe || (outcome !== 'sent' && outcome !== 'failed')) await recording;
        if (this.host.stopping) break;
        next = await this.startNext();
      }
    } catch (error) {
      this.logger.error(`dispatch for account ${this.accountId} failed: ${(error as Error).message}`);
      await new Promise((resolve) => setTimeout(resolve, ERROR_BACKOFF_MS));
    } finally {
      // Whoever takes the slot next must not add to what this one left unwritten.
      await recording;
      if (slot !== undefined) await this.deps.slots.release(this.accountId, slot);
    }
  }

  /** The next reserved event, now leased by this process as being sent; undefined when none may go now. */
  private async startNext(): Promise<Started | undefined> {
    for (;;) {
      if (this.host.stopping) return undefined;
      const event = await this.host.reserved.take(this.accountId);
      if (!event) return undefined;
      const started = await this.start(event).catch((error) => {
        this.host.reserved.putBack(event);
        throw error;
      });
      if (started === 'blocked') {
        this.host.reserved.putBack(event);
        return undefined;
      }
      if (started) return started;
      // Lost: the reservation expired and another process has the event; try the next one.
      this.host.reserved.done(event);
    }
  }

  /**
   * A closed circuit is checked in the same statement as the start; otherwise the circuit decides
   * whether this slot sends the probe. `blocked`: the account may not send now.
   */
  private async start(event: ClaimedEvent): Promise<Started | 'blocked' | undefined> {
    const { queue, circuit } = this.deps;
    const first = await queue.start(event, false);
    if (first.started) return { event: first.event, probe: false };
    if (first.reason === 'lost') return undefined;
    const admission = await circuit.admit(event.accountId);
    if (!admission) return 'blocked';
    const second = await queue.start(event, admission.probe);
    if (second.started) return { event: second.event, probe: admission.probe };
    if (admission.probe) await circuit.releaseProbe(event.accountId);
    return second.reason === 'blocked' ? 'blocked' : undefined;
  }
}
