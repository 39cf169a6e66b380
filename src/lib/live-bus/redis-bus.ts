// The live bus over Redis pub/sub, so a subscriber connected to one instance receives what another published.
// One subscriber connection per process; a Redis channel is subscribed while at least one local listener wants it.
// Redis drops messages while a connection is down: the history in the database is the source of truth.
import Redis from 'ioredis';
import type { Logger } from '../logger';
import { type LiveBus, type LiveListener, TopicListeners } from './live-bus';

const CHANNEL_PREFIX = 'stack-notifications:';

export class RedisLiveBus<M> implements LiveBus<M> {
  private readonly publisher: Redis;
  private readonly subscriber: Redis;
  private readonly listeners = new TopicListeners<M>();
  /** Per subscribed topic, the SUBSCRIBE command's completion. */
  private readonly subscriptions = new Map<string, Promise<void>>();

  constructor(
    url: string,
    private readonly log: Logger,
  ) {
    const options = {
      // Reconnect forever with a capped backoff; publishing while down fails fast instead of queueing.
      retryStrategy: (attempt: number) => Math.min(attempt * 200, 2000),
      maxRetriesPerRequest: 1,
      lazyConnect: false,
    };
    this.publisher = new Redis(url, { ...options, enableOfflineQueue: false });
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
      this.listeners.emit(channel.slice(CHANNEL_PREFIX.length), message);
    });
  }

  async publish(topic: string, message: M): Promise<void> {
    try {
      await this.publisher.publish(CHANNEL_PREFIX + topic, JSON.stringify(message));
    } catch (error) {
      // Best effort by design: the notification is committed and its deliveries are in the outbox.
      this.log.warn({ err: error, topic }, 'live publish failed; subscribers will find it in the history');
    }
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
    this.publisher.disconnect();
    this.subscriber.disconnect();
  }
}
