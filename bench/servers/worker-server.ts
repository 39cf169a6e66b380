// A delivery-only process under test, as src/worker.ts runs it (configuration from the environment, no Redis), plus
// the bench control.
import 'reflect-metadata';
import { startCore } from '../../src/app';
import { loadConfig } from '../../src/config';
import { MemoryLiveBus } from '../../src/lib/live-bus/memory-bus';
import { createLogger } from '../../src/lib/logger';
import type { LiveNotification } from '../../src/modules/events/events.service';
import { serveBenchControl } from './control';

async function main(): Promise<void> {
  const config = { ...loadConfig(), workers: true };
  const log = createLogger(config.logLevel);
  const core = await startCore(config, { log, bus: new MemoryLiveBus<LiveNotification>() });
  serveBenchControl({
    url: '',
    close: () => core.close(),
    answer: (question) => (question === 'workerInFlight' ? core.worker!.inFlightCount : null),
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
