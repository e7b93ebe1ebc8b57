import { GroupCommit } from './group-commit.js';

/** A writer whose batches the spec settles by hand, so that it can watch what is queued meanwhile. */
function heldWriter() {
  const batches: { items: number[]; settle(error?: Error): void }[] = [];
  let inFlight = 0;
  let mostInFlight = 0;
  const write = (items: readonly number[]) =>
    new Promise<number[]>((resolve, reject) => {
      inFlight += 1;
      mostInFlight = Math.max(mostInFlight, inFlight);
      batches.push({
        items: [...items],
        settle: (error) => {
          inFlight -= 1;
          if (error) reject(error);
          else resolve(items.map((item) => item * 10));
        },
      });
    });
  return { batches, write, mostInFlight: () => mostInFlight };
}

/** A few turns of the event loop: a settled batch's callback, then the next batch's start. */
const turn = async () => {
  for (let i = 0; i < 3; i += 1) await new Promise((resolve) => setImmediate(resolve));
};

describe('GroupCommit', () => {
  it('writes a burst of one turn as one batch, started without waiting for it to fill', async () => {
    const writer = heldWriter();
    const commit = new GroupCommit(writer.write, { maxBatchSize: 500, maxInFlight: 2 });
    const results = [1, 2, 3].map((item) => commit.add(item));
    await turn();
    expect(writer.batches.map((batch) => batch.items)).toEqual([[1, 2, 3]]);
    writer.batches[0]?.settle();
    expect(await Promise.all(results)).toEqual([10, 20, 30]);
  });

  it('cuts batches at their size and keeps at most maxInFlight of them under way', async () => {
    const writer = heldWriter();
    const commit = new GroupCommit(writer.write, { maxBatchSize: 2, maxInFlight: 2 });
    const results = [1, 2, 3, 4, 5, 6, 7].map((item) => commit.add(item));
    await turn();
    expect(writer.batches.map((batch) => batch.items)).toEqual([
      [1, 2],
      [3, 4],
    ]);
    // Records arriving meanwhile join the queue behind the first ones.
    results.push(commit.add(8));
    writer.batches[1]?.settle();
    await turn();
    expect(writer.batches.map((batch) => batch.items)).toEqual([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    writer.batches[0]?.settle();
    writer.batches[2]?.settle();
    await turn();
    // What was left (7, and 8 which came later) fits one batch.
    expect(writer.batches.map((batch) => batch.items).slice(3)).toEqual([[7, 8]]);
    writer.batches[3]?.settle();
    expect(await Promise.all(results)).toEqual([10, 20, 30, 40, 50, 60, 70, 80]);
    expect(writer.mostInFlight()).toBe(2);
  });

  it('rejects the callers of a failed batch only, and goes on with the next', async () => {
    const writer = heldWriter();
    const commit = new GroupCommit(writer.write, { maxBatchSize: 2, maxInFlight: 1 });
    const results = [1, 2, 3].map((item) => commit.add(item).then(String, (error: Error) => error.message));
    await turn();
    writer.batches[0]?.settle(new Error('connection lost'));
    await turn();
    writer.batches[1]?.settle();
    expect(await Promise.all(results)).toEqual(['connection lost', 'connection lost', '30']);
  });

  it('rejects every caller of a batch whose writer returns too few results', async () => {
    const commit = new GroupCommit(async (items: readonly number[]) => items.slice(1), {
      maxBatchSize: 10,
      maxInFlight: 1,
    });
    await expect(Promise.all([commit.add(1), commit.add(2)])).rejects.toThrow(/2 items, 1 results/);
  });

  it('refuses options that could never write', () => {
    const write = async (items: readonly number[]) => [...items];
    expect(() => new GroupCommit(write, { maxBatchSize: 0, maxInFlight: 1 })).toThrow(RangeError);
    expect(() => new GroupCommit(write, { maxBatchSize: 1, maxInFlight: 0.5 })).toThrow(RangeError);
  });
});
