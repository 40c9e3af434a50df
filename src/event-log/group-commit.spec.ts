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
