import { FairShare, type Lane } from './fair-share.js';

interface Item {
  id: string;
  partnerId: string;
  lane: Lane;
  weight: number;
}

let sequence = 0;
const item = (partnerId: string, lane: Lane = 'live', weight = 1): Item => ({ id: `${partnerId}${++sequence}`, partnerId, lane, weight });
const many = (count: number, partnerId: string, lane: Lane = 'live', weight = 1) =>
  Array.from({ length: count }, () => item(partnerId, lane, weight));

/** Takes `count` items, each answered before the next is taken (one slot). */
function takeInTurn(share: FairShare<Item>, count: number): string[] {
  const taken: string[] = [];
  for (let i = 0; i < count; i++) {
    const next = share.take();
    if (!next) break;
    taken.push(next.partnerId);
    share.done(next);
  }
  return taken;
}

describe('FairShare within a lane (deficit round-robin)', () => {
  it('alternates between partners, however deep the first backlog', () => {
    const share = new FairShare<Item>({ retry: 1, replay: 1 });
    for (const event of many(1000, 'A')) share.push(event);
    for (const event of many(3, 'B')) share.push(event);
    expect(takeInTurn(share, 8)).toEqual(['A', 'B', 'A', 'B', 'A', 'B', 'A', 'A']);
  });

  it('serves a newcomer within one turn of the others', () => {
    const share = new FairShare<Item>({ retry: 1, replay: 1 });
    for (const event of many(100, 'A')) share.push(event);
    for (const event of many(100, 'C')) share.push(event);
    takeInTurn(share, 11);
    share.push(item('B'));
    const next = takeInTurn(share, 3);
    expect(next.indexOf('B')).toBeLessThanOrEqual(2);
  });

  it('gives each partner its weight in events per turn', () => {
    const share = new FairShare<Item>({ retry: 1, replay: 1 });
    for (const event of many(300, 'A', 'live', 3)) share.push(event);
    for (const event of many(300, 'B', 'live', 1)) share.push(event);
    for (const event of many(300, 'C', 'live', 2)) share.push(event);
    const taken = takeInTurn(share, 600);
    const count = (id: string) => taken.filter((partner) => partner === id).length;
    expect([count('A'), count('B'), count('C')]).toEqual([300, 100, 200]);
  });

  it('puts an event that could not start back first in its partner line, without costing another turn', () => {
    const share = new FairShare<Item>({ retry: 1, replay: 1 });
    const [a1, a2] = many(2, 'A');
    const [b1] = many(1, 'B');
    for (const event of [a1, a2, b1]) share.push(event);
    const first = share.take()!;
    share.putBack(first);
    expect(share.take()).toBe(a1);
  });
});

describe('FairShare across lanes', () => {
  it('sends live first attempts before retries before replays when lower lanes hold their share', () => {
    const share = new FairShare<Item>({ retry: 0, replay: 0 });
    share.push(item('A', 'replay'));
    share.push(item('A', 'retry'));
    share.push(item('A', 'live'));
    expect(takeInTurn(share, 3)).toEqual(['A', 'A', 'A']);
    const lanes: Lane[] = [];
    const again = new FairShare<Item>({ retry: 0, replay: 0 });
    for (const lane of ['replay', 'retry', 'live'] as Lane[]) again.push(item('A', lane));
    for (let next = again.take(); next; next = again.take()) lanes.push(next.lane);
    expect(lanes).toEqual(['live', 'retry', 'replay']);
  });

  it('keeps a replay to its share of slots while live work waits, and gives it all slots otherwise', () => {
    const share = new FairShare<Item>({ retry: 1, replay: 1 });
    for (const event of many(100, 'R', 'replay')) share.push(event);
    for (const event of many(100, 'L', 'live')) share.push(event);
    // Three slots taken at once (three in flight).
    const inFlight = [share.take()!, share.take()!, share.take()!];
    expect(inFlight.map((event) => event.lane).sort()).toEqual(['live', 'live', 'replay']);
    // Each slot that frees goes to the lane it came from while both wait.
    for (let round = 0; round < 20; round++) {
      const finished = inFlight.shift()!;
      share.done(finished);
      inFlight.push(share.take()!);
      expect(inFlight.filter((event) => event.lane === 'replay')).toHaveLength(1);
    }
    const onlyReplays = new FairShare<Item>({ retry: 1, replay: 1 });
    for (const event of many(10, 'R', 'replay')) onlyReplays.push(event);
    expect([onlyReplays.take(), onlyReplays.take(), onlyReplays.take()].map((event) => event?.lane)).toEqual(['replay', 'replay', 'replay']);
  });

  it('does not starve retries under a steady stream of live events', () => {
    const share = new FairShare<Item>({ retry: 1, replay: 1 });
    for (const event of many(5, 'A', 'retry')) share.push(event);
    const taken: Lane[] = [];
    const inFlight: Item[] = [];
    for (let round = 0; round < 30; round++) {
      share.push(item('A', 'live'));
      share.push(item('A', 'live'));
      while (inFlight.length < 3) inFlight.push(share.take()!);
      const finished = inFlight.shift()!;
      taken.push(finished.lane);
      share.done(finished);
    }
    expect(taken.filter((lane) => lane === 'retry')).toHaveLength(5);
  });
});
