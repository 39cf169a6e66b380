// Entry point of a delivery-only process (npm run worker): the outbox, and an HTTP port of its own for health,
// readiness and metrics. It never connects to Redis: it publishes nothing live and counts no API rate.
import 'reflect-metadata';
import { startCore } from './app';
import { ConfigError, loadConfig } from './config';
import { MemoryLiveBus } from './lib/live-bus/memory-bus';
import { createLogger } from './lib/logger';
import type { LiveNotification } from './modules/events/events.service';
import { exitGracefully, reportStartFailure } from './process-lifecycle';
import { startWorkerHttp } from './worker-http';

async function main(): Promise<void> {
  const config = { ...loadConfig(), workers: true };
  const log = createLogger(config.logLevel);
  const core = await startCore(config, { log, bus: new MemoryLiveBus<LiveNotification>() });
  let http;
  try {
    http = await startWorkerHttp({
      dataSource: core.dataSource,
      worker: core.worker!,
      metrics: core.metrics,
      metricsToken: config.metricsToken,
      port: config.workerHttp.port,
      host: config.workerHttp.host,
    });
  } catch (error) {
    await core.close();
    throw error;
  }
  exitGracefully(config, log, async () => {
    await core.close();
    await http.close();
  });
  console.log(
    `delivery worker started: ${core.worker!.id}, ${config.delivery.concurrency} deliveries at a time; ` +
      `health, readiness and metrics on ${http.url}`,
  );
}

main().catch((error: unknown) => reportStartFailure(error, error instanceof ConfigError));
