// Prometheus metrics (prom-client), one registry per process: what operators watch.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface OutboxStats {
  pending: number;
  oldestPendingAgeSeconds: number;
}

/** Operation names longer than this are cut in labels. */
const MAX_OPERATION_NAME_LENGTH = 64;

export class Metrics {
  readonly registry = new Registry();
  /** Operation names with a series of their own; clients choose names, so later ones share `other`. */
  private readonly operationNames = new Set<string>();
  private readonly operations: Counter<'operation' | 'outcome'>;
  readonly activeSubscriptions: Gauge;
  readonly deliveryAttempts: Counter<'channel' | 'status'>;
  readonly deliveryDuration: Histogram<'channel'>;
  readonly retentionPurged: Counter<'table'>;
  readonly workerDatabaseErrors: Counter;
  readonly unwrittenOutcomes: Gauge;

  constructor(
    outboxStats: () => Promise<OutboxStats>,
    private readonly maxOperationNames = 200,
  ) {
    collectDefaultMetrics({ register: this.registry });
    this.operations = new Counter({
      name: 'graphql_operations_total',
      help: 'GraphQL operations by name and outcome (ok or the error code)',
      labelNames: ['operation', 'outcome'],
      registers: [this.registry],
    });
    this.activeSubscriptions = new Gauge({
      name: 'graphql_active_subscriptions',
      help: 'Live subscriptions open on this process',
      registers: [this.registry],
    });
    this.deliveryAttempts = new Counter({
      name: 'delivery_attempts_total',
      help: 'Delivery attempts by channel and the status they left the delivery in',
      labelNames: ['channel', 'status'],
      registers: [this.registry],
    });
    this.deliveryDuration = new Histogram({
      name: 'delivery_attempt_duration_seconds',
      help: 'How long one delivery attempt took, by channel',
      labelNames: ['channel'],
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [this.registry],
    });
    this.retentionPurged = new Counter({
      name: 'retention_purged_rows_total',
      help: 'Rows deleted for being past their retention, by table (deliveries count with their attempts)',
      labelNames: ['table'],
      registers: [this.registry],
    });
    this.workerDatabaseErrors = new Counter({
      name: 'delivery_worker_database_errors_total',
      help: 'Claims and records of delivery workers that failed because of the database (unreachable, refused)',
      registers: [this.registry],
    });
    this.unwrittenOutcomes = new Gauge({
      name: 'delivery_unwritten_outcomes',
      help: 'Attempts over whose outcome waits for the database (kept in memory, written when it answers)',
      registers: [this.registry],
    });
    let last: Promise<OutboxStats | null> | null = null;
    // Both outbox gauges come from one query per scrape. Without the database they keep their last values, and the
    // rest of the scrape (the error counters, the unwritten outcomes) still answers.
    const stats = () =>
      (last ??= outboxStats()
        .catch(() => null)
        .finally(() => setTimeout(() => (last = null), 0)));
    new Gauge({
      name: 'outbox_pending_deliveries',
      help: 'Deliveries waiting for an attempt',
      registers: [this.registry],
      async collect() {
        const current = await stats();
        if (current) this.set(current.pending);
      },
    });
    new Gauge({
      name: 'outbox_oldest_pending_age_seconds',
      help: 'Age of the oldest delivery still pending',
      registers: [this.registry],
      async collect() {
        const current = await stats();
        if (current) this.set(current.oldestPendingAgeSeconds);
      },
    });
  }

  /** Reports whether the live bus reaches other instances now (1) or not (0: a Redis outage). */
  watchLiveBus(connected: () => boolean): void {
    new Gauge({
      name: 'live_bus_connected',
      help: 'Whether the live bus reaches other instances (1) or has lost Redis (0)',
      registers: [this.registry],
      collect() {
        this.set(connected() ? 1 : 0);
      },
    });
  }

  /** Counts an operation under its name, cut to a bounded length and to a bounded number of distinct names. */
  countOperation(name: string, outcome: string): void {
    let label = name.slice(0, MAX_OPERATION_NAME_LENGTH);
    if (!this.operationNames.has(label)) {
      if (this.operationNames.size >= this.maxOperationNames) label = 'other';
      else this.operationNames.add(label);
    }
    this.operations.inc({ operation: label, outcome });
  }
}
