// Deletes what is older than its retention, a small batch at a time, pausing between batches so that publishes and
// deliveries go on between them. Run by delivery workers; several workers purging at once only find less to delete.
import type { DataSource } from 'typeorm';
import type { Logger } from '../../lib/logger';
import { purgeDeliveries, purgeNotifications, stackIdsAfter } from './retention.repository';

export interface RetentionOptions {
  /** Days a notification is kept; 0 keeps them for ever. */
  notificationDays: number;
  /** Days a finished delivery and its attempts are kept; 0 keeps them for ever. */
  deliveryLogDays: number;
  /** Time between purges. */
  intervalMs: number;
  /** Rows per statement. @default 500 */
  batchSize?: number;
  /** Pause between statements. @default 10 */
  pauseMs?: number;
}

export interface PurgeCounts {
  notifications: number;
  deliveries: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const STACK_PAGE = 500;

export class RetentionPurger {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<PurgeCounts> | null = null;
  private stopped = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly options: RetentionOptions,
    private readonly onPurged: (table: keyof PurgeCounts, rows: number) => void,
    private readonly log: Logger,
    private readonly now: () => Date = () => new Date(),
  ) {}

  get enabled(): boolean {
    return this.options.notificationDays > 0 || this.options.deliveryLogDays > 0;
  }

  start(): void {
    if (!this.enabled || this.timer) return;
    const tick = () => {
      this.timer = setTimeout(() => {
        void this.purge()
          .catch((error: unknown) =>
            this.log.warn({ err: error }, 'retention purge failed; trying again later'),
          )
          .finally(() => {
            if (!this.stopped) tick();
          });
      }, this.options.intervalMs);
      this.timer.unref();
    };
    tick();
  }

  /** Stops the schedule and waits for a purge in progress to finish its current batch. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** One pass over every stack; a pass already running is joined rather than doubled. */
  purge(): Promise<PurgeCounts> {
    this.running ??= this.pass().finally(() => (this.running = null));
    return this.running;
  }

  private async pass(): Promise<PurgeCounts> {
    const counts: PurgeCounts = { notifications: 0, deliveries: 0 };
    const now = this.now().getTime();
    const { deliveryLogDays, notificationDays } = this.options;
    const deliveriesBefore = deliveryLogDays > 0 ? new Date(now - deliveryLogDays * DAY_MS) : null;
    const notificationsBefore = notificationDays > 0 ? new Date(now - notificationDays * DAY_MS) : null;
    const manager = this.dataSource.manager;
    let after = '';
    for (;;) {
      const stacks = await stackIdsAfter(manager, after, STACK_PAGE);
      for (const stackId of stacks) {
        if (deliveriesBefore) {
          counts.deliveries += await this.inBatches('deliveries', (limit) =>
            purgeDeliveries(manager, stackId, deliveriesBefore, limit),
          );
        }
        if (notificationsBefore) {
          counts.notifications += await this.inBatches('notifications', (limit) =>
            purgeNotifications(manager, stackId, notificationsBefore, limit),
          );
        }
        if (this.stopped) return counts;
      }
      if (stacks.length < STACK_PAGE) break;
      after = stacks[stacks.length - 1];
    }
    if (counts.deliveries > 0 || counts.notifications > 0) this.log.info(counts, 'retention purge');
    return counts;
  }

  private async inBatches(
    table: keyof PurgeCounts,
    purge: (limit: number) => Promise<number>,
  ): Promise<number> {
    const limit = this.options.batchSize ?? 500;
    let total = 0;
    for (;;) {
      const deleted = await purge(limit);
      total += deleted;
      if (deleted > 0) this.onPurged(table, deleted);
      if (deleted < limit || this.stopped) return total;
      await new Promise((resolve) => setTimeout(resolve, this.options.pauseMs ?? 10));
    }
  }
}
