// The live bus over Redis pub/sub, so a subscriber connected to one instance receives what another published.
// One subscriber connection per process; a Redis channel is subscribed while at least one local listener wants it.
// Redis drops messages while a connection is down. What this process publishes meanwhile reaches its own listeners
// at once and is sent on when Redis is back; what others published while this process was not listening is found
// by the gap filler (onGap) once it listens again. Listeners get each keyed message once (RecentMessages).
import Redis from 'ioredis';
import type { Logger } from '../logger';
import {
  type GapFiller,
  type LiveBus,
  type LiveListener,
  type MessageKey,
  RecentMessages,
  TopicListeners,
} from './live-bus';

const CHANNEL_PREFIX = 'stack-notifications:';
const GAP_RETRY_MS = 1000;
/** Messages from other instances held while a gap is being filled, at most. */
const MAX_HELD = 10_000;
/** Messages kept to send when Redis is back; beyond this the oldest are dropped (instances fill gaps themselves). */
const MAX_UNSENT = 10_000;

export class RedisLiveBus<M> implements LiveBus<M> {
  private readonly publisher: Redis;
  private readonly subscriber: Redis;
  private readonly listeners = new TopicListeners<M>();
  /** Per subscribed topic, the SUBSCRIBE command's completion. */
  private readonly subscriptions = new Map<string, Promise<void>>();
  private readonly recent: RecentMessages<M>;
  private readonly fillers: GapFiller[] = [];
  /** When the subscriber connection was lost, while it is down or its gap is being filled. */
  private lostAt: number | null = null;
  /** Messages from other instances that arrived while a gap was being filled, in arrival order. */
  private held: [topic: string, message: M][] | null = null;
  /** Counts connection losses, so a gap fill overtaken by another loss leaves the rest to the next one. */
  private losses = 0;
  private closing = false;
  /** Published while Redis could not take them, oldest first: sent before anything newer. */
  private unsent: [topic: string, message: M][] = [];
  private sending = false;

  constructor(
    url: string,
    private readonly log: Logger,
    keyOf: MessageKey<M> = () => undefined,
  ) {
    this.recent = new RecentMessages(keyOf);
    const options = {
      // Reconnect forever with a capped backoff; publishing while down fails fast instead of queueing.
      retryStrategy: (attempt: number) => Math.min(attempt * 200, 2000),
      maxRetriesPerRequest: 1,
      lazyConnect: false,
    };
    // A publish to a connection that is silently gone must not hang the publishEvent that made it.
    this.publisher = new Redis(url, { ...options, enableOfflineQueue: false, commandTimeout: 2000 });
    // ioredis re-subscribes every channel after a reconnect (autoResubscribe), so listeners survive a Redis restart.
    this.subscriber = new Redis(url, { ...options, autoResubscribe: true });
    for (const [role, client] of [
      ['publisher', this.publisher],
      ['subscriber', this.subscriber],
    ] as const) {
      client.on('error', (error: Error) => this.log.warn({ err: error, role }, 'redis connection error'));
    }
    this.subscriber.on('message', (channel: string, raw: string) => {
      let message: M;
      try {
        message = JSON.parse(raw) as M;
      } catch {
        this.log.warn({ channel }, 'ignored a live message that is not JSON');
        return;
      }
      const topic = channel.slice(CHANNEL_PREFIX.length);
      if (!this.held) {
        this.emitLocal(topic, message);
        return;
      }
      this.held.push([topic, message]);
      // Held messages were committed before they were published, so a fill that is still to run reads them from
      // the history anyway: dropping the oldest keeps memory bounded through a long failing fill.
      if (this.held.length > MAX_HELD) this.held.shift();
    });
    this.subscriber.on('close', () => {
      if (this.closing) return;
      this.losses += 1;
      if (this.lostAt === null) {
        this.lostAt = Date.now();
        this.held = [];
        this.log.warn('live bus lost its Redis connection; local subscribers still get local messages');
      }
    });
    this.publisher.on('ready', () => void this.sendUnsent());
    this.subscriber.on('ready', () => {
      if (this.lostAt !== null) void this.fillGap(this.lostAt, this.losses);
    });
  }

