// Shared by the server and worker entry points: the live bus for this configuration, and graceful shutdown.
import type { Config } from './config';
import type { LiveBus } from './lib/live-bus/live-bus';
import { MemoryLiveBus } from './lib/live-bus/memory-bus';
import { RedisLiveBus } from './lib/live-bus/redis-bus';
import type { Logger } from './lib/logger';
import { liveNotificationKey, type LiveNotification } from './modules/events/events.service';

export function createLiveBus(config: Config, log: Logger): LiveBus<LiveNotification> {
  return config.redisUrl
    ? new RedisLiveBus<LiveNotification>(config.redisUrl, log, liveNotificationKey)
    : new MemoryLiveBus<LiveNotification>();
}

/**
 * On SIGTERM or SIGINT: run `close` (stop accepting, finish or release deliveries, close sockets with 1001), then
 * exit; if that takes longer than shutdownTimeoutMs, exit anyway; leases not returned expire on their own.
 */
export function exitGracefully(config: Config, log: Logger, close: () => Promise<void>): void {
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    setTimeout(() => {
      log.warn({ timeoutMs: config.shutdownTimeoutMs }, 'shutdown timed out; exiting');
      process.exit(1);
    }, config.shutdownTimeoutMs).unref();
    close().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

export function reportStartFailure(error: unknown, isConfigError: boolean): never {
  console.error(
    isConfigError
      ? `Configuration error: ${(error as Error).message}`
      : `Could not start: ${error instanceof Error ? error.message : String(error)}`,
  );
  process.exit(1);
}
