// Entry point of a delivery-only process (npm run worker): no HTTP, just the outbox.
import 'reflect-metadata';
import { startCore } from './app';
import { ConfigError, loadConfig } from './config';
import { createLogger } from './lib/logger';
import { createLiveBus, exitGracefully, reportStartFailure } from './process-lifecycle';

async function main(): Promise<void> {
  const config = { ...loadConfig(), workers: true };
  const log = createLogger(config.logLevel);
  const core = await startCore(config, { log, bus: createLiveBus(config, log) });
  exitGracefully(config, log, () => core.close());
  log.info({ workerId: core.worker!.id, concurrency: config.delivery.concurrency }, 'delivery worker started');
}

main().catch((error: unknown) => reportStartFailure(error, error instanceof ConfigError));
