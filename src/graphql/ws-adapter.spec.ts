// ws-adapter against graphql-ws's own useServer, both over real sockets with the same options: a client receives
// the same messages (byte for byte, in the same order per operation) and the same close codes, while the adapter
// writes subscription results directly; completing or closing frees the bus listener.
import {
  GraphQLObjectType,
  GraphQLSchema,
  GraphQLString,
  parse,
  validate,
  type ExecutionArgs,
  type GraphQLError,
} from 'graphql';
import type { SubscribePayload } from 'graphql-ws';
import { useServer as useGraphqlWsServer } from 'graphql-ws/use/ws';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';
import { MemoryLiveBus } from '../lib/live-bus/memory-bus';
import { EVENT_DATA, subscribeSharingExecution } from './shared-execution';
import { subscribeIterator } from './subscription-iterator';
import { useServer } from './ws-adapter';

interface Said {
  text: string;
  slow?: boolean;
  broken?: boolean;
}

type Kind = 'graphql-ws' | 'adapter';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function eventually(check: () => boolean, timeoutMs = 3000): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error('condition not met in time');
    await sleep(5);
  }
}

function schemaOn(bus: MemoryLiveBus<Said>): GraphQLSchema {
  const SaidType = new GraphQLObjectType<Said>({
    name: 'Said',
    extensions: EVENT_DATA,
    fields: {
      text: { type: GraphQLString },
      later: {
        type: GraphQLString,
        // Executions that settle out of order: a slow event is followed by fast ones.
        resolve: async (said) => {
          if (said.slow) await sleep(30);
          return said.text;
        },
      },
      broken: {
        type: GraphQLString,
        resolve: (said) => {
          if (said.broken) throw new Error('broken field');
          return 'fine';
        },
      },
    },
  });
  return new GraphQLSchema({
    query: new GraphQLObjectType({
      name: 'Query',
      fields: { ok: { type: GraphQLString, resolve: () => 'ok' } },
    }),
    subscription: new GraphQLObjectType({
      name: 'Subscription',
      fields: {
        said: {
          type: SaidType,
          subscribe: () => subscribeIterator(bus, 'topic', (said: Said) => said),
          resolve: (said: Said) => said,
        },
      },
    }),
  });
}

async function start(kind: Kind) {
  const bus = new MemoryLiveBus<Said>();
  const schema = schemaOn(bus);
  const httpServer = http.createServer();
  const wss = new WebSocketServer({ server: httpServer });
  const options = {
    schema,
    isProd: true,
    connectionInitWaitTimeout: 300,
    onSubscribe: (_ctx: unknown, _id: string, payload: SubscribePayload): ExecutionArgs | GraphQLError[] => {
      const document = parse(payload.query);
      const errors = validate(schema, document);
      if (errors.length) return [...errors];
      return { schema, document, variableValues: payload.variables, operationName: payload.operationName };
    },
    subscribe: subscribeSharingExecution,
  };
  const server = kind === 'adapter' ? useServer(options, wss) : useGraphqlWsServer(options, wss);
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  const { port } = httpServer.address() as AddressInfo;
  return {
    bus,
    url: `ws://127.0.0.1:${port}`,
    async close() {
      await server.dispose();
      httpServer.closeAllConnections();
      await new Promise((resolve) => httpServer.close(resolve));
    },
  };
}

/** A bare graphql-transport-ws client that records every message as it arrived and how the socket closed. */
function connect(url: string, protocols: string[] = ['graphql-transport-ws']) {
  const socket = new WebSocket(url, protocols);
  socket.on('error', () => {});
  const messages: string[] = [];
  let close: { code: number; reason: string } | undefined;
  socket.on('message', (data) => messages.push(String(data)));
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    socket.on('close', (code, reason) => resolve((close = { code, reason: String(reason) }))),
  );
  const opened = new Promise((resolve) => socket.once('open', resolve));
  return {
    messages,
    closed,
    get close() {
      return close;
    },
    async send(message: unknown) {
      await opened;
      socket.send(typeof message === 'string' ? message : JSON.stringify(message));
    },
    /** The messages of one operation id, in order. */
    of(id: string) {
      return messages.filter((message) => (JSON.parse(message) as { id?: string }).id === id);
    },
    socket,
  };
}

async function initialised(url: string) {
  const client = connect(url);
  await client.send({ type: 'connection_init' });
  await eventually(() => client.messages.includes('{"type":"connection_ack"}'));
  return client;
}

