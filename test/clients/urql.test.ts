// urql (@urql/core) with its default exchanges against the real server: queries go out as GETs (urql's default
// preferGetMethod, 'within-url-limit') and pass CSRF prevention because they carry the bearer token, mutations are
// POSTs, and subscriptions go through graphql-ws. The same GET without the token is refused as a possible CSRF.
import {
  cacheExchange,
  createClient,
  fetchExchange,
  subscriptionExchange,
  type Client,
  type OperationResult,
} from '@urql/core';
import { createClient as createWsClient, type Client as WsClient } from 'graphql-ws';
import WebSocket from 'ws';
import {
  CreateStackDocument,
  EventTypesDocument,
  NotificationReceivedDocument,
  PublishEventDocument,
  StackNotificationsDocument,
  type NotificationReceivedSubscription,
} from '../generated/graphql';
import { startTestServer, type Session, type TestServer } from '../helpers/server';
import { eventually } from '../helpers/ws';

interface SentRequest {
  method: string;
  url: string;
  headers: Headers;
  status: number;
}

let server: TestServer;
let owner: Session;

beforeAll(async () => {
  server = await startTestServer();
  owner = await server.createAccount();
});
afterAll(async () => {
  await server?.close();
});

/** What urql's fetchExchange put on the wire, and what the server answered, request by request. */
function recordingFetch(sent: SentRequest[]): typeof fetch {
  return async (input, init) => {
    const response = await fetch(input, init);
    sent.push({
      method: init?.method ?? 'GET',
      url: String(input),
      headers: new Headers(init?.headers),
      status: response.status,
    });
    return response;
  };
}

/** The README's urql setup; `token` null leaves fetchOptions out, as a page without the token would send. */
function urqlClient(token: string | null, sent: SentRequest[], ws?: WsClient): Client {
  return createClient({
    url: server.url,
    fetch: recordingFetch(sent),
    exchanges: [
      cacheExchange,
      fetchExchange,
      ...(ws
        ? [
            subscriptionExchange({
              forwardSubscription(request) {
                const input = { ...request, query: request.query ?? '' };
                return {
                  subscribe(sink) {
                    const unsubscribe = ws.subscribe(input, sink);
                    return { unsubscribe };
                  },
                };
              },
            }),
          ]
        : []),
    ],
    ...(token === null ? {} : { fetchOptions: () => ({ headers: { authorization: `Bearer ${token}` } }) }),
  });
}

function wsClient(token: string): WsClient {
  return createWsClient({
    url: server.wsUrl,
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${token}` },
  });
}

describe('urql with its default exchanges', () => {
  it('sends a query as a GET with the token, a mutation as a POST, and receives a subscription over graphql-ws', async () => {
    const sent: SentRequest[] = [];
    const ws = wsClient(owner.token);
    const client = urqlClient(owner.token, sent, ws);

    const created = await client
      .mutation(CreateStackDocument, { input: { name: 'web', environment: 'production' } })
      .toPromise();
    expect(created.error).toBeUndefined();
    const stackId = created.data!.createStack.id;
    expect(sent.map(({ method, status }) => ({ method, status }))).toEqual([{ method: 'POST', status: 200 }]);

    const received: string[] = [];
    const errors: unknown[] = [];
    const subscription = client
      .subscription(NotificationReceivedDocument, { stackId })
      .subscribe((result: OperationResult<NotificationReceivedSubscription>) => {
        if (result.error) errors.push(result.error);
        if (result.data) received.push(result.data.notificationReceived.id);
      });
    const publish = async (index: number) => {
      const result = await client
        .mutation(PublishEventDocument, { input: { stackId, eventType: 'JOB_FAIL', data: { index } } })
        .toPromise();
      expect(result.error).toBeUndefined();
      return result.data!.publishEvent.id;
    };
    // Until the first event arrives the subscription may not be in place yet; those published before it were not due.
    let published: string[] = [];
    while (received.length === 0) {
      published.push(await publish(published.length));
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    published = published.slice(published.indexOf(received[0]));
    for (let index = 0; index < 3; index += 1) published.push(await publish(published.length));
    await eventually(() => received.length >= published.length);
    expect(received).toEqual(published);
    expect(errors).toEqual([]);

    sent.length = 0;
    const history = await client.query(StackNotificationsDocument, { id: stackId, first: 50 }).toPromise();
    expect(history.error).toBeUndefined();
    expect(history.data!.stack.notifications.edges.map((edge) => edge.node.id)).toEqual(
      expect.arrayContaining(published),
    );
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ method: 'GET', status: 200 });
    expect(new URL(sent[0].url).searchParams.get('query')).toContain('query StackNotifications');
    expect(sent[0].headers.get('authorization')).toBe(`Bearer ${owner.token}`);
    // A GET has no body, so nothing but the token keeps it from being a "simple" request CSRF prevention refuses.
    expect(sent[0].headers.get('content-type')).toBeNull();

    subscription.unsubscribe();
    await ws.dispose();
  });

  it('refuses the same GET query without the token as a possible cross-site request forgery', async () => {
    const sent: SentRequest[] = [];
    const anonymous = urqlClient(null, sent);
    const refused = await anonymous.query(EventTypesDocument, {}).toPromise();
    expect(sent.map(({ method, status }) => ({ method, status }))).toEqual([{ method: 'GET', status: 400 }]);
    expect(sent[0].headers.get('authorization')).toBeNull();
    expect(refused.data).toBeUndefined();
    expect(refused.error?.graphQLErrors.map((error) => error.extensions?.code)).toEqual(['BAD_REQUEST']);
    expect(refused.error?.message).toContain('Cross-Site Request Forgery');

    // With the token, the very same query is answered.
    const answered = await urqlClient(owner.token, sent).query(EventTypesDocument, {}).toPromise();
    expect(answered.error).toBeUndefined();
    expect(answered.data!.eventTypes.length).toBeGreaterThan(0);
    expect(sent[1]).toMatchObject({ method: 'GET', status: 200 });

    // Without it, but as a JSON POST (which a browser preflights), it passes CSRF prevention too: eventTypes is public.
    const posted = await createClient({
      url: server.url,
      fetch: recordingFetch(sent),
      exchanges: [fetchExchange],
      preferGetMethod: false,
    })
      .query(EventTypesDocument, {})
      .toPromise();
    expect(posted.error).toBeUndefined();
    expect(sent[2]).toMatchObject({ method: 'POST', status: 200 });
    expect(sent[2].headers.get('content-type')).toBe('application/json');
  });
});
