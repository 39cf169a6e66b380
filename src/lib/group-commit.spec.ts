import { GroupCommit } from './group-commit';

/** A write function that records each batch and can be held open, to see what joins the next one. */
class Writer {
  readonly batches: string[][] = [];
  /** Items that fail any batch they are in. */
  readonly bad = new Set<string>();
  running = 0;
  maxRunning = 0;
  private held: (() => void)[] = [];
  hold = false;

  readonly write = async (items: readonly string[]): Promise<string[]> => {
    this.batches.push([...items]);
    this.running += 1;
    this.maxRunning = Math.max(this.maxRunning, this.running);
    try {
      if (this.hold) await new Promise<void>((resolve) => this.held.push(resolve));
      else await Promise.resolve();
      const bad = items.find((item) => this.bad.has(item));
      if (bad !== undefined) throw new Error(`cannot write ${bad}`);
      return items.map((item) => `${item}!`);
    } finally {
      this.running -= 1;
    }
  };

  /** Lets the oldest held write finish. */
  release(): void {
    this.held.shift()?.();
  }
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

async function until(check: () => boolean): Promise<void> {
  for (let turns = 0; !check(); turns += 1) {
    if (turns > 1000) throw new Error('timed out');
    await turn();
  }
}

describe('GroupCommit', () => {
  it('writes the items added in one turn of the event loop as one batch, each caller getting its own result', async () => {
    const writer = new Writer();
    const commit = new GroupCommit(writer.write);
    const results = await Promise.all(['a', 'b', 'c'].map((item) => commit.add(item)));
    expect(writer.batches).toEqual([['a', 'b', 'c']]);
    expect(results).toEqual(['a!', 'b!', 'c!']);
  });

  it('gathers the items added while a batch is written into the next batch, in the order they came', async () => {
    const writer = new Writer();
    writer.hold = true;
    const commit = new GroupCommit(writer.write);
    const first = commit.add('a');
    await until(() => writer.batches.length === 1);
    const later = ['b', 'c', 'd'].map((item) => commit.add(item));
    await turn();
    await turn();
    // Still one write: the next waits for the first to finish.
    expect(writer.batches).toEqual([['a']]);
    writer.release();
    expect(await first).toBe('a!');
    await until(() => writer.batches.length === 2);
    writer.release();
    expect(await Promise.all(later)).toEqual(['b!', 'c!', 'd!']);
    expect(writer.batches).toEqual([['a'], ['b', 'c', 'd']]);
    expect(writer.maxRunning).toBe(1);
  });

  it('writes at most 200 items per batch, the rest in the batches that follow, keeping their order', async () => {
    const writer = new Writer();
    const commit = new GroupCommit(writer.write);
    const items = Array.from({ length: 450 }, (_, index) => `item-${index}`);
    const results = await Promise.all(items.map((item) => commit.add(item)));
    expect(writer.batches.map((batch) => batch.length)).toEqual([200, 200, 50]);
    expect(writer.batches.flat()).toEqual(items);
    expect(results).toEqual(items.map((item) => `${item}!`));
    expect(writer.maxRunning).toBe(1);
  });

  it('writes the items of a failed batch again one by one, so only the bad item fails, and only its caller', async () => {
    const writer = new Writer();
    writer.bad.add('b');
    const commit = new GroupCommit(writer.write);
    const outcomes = await Promise.allSettled(['a', 'b', 'c'].map((item) => commit.add(item)));
    expect(outcomes).toEqual([
      { status: 'fulfilled', value: 'a!' },
      { status: 'rejected', reason: new Error('cannot write b') },
      { status: 'fulfilled', value: 'c!' },
    ]);
    expect(writer.batches).toEqual([['a', 'b', 'c'], ['a'], ['b'], ['c']]);
  });

  it('rejects a lone item with the error of its write, written once', async () => {
    const writer = new Writer();
    writer.bad.add('x');
    const commit = new GroupCommit(writer.write);
    await expect(commit.add('x')).rejects.toThrow('cannot write x');
    expect(writer.batches).toEqual([['x']]);
  });

  it('goes on with later batches after a failed one', async () => {
    const writer = new Writer();
    writer.bad.add('x');
    const commit = new GroupCommit(writer.write);
    const failed = commit.add('x');
    const ok = commit.add('y');
    await expect(failed).rejects.toThrow('cannot write x');
    expect(await ok).toBe('y!');
    expect(await commit.add('z')).toBe('z!');
    expect(writer.batches).toEqual([['x', 'y'], ['x'], ['y'], ['z']]);
  });

  it('starts a new batch for an item added after the queue ran dry', async () => {
    const writer = new Writer();
    const commit = new GroupCommit(writer.write);
    expect(await commit.add('a')).toBe('a!');
    await turn();
    expect(await commit.add('b')).toBe('b!');
    expect(writer.batches).toEqual([['a'], ['b']]);
  });
});
