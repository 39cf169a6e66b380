// Baseline of the fan-out benchmark: a bare graphql-ws server (ws + graphql-ws), a one-field subscription schema,
// an in-memory pubsub, no auth, no database. POST /publish hands a JSON object to every subscriber.
import { GraphQLBoolean, GraphQLObjectType, GraphQLScalarType, GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { serveBenchControl } from './control';

type Listener = (value: unknown) => void;
const listeners = new Set<Listener>();

/** The usual minimal pubsub: a set of listeners, each behind a small queue-backed async iterator. */
function subscribeAll(): AsyncIterableIterator<unknown> {
  const queue: unknown[] = [];
  let waiting: ((result: IteratorResult<unknown>) => void) | null = null;
  const listener: Listener = (value) => {
    if (waiting) {
      const resolve = waiting;
      waiting = null;
      resolve({ value, done: false });
    } else queue.push(value);
  };
  listeners.add(listener);
  const done = (): Promise<IteratorResult<unknown>> => {
    listeners.delete(listener);
    waiting?.({ value: undefined, done: true });
    waiting = null;
    return Promise.resolve({ value: undefined, done: true });
  };
  return {
    next: () =>
      queue.length
        ? Promise.resolve({ value: queue.shift(), done: false })
        : new Promise((resolve) => (waiting = resolve)),
    return: done,
    throw: (error) => {
      void done();
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

const JSONValue = new GraphQLScalarType({ name: 'JSON', serialize: (value) => value });

const schema = new GraphQLSchema({
  query: new GraphQLObjectType({
    name: 'Query',
    fields: { ok: { type: GraphQLBoolean, resolve: () => true } },
  }),
  subscription: new GraphQLObjectType({
    name: 'Subscription',
    fields: {
      notificationReceived: {
        type: JSONValue,
        subscribe: () => subscribeAll(),
        resolve: (value: unknown) => value,
      },
    },
  }),
});

const server = http.createServer((request, response) => {
  if (request.method !== 'POST' || request.url !== '/publish') {
    response.writeHead(404).end();
    return;
  }
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    const value: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    for (const listener of listeners) listener(value);
    response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
  });
});
const wsServer = new WebSocketServer({ server, path: '/graphql' });
const cleanup = useServer({ schema }, wsServer);

server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  serveBenchControl({
    url: `http://127.0.0.1:${port}/graphql`,
    async close() {
      await cleanup.dispose();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
    answer: (question) => (question === 'subscribers' ? listeners.size : null),
  });
});
