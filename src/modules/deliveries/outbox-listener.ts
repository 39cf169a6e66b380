// A worker process's dedicated PostgreSQL connection that LISTENs for commits writing due deliveries (see
// notifyDeliveriesDue), so workers start at once whichever process published. A lost connection is opened again
// with a growing pause; each (re)connection also wakes the workers, for what was committed while it was down. The
// workers' poll stays as the safety net.
import { Client } from 'pg';
import type { Logger } from '../../lib/logger';
import { OUTBOX_CHANNEL } from './outbox.repository';

const MIN_RECONNECT_MS = 100;
const MAX_RECONNECT_MS = 5000;

export class OutboxListener {
  private client: Client | null = null;
  private closed = false;
  private failures = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly url: string,
    private readonly wake: () => void,
    private readonly log: Logger,
  ) {}

  /** Resolves once listening, or after the first failure (it keeps trying in the background). */
  start(): Promise<void> {
    return this.connect();
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    if (this.closed) return;
    // TCP keepalive: a connection silently cut (no FIN) is noticed and opened again.
    const client = new Client({ connectionString: this.url, keepAlive: true });
    this.client = client;
    let lost = false;
    const onLost = (error?: Error) => {
      if (lost || this.client !== client) return;
      lost = true;
      this.client = null;
      void client.end().catch(() => undefined);
      if (this.closed) return;
      if (this.failures === 0) {
        this.log.warn({ err: error }, 'the outbox listener lost its database connection; reconnecting');
      }
      this.scheduleReconnect();
    };
    client.on('error', onLost);
    client.on('end', () => onLost());
    client.on('notification', (message) => {
      if (message.channel === OUTBOX_CHANNEL) this.wake();
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${OUTBOX_CHANNEL}`);
    } catch (error) {
      onLost(error as Error);
      return;
    }
    if (this.closed || lost) return;
    if (this.failures > 0) this.log.info({ tries: this.failures }, 'the outbox listener is connected again');
    this.failures = 0;
    this.wake();
  }

  private scheduleReconnect(): void {
    this.failures += 1;
    const delay = Math.min(MAX_RECONNECT_MS, MIN_RECONNECT_MS * 2 ** Math.min(this.failures - 1, 30));
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.connect();
    }, delay);
    this.timer.unref();
  }
}