  async publish(topic: string, message: M): Promise<void> {
    if (this.unsent.length === 0) {
      try {
        await this.publisher.publish(CHANNEL_PREFIX + topic, JSON.stringify(message));
        return;
      } catch (error) {
        // Best effort by design: the notification is committed and its deliveries are in the outbox.
        this.log.warn({ err: error, topic }, 'live publish failed; it is sent when Redis is back');
      }
    }
    this.emitLocal(topic, message);
    this.unsent.push([topic, message]);
    if (this.unsent.length > MAX_UNSENT) this.unsent.shift();
    void this.sendUnsent();
  }

  /** Sends what could not be sent, in order; stops at the first failure and resumes when the publisher is ready. */
  private async sendUnsent(): Promise<void> {
    if (this.sending) return;
    this.sending = true;
    try {
      while (this.unsent.length && !this.closing && this.publisher.status === 'ready') {
        const [topic, message] = this.unsent[0];
        await this.publisher.publish(CHANNEL_PREFIX + topic, JSON.stringify(message));
        if (this.unsent[0]?.[1] === message) this.unsent.shift();
      }
    } catch {
      // Still down: the publisher's next 'ready' resumes, or this retry if that came meanwhile.
      setTimeout(() => void this.sendUnsent(), GAP_RETRY_MS).unref();
    } finally {
      this.sending = false;
    }
  }

  emitLocal(topic: string, message: M): void {
    if (this.recent.firstTime(topic, message)) this.listeners.emit(topic, message);
  }

  connected(): boolean {
    return this.lostAt === null && this.subscriber.status === 'ready';
  }

  onGap(filler: GapFiller): void {
    this.fillers.push(filler);
  }

  /**
   * Listening again after a loss: subscribes every topic (ioredis does too, but without telling when it is done),
   * then lets the fillers emit what was missed, then what arrived meanwhile, in order and each once.
   */
  private async fillGap(lostAt: number, losses: number): Promise<void> {
    const topics = [...this.subscriptions.keys()];
    try {
      if (topics.length) await this.subscriber.subscribe(...topics.map((topic) => CHANNEL_PREFIX + topic));
      await Promise.all(this.fillers.map((filler) => filler({ topics, lostAt })));
    } catch (error) {
      // Lost again (the next reconnection starts over), or the history could not be read: tried again shortly,
      // from the same moment, while messages from other instances are still held.
      this.log.warn({ err: error }, 'live bus could not fill its gap yet');
      setTimeout(() => {
        if (losses === this.losses && !this.closing && this.subscriber.status === 'ready') {
          void this.fillGap(lostAt, losses);
        }
      }, GAP_RETRY_MS).unref();
      return;
    }
    if (losses !== this.losses || this.closing) return;
    const held = this.held ?? [];
    this.held = null;
    this.lostAt = null;
    for (const [topic, message] of held) this.emitLocal(topic, message);
    this.log.info({ downMs: Date.now() - lostAt, topics: topics.length }, 'live bus is back; gap filled');
  }

  subscribe(topic: string, listener: LiveListener<M>): () => void {
    const { first, remove } = this.listeners.add(topic, listener);
    if (first) {
      const done = this.subscriber.subscribe(CHANNEL_PREFIX + topic).then(
        () => {},
        (error: unknown) => {
          this.log.warn({ err: error, topic }, 'redis subscribe failed; it is retried on reconnect');
        },
      );
      this.subscriptions.set(topic, done);
    }
    return () => {
      if (remove()) {
        this.subscriptions.delete(topic);
        this.subscriber.unsubscribe(CHANNEL_PREFIX + topic).catch(() => {});
      }
    };
  }

  async subscribed(topic: string): Promise<void> {
    await this.subscriptions.get(topic);
  }

  listenerCount(): number {
    return this.listeners.size();
  }

  /** Resolves once both connections are ready (for readiness checks and tests). */
  async ready(): Promise<void> {
    await Promise.all([this.publisher.ping(), this.subscriber.ping()]);
  }

  async close(): Promise<void> {
    this.closing = true;
    this.publisher.disconnect();
    this.subscriber.disconnect();
  }
}
