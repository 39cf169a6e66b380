// Waits for a live subscription to be in place on a server in another process: publishes probes until one arrives.
import type { Subscriber } from './ws';

export async function untilLive<T>(
  subscriber: Subscriber<T>,
  probe: () => Promise<unknown>,
  timeoutMs = 10_000,
) {
  const deadline = Date.now() + timeoutMs;
  const before = subscriber.received.length;
  while (subscriber.received.length === before) {
    if (Date.now() > deadline) throw new Error('the subscription never went live');
    await probe();
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}

/** Waits until a notification with this id has arrived. */
export async function untilReceived(
  subscriber: Subscriber<{ notificationReceived: { id: string } }>,
  id: string,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!subscriber.received.some((result) => result.notificationReceived.id === id)) {
    if (Date.now() > deadline) throw new Error(`notification ${id} never arrived`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
