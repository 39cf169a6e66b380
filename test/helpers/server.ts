// Starts the real server on a free port with a fresh database, and hands back clients bound to it.
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import type { DestinationStream } from 'pino';
import { startApp, type App } from '../../src/app';
import { loadConfig, type Config } from '../../src/config';
import type { Clock } from '../../src/lib/clock';
import { createLogger } from '../../src/lib/logger';
import { createLiveBus } from '../../src/process-lifecycle';
import { ALL_SCOPES, type Scope } from '../../src/modules/accounts/api-token.entity';
import { Role, User } from '../../src/modules/accounts/user.entity';
import { createTestDatabase, type TestDatabase } from './database';
import { graphqlRequest, type GraphQLResponse } from './graphql';

export interface Session {
  accountId: string;
  userId: string;
  email: string;
  token: string;
}

export interface TestServer {
  app: App;
  config: Config;
  database: TestDatabase;
  url: string;
  wsUrl: string;
  request<TResult, TVariables>(
    document: TypedDocumentNode<TResult, TVariables> | string,
    variables?: TVariables,
    token?: string | null,
  ): Promise<GraphQLResponse<TResult>>;
  /** A new account with an OWNER holding a token with every scope. */
  createAccount(name?: string, email?: string): Promise<Session>;
  /** A user in an existing account with the given role, and a token with the given scopes. */
  addUser(accountOwner: Session, role: Role, scopes?: readonly Scope[]): Promise<Session>;
  /** Another token for an existing user. */
  createToken(session: Session, scopes: readonly Scope[]): Promise<string>;
  close(): Promise<void>;
}

let accountCounter = 0;

export interface TestServerOptions {
  /** Where the server's JSON log lines go (stdout when omitted), for tests that read the logs. */
  logDestination?: DestinationStream;
  /** A PostgreSQL server to make the test database on, whatever TEST_DATABASE_URL says. */
  postgresAdminUrl?: string;
  /** The live bus REDIS_URL names, as the server process has (in-process instances share a memory bus otherwise). */
  redisLiveBus?: boolean;
  /** The clock the service reads (the machine's when omitted). */
  clock?: Clock;
}

/** The configuration of a test server on `database`, with `env` over the test defaults. */
function testConfig(database: TestDatabase, env: Record<string, string>): Config {
  return loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_URL: database.url,
    DATA_DIR: database.dir,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    LOCAL_MODE: 'false',
    // Tests talk to peers on loopback; the SSRF tests turn the guard back on.
    ALLOW_PRIVATE_NETWORK_TARGETS: 'true',
    // Suites send many requests per token from one address; the abuse tests set their own limits.
    RATE_LIMIT_SETTINGS_PER_SECOND: '100000',
    RATE_LIMIT_SETTINGS_BURST: '100000',
    RATE_LIMIT_PUBLISH_PER_SECOND: '100000',
    RATE_LIMIT_PUBLISH_BURST: '100000',
    RATE_LIMIT_ANONYMOUS_PER_SECOND: '100000',
    RATE_LIMIT_ANONYMOUS_BURST: '100000',
    AUTH_FAILURES_PER_MINUTE: '100000',
    WS_CONNECTIONS_PER_MINUTE: '100000',
    WS_CONNECTIONS_PER_ADDRESS: '100000',
    ...env,
  });
}

export interface OtherInstance {
  app: App;
  request: TestServer['request'];
  close(): Promise<void>;
}

/**
 * Another instance of the service on the same database as `server` (API only unless env says otherwise), as a
 * second process of a deployment would be. The caller closes it before the server.
 */
export async function startOtherInstance(
  server: TestServer,
  env: Record<string, string> = {},
  options: Pick<TestServerOptions, 'redisLiveBus' | 'clock'> = {},
): Promise<OtherInstance> {
  const config = testConfig(server.database, { WORKERS: '0', ...env });
  const log = createLogger('silent');
  const app = await startApp(config, {
    log,
    bus: options.redisLiveBus ? createLiveBus(config, log) : undefined,
    clock: options.clock,
  });
  return {
    app,
    request: (document, variables, token) => graphqlRequest(app.server.url, document, variables, token),
    close: () => app.close(),
  };
}

export async function startTestServer(
  env: Record<string, string> = {},
  options: TestServerOptions = {},
): Promise<TestServer> {
  const database = await createTestDatabase(options.postgresAdminUrl ?? process.env.TEST_DATABASE_URL);
  const config = testConfig(database, env);
  let app: App;
  try {
    const log = createLogger(config.logLevel, options.logDestination);
    app = await startApp(config, {
      log,
      bus: options.redisLiveBus ? createLiveBus(config, log) : undefined,
      clock: options.clock,
    });
  } catch (error) {
    await database.drop();
    throw error;
  }
  const url = app.server.url;
  const services = app.services;

  async function tokenFor(userId: string, scopes: readonly Scope[]): Promise<string> {
    const user = await services.dataSource.getRepository(User).findOneByOrFail({ id: userId });
    return (await services.tokens.create(user, 'test', scopes)).secret;
  }

  return {
    app,
    config,
    database,
    url,
    wsUrl: url.replace(/^http/, 'ws'),
    request: (document, variables, token) => graphqlRequest(url, document, variables, token),
    async createAccount(name, email) {
      accountCounter += 1;
      const accountName = name ?? `account-${process.pid}-${accountCounter}`;
      const ownerEmail = email ?? `owner${accountCounter}@example.com`;
      const result = await services.accounts.bootstrap(accountName, ownerEmail);
      return {
        accountId: result.account.id,
        userId: result.user.id,
        email: result.user.email,
        token: result.secret,
      };
    },
    async addUser(accountOwner, role, scopes = ALL_SCOPES) {
      const owner = (await services.tokens.authenticate(`Bearer ${accountOwner.token}`)) as {
        viewer: Parameters<typeof services.accounts.addUser>[0];
      };
      accountCounter += 1;
      const email = `${role.toLowerCase()}${accountCounter}@example.com`;
      const user = await services.accounts.addUser(owner.viewer, {
        email,
        name: `${role} ${accountCounter}`,
        role,
      });
      return {
        accountId: accountOwner.accountId,
        userId: user.id,
        email,
        token: await tokenFor(user.id, scopes),
      };
    },
    createToken: (session, scopes) => tokenFor(session.userId, scopes),
    async close() {
      await app.close();
      await database.drop();
    },
  };
}
