// Apollo Client 4 with a plain InMemoryCache (the committed possibleTypes, no typePolicies) against the real server
// over HTTP and WebSocket: what it normalises by id stays consistent, and mutations update it with no refetch.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ApolloClient,
  ApolloLink,
  gql,
  HttpLink,
  InMemoryCache,
  type PossibleTypesMap,
} from '@apollo/client';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { OperationTypeNode } from 'graphql';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { PublishEventDocument } from '../generated/graphql';
import { dataOf } from '../helpers/graphql';
import { startTestServer, type Session, type TestServer } from '../helpers/server';
import { createStack } from '../helpers/settings-fixtures';

const { possibleTypes } = JSON.parse(
  readFileSync(join(__dirname, '..', '..', 'possible-types.json'), 'utf8'),
) as { possibleTypes: PossibleTypesMap };

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ WORKERS: '0' });
});
afterAll(async () => {
  await server?.close();
});

interface TestClient {
  client: ApolloClient;
  cache: InMemoryCache;
  /** How many HTTP requests the client has sent. */
  httpRequests(): number;
  stop(): Promise<void>;
}

function apolloClient(token: string): TestClient {
  let requests = 0;
  const http = new HttpLink({
    uri: server.url,
    headers: { authorization: `Bearer ${token}` },
    fetch: (input, init) => {
      requests += 1;
      return fetch(input, init);
    },
  });
  const sockets = createClient({
    url: server.wsUrl,
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${token}` },
    retryAttempts: 0,
  });
  const link = ApolloLink.split(
    (operation) => operation.operationType === OperationTypeNode.SUBSCRIPTION,
    new GraphQLWsLink(sockets),
    http,
  );
  const cache = new InMemoryCache({ possibleTypes });
  const client = new ApolloClient({ link, cache });
  return {
    client,
    cache,
    httpRequests: () => requests,
    stop: async () => {
      client.stop();
      await sockets.dispose();
    },
  };
}

async function accountWithStack(): Promise<{ owner: Session; stackId: string; apollo: TestClient }> {
  const owner = await server.createAccount();
  const stackId = await createStack(server, owner, 'web', 'production');
  return { owner, stackId, apollo: apolloClient(owner.token) };
}

async function publish(owner: Session, stackId: string, eventType: 'JOB_FAIL' | 'STACK_REDEPLOY_OK') {
  const { publishEvent } = dataOf(
    await server.request(PublishEventDocument, { input: { stackId, eventType, data: {} } }, owner.token),
  );
  return publishEvent.id;
}

interface ChannelData {
  __typename: string;
  id: string;
  kind: string;
  configured?: boolean;
  enabled?: boolean;
  urlHint?: string | null;
  channelName?: string | null;
  address?: string;
}

interface StackChannelsData {
  stack: { id: string; channels: ChannelData[] };
}

const CHANNELS_CONFIGURED = gql`
  query ChannelsConfigured($id: ID!) {
    stack(id: $id) {
      id
      channels {
        id
        kind
        configured
      }
    }
  }
`;

const CHANNELS_ENABLED = gql`
  query ChannelsEnabled($id: ID!) {
    stack(id: $id) {
      id
      channels {
        id
        kind
        enabled
        ... on SlackChannel {
          urlHint
        }
      }
    }
  }
`;

interface Cell {
  id: string;
  channel: string;
  enabled: boolean;
  isDefault: boolean;
}

interface SettingsData {
  stack: {
    id: string;
    preferences: { id: string; eventType: string; cells: Cell[] }[];
    channels: ChannelData[];
  };
}

const SETTINGS = gql`
  query Settings($id: ID!) {
    stack(id: $id) {
      id
      preferences {
        id
        eventType
        cells {
          id
          channel
          enabled
          isDefault
        }
      }
      channels {
        id
        kind
        configured
        enabled
        ... on SlackChannel {
          channelName
          urlHint
        }
      }
    }
  }
`;

function cellOf(data: SettingsData | null, eventType: string, channel: string): Cell | undefined {
  return data?.stack.preferences
    .find((row) => row.eventType === eventType)
    ?.cells.find((cell) => cell.channel === channel);
}

interface NotificationData {
  id: string;
  title: string;
  read: boolean;
  stackName: string;
  stack: { id: string; name: string };
}

interface HistoryData {
  stack: { id: string; unreadCount: number; notifications: { nodes: NotificationData[] } };
}

const HISTORY = gql`
  query History($id: ID!) {
    stack(id: $id) {
      id
      unreadCount
      notifications(first: 20) {
        nodes {
          id
          title
          read
          stackName
          stack {
            id
            name
          }
        }
      }
    }
  }
`;

const MARK_READ = gql`
  mutation MarkRead($stackId: ID!, $ids: [ID!]) {
    markNotificationsRead(stackId: $stackId, ids: $ids) {
      stack {
        id
        unreadCount
      }
      notifications {
        id
        read
      }
      truncated
    }
  }
`;

describe('Apollo Client 4 with InMemoryCache({ possibleTypes })', () => {
  it('keeps the first selection of the channels readable after a second selection of them', async () => {
    const { stackId, apollo } = await accountWithStack();
    try {
      const first = await apollo.client.query<StackChannelsData>({
        query: CHANNELS_CONFIGURED,
        variables: { id: stackId },
      });
      await apollo.client.query<StackChannelsData>({ query: CHANNELS_ENABLED, variables: { id: stackId } });
      const cachedFirst = apollo.cache.readQuery<StackChannelsData>({
        query: CHANNELS_CONFIGURED,
        variables: { id: stackId },
      });
      expect(cachedFirst).toEqual(first.data);
      expect(cachedFirst!.stack.channels).toHaveLength(6);
      const cachedSecond = apollo.cache.readQuery<StackChannelsData>({
        query: CHANNELS_ENABLED,
        variables: { id: stackId },
      });
      expect(cachedSecond!.stack.channels.map((channel) => channel.enabled)).toHaveLength(6);
    } finally {
      await apollo.stop();
    }
  });

  it('takes setEventPreference, setEventPreferences and configureSlack into the cache with no refetch', async () => {
    const { owner, stackId, apollo } = await accountWithStack();
    try {
      await apollo.client.query<SettingsData>({ query: SETTINGS, variables: { id: stackId } });
      const read = () =>
        apollo.cache.readQuery<SettingsData>({ query: SETTINGS, variables: { id: stackId } });
      const before = read();
      expect(cellOf(before, 'JOB_FAIL', 'SLACK')).toMatchObject({ enabled: true, isDefault: true });
      const requests = apollo.httpRequests();

      const { data: one } = await apollo.client.mutate<{ setEventPreference: Cell }>({
        mutation: gql`
          mutation SetOne($stackId: ID!) {
            setEventPreference(stackId: $stackId, eventType: JOB_FAIL, channel: SLACK, enabled: false) {
              id
              enabled
              isDefault
            }
          }
        `,
        variables: { stackId },
      });
      // The same cell the matrix shows: the mutation's answer lands on it.
      expect(one!.setEventPreference.id).toBe(cellOf(before, 'JOB_FAIL', 'SLACK')!.id);
      expect(cellOf(read(), 'JOB_FAIL', 'SLACK')).toMatchObject({ enabled: false, isDefault: false });

      await apollo.client.mutate({
        mutation: gql`
          mutation SetMany($stackId: ID!, $changes: [PreferenceChange!]!) {
            setEventPreferences(stackId: $stackId, changes: $changes) {
              id
              enabled
              isDefault
            }
          }
        `,
        variables: {
          stackId,
          changes: [
            { eventType: 'JOB_FAIL', channel: 'EMAIL', enabled: false },
            { eventType: 'STACK_DEPLOY_STARTED', channel: 'WEBHOOK', enabled: true },
          ],
        },
      });
      expect(cellOf(read(), 'JOB_FAIL', 'EMAIL')).toMatchObject({ enabled: false, isDefault: false });
      expect(cellOf(read(), 'STACK_DEPLOY_STARTED', 'WEBHOOK')).toMatchObject({
        enabled: true,
        isDefault: false,
      });

      await apollo.client.mutate({
        mutation: gql`
          mutation Slack($stackId: ID!) {
            configureSlack(stackId: $stackId, input: { url: "https://hooks.slack.com/services/T0/B0/abcd" }) {
              id
              configured
              enabled
              channelName
              urlHint
            }
          }
        `,
        variables: { stackId },
      });
      const slack = read()!.stack.channels.find((channel) => channel.kind === 'SLACK');
      expect(slack).toMatchObject({ configured: true, enabled: true, urlHint: 'hooks.slack.com/…abcd' });

      await apollo.client.mutate({
        mutation: gql`
          mutation Remove($stackId: ID!) {
            removeChannel(stackId: $stackId, kind: SLACK) {
              id
              configured
              enabled
              ... on SlackChannel {
                channelName
                urlHint
              }
            }
          }
        `,
        variables: { stackId },
      });
      expect(read()!.stack.channels.find((channel) => channel.kind === 'SLACK')).toMatchObject({
        configured: false,
        enabled: false,
        urlHint: null,
      });

      // One request per mutation, nothing refetched; and the cache says what the server says.
      expect(apollo.httpRequests()).toBe(requests + 4);
      const other = apolloClient(owner.token);
      try {
        const fresh = await other.client.query<SettingsData>({ query: SETTINGS, variables: { id: stackId } });
        expect(read()).toEqual(fresh.data);
      } finally {
        await other.stop();
      }
    } finally {
      await apollo.stop();
    }
  });

  it('takes markNotificationsRead into the cached notifications with no refetch', async () => {
    const { owner, stackId, apollo } = await accountWithStack();
    try {
      const ids = [
        await publish(owner, stackId, 'JOB_FAIL'),
        await publish(owner, stackId, 'STACK_REDEPLOY_OK'),
        await publish(owner, stackId, 'JOB_FAIL'),
      ];
      await apollo.client.query<HistoryData>({ query: HISTORY, variables: { id: stackId } });
      const read = () => apollo.cache.readQuery<HistoryData>({ query: HISTORY, variables: { id: stackId } })!;
      const readFlags = () => Object.fromEntries(read().stack.notifications.nodes.map((n) => [n.id, n.read]));
      expect(read().stack.unreadCount).toBe(3);
      const requests = apollo.httpRequests();

      await apollo.client.mutate({ mutation: MARK_READ, variables: { stackId, ids: [ids[1]] } });
      expect(readFlags()).toEqual({ [ids[0]]: false, [ids[1]]: true, [ids[2]]: false });
      expect(read().stack.unreadCount).toBe(2);

      await apollo.client.mutate({ mutation: MARK_READ, variables: { stackId } });
      expect(readFlags()).toEqual({ [ids[0]]: true, [ids[1]]: true, [ids[2]]: true });
      expect(read().stack.unreadCount).toBe(0);
      expect(apollo.httpRequests()).toBe(requests + 2);
    } finally {
      await apollo.stop();
    }
  });

  it('reads a fragment on the Channel interface with the concrete types it spreads', async () => {
    const { owner, stackId, apollo } = await accountWithStack();
    const fragment = gql`
      fragment ChannelParts on Channel {
        id
        kind
        configured
        ... on EmailChannel {
          address
        }
        ... on SlackChannel {
          urlHint
        }
      }
    `;
    try {
      const { data } = await apollo.client.query<StackChannelsData>({
        query: gql`
          query WithFragment($id: ID!) {
            stack(id: $id) {
              id
              channels {
                ...ChannelParts
              }
            }
          }
          ${fragment}
        `,
        variables: { id: stackId },
      });
      const email = data!.stack.channels.find((channel) => channel.kind === 'EMAIL')!;
      expect(email).toMatchObject({ __typename: 'EmailChannel', configured: true, address: owner.email });
      const cached = apollo.cache.readFragment<ChannelData>({
        id: apollo.cache.identify({ __typename: 'EmailChannel', id: email.id }),
        fragment,
        fragmentName: 'ChannelParts',
      });
      expect(cached).toEqual({
        __typename: 'EmailChannel',
        id: email.id,
        kind: 'EMAIL',
        configured: true,
        address: owner.email,
      });
    } finally {
      await apollo.stop();
    }
  });

  it("shows a stack's new name on its cached notifications: one cache entry per stack", async () => {
    const { owner, stackId, apollo } = await accountWithStack();
    try {
      await publish(owner, stackId, 'JOB_FAIL');
      await apollo.client.query<HistoryData>({ query: HISTORY, variables: { id: stackId } });
      await apollo.client.mutate({
        mutation: gql`
          mutation Rename($id: ID!) {
            updateStack(id: $id, input: { name: "renamed" }) {
              id
              name
            }
          }
        `,
        variables: { id: stackId },
      });
      const history = apollo.cache.readQuery<HistoryData>({ query: HISTORY, variables: { id: stackId } })!;
      expect(history.stack.notifications.nodes.map((node) => node.stack)).toEqual([
        { __typename: 'Stack', id: stackId, name: 'renamed' },
      ]);
      // What the notification carried keeps its own name, with the notification.
      expect(history.stack.notifications.nodes[0].stackName).toBe('web');
      const entries = Object.keys(apollo.cache.extract()).filter((key) => /Stack:/.test(key));
      expect(entries).toEqual([`Stack:${stackId}`]);
    } finally {
      await apollo.stop();
    }
  });

  it('writes a notification received over GraphQLWsLink into the cache', async () => {
    const { owner, stackId, apollo } = await accountWithStack();
    try {
      const earlier = await publish(owner, stackId, 'JOB_FAIL');
      const received: NotificationData[] = [];
      const subscription = apollo.client
        .subscribe<{ notificationReceived: NotificationData }>({
          query: gql`
            subscription Live($stackId: ID!, $after: ID) {
              notificationReceived(stackId: $stackId, after: $after) {
                id
                title
                read
                stackName
                stack {
                  id
                  name
                }
              }
            }
          `,
          // Resuming after the last one seen: whatever is published from now on arrives, however fast.
          variables: { stackId, after: earlier },
        })
        .subscribe({
          next: (result) => {
            if (result.data) received.push(result.data.notificationReceived);
          },
        });
      const id = await publish(owner, stackId, 'STACK_REDEPLOY_OK');
      const deadline = Date.now() + 5000;
      while (received.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      subscription.unsubscribe();
      expect(received).toEqual([
        {
          __typename: 'Notification',
          id,
          title: 'Stack redeployed successfully',
          read: false,
          stackName: 'web',
          stack: { __typename: 'Stack', id: stackId, name: 'web' },
        },
      ]);
      const cached = apollo.cache.readFragment({
        id: apollo.cache.identify({ __typename: 'Notification', id }),
        fragment: gql`
          fragment Received on Notification {
            id
            title
            stack {
              id
              name
            }
          }
        `,
      });
      expect(cached).toEqual({
        __typename: 'Notification',
        id,
        title: 'Stack redeployed successfully',
        stack: { __typename: 'Stack', id: stackId, name: 'web' },
      });
      expect(apollo.cache.extract()[`Stack:${stackId}`]).toMatchObject({ name: 'web' });
    } finally {
      await apollo.stop();
    }
  });
});
