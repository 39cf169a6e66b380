// Prometheus metrics (prom-client), one registry per process: what operators watch.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface OutboxStats {
  pending: number;
  oldestPendingAgeSeconds: number;
}

export class Metrics {
  readonly registry = new Registry();
  readonly operations: Counter<'operation' | 'outcome'>;
  readonly activeSubscriptions: Gauge;
  readonly deliveryAttempts: Counter<'channel' | 'status'>;
  readonly deliveryDuration: Histogram<'channel'>;
  readonly settingsCacheLookups: Counter<'result'>;

  constructor(outboxStats: () => Promise<OutboxStats>) {
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
    this.settingsCacheLookups = new Counter({
      name: 'settings_cache_lookups_total',
      help: 'Settings reads looked up in the settings cache, by result (hit or miss)',
      labelNames: ['result'],
      registers: [this.registry],
    });
    let last: Promise<OutboxStats> | null = null;
    // Both outbox gauges come from one query per scrape.
    const stats = () => (last ??= outboxStats().finally(() => setTimeout(() => (last = null), 0)));
    new Gauge({
      name: 'outbox_pending_deliveries',
      help: 'Deliveries waiting for an attempt',
      registers: [this.registry],
      async collect() {
        this.set((await stats()).pending);
      },
    });
    new Gauge({
      name: 'outbox_oldest_pending_age_seconds',
      help: 'Age of the oldest delivery still pending',
      registers: [this.registry],
      async collect() {
        this.set((await stats()).oldestPendingAgeSeconds);
      },
    });
  }
}