/** What a client saw from each server kind, filled in by runScenarios and then compared. */
const observed: Record<Kind, Record<string, unknown>> = { 'graphql-ws': {}, adapter: {} };

async function runScenarios(kind: Kind): Promise<void> {
  const server = await start(kind);
  const seen = observed[kind];
  try {
    const client = await initialised(server.url);
    await client.send({
      id: 'a',
      type: 'subscribe',
      payload: { query: 'subscription { said { text later } }' },
    });
    await client.send({
      id: 'b',
      type: 'subscribe',
      payload: { query: 'subscription { said { text broken } }' },
    });
    await eventually(() => server.bus.listenerCount() === 2);
    for (const said of [
      { text: 'one' },
      { text: 'two', slow: true },
      { text: 'three' },
      { text: 'four', broken: true },
    ])
      await server.bus.publish('topic', said);
    await eventually(() => client.of('a').length === 4 && client.of('b').length === 4);
    await client.send({ id: 'a', type: 'complete' });
    await eventually(() => server.bus.listenerCount() === 1);
    await server.bus.publish('topic', { text: 'five' });
    await eventually(() => client.of('b').length === 5);
    await client.send({ id: 'q', type: 'subscribe', payload: { query: '{ ok }' } });
    await client.send({ id: 'invalid', type: 'subscribe', payload: { query: 'subscription { nope }' } });
    await client.send({ type: 'ping', payload: { at: 1 } });
    await eventually(() => client.of('q').length === 2 && client.of('invalid').length === 1);
    await eventually(() => client.messages.some((message) => message.includes('"pong"')));
    await client.send({ id: 'b', type: 'subscribe', payload: { query: 'subscription { said { text } }' } });
    await client.closed;
    seen.operations = {
      a: client.of('a'),
      b: client.of('b'),
      q: client.of('q'),
      invalid: client.of('invalid'),
    };
    seen.duplicateId = client.close;
    await eventually(() => server.bus.listenerCount() === 0);

    const terminated = await initialised(server.url);
    await terminated.send({
      id: '1',
      type: 'subscribe',
      payload: { query: 'subscription { said { text } }' },
    });
    await eventually(() => server.bus.listenerCount() === 1);
    terminated.socket.terminate();
    await eventually(() => server.bus.listenerCount() === 0);

    const silent = connect(server.url);
    seen.noInit = await silent.closed;
    const early = connect(server.url);
    await early.send({ id: '1', type: 'subscribe', payload: { query: '{ ok }' } });
    seen.subscribeBeforeAck = await early.closed;
    const twice = await initialised(server.url);
    await twice.send({ type: 'connection_init' });
    seen.initTwice = await twice.closed;
    const garbled = connect(server.url);
    await garbled.send('{"type":');
    seen.notJson = await garbled.closed;
    const noProtocol = connect(server.url, []);
    seen.noProtocol = await noProtocol.closed;
  } finally {
    await server.close();
  }
}

describe('ws-adapter', () => {
  beforeAll(async () => {
    await runScenarios('graphql-ws');
    await runScenarios('adapter');
  }, 30_000);

  it('sends what graphql-ws sends for every operation, byte for byte and in order', () => {
    const { operations } = observed.adapter as { operations: Record<string, string[]> };
    expect(operations).toEqual(observed['graphql-ws'].operations);
    expect(operations.a.map((message) => JSON.parse(message).payload.data.said.later)).toEqual([
      'one',
      'two',
      'three',
      'four',
    ]);
    expect(operations.b[3]).toContain('"errors":[{"message":"broken field"');
    expect(operations.q.map((message) => JSON.parse(message).type)).toEqual(['next', 'complete']);
    expect(JSON.parse(operations.invalid[0]).type).toBe('error');
  });

  it('closes sockets with the same codes and reasons', () => {
    const closes = (kind: Kind) => {
      const { operations: _operations, ...rest } = observed[kind];
      return rest;
    };
    expect(closes('adapter')).toEqual(closes('graphql-ws'));
    expect(observed.adapter).toMatchObject({
      duplicateId: { code: 4409 },
      noInit: { code: 4408 },
      subscribeBeforeAck: { code: 4401 },
      initTwice: { code: 4429 },
      notJson: { code: 4400 },
      noProtocol: { code: 4406 },
    });
  });
});
