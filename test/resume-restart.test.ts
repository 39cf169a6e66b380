// A graphql-ws client set up as the README's recipe says keeps every notification, exactly once, across a server
// restart (graceful and killed): it resubscribes with `after` = the last notification it received, and so also
// receives those published while its server was down.
import { randomBytes } from 'node:crypto';
import { print } from 'graphql';
import { CloseCode, createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { CreateStackDocument, NotificationReceivedDocument, PublishEventDocument } from './generated/graphql';
import { bootstrapAccount } from './helpers/cli';
import { createTestDatabase, type TestDatabase } from './helpers/database';
import { dataOf, graphqlRequest } from './helpers/graphql';
import { startServerProcess, type ServiceProcess } from './helpers/processes';
import { eventually } from './helpers/ws';

let database: TestDatabase;
let env: Record<string, string>;
let server: ServiceProcess | undefined;
let other: ServiceProcess | undefined;

beforeAll(async () => {
  database = await createTestDatabase();
  env = {
    DATABASE_URL: database.url,
    DATA_DIR: database.dir,
    LOG_LEVEL: 'warn',
    RATE_LIMIT_PUBLISH_PER_SECOND: '100000',
    RATE_LIMIT_PUBLISH_BURST: '100000',
  };
}, 60_000);

afterAll(async () => {
  await server?.stop('SIGKILL');
  await other?.stop('SIGKILL');
  await database?.drop();
});

it.each(['SIGTERM', 'SIGKILL'] as const)(
  'delivers every event exactly once across a restart after %s',
  async (signal) => {
    const { token } = await bootstrapAccount(env, `resume-${randomBytes(3).toString('hex')}`);
    server = await startServerProcess(env);
    const port = new URL(server.url).port;
    const url = () => server!.url;
    const { createStack } = dataOf(
      await graphqlRequest(
        url(),
        CreateStackDocument,
        { input: { name: 'web', environment: 'prod' } },
        token,
      ),
    );
    const publish = async (index: number, through = url()) =>
      dataOf(
        await graphqlRequest(
          through,
          PublishEventDocument,
          { input: { stackId: createStack.id, eventType: 'JOB_FAIL', data: { index } } },
          token,
        ),
      ).publishEvent.id;

    // The README's recipe.
    const client = createClient({
      url: url().replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${token}` },
      retryAttempts: Infinity,
      shouldRetry: (event) => (event as { code?: number }).code !== CloseCode.Forbidden,
    });
    const variables: { stackId: string; after?: string } = { stackId: createStack.id };
    const received: string[] = [];
    const errors: unknown[] = [];
    client.subscribe<{ notificationReceived: { id: string } }>(
      { query: print(NotificationReceivedDocument), variables },
      {
        next: ({ data, errors: failed }) => {
          if (failed) errors.push(failed);
          if (!data) return;
          received.push(data.notificationReceived.id);
          variables.after = data.notificationReceived.id;
        },
        error: (error) => errors.push(error),
        complete: () => {},
      },
    );

    let published: string[] = [];
    // Until the first arrives, the subscription may not be in place yet: keep publishing; what came before the first
    // one received was never due.
    while (received.length === 0) {
      published.push(await publish(published.length));
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    published = published.slice(published.indexOf(received[0]));
    for (let index = 0; index < 5; index += 1) published.push(await publish(published.length));
    await eventually(() => received.length === published.length);

    await server.stop(signal);
    // While nothing listens on the client's port: published through another process on the same database, so they
    // can only reach the client as the replay after `after` once it is back.
    other = await startServerProcess(env);
    for (let index = 0; index < 5; index += 1) published.push(await publish(published.length, other.url));
    await other.stop('SIGTERM');
    other = undefined;
    server = await startServerProcess({ ...env, PORT: port });
    // Right after the restart, while the client may still be waiting to reconnect, and once it is back.
    for (let index = 0; index < 10; index += 1) published.push(await publish(published.length));
    await eventually(() => received.length >= published.length, 30_000);
    for (let index = 0; index < 5; index += 1) published.push(await publish(published.length));
    await eventually(() => received.length >= published.length, 10_000);
    await new Promise((resolve) => setTimeout(resolve, 300));

    expect(errors).toEqual([]);
    expect(received).toEqual(published);
    await client.dispose();
    await server.stop('SIGTERM');
    server = undefined;
  },
  90_000,
);
