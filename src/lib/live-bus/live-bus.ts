// The live bus: best-effort fan-out of published notifications to the subscribers of this and other instances.
// The database is the source of truth; a subscriber that missed something reads the history.

export type LiveListener<M> = (message: M) => void;

export interface LiveBus<M> {
  publish(topic: string, message: M): Promise<void>;
  /** Registers a listener; the returned function removes it. */
  subscribe(topic: string, listener: LiveListener<M>): () => void;
  /**
   * Resolves once messages published on `topic` from now on reach this process's listeners (a subscription to a
   * remote bus takes a round trip). Resolves anyway when the bus is down: it is best effort.
   */
  subscribed(topic: string): Promise<void>;
  /** How many listeners are registered, across topics (tests check that closing a socket frees its listener). */
  listenerCount(): number;
  /** Resolves when the bus can carry messages (readiness checks). */
  ready(): Promise<void>;
  /** Whether messages from other instances reach this process now (readiness body, metrics). */
  connected(): boolean;
  /**
   * Registers what fills a gap: after the bus lost its connection and is listening again, `filler` is called with
   * the topics that have listeners here and when the connection was lost. Messages from other instances are held
   * until it settles, so what it hands to emitLocal() comes first.
   */
  onGap(filler: GapFiller): void;
  /** Hands a message to this process's listeners only, unless it has already reached them (see MessageKey). */
  emitLocal(topic: string, message: M): void;
  close(): Promise<void>;
}

export interface LiveGap {
  topics: string[];
  /** When the connection was lost (epoch milliseconds, this process's clock). */
  lostAt: number;
}

export type GapFiller = (gap: LiveGap) => Promise<void>;

/** A message's identity, so one that reaches a process twice (a gap filled, a retried publish) is emitted once. */
export type MessageKey<M> = (message: M) => string | undefined;

/** The keys of the messages emitted lately per topic, oldest forgotten first, to skip repeats. */
export class RecentMessages<M> {
  private readonly seen = new Set<string>();

  constructor(
    private readonly keyOf: MessageKey<M>,
    private readonly capacity = 20_000,
  ) {}

  /** Records the message; false when it was recorded already. */
  firstTime(topic: string, message: M): boolean {
    const key = this.keyOf(message);
    if (key === undefined) return true;
    const entry = `${topic}\n${key}`;
    if (this.seen.has(entry)) return false;
    this.seen.add(entry);
    if (this.seen.size > this.capacity) this.seen.delete(this.seen.values().next().value!);
    return true;
  }
}

/** One topic of a bus, for messages of their own type (a bus carries any JSON; its type names its usual messages). */
export interface LiveChannel<T> {
  publish(message: T): Promise<void>;
  subscribe(listener: LiveListener<T>): () => void;
}

/**
 * A channel on `topic` of an existing bus, so other kinds of messages need no connections of their own. Messages from
 * other instances arrive as parsed JSON: listeners check their shape.
 */
export function liveChannel<T>(bus: LiveBus<unknown>, topic: string): LiveChannel<T> {
  return {
    publish: (message) => bus.publish(topic, message),
    subscribe: (listener) => bus.subscribe(topic, listener as LiveListener<unknown>),
  };
}

/** Listeners per topic in plain Sets: no per-subscriber closures beyond the listener itself. */
export class TopicListeners<M> {
  private readonly topics = new Map<string, Set<LiveListener<M>>>();
  private count = 0;

  add(topic: string, listener: LiveListener<M>): { first: boolean; remove: () => boolean } {
    let listeners = this.topics.get(topic);
    const first = !listeners;
    if (!listeners) {
      listeners = new Set();
      this.topics.set(topic, listeners);
    }
    listeners.add(listener);
    this.count += 1;
    let removed = false;
    return {
      first,
      remove: () => {
        if (removed) return false;
        removed = true;
        this.count -= 1;
        listeners.delete(listener);
        if (listeners.size === 0) {
          this.topics.delete(topic);
          return true;
        }
        return false;
      },
    };
  }

  emit(topic: string, message: M): void {
    const listeners = this.topics.get(topic);
    if (!listeners) return;
    for (const listener of listeners) listener(message);
  }

  size(): number {
    return this.count;
  }
}
