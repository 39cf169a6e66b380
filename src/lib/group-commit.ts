// Group commit: items added while a batch is being written, or in the same turn of the event loop, are written
// together by the next call of `write`, one transaction for many callers. Each caller still gets its own result or
// error: when a batch fails, its items are written again one by one, so one bad item fails only its own caller.

/** Items per batch; more wait for the next one. */
const MAX_BATCH = 200;

interface Waiting<Item, Result> {
  item: Item;
  resolve: (result: Result) => void;
  reject: (error: unknown) => void;
}

export class GroupCommit<Item, Result> {
  private queue: Waiting<Item, Result>[] = [];
  private running = false;

  /** `write` returns one result per item, in order. */
  constructor(private readonly write: (items: readonly Item[]) => Promise<Result[]>) {}

  add(item: Item): Promise<Result> {
    return new Promise<Result>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (!this.running) {
        this.running = true;
        // Waiting for the check phase gathers every request whose data arrived in this turn of the event loop.
        setImmediate(() => void this.drain());
      }
    });
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.slice(0, MAX_BATCH);
      this.queue = this.queue.slice(batch.length);
      await this.writeBatch(batch);
    }
    this.running = false;
  }

  private async writeBatch(batch: Waiting<Item, Result>[]): Promise<void> {
    let results: Result[];
    try {
      results = await this.write(batch.map((waiting) => waiting.item));
    } catch (error) {
      if (batch.length === 1) {
        batch[0].reject(error);
        return;
      }
      for (const waiting of batch) await this.writeBatch([waiting]);
      return;
    }
    batch.forEach((waiting, index) => waiting.resolve(results[index]));
  }
}
