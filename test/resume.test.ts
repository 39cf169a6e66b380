// notificationReceived(after:): what was published while a client was away, then the live ones, each once.
import { randomUUID } from 'node:crypto';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { Scope } from '../src/modules/accounts/api-token.entity';
import { CreateStackDocument, NotificationReceivedDocument, PublishEventDocument } from './generated/graphql';
import { dataOf } from './helpers/graphql';
import { startOtherInstance, startTestServer, type OtherInstance, type TestServer } from './helpers/server';
import { POSTGRES_URL, REDIS_URL, servicesAvailable } from './helpers/services';
import { eventually, subscribe } from './helpers/ws';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
});

async function accountWithStack(on: TestServer, name = 'web') {
  const owner = await on.createAccount();
  const publisher = await on.createToken(owner, [Scope.EVENTS_PUBLISH]);
  const { createStack } = dataOf(
    await on.request(CreateStackDocument, { input: { name, environment: 'production' } }, owner.token),
  );
  return { owner, publisher, stackId: createStack.id };
}

async function publish(
  on: Pick<TestServer, 'request'>,
  token: string,
  stackId: string,
  index: number,
  eventType: 'JOB_FAIL' | 'CONTAINER_DOWN' = 'JOB_FAIL',
): Promise<string> {
  const { publishEvent } = dataOf(
    await on.request(PublishEventDocument, { input: { stackId, eventType, data: { index } } }, token),
  );
  return publishEvent.id;
}

const ids = (received: { notificationReceived: { id: string } }[]) =>
  received.map((result) => result.notificationReceived.id);

function errorsOf(errors: unknown[]): { message: string; extensions?: Record<string, unknown> }[] {
  return errors.flat() as { message: string; extensions?: Record<string, unknown> }[];
}

