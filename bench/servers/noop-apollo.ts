// Baseline of the HTTP benchmarks: Apollo Server 5 on express 5, built as src/server.ts builds it (JSON body
// parser, expressMiddleware, drain and landing-page plugins), answering a one-field schema with no work behind it.
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import { GraphQLBoolean, GraphQLObjectType, GraphQLSchema } from 'graphql';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { serveBenchControl } from './control';

const noop = { type: GraphQLBoolean, resolve: () => true };
const schema = new GraphQLSchema({
  query: new GraphQLObjectType({ name: 'Query', fields: { noop } }),
  mutation: new GraphQLObjectType({ name: 'Mutation', fields: { noop } }),
});

async function main(): Promise<void> {
  const app = express();
  app.disable('x-powered-by');
  const httpServer = http.createServer(app);
  const apollo = new ApolloServer({
    schema,
    introspection: true,
    includeStacktraceInErrorResponses: false,
    plugins: [ApolloServerPluginDrainHttpServer({ httpServer }), ApolloServerPluginLandingPageDisabled()],
  });
  await apollo.start();
  app.use(
    '/graphql',
    express.json({ limit: '1mb' }),
    expressMiddleware(apollo, { context: async () => ({}) }),
  );
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  const { port } = httpServer.address() as AddressInfo;
  serveBenchControl({ url: `http://127.0.0.1:${port}/graphql`, close: () => apollo.stop() });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
