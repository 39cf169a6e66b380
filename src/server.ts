// One HTTP server on one port: Apollo Server over express 5 for HTTP, graphql-ws for subscriptions, the playground,
// the page, health and metrics. The same limits apply to operations over HTTP and over WebSocket.
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import {
  GraphQLError,
  Kind,
  NoSchemaIntrospectionCustomRule,
  OperationTypeNode,
  specifiedRules,
  type DocumentNode,
  type GraphQLFormattedError,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { CloseCode } from 'graphql-ws';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { buildContext, operationContext, type Context } from './context';
import { bodyErrors, cors, healthRouter, securityHeaders } from './http-extras';
import { clientAddressResolver, isLoopbackRequest } from './lib/client-address';
import { ErrorCode, toGraphQLError } from './lib/errors';
import { DocumentCache } from './graphql/document-cache';
import { subscribeSharingExecution } from './graphql/shared-execution';
import { useServer } from './graphql/ws-adapter';
import type { Logger } from './lib/logger';
import type { Metrics } from './lib/metrics';
import { checkOperationLimits, tokenLimitRefusal } from './lib/operation-limits';
import { limitNamespace, RedisLimits } from './lib/redis-rate-limit';
import { RequestGate, type OperationClass } from './graphql/request-gate';
import { playgroundHtml, playgroundRouter, readLocalToken } from './playground';
import { SocketSessions } from './modules/accounts/sessions';
import { SettingsCache } from './modules/stacks/settings-cache';
import type { Services } from './services';
import { webRouter } from './web';

export interface RunningServer {
  url: string;
  port: number;
  httpServer: http.Server;
  close(): Promise<void>;
}

const GRAPHQL_PATH = '/graphql';
/** How long a starting server waits for Redis before it limits per process (until Redis answers). */
const REDIS_CONNECT_WAIT_MS = 2000;
/** graphql-ws has no named constant for it: the code it uses for too many initialisation requests. */
const TOO_MANY_CONNECTIONS = CloseCode.TooManyInitialisationRequests;

const HTTP_STATUS_BY_CODE: Partial<Record<string, number>> = {
  [ErrorCode.RATE_LIMITED]: 429,
  [ErrorCode.QUERY_TOO_DEEP]: 400,
  [ErrorCode.QUERY_TOO_COMPLEX]: 400,
  [ErrorCode.INTROSPECTION_DISABLED]: 400,
};

function selectedOperation(document: DocumentNode, name: string | null | undefined) {
  const operations = document.definitions.filter(
    (definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION,
  );
  return name ? operations.find((operation) => operation.name?.value === name) : operations[0];
}

/** publishEvent has its own, higher rate; everything else is a settings operation. */
function operationClass(operation: OperationDefinitionNode | undefined): OperationClass {
  const publishes = operation?.selectionSet.selections.some(
    (selection) => selection.kind === Kind.FIELD && selection.name.value === 'publishEvent',
  );
  return publishes ? 'publish' : 'settings';
}

export async function startServer(options: {
  services: Services;
  schema: GraphQLSchema;
  log: Logger;
  metrics: Metrics;
  port: number;
  host: string;
}): Promise<RunningServer> {
  const { services, schema, log, metrics } = options;
  const { config } = services;
  // With Redis, every instance counts against the same rates; a token gets its rate once, not once per instance.
  const redisLimits = config.redisUrl
    ? new RedisLimits(config.redisUrl, limitNamespace(config.database), log)
    : null;
  await redisLimits?.ready(REDIS_CONNECT_WAIT_MS);
  const gate = new RequestGate(
    config.limits,
    redisLimits ? (name, limit) => redisLimits.limiter(name, limit) : undefined,
  );
  const clientIp = clientAddressResolver(config.trustProxy);
  // The local token goes only to this machine, asked by a name of this machine (not a rebound DNS name).
  const revealsLocalToken = (request: http.IncomingMessage) =>
    config.localMode && isLoopbackRequest(request, clientIp(request));
  const app = express();
  app.disable('x-powered-by');
  // express hashes every response body for an ETag; GraphQL clients do not make conditional requests.
  app.set('etag', false);
  const httpServer = http.createServer(app);
  const validationRules = config.graphql.introspection
    ? specifiedRules
    : [...specifiedRules, NoSchemaIntrospectionCustomRule];

  const wsServer = new WebSocketServer({
    server: httpServer,
    path: GRAPHQL_PATH,
    maxPayload: config.graphql.maxBodyBytes,
  });
  const socketContexts = new WeakMap<object, Context>();
  // Sockets follow their tokens: closed when revoked or changed, every operation authenticated again (sessions.ts).
  const sessions = new SocketSessions(services.tokens, services.tokens.changes, {
    recheckMs: config.sessionRecheckMs,
    log,
  });
  // Subscribers mostly send the same few queries: parse and validate each once (see DocumentCache).
  const subscriptionDocuments = new DocumentCache(schema, validationRules, {
    maxTokens: config.graphql.maxTokens,
  });
  const socketSubscriptions = new WeakMap<object, Set<string>>();
  const releaseSubscription = (extra: object, id: string) => {
    const open = socketSubscriptions.get(extra);
    const context = socketContexts.get(extra);
    if (!open?.delete(id) || !context?.viewer) return;
    gate.releaseSubscription(context.viewer.tokenId, context.viewer.account.id);
    metrics.activeSubscriptions.dec();
  };
  // Registered before graphql-ws's own listener: a connection over the address's ceiling is closed before it speaks.
  wsServer.on('connection', (socket, request) => {
    const ip = clientIp(request);
    if (!gate.openConnection(ip)) {
      socket.close(TOO_MANY_CONNECTIONS, 'Too many open connections from this address');
      return;
    }
    socket.once('close', () => gate.closeConnection(ip));
  });
  const wsCleanup = useServer<
    { authorization?: unknown },
    { socket: WebSocket; request: http.IncomingMessage }
  >(
    {
      schema,
      isProd: config.production,
      // Returning false closes the socket with 4403 Forbidden: bad credentials are refused at connection_init.
      onConnect: async (ctx) => {
        const ip = clientIp(ctx.extra.request);
        if (!(await gate.admitConnection(ip))) {
          ctx.extra.socket.close(TOO_MANY_CONNECTIONS, 'Too many connection attempts from this address');
          return false;
        }
        const authorization = ctx.connectionParams?.authorization;
        // Every refusal of credentials, rate-limited or not, closes with 4403: 4429 would tell graphql-ws clients
        // to give up for good, and a valid token from the same address must still get in.
        if (typeof authorization !== 'string' || !authorization) return false;
        try {
          const context = await buildContext(services, log, gate, { authorization, ip });
          if (!context.viewer) return false;
          socketContexts.set(ctx.extra, context);
          sessions.open(ctx.extra, ctx.extra.socket, authorization, context.viewer);
          socketSubscriptions.set(ctx.extra, new Set());
          return true;
        } catch {
          return false;
        }
      },
      // Operations over the socket are parsed, validated and limited here exactly as over HTTP.
      onSubscribe: async (ctx, id, payload) => {
        let contextValue: Context;
        try {
          contextValue = operationContext(
            socketContexts.get(ctx.extra)!,
            await sessions.viewerFor(ctx.extra),
          );
        } catch (error) {
          return [toGraphQLError(error, { maskInternal: config.production }).error];
        }
        let document: DocumentNode;
        try {
          const checked = subscriptionDocuments.get(payload.query);
          if (checked.errors.length) return [...checked.errors];
          document = checked.document;
        } catch (error) {
          if (!(error instanceof GraphQLError)) return [new GraphQLError(String(error))];
          return [tokenLimitRefusal(error, config.graphql.maxTokens) ?? error];
        }
        const limited = checkOperationLimits(
          schema,
          document,
          payload.variables ?? undefined,
          payload.operationName,
          config.graphql,
        );
        if (limited) return [limited];
        const operation = selectedOperation(document, payload.operationName);
        if (operation?.operation === OperationTypeNode.SUBSCRIPTION && contextValue.viewer) {
          const held = gate.acquireSubscription(contextValue.viewer.tokenId, contextValue.viewer.account.id);
          if (!held.ok) {
            return [new GraphQLError(held.limit, { extensions: { code: ErrorCode.RATE_LIMITED } })];
          }
          socketSubscriptions.get(ctx.extra)!.add(id);
          metrics.activeSubscriptions.inc();
        } else if (contextValue.viewer) {
          try {
            await gate.admitOperation(contextValue.viewer.tokenId, operationClass(operation));
          } catch (error) {
            return [toGraphQLError(error, { maskInternal: true }).error];
          }
        }
        return {
          schema,
          document,
          variableValues: payload.variables,
          operationName: payload.operationName,
          contextValue,
        };
      },
      // Each event is executed once per distinct operation and shared by its subscribers, not once per socket, and
      // written to their sockets directly (ws-adapter.ts).
      subscribe: subscribeSharingExecution,
      onComplete: (ctx, id) => releaseSubscription(ctx.extra, id),
      onClose: (ctx) => {
        sessions.closed(ctx.extra);
        for (const id of [...(socketSubscriptions.get(ctx.extra) ?? [])]) releaseSubscription(ctx.extra, id);
      },
    },
    wsServer,
  );

  const anonymousLimits = { ...config.graphql, maxCost: config.graphql.maxCostAnonymous };
  const limitsPlugin: ApolloServerPlugin<Context> = {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, request, contextValue, operation }) {
          // A wrong token is not anonymous: it is told so when the operation runs, and its address is slowed down.
          const anonymous = contextValue.authFailure === 'missing';
          const limited = checkOperationLimits(
            schema,
            document,
            request.variables,
            request.operationName,
            anonymous ? anonymousLimits : config.graphql,
          );
          if (limited && anonymous && limited.extensions.maxCost !== undefined) {
            throw new GraphQLError(
              `${limited.message}; an API token allows ${config.graphql.maxCost}`,
              limited,
            );
          }
          if (limited) throw limited;
          if (contextValue.viewer) {
            try {
              await gate.admitOperation(contextValue.viewer.tokenId, operationClass(operation));
            } catch (error) {
              throw toGraphQLError(error, { maskInternal: true }).error;
            }
          }
        },
        async willSendResponse({ response, errors, operationName, operation }) {
          const code = errors?.[0]?.extensions?.code;
          const status = typeof code === 'string' ? HTTP_STATUS_BY_CODE[code] : undefined;
          if (status) response.http.status = status;
          const retryAfter = errors?.[0]?.extensions?.retryAfter;
          if (typeof retryAfter === 'number') response.http.headers.set('retry-after', String(retryAfter));
          const name =
            operationName ??
            operation?.selectionSet.selections.find((s) => s.kind === Kind.FIELD)?.name.value;
          metrics.countOperation(name ?? 'unknown', typeof code === 'string' ? code : 'ok');
        },
      };
    },
  };

  const settingsCache = new SettingsCache(
    services.dataSource,
    schema,
    config.settingsCacheEntries,
    (result) => metrics.settingsCacheLookups.inc({ result }),
  );

  const apollo = new ApolloServer<Context>({
    schema,
    introspection: config.graphql.introspection,
    includeStacktraceInErrorResponses: false,
    // One operation per request: a batch could multiply the work behind one rate-limit token.
    allowBatchedHttpRequests: false,
    // The process handles SIGTERM and SIGINT itself (exitGracefully): it stops Apollo, then the workers and the
    // database. Apollo's own handlers would stop it and re-raise the signal, killing the process mid-shutdown.
    stopOnTerminationSignals: false,
    parseOptions: { maxTokens: config.graphql.maxTokens },
    stringifyResult: (value) => settingsCache.stringify(value),
    plugins: [
      ApolloServerPluginDrainHttpServer({
        httpServer,
        stopGracePeriodMillis: Math.ceil(config.shutdownTimeoutMs / 3),
      }),
      ApolloServerPluginLandingPageDisabled(),
      // No cache hints are used; without this plugin Apollo wraps every field resolver to collect them.
      ApolloServerPluginCacheControlDisabled(),
      limitsPlugin,
      // Answers only after every didResolveOperation: a remembered answer still passes the limits above.
      settingsCache.plugin(),
      {
        async serverWillStart() {
          return {
            async drainServer() {
              await wsCleanup.dispose();
            },
          };
        },
      },
    ],
    // The schema's middleware already coded resolver errors; this backstop covers errors raised outside resolvers.
    formatError: (formatted: GraphQLFormattedError) => {
      if (formatted.extensions?.code === 'GRAPHQL_PARSE_FAILED') {
        const refusal = tokenLimitRefusal(formatted, config.graphql.maxTokens);
        if (refusal) return { message: refusal.message, extensions: refusal.extensions };
      }
      const code = formatted.extensions?.code;
      // Variable coercion errors name the offending field only in their message: 'Variable "$input" got invalid
      // value ... at "input.url"'. Lift it into extensions.field like every other input error.
      if (code === ErrorCode.BAD_USER_INPUT && !formatted.extensions?.field) {
        const match =
          /^Variable "\$(\w+)" got invalid value .*? at "([^"]+)"/.exec(formatted.message) ??
          /^Variable "\$(\w+)"/.exec(formatted.message);
        if (match)
          formatted = { ...formatted, extensions: { ...formatted.extensions, field: match[2] ?? match[1] } };
      }
      if (code === ErrorCode.INTERNAL_SERVER_ERROR && config.production) {
        return { message: 'Internal server error', extensions: { code } };
      }
      if (!config.production) return formatted;
      const { stacktrace: _stacktrace, ...extensions } = formatted.extensions ?? {};
      return { ...formatted, extensions };
    },
  });
  await apollo.start();

  // GraphQL first: every API request would otherwise walk the health and playground routers' routes.
  app.use(cors(config.corsOrigins));
  app.get(GRAPHQL_PATH, securityHeaders, (req, res, next) => {
    // A browser opening /graphql gets the playground; GraphQL GET requests carry a query parameter.
    if (req.query.query === undefined && req.accepts(['application/json', 'text/html']) === 'text/html') {
      const token = revealsLocalToken(req) ? readLocalToken(config.dataDir) : null;
      res.type('html').send(playgroundHtml({ endpoint: GRAPHQL_PATH, token }));
      return;
    }
    next();
  });
  app.use(
    GRAPHQL_PATH,
    express.json({ limit: config.graphql.maxBodyBytes }),
    bodyErrors,
    expressMiddleware(apollo, {
      context: async ({ req }) => {
        const requestId = (req.headers['x-request-id'] as string | undefined)?.slice(0, 100) || randomUUID();
        try {
          return await buildContext(services, log, gate, {
            authorization: req.headers.authorization,
            ip: clientIp(req),
            requestId,
          });
        } catch (error) {
          const coded = toGraphQLError(error, { maskInternal: config.production, requestId }).error;
          const retryAfter = coded.extensions.retryAfter;
          throw new GraphQLError(coded.message, {
            extensions: {
              ...coded.extensions,
              http: {
                status: HTTP_STATUS_BY_CODE[String(coded.extensions.code)] ?? 500,
                headers: new Map(typeof retryAfter === 'number' ? [['retry-after', String(retryAfter)]] : []),
              },
            },
          });
        }
      },
    }),
  );
  app.use(healthRouter(services, metrics));
  app.use(playgroundRouter());
  app.use(securityHeaders, webRouter({ config, revealsLocalToken }));
  // Without a built page, the root leads to the playground.
  app.get('/', (_req, res) => res.redirect(GRAPHQL_PATH));

  try {
    await new Promise<void>((resolve, reject) => {
      httpServer.once('error', reject);
      httpServer.listen(options.port, options.host, () => resolve());
    });
  } catch (error) {
    sessions.stop();
    await redisLimits?.close();
    throw error;
  }
  const port = (httpServer.address() as AddressInfo).port;
  const hostForUrl = options.host === '0.0.0.0' || options.host === '::' ? 'localhost' : options.host;
  return {
    url: `http://${hostForUrl}:${port}${GRAPHQL_PATH}`,
    port,
    httpServer,
    async close() {
      sessions.stop();
      await apollo.stop();
      await redisLimits?.close();
    },
  };
}
