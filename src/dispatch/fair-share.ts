/** The lines an account's events wait in, in order of priority. */
export type Lane = 'live' | 'retry' | 'replay';
export const LANES: readonly Lane[] = ['live', 'retry', 'replay'];

/** What the scheduler needs to know of a waiting event. */
export interface Schedulable {
  partnerId: string;
  lane: Lane;
  /** The partner's dispatch weight (its share of the account's turns against other partners). */
  weight: number;
}

/**
 * Slots each lower lane is owed while it has work, whatever waits above it: with them neither retries
 * nor replays starve under live traffic, and a lane never holds more than its share while a higher one
 * waits.
 */
export interface LaneShares {
  retry: number;
  replay: number;
}

/**
 * One lane's waiting events, shared among partners by deficit round-robin: each partner with work gets
 * `weight` events per turn, one turn after the other, so a partner with work waits at most about one
 * turn of the others however deep their backlogs.
 */
class PartnerRounds<T extends Schedulable> {
  private readonly lines = new Map<string, T[]>();
  private readonly deficits = new Map<string, number>();
  private readonly weights = new Map<string, number>();
  /** Partners with work, in turn order; the first one has the current turn. */
  private ring: string[] = [];
  private count = 0;

  get size(): number {
    return this.count;
  }

  push(item: T): void {
    this.lineOf(item).push(item);
    this.count++;
  }

  /** Back at the head of its partner's line (it could not start), with the turn it was taken in. */
  unshift(item: T): void {
    this.lineOf(item).unshift(item);
    this.deficits.set(item.partnerId, (this.deficits.get(item.partnerId) ?? 0) + 1);
    this.ring = [item.partnerId, ...this.ring.filter((id) => id !== item.partnerId)];
    this.count++;
  }

  take(): T | undefined {
    while (this.ring.length > 0) {
      const partnerId = this.ring[0];
      const line = this.lines.get(partnerId)!;
      if (line.length === 0) {
        this.forget(partnerId);
        continue;
      }
      let deficit = this.deficits.get(partnerId) ?? 0;
      if (deficit < 1) deficit += this.weights.get(partnerId) ?? 1;
      const item = line.shift()!;
      this.count--;
      deficit -= 1;
      if (line.length === 0) this.forget(partnerId);
      else if (deficit < 1) {
        this.deficits.set(partnerId, deficit);
        this.ring.push(this.ring.shift()!); // turn over
      } else this.deficits.set(partnerId, deficit);
      return item;
    }
    return undefined;
  }

  drain(): T[] {
    const all = [...this.lines.values()].flat();
    this.lines.clear();
    this.deficits.clear();
    this.ring = [];
    this.count = 0;
    return all;
  }

  private lineOf(item: T): T[] {
    this.weights.set(item.partnerId, Math.max(1, item.weight));
    let line = this.lines.get(item.partnerId);
    if (!line) this.lines.set(item.partnerId, (line = []));
    if (!this.ring.includes(item.partnerId)) this.ring.push(item.partnerId);
    return line;
  }

  /** A partner whose line ran dry leaves the ring and keeps no credit: an idle partner saves up nothing. */
  private forget(partnerId: string): void {
    this.ring = this.ring.filter((id) => id !== partnerId);
    this.lines.delete(partnerId);
    this.deficits.delete(partnerId);
  }
}

/**
 * One account's reserved events in this process, and the order its slots take them in: first the lane
 * (live before retries before replays, each lower lane owed its share of slots), then the partner
 * within the lane (weighted round-robin).
 */
export class FairShare<T extends Schedulable> {
  private readonly lanes = new Map<Lane, PartnerRounds<T>>(LANES.map((lane) => [lane, new PartnerRounds<T>()]));
  private readonly inFlight = new Map<Lane, number>(LANES.map((lane) => [lane, 0]));

  constructor(private readonly shares: LaneShares) {}

  get size(): number {
    let size = 0;
    for (const rounds of this.lanes.values()) size += rounds.size;
    return size;
  }

  push(item: T): void {
    this.lanes.get(item.lane)!.push(item);
  }

  /** The next event for a free slot, counted as in flight in its lane until `done`. */
  take(): T | undefined {
    const lane = this.nextLane();
    if (!lane) return undefined;
    const item = this.lanes.get(lane)!.take()!;
    this.inFlight.set(lane, this.inFlight.get(lane)! + 1);
    return item;
  }

  /** An event taken but not sent: first in its partner's line again. */
  putBack(item: T): void {
    this.done(item);
    this.lanes.get(item.lane)!.unshift(item);
  }

  /** The attempt of a taken event has its answer: its slot is free for any lane. */
  done(item: T): void {
    this.inFlight.set(item.lane, Math.max(0, this.inFlight.get(item.lane)! - 1));
  }

  drain(): T[] {
    return [...this.lanes.values()].flatMap((rounds) => rounds.drain());
  }

  private nextLane(): Lane | undefined {
    const waiting = LANES.filter((lane) => this.lanes.get(lane)!.size > 0);
    for (const lane of ['retry', 'replay'] as const)
      if (waiting.includes(lane) && this.inFlight.get(lane)! < this.shares[lane]) return lane;
    return waiting[0];
  }
}
