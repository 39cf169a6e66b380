// Turns a bus listener into the AsyncIterator graphql-ws consumes, without events.on() (which costs ~35 KiB per
// subscription on Node 20): one small queue and one pending promise per subscriber.
import type { LiveBus } from './live-bus';

/** A slow consumer keeps at most this many undelivered messages; older ones are dropped (history has them). */
export const MAX_QUEUED_MESSAGES = 1000;

export function subscribeIterator<M, T>(
  bus: LiveBus<M>,
  topic: string,
  map: (message: M) => T | undefined,
): AsyncIterableIterator<T> {
  const queue: T[] = [];
  let waiting: ((result: IteratorResult<T>) => void) | null = null;
  let done = false;

  const unsubscribe = bus.subscribe(topic, (message) => {
    const value = map(message);
    if (value === undefined || done) return;
    if (waiting) {
      const resolve = waiting;
      waiting = null;
      resolve({ value, done: false });
      return;
    }
    if (queue.length >= MAX_QUEUED_MESSAGES) queue.shift();
    queue.push(value);
  });

  const finish = (): Promise<IteratorResult<T>> => {
    if (!done) {
      done = true;
      unsubscribe();
      queue.length = 0;
      if (waiting) {
        waiting({ value: undefined, done: true });
        waiting = null;
      }
    }
    return Promise.resolve({ value: undefined, done: true });
  };

  return {
    next(): Promise<IteratorResult<T>> {
      if (queue.length) return Promise.resolve({ value: queue.shift()!, done: false });
      if (done) return Promise.resolve({ value: undefined, done: true });
      return new Promise((resolve) => {
        waiting = resolve;
      });
    },
    return: finish,
    throw(error?: unknown) {
      void finish();
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
