// Apollo Client 4 following notificationReceived as the README's recipe does: GraphQLWsLink over a graphql-ws client
// that, on every reconnect, starts the subscription again with `after` = the newest notification received. What was
// published while the socket was down arrives once, and nothing twice.
import { ApolloClient, ApolloLink, gql, HttpLink, InMemoryCache } from '@apollo/client';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { OperationTypeNode } from 'graphql';
import { CloseCode, createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { PublishEventDocument } from '../generated/graphql';
import { dataOf } from '../helpers/graphql';
import { startTestServer, type TestServer } from '../helpers/server';
import { createStack } from '../helpers/settings-fixtures';
import { eventually } from '../helpers/ws';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
});

const NOTIFICATIONS = gql`
  subscription Notifications($stackId: ID, $after: ID) {
    notificationReceived(stackId: $stackId, after: $after) {
      id
      title
    }
  }
`;

it('receives what was published while the socket was down exactly once, resubscribing after the newest', async () => {
  const owner = await server.createAccount();
  const stackId = await createStack(server, owner, 'web', 'production');
  const token = owner.token;
  const received: string[] = [];
  const errors: unknown[] = [];
  let reconnects = 0;

  // The README's recipe.
  let newest: string | undefined;
  let live: { unsubscribe(): void } | undefined;
  const sockets = createClient({
    url: server.wsUrl,
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${token}` },
    retryAttempts: Infinity,
    shouldRetry: (event) => (event as { code?: number }).code !== CloseCode.Forbidden,
    on: {
      connected: (_socket, _payload, wasRetry) => {
        if (!wasRetry) return;
        reconnects += 1;
        follow();
      },
    },
  });
  const client = new ApolloClient({
    link: ApolloLink.split(
      ({ operationType }) => operationType === OperationTypeNode.SUBSCRIPTION,
      new GraphQLWsLink(sockets),
      new HttpLink({ uri: server.url, headers: { authorization: `Bearer ${token}` } }),
    ),
    cache: new InMemoryCache(),
  });
  function follow() {
    live?.unsubscribe();
    live = client
      .subscribe<{ notificationReceived: { id: string; title: string } }>({
        query: NOTIFICATIONS,
        variables: { stackId, after: newest },
      })
      .subscribe({
        next: ({ data, error }) => {
          if (error) errors.push(error);
          if (!data) return;
          newest = data.notificationReceived.id;
          received.push(data.notificationReceived.id);
        },
        error: (error) => errors.push(error),
      });
  }
  follow();

  const publish = async () =>
    dataOf(
      await server.request(
        PublishEventDocument,
        { input: { stackId, eventType: 'JOB_FAIL', data: { index: received.length } } },
        token,
      ),
    ).publishEvent.id;
  // Until the first arrives, the subscription may not be in place yet: what came before it was never due.
  let published: string[] = [];
  while (received.length === 0) {
    published.push(await publish());
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  published = published.slice(published.indexOf(received[0]));
  for (let index = 0; index < 3; index += 1) published.push(await publish());
  await eventually(() => received.length === published.length);

  // graphql-ws waits at least a second before it reconnects: these are published while it has no socket.
  sockets.terminate();
  for (let index = 0; index < 3; index += 1) published.push(await publish());
  expect(reconnects).toBe(0);
  await eventually(() => received.length >= published.length, 15_000);
  expect(reconnects).toBe(1);
  for (let index = 0; index < 2; index += 1) published.push(await publish());
  await eventually(() => received.length >= published.length);
  await new Promise((resolve) => setTimeout(resolve, 300));

  expect(received).toEqual(published);
  expect(errors).toEqual([]);
  live?.unsubscribe();
  client.stop();
  await sockets.dispose();
}, 30_000);
