// Entry point: configuration, database, the local account on first start, then the server.
import 'reflect-metadata';
import { startApp } from './app';
import { ConfigError, loadConfig } from './config';
import { createLogger } from './lib/logger';
import { writeLocalToken } from './playground';

async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger(config.logLevel);
  const app = await startApp(config, { log });

  let token: string | null = null;
  if (config.localMode && (await app.services.accounts.countAccounts()) === 0) {
    const result = await app.services.accounts.bootstrap('local', 'owner@localhost', 'Local owner');
    token = result.secret;
    writeLocalToken(config.dataDir, token);
  }

  const playground = app.server.url.replace(/:\d+\//, `:${app.server.port}/`);
  const lines = [`stack-notifications is listening on ${playground} (GraphQL, playground and subscriptions)`];
  if (token) {
    lines.push(
      '',
      'A local account was created. Its API token, shown this once (the playground already uses it):',
      '',
      `    ${token}`,
      '',
      `Send it as "Authorization: Bearer <token>". Data lives in ${config.dataDir}.`,
    );
  }
  console.log(lines.join('\n'));

  const shutdown = (signal: string) => {
    log.info({ signal }, 'shutting down');
    app.close().then(
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

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(`Configuration error: ${error.message}`);
  } else {
    console.error(`Could not start: ${error instanceof Error ? error.message : String(error)}`);
  }
  process.exit(1);
});
