// Sockets listening to a stack, and how soon they close: for the tests of sockets following their tokens.
import { NotificationReceivedDocument, type NotificationReceivedSubscription } from '../generated/graphql';
import { openSocket, type SocketSession } from './ws';

export interface Listening {
  socket: SocketSession;
  stream: { received: NotificationReceivedSubscription[]; errors: unknown[] };
  /** The ids of the notifications received so far. */
  ids(): string[];
}

/** A socket opened with `token`, subscribed to the stack's notifications, once one of `probe`'s has reached it. */
export async function listenToStack(
  wsUrl: string,
  token: string,
  stackId: string,
  probe: () => Promise<unknown>,
  timeoutMs = 10_000,
): Promise<Listening> {
  const socket = await openSocket(wsUrl, token);
  const stream = socket.subscribe(NotificationReceivedDocument, { stackId });
  const deadline = Date.now() + timeoutMs;
  while (stream.received.length === 0) {
    if (Date.now() > deadline) {
      throw new Error(`the subscription never went live: ${JSON.stringify(stream.errors)}`);
    }
    await probe();
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { socket, stream, ids: () => stream.received.map((result) => result.notificationReceived.id) };
}

/** What the tests allow for a socket to be closed after the change that ends it committed. */
export const CLOSE_WITHIN_MS = 2000;

/** The close code when the socket closes within `ms` of `since` (a Date.now()), else null. */
export async function closeCodeWithin(
  socket: SocketSession,
  since: number,
  ms = CLOSE_WITHIN_MS,
): Promise<number | null> {
  let timer: NodeJS.Timeout | undefined;
  const outcome = await Promise.race([
    socket.closed,
    new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), since + ms - Date.now()))),
  ]);
  clearTimeout(timer);
  return outcome && outcome.at - since <= ms ? outcome.code : null;
}

export async function until(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
