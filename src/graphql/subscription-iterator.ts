// Turns a bus listener into the AsyncIterator graphql-ws consumes, without events.on() (which costs ~35 KiB per
// subscription on Node 20): one small queue and one pending promise per subscriber. A consumer that can take the
// values synchronously (the WebSocket fan-out, see ws-adapter.ts) calls pushTo() and skips the queue and the promise.
import type { LiveBus } from '../lib/live-bus/live-bus';

/** A slow consumer keeps at most this many undelivered messages; older ones are dropped (history has them). */
export const MAX_QUEUED_MESSAGES = 1000;

/** Takes a stream's values, in order, as they become available. */
export interface PushSink<T> {
  push(value: T): void;
  /** The stream failed and has been closed: nothing follows. */
  fail(error: unknown): void;
}

/** An async iterator that can instead hand its values straight to a sink. */
export interface PushableIterator<T> extends AsyncIterableIterator<T> {
  /**
   * From now on every value (those already queued first) goes to `sink` synchronously instead of through next().
   * Called instead of next(), never after it. A pushed stream does not end by itself: the consumer ends it with
   * return(), or it fails (sink.fail).
   */
  pushTo(sink: PushSink<T>): void;
}

export function isPushable<T>(value: unknown): value is PushableIterator<T> {
  return typeof (value as Partial<PushableIterator<T>> | null)?.pushTo === 'function';
}

/** A class rather than closures: thousands of idle subscriptions each hold one. */
class BusSubscription<M, T> implements PushableIterator<T> {
  private queue: T[] | undefined;
  private waiting: ((result: IteratorResult<T>) => void) | undefined;
  private sink: PushSink<T> | undefined;
  private done = false;
  /** Whether the queue has dropped a message. */
  overflowed = false;
  private readonly unsubscribe: () => void;

  constructor(
    bus: LiveBus<M>,
    topic: string,
    private readonly map: (message: M) => T | undefined,
  ) {
    this.unsubscribe = bus.subscribe(topic, (message) => this.receive(message));
  }

  next(): Promise<IteratorResult<T>> {
    if (this.queue?.length) return Promise.resolve({ value: this.queue.shift()!, done: false });
    if (this.done) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => {
      this.waiting = resolve;
    });
  }

  return(): Promise<IteratorResult<T>> {
    if (!this.done) {
      this.done = true;
      this.unsubscribe();
      this.queue = undefined;
      this.waiting?.({ value: undefined, done: true });
      this.waiting = undefined;
    }
    return Promise.resolve({ value: undefined, done: true });
  }

  throw(error?: unknown): Promise<IteratorResult<T>> {
    void this.return();
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }

  pushTo(sink: PushSink<T>): void {
    this.sink = sink;
    // The sink may end the stream while it takes these (return() drops the queue).
    while (this.queue?.length) sink.push(this.queue.shift()!);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  private receive(message: M): void {
    if (this.done) return;
    const value = this.map(message);
    if (value === undefined) return;
    if (this.sink) {
      this.sink.push(value);
      return;
    }
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = undefined;
      resolve({ value, done: false });
      return;
    }
    this.queue ??= [];
    if (this.queue.length >= MAX_QUEUED_MESSAGES) {
      this.queue.shift();
      this.overflowed = true;
    }
    this.queue.push(value);
  }
}

/** A bus subscription that queues what arrives until it is consumed; `overflowed` tells whether it dropped any. */
export type LiveSubscription<T> = PushableIterator<T> & { readonly overflowed: boolean };

export function subscribeIterator<M, T>(
  bus: LiveBus<M>,
  topic: string,
  map: (message: M) => T | undefined,
): LiveSubscription<T> {
  return new BusSubscription(bus, topic, map);
}

/**
 * `replay` first, then the live values that are not in it (by id): the live subscription was made before the replay
 * was read, so a value may come both ways. Live values are passed through as they are, so they are still shared.
 */
class ResumedSubscription<T> implements PushableIterator<T>, PushSink<T> {
  private sink: PushSink<T> | undefined;
  private readonly replayed: Set<string>;

  constructor(
    private readonly replay: T[],
    private readonly live: PushableIterator<T>,
    private readonly idOf: (value: T) => string,
  ) {
    this.replayed = new Set(replay.map(idOf));
  }

  async next(): Promise<IteratorResult<T>> {
    if (this.replay.length) return { value: this.replay.shift()!, done: false };
    for (;;) {
      const result = await this.live.next();
      if (result.done || !this.replayed.has(this.idOf(result.value))) return result;
    }
  }

  return(): Promise<IteratorResult<T>> {
    this.replay.length = 0;
    return this.live.return!();
  }

  throw(error?: unknown): Promise<IteratorResult<T>> {
    this.replay.length = 0;
    return this.live.throw!(error);
  }

  pushTo(sink: PushSink<T>): void {
    this.sink = sink;
    while (this.replay.length) sink.push(this.replay.shift()!);
    this.live.pushTo(this);
  }

  push(value: T): void {
    if (!this.replayed.has(this.idOf(value))) this.sink!.push(value);
  }

  fail(error: unknown): void {
    this.sink!.fail(error);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}

export function resumeIterator<T>(
  replay: T[],
  live: PushableIterator<T>,
  idOf: (value: T) => string,
): PushableIterator<T> {
  return new ResumedSubscription(replay, live, idOf);
}
