// The in-process live bus: enough for one instance; several instances need the Redis bus.
import { type LiveBus, type LiveListener, TopicListeners } from './live-bus';

export class MemoryLiveBus<M> implements LiveBus<M> {
  private readonly listeners = new TopicListeners<M>();

  async publish(topic: string, message: M): Promise<void> {
    this.listeners.emit(topic, message);
  }

  subscribe(topic: string, listener: LiveListener<M>): () => void {
    const { remove } = this.listeners.add(topic, listener);
    return () => void remove();
  }

  async subscribed(): Promise<void> {}

  listenerCount(): number {
    return this.listeners.size();
  }

  async ready(): Promise<void> {}

  connected(): boolean {
    return true;
  }

  /** An in-process bus never loses a message: there is no gap to fill. */
  onGap(): void {}

  emitLocal(topic: string, message: M): void {
    this.listeners.emit(topic, message);
  }

  async close(): Promise<void> {}
}
