// Assembles the service from a Config: database, live bus, transports, services, and the roles this process
// plays: the API (HTTP + WebSocket), delivery workers, or both.
import type { DataSource } from 'typeorm';
import type { Config } from './config';
import { openDatabase } from './db/data-source';
import { createTransportsFromConfig, ownerNotifier, targetPolicy } from './delivery-setup';
import { MemoryLiveBus } from './lib/live-bus/memory-bus';
import type { LiveBus } from './lib/live-bus/live-bus';
import { type Clock, systemClock } from './lib/clock';
import { createLogger, type Logger } from './lib/logger';
import { loadVapidKeys } from './modules/channels/vapid-keys';
import { loadSecretBox } from './lib/secret-box';
import { DeliveryWorker } from './modules/deliveries/delivery-worker';
import { RetentionPurger } from './modules/deliveries/retention';
import { OutboxListener } from './modules/deliveries/outbox-listener';
import type { LiveNotification } from './modules/events/events.service';
import { createSchema } from './schema';
import { Metrics } from './metrics';
import { startServer, type RunningServer } from './server';
import { createServices, type Services } from './services';
import { closeTransports } from './transports';

export interface Core {
  services: Services;
  metrics: Metrics;
  /** Null when WORKERS=0. */
  worker: DeliveryWorker | null;
  /** Deletes what is past its retention; null when WORKERS=0. */
  purger: RetentionPurger | null;
  dataSource: DataSource;
  log: Logger;
  close(): Promise<void>;
}

export interface App extends Core {
  server: RunningServer;
}

export interface StartOptions {
  log?: Logger;
  bus?: LiveBus<LiveNotification>;
  /** The machine's clock unless given: tests run the service on a clock they set. */
  clock?: Clock;
}

/** Database, live bus, transports, services and (unless WORKERS=0) a delivery worker. */
export async function startCore(config: Config, options: StartOptions = {}): Promise<Core> {
  const log = options.log ?? createLogger(config.logLevel);
  const dataSource = await openDatabase(config.database, { migrate: true });
  const bus = options.bus ?? new MemoryLiveBus<LiveNotification>();
  const clock = options.clock ?? systemClock;
  try {
    const secrets = loadSecretBox(config);
    const vapid = await loadVapidKeys(dataSource, config.vapid, secrets);
    const transports = createTransportsFromConfig(config, vapid, log);
    const services = createServices({
      secrets,
      clock,
      config,
      dataSource,
      bus,
      vapid,
      transports,
      targetPolicy: targetPolicy(config),
      notifier: ownerNotifier(transports, log),
    });
    const metrics = new Metrics(() => services.deliveries.outboxStats(), config.metricsMaxOperationNames);
    const worker = config.workers
      ? new DeliveryWorker({
          dataSource,
          transports,
          metrics,
          channels: services.channels,
          config: config.delivery,
          publicUrl: config.publicUrl,
          log: log.child({ worker: true }),
          clock,
        })
      : null;
    let listener: OutboxListener | null = null;
    if (worker) {
      services.events.onDeliveriesEnqueued(() => worker.wake());
      services.deliveries.onRedeliver(() => worker.wake());
      worker.start();
      // Publishes of other processes wake this one's worker through PostgreSQL; SQLite has only this process.
      if (config.database.type === 'postgres') {
        listener = new OutboxListener(config.database.url, () => worker.wake(), log.child({ worker: true }));
        await listener.start();
      }
    }
    const purger = config.workers
      ? new RetentionPurger(
          dataSource,
          config.retention,
          (table, rows) => metrics.retentionPurged.inc({ table }, rows),
          log.child({ retention: true }),
          () => clock.now(),
        )
      : null;
    purger?.start();
    return {
      services,
      metrics,
      worker,
      purger,
      dataSource,
      log,
      async close() {
        await purger?.stop();
        await listener?.close();
        await worker?.stop(Math.max(0, config.shutdownTimeoutMs - 1000));
        await closeTransports(transports);
        await bus.close();
        await dataSource.destroy();
      },
    };
  } catch (error) {
    await bus.close();
    await dataSource.destroy();
    throw error;
  }
}

/** The API (GraphQL over HTTP and WebSocket) on top of the core. */
export async function startApp(config: Config, options: StartOptions = {}): Promise<App> {
  const core = await startCore(config, options);
  // Only the API process has live subscribers: worker processes keep no bus gauge.
  core.metrics.watchLiveBus(() => core.services.bus.connected());
  try {
    const server = await startServer({
      services: core.services,
      schema: await createSchema(),
      log: core.log,
      metrics: core.metrics,
      port: config.port,
      host: config.host,
    });
    return {
      ...core,
      server,
      async close() {
        await server.close();
        await core.close();
      },
    };
  } catch (error) {
    await core.close();
    throw error;
  }
}
