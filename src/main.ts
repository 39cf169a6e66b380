// Entry point of the server: configuration, database, the local account on first start, the API and workers.
import 'reflect-metadata';
import { startApp } from './app';
import { ConfigError, loadConfig } from './config';
import { isLoopbackAddress } from './lib/client-address';
import { createLogger } from './lib/logger';
import { writeLocalToken } from './playground';
import { createLiveBus, exitGracefully, reportStartFailure } from './process-lifecycle';

async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger(config.logLevel);
  const app = await startApp(config, { log, bus: createLiveBus(config, log) });
  exitGracefully(config, log, () => app.close());

  let token: string | null = null;
  if (config.localMode && (await app.services.accounts.countAccounts()) === 0) {
    const result = await app.services.accounts.bootstrap('local', 'owner@localhost', 'Local owner');
    token = result.secret;
    writeLocalToken(config.dataDir, token);
  }

  const lines = [
    `stack-notifications is listening on ${app.server.url} (GraphQL, playground and subscriptions); the page is at ${app.server.url.replace(/graphql$/, '')}` +
      (app.worker ? '' : ' — API only (WORKERS=0)'),
  ];
  if (token) {
    lines.push(
      '',
      'A local account was created. Its API token, shown this once (the page and the playground already use it):',
      '',
      `    ${token}`,
      '',
      `Send it as "Authorization: Bearer <token>". Data lives in ${config.dataDir}.`,
    );
  }
  if (config.localMode) {
    const loopback = config.host === 'localhost' || isLoopbackAddress(config.host);
    lines.push(
      '',
      loopback
        ? `Local mode: listening on ${config.host} only, so only this machine can connect (HOST changes that).`
        : `WARNING: local mode is on and the server listens on ${config.host}, so other machines can reach it. ` +
            'Anyone who can reach it may try to use this account; the token itself is only handed to requests from ' +
            'this machine that name localhost. For a server others use, set NODE_ENV=production (or LOCAL_MODE=false) ' +
            'and create accounts with the command line.',
    );
  }
  console.log(lines.join('\n'));
}

main().catch((error: unknown) => reportStartFailure(error, error instanceof ConfigError));
