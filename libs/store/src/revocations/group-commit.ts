/** Options of `GroupCommit`. */
export interface GroupCommitOptions {
  /** Most items one write takes. */
  maxBatchSize: number;
  /** Most writes under way at once: the connections a burst may hold, the rest of the pool left to others. */
  maxInFlight: number;
}

interface Waiting<Item, Result> {
  item: Item;
  resolve(result: Result): void;
  reject(error: unknown): void;
}

/**
 * Gathers items into batches, each written by one call of `write`, which returns one result per item in order.
 * Each caller's promise settles when its batch's write does: with its own result, or with the batch's error.
 *
 * A batch starts as soon as a write may (fewer than `maxInFlight` under way), not when it is full or after a delay:
 * alone, an item costs one turn of the event loop more than a write of its own; in a burst, items queue behind the
 * writes under way and go together in the next one.
 */
export class GroupCommit<Item, Result> {
  private queue: Waiting<Item, Result>[] = [];
  private inFlight = 0;
  private scheduled = false;

  constructor(
    private readonly write: (items: readonly Item[]) => Promise<readonly Result[]>,
    private readonly options: GroupCommitOptions,
  ) {
    for (const [name, value] of Object.entries(options))
      if (!Number.isInteger(value) || value < 1)
        throw new RangeError(`${name} must be a positive integer, not ${value}`);
  }

  add(item: Item): Promise<Result> {
    return new Promise<Result>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.queue.length === 0 || this.inFlight >= this.options.maxInFlight) return;
    this.scheduled = true;
    // After the turn rather than at once: the callers of a burst reach `add` over many microtasks of one turn (each
    // after its own awaits), and all of them then go in the same batch.
    setImmediate(() => {
      this.scheduled = false;
      this.start();
    });
  }

  private start(): void {
    while (this.queue.length > 0 && this.inFlight < this.options.maxInFlight) {
      const batch = this.queue.splice(0, this.options.maxBatchSize);
      this.inFlight += 1;
      void this.run(batch).finally(() => {
        this.inFlight -= 1;
        this.schedule();
      });
    }
  }

  private async run(batch: Waiting<Item, Result>[]): Promise<void> {
    try {
      const results = await this.write(batch.map((waiting) => waiting.item));
      if (results.length !== batch.length)
        throw new Error(`a batch of ${batch.length} items, ${results.length} results`);
      batch.forEach((waiting, i) => waiting.resolve(results[i] as Result));
    } catch (error) {
      for (const waiting of batch) waiting.reject(error);
    }
  }
}
