import { GroupCommit } from './group-commit.js';

/** A write whose batches the test releases by hand. */
function controlledWrite() {
  const batches: { items: number[]; finish: (error?: Error) => void }[] = [];
  const write = (items: number[]) =>
    new Promise<number[]>((resolve, reject) =>
      batches.push({ items, finish: (error) => (error ? reject(error) : resolve(items.map((n) => n * 10))) }),
    );
  return { batches, write };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('GroupCommit', () => {
  it('writes a lone item at once, without waiting for company', async () => {
    const { batches, write } = controlledWrite();
    const group = new GroupCommit(write, { maxBatch: 10, maxInFlight: 1 });
    const result = group.submit(1);
    expect(batches.map((b) => b.items)).toEqual([[1]]);
    batches[0].finish();
    await expect(result).resolves.toBe(10);
  });

  it('gathers items that arrive while a batch is being written into the next batch, up to maxBatch', async () => {
    const { batches, write } = controlledWrite();
    const group = new GroupCommit(write, { maxBatch: 3, maxInFlight: 1 });
    const results = [1, 2, 3, 4, 5, 6].map((n) => group.submit(n));
    expect(batches.map((b) => b.items)).toEqual([[1]]);
    batches[0].finish();
    await tick();
    expect(batches.map((b) => b.items)).toEqual([[1], [2, 3, 4]]);
    batches[1].finish();
    await tick();
    batches[2].finish();
    expect(await Promise.all(results)).toEqual([10, 20, 30, 40, 50, 60]);
    expect(batches.map((b) => b.items)).toEqual([[1], [2, 3, 4], [5, 6]]);
  });

  it('keeps at most maxInFlight batches in flight', () => {
    const { batches, write } = controlledWrite();
    const group = new GroupCommit(write, { maxBatch: 1, maxInFlight: 2 });
    [1, 2, 3].forEach((n) => void group.submit(n));
    expect(batches).toHaveLength(2);
  });

  it('fails every caller of a batch that failed, and carries on with the next', async () => {
    const { batches, write } = controlledWrite();
    const group = new GroupCommit(write, { maxBatch: 5, maxInFlight: 1 });
    const first = group.submit(1);
    const second = group.submit(2);
    batches[0].finish(new Error('database gone'));
    await expect(first).rejects.toThrow('database gone');
    await tick();
    batches[1].finish();
    await expect(second).resolves.toBe(20);
  });
});

describe('GroupCommit isolating a bad item', () => {
  /** A write that fails any batch holding a negative number, as Postgres fails a statement with one bad row. */
  const failingOnNegatives = async (items: number[]) => {
    if (items.some((n) => n < 0)) throw Object.assign(new Error('bad item'), { code: '22P05' });
    return items.map((n) => n * 10);
  };

  it('writes the members of a failed batch one by one, so only the bad one fails', async () => {
    const calls: number[][] = [];
    const group = new GroupCommit(
      async (items: number[]) => {
        calls.push(items);
        return failingOnNegatives(items);
      },
      { maxBatch: 10, maxInFlight: 1, retryAlone: (error) => (error as { code?: string }).code === '22P05' },
    );
    const first = group.submit(1); // written alone, at once
    const rest = [2, -3, 4].map((n) => group.submit(n).then((value) => value, (error: Error) => error.message));
    await expect(first).resolves.toBe(10);
    expect(await Promise.all(rest)).toEqual([20, 'bad item', 40]);
    expect(calls).toEqual([[1], [2, -3, 4], [2], [-3], [4]]);
  });

  it('fails the whole batch without retrying when the failure is not the items\' fault', async () => {
    const calls: number[][] = [];
    const group = new GroupCommit(
      async (items: number[]) => {
        calls.push(items);
        throw new Error('database gone');
      },
      { maxBatch: 10, maxInFlight: 1, retryAlone: () => false },
    );
    const results = [1, 2, 3].map((n) => group.submit(n).catch((error: Error) => error.message));
    expect(await Promise.all(results)).toEqual(['database gone', 'database gone', 'database gone']);
    expect(calls).toEqual([[1], [2, 3]]);
  });

  it('with gatherTurn, writes what is submitted in one turn of the event loop as one batch', async () => {
    const calls: number[][] = [];
    const group = new GroupCommit(
      async (items: number[]) => {
        calls.push(items);
        return items;
      },
      { maxBatch: 10, maxInFlight: 1, gatherTurn: true },
    );
    expect(await Promise.all([group.submit(1), group.submit(2), group.submit(3)])).toEqual([1, 2, 3]);
    expect(calls).toEqual([[1, 2, 3]]); // without gatherTurn the first would go alone
  });
});