describe('notificationReceived(after:)', () => {
  it('sends what was published after `after`, oldest first, then the live ones', async () => {
    const { owner, publisher, stackId } = await accountWithStack(server);
    const seen = await publish(server, publisher, stackId, 0);
    const missed: string[] = [];
    for (let index = 1; index <= 5; index += 1) missed.push(await publish(server, publisher, stackId, index));
    const subscriber = await subscribe(server.wsUrl, owner.token, NotificationReceivedDocument, {
      stackId,
      after: seen,
    });
    await subscriber.waitFor(5);
    const live = await publish(server, publisher, stackId, 6);
    await subscriber.waitFor(6);
    expect(ids(subscriber.received)).toEqual([...missed, live]);
    expect(subscriber.errors).toEqual([]);
    await subscriber.dispose();
  });

  it('replays every stack of the account when no stackId is given, filtered by event type', async () => {
    const { owner, publisher, stackId } = await accountWithStack(server);
    const { createStack } = dataOf(
      await server.request(
        CreateStackDocument,
        { input: { name: 'db', environment: 'staging' } },
        owner.token,
      ),
    );
    const seen = await publish(server, publisher, stackId, 0);
    const wanted = [
      await publish(server, publisher, createStack.id, 1),
      await publish(server, publisher, stackId, 2),
    ];
    await publish(server, publisher, stackId, 3, 'CONTAINER_DOWN');
    const subscriber = await subscribe(server.wsUrl, owner.token, NotificationReceivedDocument, {
      eventTypes: ['JOB_FAIL'],
      after: seen,
    });
    await subscriber.waitFor(2);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(ids(subscriber.received)).toEqual(wanted);
    expect(subscriber.received.map((result) => result.notificationReceived.stack.id)).toEqual([
      createStack.id,
      stackId,
    ]);
    await subscriber.dispose();
  });

  it('sends each event published during the replay exactly once', async () => {
    const { owner, publisher, stackId } = await accountWithStack(server);
    const seen = await publish(server, publisher, stackId, 0);
    const before: string[] = [];
    for (let index = 1; index <= 50; index += 1)
      before.push(await publish(server, publisher, stackId, index));
    const during = Promise.all(
      Array.from({ length: 100 }, (_, index) => publish(server, publisher, stackId, 100 + index)),
    );
    const subscriber = await subscribe(server.wsUrl, owner.token, NotificationReceivedDocument, {
      stackId,
      after: seen,
    });
    const published = [...before, ...(await during)];
    await subscriber.waitFor(published.length, 15_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const received = ids(subscriber.received);
    expect(received).toHaveLength(published.length);
    expect(new Set(received)).toEqual(new Set(published));
    // The replay comes first, in the history's order.
    expect(received.slice(0, before.length)).toEqual(before);
    expect(subscriber.errors).toEqual([]);
    await subscriber.dispose();
  });

  it("answers an unknown id and another account's id with the same NOT_FOUND", async () => {
    const mine = await accountWithStack(server);
    const theirs = await accountWithStack(server);
    const foreign = await publish(server, theirs.publisher, theirs.stackId, 0);
    const listeners = server.app.services.bus.listenerCount();
    const outcomes: unknown[] = [];
    for (const after of [foreign, randomUUID(), 'not-an-id']) {
      for (const stackId of [mine.stackId, null]) {
        const subscriber = await subscribe(server.wsUrl, mine.owner.token, NotificationReceivedDocument, {
          stackId,
          after,
        });
        await eventually(() => subscriber.errors.length > 0);
        await new Promise((resolve) => setTimeout(resolve, 100));
        expect(subscriber.received).toEqual([]);
        const errors = errorsOf(subscriber.errors);
        expect(errors[0]?.extensions?.code).toBe('NOT_FOUND');
        outcomes.push(errors.map(({ message, extensions }) => ({ message, code: extensions?.code })));
        await subscriber.dispose();
      }
    }
    for (const outcome of outcomes) expect(outcome).toEqual(outcomes[0]);
    await eventually(() => server.app.services.bus.listenerCount() === listeners);
  });
});

describe('the replay cap', () => {
  let capped: TestServer;
  beforeAll(async () => {
    capped = await startTestServer({ SUBSCRIPTION_REPLAY_MAX: '3' });
  });
  afterAll(async () => {
    await capped?.close();
  });

  it('replays up to the cap, and past it ends the subscription with REPLAY_TOO_LONG before sending anything', async () => {
    const { owner, publisher, stackId } = await accountWithStack(capped);
    const listeners = capped.app.services.bus.listenerCount();
    const seen = await publish(capped, publisher, stackId, 0);
    const three: string[] = [];
    for (let index = 1; index <= 3; index += 1) three.push(await publish(capped, publisher, stackId, index));
    const within = await subscribe(capped.wsUrl, owner.token, NotificationReceivedDocument, {
      stackId,
      after: seen,
    });
    await within.waitFor(3);
    expect(ids(within.received)).toEqual(three);
    await within.dispose();

    await publish(capped, publisher, stackId, 4);
    const past = await subscribe(capped.wsUrl, owner.token, NotificationReceivedDocument, {
      stackId,
      after: seen,
    });
    await eventually(() => past.errors.length > 0);
    expect(past.received).toEqual([]);
    expect(errorsOf(past.errors)[0]).toMatchObject({ extensions: { code: 'REPLAY_TOO_LONG', max: 3 } });
    await past.dispose();
    await eventually(() => capped.app.services.bus.listenerCount() === listeners);
  });

  it("the README's graphql-ws client reads the history on REPLAY_TOO_LONG and follows after its newest", async () => {
    const { owner, publisher, stackId } = await accountWithStack(capped);
    const seen = await publish(capped, publisher, stackId, 0);
    const missed: string[] = [];
    for (let index = 1; index <= 5; index += 1) missed.push(await publish(capped, publisher, stackId, index));
    const token = owner.token;
    const shown: string[] = [];
    const histories: string[][] = [];
    const failures: unknown[] = [];
    const show = (notification: { id: string }) => shown.push(notification.id);
    const showHistory = (nodes: { id: string }[]) => histories.push(nodes.map((node) => node.id));

    // The README's recipe, with this server's URLs.
    const client = createClient({
      url: capped.wsUrl,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${token}` },
    });
    const NOTIFICATIONS = `subscription ($stackId: ID, $after: ID) {
      notificationReceived(stackId: $stackId, after: $after) { id title }
    }`;
    const HISTORY = `query ($id: ID!) { stack(id: $id) { notifications(first: 20) { nodes { id title } } } }`;
    const replayTooLong = (errors: unknown) =>
      Array.isArray(errors) &&
      errors.some(
        (error: { extensions?: { code?: unknown } }) => error.extensions?.code === 'REPLAY_TOO_LONG',
      );
    function follow(stackId: string, after?: string) {
      const variables: { stackId: string; after?: string } = { stackId, after };
      client.subscribe<{ notificationReceived: { id: string; title: string } }>(
        { query: NOTIFICATIONS, variables },
        {
          next: ({ data, errors }) => {
            if (replayTooLong(errors)) return void catchUp(stackId);
            if (!data) return;
            variables.after = data.notificationReceived.id;
            show(data.notificationReceived);
          },
          error: (error) => (replayTooLong(error) ? void catchUp(stackId) : failures.push(error)),
          complete: () => {},
        },
      );
    }
    async function catchUp(stackId: string) {
      const response = await fetch(capped.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: HISTORY, variables: { id: stackId } }),
      });
      const { nodes } = (
        (await response.json()) as { data: { stack: { notifications: { nodes: { id: string }[] } } } }
      ).data.stack.notifications;
      showHistory(nodes);
      follow(stackId, nodes[0]?.id);
    }

    follow(stackId, seen);
    await eventually(() => histories.length === 1);
    expect(histories[0]).toEqual([...missed].reverse().concat(seen));
    // Followed after the newest of the history: only what is published from now on, once.
    const live: string[] = [];
    const deadline = Date.now() + 5000;
    while (shown.length === 0 && Date.now() < deadline) {
      live.push(await publish(capped, publisher, stackId, 10 + live.length));
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    live.push(await publish(capped, publisher, stackId, 10 + live.length));
    await eventually(() => shown.length === live.length);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(shown).toEqual(live);
    expect(histories).toHaveLength(1);
    expect(failures).toEqual([]);
    await client.dispose();
  });
});

const describeWithServices = servicesAvailable({ postgres: true, redis: true }) ? describe : describe.skip;

describeWithServices('across instances (PostgreSQL and Redis)', () => {
  let first: TestServer;
  let second: OtherInstance;
  beforeAll(async () => {
    first = await startTestServer({ REDIS_URL }, { postgresAdminUrl: POSTGRES_URL, redisLiveBus: true });
    second = await startOtherInstance(first, { REDIS_URL }, { redisLiveBus: true });
  });
  afterAll(async () => {
    await second?.close();
    await first?.close();
  });

  it('replays on B what was published on A, then what A publishes during and after the replay, each once', async () => {
    const { owner, publisher, stackId } = await accountWithStack(first);
    const seen = await publish(first, publisher, stackId, 0);
    const missed: string[] = [];
    for (let index = 1; index <= 20; index += 1) missed.push(await publish(first, publisher, stackId, index));
    const during = Promise.all(
      Array.from({ length: 50 }, (_, index) => publish(first, publisher, stackId, 100 + index)),
    );
    const subscriber = await subscribe(
      second.app.server.url.replace(/^http/, 'ws'),
      owner.token,
      NotificationReceivedDocument,
      { stackId, after: seen },
    );
    const published = [...missed, ...(await during)];
    await subscriber.waitFor(published.length, 15_000);
    const live = await publish(first, publisher, stackId, 999);
    await subscriber.waitFor(published.length + 1, 10_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const received = ids(subscriber.received);
    expect(received).toHaveLength(published.length + 1);
    expect(new Set(received)).toEqual(new Set([...published, live]));
    expect(received.slice(0, missed.length)).toEqual(missed);
    expect(received.at(-1)).toBe(live);
    await subscriber.dispose();
  });
});
