import type { ClaimedEvent } from './dispatch-queue.js';
import { ReservedEvents } from './reserved-events.js';

const ACCOUNT = 'acct';

const event = (n: number, abandonedByDeadProcess = false): ClaimedEvent => ({
  eventId: `e${n}`,
  accountId: ACCOUNT,
  partnerId: 'partner',
  lane: 'live',
  weight: 1,
  receivedAt: new Date(),
  status: 'queued',
  attempts: 0,
  transientFailures: 0,
  payloadJson: '{"business_event": "Program Released", "name": "n", "properties": {}, "c-by": "a@example.com", "when": "now"}',
  nextTrigger: null,
  replayId: null,
  abandonedByDeadProcess,
  reservation: `r${n}`,
});

/** A queue of `size` due events whose reservation queries the test answers by hand. */
function controlledQueue(size: number, abandoned: number[] = []) {
  let next = 1;
  const queries: { limit: number; answer: () => void }[] = [];
  const released: string[] = [];
  const reserve = (_accountId: string, limit: number) =>
    new Promise<ClaimedEvent[]>((resolve) =>
      queries.push({
        limit,
        answer: () => {
          const events: ClaimedEvent[] = [];
          for (; events.length < limit && next <= size; next++) events.push(event(next, abandoned.includes(next)));
          resolve(events);
        },
      }),
    );
  const release = async (events: ClaimedEvent[]) => void released.push(...events.map((e) => e.eventId));
  const diverted: string[] = [];
  const onAbandoned = (e: ClaimedEvent) => void diverted.push(e.eventId);
  const addEvents = (count: number) => (size += count);
  return { queries, released, diverted, reserve, release, onAbandoned, addEvents };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

function reservedEvents(queue: ReturnType<typeof controlledQueue>) {
  return new ReservedEvents({ reserve: queue.reserve, release: queue.release, abandoned: queue.onAbandoned, batch: 4, lowWater: 2, shares: { retry: 1, replay: 1 } });
}

describe('ReservedEvents', () => {
  it('reserves a batch in one query and hands it out oldest first', async () => {
    const queue = controlledQueue(10);
    const reserved = reservedEvents(queue);
    const first = reserved.take(ACCOUNT);
    expect(queue.queries.map((q) => q.limit)).toEqual([4]);
    queue.queries[0].answer();
    await expect(first).resolves.toMatchObject({ eventId: 'e1' });
    await expect(reserved.take(ACCOUNT)).resolves.toMatchObject({ eventId: 'e2' });
  });

  it('reserves the next batch ahead, while the events it holds are being sent', async () => {
    const queue = controlledQueue(10);
    const reserved = reservedEvents(queue);
    const first = reserved.take(ACCOUNT);
    queue.queries[0].answer();
    await first;
    await reserved.take(ACCOUNT); // two left: low water
    expect(queue.queries.map((q) => q.limit)).toEqual([4, 4]);
    queue.queries[1].answer();
    await tick();
    const ids = [];
    for (let i = 0; i < 4; i++) ids.push((await reserved.take(ACCOUNT))!.eventId);
    expect(ids).toEqual(['e3', 'e4', 'e5', 'e6']);
  });

  it('stops querying once the queue came back short, until work is announced', async () => {
    const queue = controlledQueue(1);
    const reserved = reservedEvents(queue);
    const first = reserved.take(ACCOUNT);
    queue.queries[0].answer();
    await expect(first).resolves.toMatchObject({ eventId: 'e1' });
    await expect(reserved.take(ACCOUNT)).resolves.toBeUndefined();
    expect(queue.queries).toHaveLength(1);

    queue.addEvents(1);
    reserved.expectMore(ACCOUNT);
    const second = reserved.take(ACCOUNT);
    expect(queue.queries).toHaveLength(2);
    queue.queries[1].answer();
    await expect(second).resolves.toMatchObject({ eventId: 'e2' });
  });

  it('queries again when work was announced while a short query ran (it may have missed it)', async () => {
    const queue = controlledQueue(0);
    const reserved = reservedEvents(queue);
    const first = reserved.take(ACCOUNT);
    reserved.expectMore(ACCOUNT);
    queue.queries[0].answer(); // nothing, but the announcement came after the query began
    await tick();
    queue.addEvents(1);
    expect(queue.queries).toHaveLength(2);
    queue.queries[1].answer();
    await expect(first).resolves.toMatchObject({ eventId: 'e1' });
  });

  it('lets waiting takers share one query rather than each sending its own', async () => {
    const queue = controlledQueue(2);
    const reserved = reservedEvents(queue);
    const takes = [reserved.take(ACCOUNT), reserved.take(ACCOUNT), reserved.take(ACCOUNT)];
    expect(queue.queries).toHaveLength(1);
    queue.queries[0].answer();
    const ids = (await Promise.all(takes)).map((e) => e?.eventId);
    expect(ids).toEqual(['e1', 'e2', undefined]);
    expect(queue.queries).toHaveLength(1);
  });

  it('hands an abandoned attempt straight over to be recorded, never out to a slot', async () => {
    const queue = controlledQueue(3, [2]);
    const reserved = reservedEvents(queue);
    const first = reserved.take(ACCOUNT);
    queue.queries[0].answer();
    await expect(first).resolves.toMatchObject({ eventId: 'e1' });
    expect(queue.diverted).toEqual(['e2']);
    await expect(reserved.take(ACCOUNT)).resolves.toMatchObject({ eventId: 'e3' });
  });

  it('puts an event that could not start back at the head of the line', async () => {
    const queue = controlledQueue(4);
    const reserved = reservedEvents(queue);
    const first = reserved.take(ACCOUNT);
    queue.queries[0].answer();
    reserved.putBack((await first)!);
    await expect(reserved.take(ACCOUNT)).resolves.toMatchObject({ eventId: 'e1' });
  });

  it('on shutdown hands back what it holds, including a batch still arriving, and reserves no more', async () => {
    const queue = controlledQueue(10);
    const reserved = reservedEvents(queue);
    const first = reserved.take(ACCOUNT);
    queue.queries[0].answer();
    await first;
    await reserved.take(ACCOUNT); // starts the refill ahead
    const releasing = reserved.releaseAll();
    queue.queries[1].answer();
    await releasing;
    expect(queue.released).toEqual(['e3', 'e4', 'e5', 'e6', 'e7', 'e8']);
    await expect(reserved.take(ACCOUNT)).resolves.toBeUndefined();
    expect(queue.queries).toHaveLength(2);
  });
});
