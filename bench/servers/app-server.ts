// The service under test, as src/main.ts runs it (configuration from the environment), plus the bench control.
import 'reflect-metadata';
import { startApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/lib/logger';
import { createLiveBus } from '../../src/process-lifecycle';
import { serveBenchControl } from './control';

async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger(config.logLevel);
  const app = await startApp(config, { log, bus: createLiveBus(config, log) });
  serveBenchControl({
    url: app.server.url.replace('localhost', '127.0.0.1'),
    close: () => app.close(),
    answer: (question) => {
      if (question === 'workerInFlight') return app.worker?.inFlightCount ?? 0;
      return null;
    },
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
