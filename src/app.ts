// Assembles the service from a Config: database, services, schema, HTTP server. Used by main and by the tests.
import type { DataSource } from 'typeorm';
import type { Config } from './config';
import { openDatabase } from './db/data-source';
import { createLogger, type Logger } from './lib/logger';
import { createSchema } from './schema';
import { MemoryLiveBus } from './lib/live-bus/memory-bus';
import { startServer, type RunningServer } from './server';
import { createServices, type Services } from './services';

export interface App {
  services: Services;
  server: RunningServer;
  dataSource: DataSource;
  log: Logger;
  close(): Promise<void>;
}

export async function startApp(config: Config, options: { log?: Logger } = {}): Promise<App> {
  const log = options.log ?? createLogger(config.logLevel);
  const dataSource = await openDatabase(config.database, { migrate: true });
  try {
    const services = createServices(config, dataSource, new MemoryLiveBus());
    const schema = await createSchema();
    const server = await startServer({ services, schema, log, port: config.port, host: config.host });
    return {
      services,
      server,
      dataSource,
      log,
      async close() {
        await server.close();
        await dataSource.destroy();
      },
    };
  } catch (error) {
    await dataSource.destroy();
    throw error;
  }
}
