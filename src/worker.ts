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
  console.log(
    `delivery worker started: ${core.worker!.id}, ${config.delivery.concurrency} deliveries at a time`,
  );
}

main().catch((error: unknown) => reportStartFailure(error, error instanceof ConfigError));
