import { Logger } from '@nestjs/common';
import type { ClaimedEvent } from './dispatch-queue.js';

export interface ReservedEventsOptions {
  /** Reserves up to `limit` due events of the account; fewer means the queue had no more just then. */
  reserve: (accountId: string, limit: number) => Promise<ClaimedEvent[]>;
  release: (events: ClaimedEvent[]) => Promise<void>;
  /** Takes an event whose previous attempt a dead process abandoned: it is leased already and never sent. */
  abandoned: (event: ClaimedEvent) => void;
  /** How many events to hold per account; a refill starts ahead once `lowWater` or fewer are left. */
  batch: number;
  lowWater: number;
}

interface AccountBuffer {
  events: ClaimedEvent[];
  refilling?: Promise<void>;
  /** The last refill came back short; only a wake-up (new or newly due work) makes another worth a query. */
  exhausted: boolean;
  wakeUps: number;
}

/**
 * Events this process has reserved ahead, per account, so that a slot whose request CleverTap has just
 * answered finds the next event in memory instead of querying for it. One query reserves a batch, and
 * the next batch is reserved while the current one is being sent.
 */
export class ReservedEvents {
  private readonly logger = new Logger(ReservedEvents.name);
  private readonly buffers = new Map<string, AccountBuffer>();
  private closed = false;

  constructor(private readonly options: ReservedEventsOptions) {}

  /** Work may have arrived for the account (a NOTIFY, this process's ingest, the poll). */
  expectMore(accountId: string): void {
    const buffer = this.bufferOf(accountId);
    buffer.exhausted = false;
    buffer.wakeUps += 1;
  }

  /** The account's oldest reserved event, reserving more first if none is held; undefined when none is due. */
  async take(accountId: string): Promise<ClaimedEvent | undefined> {
    const buffer = this.bufferOf(accountId);
    while (buffer.events.length === 0) {
      if (this.closed || (buffer.exhausted && !buffer.refilling)) return undefined;
      await (buffer.refilling ?? this.refill(accountId, buffer));
    }
    const event = buffer.events.shift()!;
    if (buffer.events.length <= this.options.lowWater && !buffer.exhausted && !buffer.refilling)
      this.refill(accountId, buffer).catch((error) =>
        this.logger.warn(`reserving events for account ${accountId} failed: ${(error as Error).message}`),
      );
    return event;
  }

  /** An event that could not start now (its account's circuit is open, or the database failed) goes back to the head of the line. */
  putBack(event: ClaimedEvent): void {
    this.bufferOf(event.accountId).events.unshift(event);
  }

  /** Shutdown: no more reservations; those held are released once running refills have landed. */
  async releaseAll(): Promise<void> {
    this.closed = true;
    await Promise.allSettled([...this.buffers.values()].map((buffer) => buffer.refilling));
    const held = [...this.buffers.values()].flatMap((buffer) => buffer.events.splice(0));
    await this.options.release(held);
  }

  private refill(accountId: string, buffer: AccountBuffer): Promise<void> {
    const wanted = this.options.batch - buffer.events.length;
    const wakeUps = buffer.wakeUps;
    const refilling = this.options
      .reserve(accountId, wanted)
      .then((events) => {
        for (const event of events) {
          if (!event.abandonedByDeadProcess) buffer.events.push(event);
          // At shutdown its lease is left to expire: the next process records it.
          else if (!this.closed) this.options.abandoned(event);
        }
        // Work that arrived during the query may have missed it: then the next take queries again.
        if (events.length < wanted && buffer.wakeUps === wakeUps) buffer.exhausted = true;
      })
      .finally(() => {
        if (buffer.refilling === refilling) buffer.refilling = undefined;
      });
    buffer.refilling = refilling;
    return refilling;
  }

  private bufferOf(accountId: string): AccountBuffer {
    let buffer = this.buffers.get(accountId);
    if (!buffer) this.buffers.set(accountId, (buffer = { events: [], exhausted: false, wakeUps: 0 }));
    return buffer;
  }
}
