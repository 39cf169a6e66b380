// Changes to what a token may do (revoked, its user's role changed, its user removed), told to every instance over the
// live bus so each drops what it remembers of the viewer and rechecks the sockets opened with it. Best effort like the
// bus: a notice lost with a Redis connection is caught by the sessions' periodic recheck.
import { randomUUID } from 'node:crypto';
import { liveChannel, type LiveBus, type LiveChannel } from '../../lib/live-bus/live-bus';

export type ViewerChange = { tokenId: string } | { userId: string };

/** A change as it travels, with the instance that made it, which has applied it already. */
type Notice = ViewerChange & { from: string };

const TOPIC = 'viewer-changes';

function asChange(message: unknown): ViewerChange | null {
  const { tokenId, userId } = (message ?? {}) as Record<string, unknown>;
  if (typeof tokenId === 'string') return { tokenId };
  if (typeof userId === 'string') return { userId };
  return null;
}

export class ViewerChanges {
  private readonly id = randomUUID();
  private readonly listeners = new Set<(change: ViewerChange) => void>();
  private readonly channel: LiveChannel<Notice> | null;
  private unsubscribe: (() => void) | undefined;

  /** Without a bus (the command line), changes are applied in this process only. */
  constructor(bus: LiveBus<unknown> | null) {
    this.channel = bus && liveChannel<Notice>(bus, TOPIC);
  }

  /**
   * Called once the change has committed. This instance applies it before the call returns, whatever becomes of the
   * notice; the others when it reaches them.
   */
  async announce(change: ViewerChange): Promise<void> {
    this.apply(change);
    await this.channel?.publish({ ...change, from: this.id });
  }

  /** Calls `listener` with every change, this instance's and the others'. The returned function removes it. */
  listen(listener: (change: ViewerChange) => void): () => void {
    this.listeners.add(listener);
    this.unsubscribe ??= this.channel?.subscribe((notice) => {
      const change = asChange(notice);
      if (change && notice.from !== this.id) this.apply(change);
    });
    return () => {
      this.listeners.delete(listener);
    };
  }

  private apply(change: ViewerChange): void {
    for (const listener of this.listeners) listener(change);
  }
}
