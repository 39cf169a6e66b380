// One HTTP server on one port: Apollo Server over express 5 for HTTP, graphql-ws for subscriptions, the playground.
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import type { GraphQLFormattedError, GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { WebSocketServer } from 'ws';
import { buildContext, type Context } from './context';
import type { Logger } from './lib/logger';
import { ErrorCode } from './lib/errors';
import { playgroundHtml, playgroundRouter, readLocalToken } from './playground';
import { webRouter } from './web';
import type { Services } from './services';

export interface RunningServer {
  url: string;
  port: number;
  httpServer: http.Server;
  close(): Promise<void>;
}

const GRAPHQL_PATH = '/graphql';

export async function startServer(options: {
  services: Services;
  schema: GraphQLSchema;
  log: Logger;
  port: number;
  host: string;
}): Promise<RunningServer> {
  const { services, schema, log } = options;
  const { config } = services;
  const app = express();
  app.disable('x-powered-by');
  const httpServer = http.createServer(app);

  const wsServer = new WebSocketServer({ server: httpServer, path: GRAPHQL_PATH });
  const socketContexts = new WeakMap<object, Context>();
  const wsCleanup = useServer<
    { authorization?: unknown },
    { socket: unknown; request: http.IncomingMessage }
  >(
    {
      schema,
      // Returning false closes the socket with 4403 Forbidden: bad credentials are refused at connection_init.
      onConnect: async (ctx) => {
        const authorization = ctx.connectionParams?.authorization;
        const context = await buildContext(
          services,
          log,
          typeof authorization === 'string' ? authorization : undefined,
        );
        if (!context.viewer) return false;
        socketContexts.set(ctx.extra, context);
        return true;
      },
      context: (ctx) => socketContexts.get(ctx.extra),
    },
    wsServer,
  );

  const apollo = new ApolloServer<Context>({
    schema,
    introspection: true,
    includeStacktraceInErrorResponses: false,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      ApolloServerPluginLandingPageDisabled(),
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
      const code = formatted.extensions?.code;
      if (code === ErrorCode.INTERNAL_SERVER_ERROR && config.production) {
        return { message: 'Internal server error', extensions: { code } };
      }
      if (!config.production) return formatted;
      const { stacktrace: _stacktrace, ...extensions } = formatted.extensions ?? {};
      return { ...formatted, extensions };
    },
  });
  await apollo.start();

  app.use(playgroundRouter());
  app.get(GRAPHQL_PATH, (req, res, next) => {
    // A browser opening /graphql gets the playground; GraphQL GET requests carry a query parameter.
    if (req.query.query === undefined && req.accepts(['application/json', 'text/html']) === 'text/html') {
      const token = config.localMode ? readLocalToken(config.dataDir) : null;
      res.type('html').send(playgroundHtml({ endpoint: GRAPHQL_PATH, token }));
      return;
    }
    next();
  });
  app.use(
    GRAPHQL_PATH,
    express.json({ limit: '1mb' }),
    expressMiddleware(apollo, {
      context: async ({ req }) => {
        const requestId = (req.headers['x-request-id'] as string | undefined)?.slice(0, 100) || randomUUID();
        return buildContext(services, log, req.headers.authorization, requestId);
      },
    }),
  );
  app.use(webRouter());
  // Without a built page, the root leads to the playground.
  app.get('/', (_req, res) => res.redirect(GRAPHQL_PATH));

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(options.port, options.host, () => resolve());
  });
  const port = (httpServer.address() as AddressInfo).port;
  const hostForUrl = options.host === '0.0.0.0' || options.host === '::' ? 'localhost' : options.host;
  return {
    url: `http://${hostForUrl}:${port}${GRAPHQL_PATH}`,
    port,
    httpServer,
    async close() {
      await apollo.stop();
    },
  };
}
