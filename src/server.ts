// One HTTP server on one port: Apollo Server over express 5 for HTTP (src/graphql/http.ts), graphql-ws for
// subscriptions (src/graphql/websocket.ts), the playground, the page, health and metrics. Both transports admit
// callers and operations through the same functions (src/graphql/admission.ts).
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import type { GraphQLSchema } from 'graphql';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Context } from './context';
import { Admission } from './graphql/admission';
import { admissionPlugin, formatHttpError, httpContext, operationMetricsPlugin } from './graphql/http';
import { RequestGate } from './graphql/request-gate';
import { serveGraphqlOverWebSocket } from './graphql/websocket';
import { bodyErrors, cors, healthRouter, securityHeaders } from './http-extras';
import { clientAddressResolver, isLoopbackRequest } from './lib/client-address';
import type { Logger } from './lib/logger';
import type { Metrics } from './metrics';
import { limitNamespace, RedisLimits } from './lib/redis-rate-limit';
import { playgroundHtml, playgroundRouter, readLocalToken } from './playground';
import { SocketSessions } from './modules/accounts/sessions';
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
  const admission = new Admission(services, log, schema, gate);
  // Sockets follow their tokens: closed when revoked or changed, every operation authenticated again (sessions.ts).
  const sessions = new SocketSessions(services.tokens, services.tokens.changes, {
    recheckMs: config.sessionRecheckMs,
    log,
  });
  const websocket = serveGraphqlOverWebSocket({
    httpServer,
    path: GRAPHQL_PATH,
    schema,
    limits: config.graphql,
    production: config.production,
    admission,
    gate,
    sessions,
    metrics,
    clientIp,
  });

  const apollo = new ApolloServer<Context>({
    schema,
    introspection: config.graphql.introspection,
    includeStacktraceInErrorResponses: false,
    // One operation per request: a batch could multiply the work behind one rate-limit token.
    allowBatchedHttpRequests: false,
    // Browsers never attach a bearer token by themselves, and setting Authorization forces a CORS preflight, so
    // its presence proves the request is not a forgery (urql and other clients send queries as plain GETs). A
    // browser-cached Basic or Negotiate credential would also pass this check, but the service accepts only
    // bearer tokens and refuses those as UNAUTHENTICATED.
    csrfPrevention: {
      requestHeaders: ['x-apollo-operation-name', 'apollo-require-preflight', 'authorization'],
    },
    // The process handles SIGTERM and SIGINT itself (exitGracefully): it stops Apollo, then the workers and the
    // database. Apollo's own handlers would stop it and re-raise the signal, killing the process mid-shutdown.
    stopOnTerminationSignals: false,
    parseOptions: { maxTokens: config.graphql.maxTokens },
    plugins: [
      ApolloServerPluginDrainHttpServer({
        httpServer,
        stopGracePeriodMillis: Math.ceil(config.shutdownTimeoutMs / 3),
      }),
      ApolloServerPluginLandingPageDisabled(),
      // No cache hints are used; without this plugin Apollo wraps every field resolver to collect them.
      ApolloServerPluginCacheControlDisabled(),
      admissionPlugin(admission),
      operationMetricsPlugin(metrics),
      {
        async serverWillStart() {
          return {
            async drainServer() {
              await websocket.dispose();
            },
          };
        },
      },
    ],
    formatError: formatHttpError({ production: config.production, maxTokens: config.graphql.maxTokens }),
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
      context: httpContext(admission, clientIp, { production: config.production }),
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
