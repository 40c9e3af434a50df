import { Logger } from '@nestjs/common';
import type { ClaimedEvent } from './dispatch-queue.js';
import { FairShare, type LaneShares } from './fair-share.js';

export interface ReservedEventsOptions {
  /**
   * Reserves due events of the account, up to `limit` per partner and lane (the head of each line);
   * fewer than `limit` in every line means the queue had no more just then.
   */
  reserve: (accountId: string, limit: number) => Promise<ClaimedEvent[]>;
  release: (events: ClaimedEvent[]) => Promise<void>;
  /** Takes an event whose previous attempt a dead process abandoned: it is leased already and never sent. */
  abandoned: (event: ClaimedEvent) => void;
  /** How many events to reserve per line; a refill starts ahead once `lowWater` or fewer are left. */
  batch: number;
  lowWater: number;
  shares: LaneShares;
}

interface AccountBuffer {
  events: FairShare<ClaimedEvent>;
  refilling?: Promise<void>;
  /** The last refill came back short; only a wake-up (new or newly due work) makes another worth a query. */
  exhausted: boolean;
  wakeUps: number;
  /** The wake-ups counted when the last refill began: one since may be another partner's or lane's work. */
  wakeUpsSeen: number;
}

/**
 * Events this process has reserved ahead, per account, so that a slot whose request CleverTap has just
 * answered finds the next event in memory instead of querying for it. One query reserves the head of
 * every partner's and lane's line, and the next ones are reserved while these are being sent. Which
 * reserved event goes next is FairShare's choice; a wake-up refills at once, so that work newly queued
 * by another partner or in a higher lane gets its turn without waiting behind what is held.
 */
export class ReservedEvents {
  private readonly logger = new Logger(ReservedEvents.name);
  private readonly buffers = new Map<string, AccountBuffer>();
  private closed = false;

  constructor(private readonly options: ReservedEventsOptions) {}

  /**
   * Work may have arrived for the account (a NOTIFY, this process's ingest, the poll). While its slots
   * are busy with what is held here, the new work is reserved at once, so it can have the next free
   * slot if its lane or partner comes first.
   */
  expectMore(accountId: string): void {
    const buffer = this.bufferOf(accountId);
    buffer.exhausted = false;
    buffer.wakeUps += 1;
    if (buffer.events.size > 0 && !buffer.refilling && !this.closed)
      this.refill(accountId, buffer).catch((error) =>
        this.logger.warn(`reserving events for account ${accountId} failed: ${(error as Error).message}`),
      );
  }

  /** The event a free slot of the account sends next, reserving more first if none is held; undefined when none is due. */
  async take(accountId: string): Promise<ClaimedEvent | undefined> {
    const buffer = this.bufferOf(accountId);
    while (buffer.events.size === 0) {
      if (this.closed || (buffer.exhausted && !buffer.refilling)) return undefined;
      await (buffer.refilling ?? this.refill(accountId, buffer));
    }
    const event = buffer.events.take()!;
    const newWork = buffer.wakeUps !== buffer.wakeUpsSeen;
    if (!buffer.refilling && !buffer.exhausted && (newWork || buffer.events.size <= this.options.lowWater))
      this.refill(accountId, buffer).catch((error) =>
        this.logger.warn(`reserving events for account ${accountId} failed: ${(error as Error).message}`),
      );
    return event;
  }

  /** An event that could not start now (its account's circuit is open, or the database failed) goes back to the head of its line. */
  putBack(event: ClaimedEvent): void {
    this.bufferOf(event.accountId).events.putBack(event);
  }

  /** A taken event was sent and answered, or lost to another process: its slot is free for any lane. */
  done(event: ClaimedEvent): void {
    this.bufferOf(event.accountId).events.done(event);
  }

  /** Accounts with reserved events waiting here (for instance behind an open circuit). */
  heldAccounts(): string[] {
    return [...this.buffers].filter(([, buffer]) => buffer.events.size > 0).map(([accountId]) => accountId);
  }

  /** Shutdown: no more reservations; those held are released once running refills have landed. */
  async releaseAll(): Promise<void> {
    this.closed = true;
    await Promise.allSettled([...this.buffers.values()].map((buffer) => buffer.refilling));
    const held = [...this.buffers.values()].flatMap((buffer) => buffer.events.drain());
    await this.options.release(held);
  }

  private refill(accountId: string, buffer: AccountBuffer): Promise<void> {
    const wanted = this.options.batch;
    const wakeUps = buffer.wakeUps;
    buffer.wakeUpsSeen = wakeUps;
    const refilling = this.options
      .reserve(accountId, wanted)
      .then((events) => {
        for (const event of events) {
          if (!event.abandonedByDeadProcess) buffer.events.push(event);
          // At shutdown its lease is left to expire: the next process records it.
          else if (!this.closed) this.options.abandoned(event);
        }
        // Work that arrived during the query may have missed it: then the next take queries again.
        if (!anyLineFull(events, wanted) && buffer.wakeUps === wakeUps) buffer.exhausted = true;
      })
      .finally(() => {
        if (buffer.refilling === refilling) buffer.refilling = undefined;
      });
    buffer.refilling = refilling;
    return refilling;
  }

  private bufferOf(accountId: string): AccountBuffer {
    let buffer = this.buffers.get(accountId);
    if (!buffer)
      this.buffers.set(accountId, (buffer = { events: new FairShare(this.options.shares), exhausted: false, wakeUps: 0, wakeUpsSeen: 0 }));
    return buffer;
  }
}

/** A line that gave all that was asked may hold more. */
function anyLineFull(events: ClaimedEvent[], limit: number): boolean {
  const perLine = new Map<string, number>();
  for (const event of events) {
    const line = `${event.partnerId}\u0000${event.lane}`;
    const count = (perLine.get(line) ?? 0) + 1;
    if (count >= limit) return true;
    perLine.set(line, count);
  }
  return false;
}
