// SIGTERM: the process stops accepting, closes WebSockets with 1001, hands back the leases of deliveries still in
// flight, and exits within SHUTDOWN_TIMEOUT_MS; the next process sends them at once.
import { randomBytes } from 'node:crypto';
import {
  NotificationReceivedDocument,
  PublishEventDocument,
  StackDeliveriesDocument,
} from './generated/graphql';
import { bootstrapAccount } from './helpers/cli';
import { webhookOnlyStack } from './helpers/webhook-stack';
import { createTestDatabase, type TestDatabase } from './helpers/database';
import { dataOf, graphqlRequest } from './helpers/graphql';
import { startServerProcess, type ServiceProcess } from './helpers/processes';
import { subscribe } from './helpers/ws';
import { untilLive } from './helpers/ws-process';
import { WebhookPeer } from './peers/webhook-peer';

let database: TestDatabase;
let peer: WebhookPeer;
const processes: ServiceProcess[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  peer = await WebhookPeer.start([]);
});
afterAll(async () => {
  await Promise.all(processes.map((process) => process.stop('SIGKILL')));
  await peer?.close();
  await database?.drop();
});

it('exits cleanly on SIGTERM, closing sockets with 1001 and returning the leases of in-flight deliveries', async () => {
  const env = {
    DATABASE_URL: database.url,
    DATA_DIR: database.dir,
    ALLOW_PRIVATE_NETWORK_TARGETS: 'true',
    DELIVERY_CONCURRENCY: '3',
    // Long leases: only a returned lease lets the next process resend at once.
    DELIVERY_LEASE_MS: '600000',
    HTTP_TIMEOUT_MS: '30000',
    SHUTDOWN_TIMEOUT_MS: '3000',
  };
  const owner = await bootstrapAccount(env, `shutdown-${randomBytes(3).toString('hex')}`);
  const first = await startServerProcess(env);
  processes.push(first);
  const request = <R, V>(
    document: Parameters<typeof graphqlRequest<R, V>>[1],
    variables: V,
    url = first.url,
  ) => graphqlRequest(url, document, variables, owner.token);
  const stackId = await webhookOnlyStack(first.url, owner.token, peer);

  let closeCode = 0;
  const subscriber = await subscribe(
    first.url.replace(/^http/, 'ws'),
    owner.token,
    NotificationReceivedDocument,
    {
      eventTypes: ['APP_AUTH'],
    },
  );
  subscriber.client.on('closed', (event) => (closeCode = (event as { code: number }).code));
  await untilLive(subscriber, () =>
    request(PublishEventDocument, { input: { stackId, eventType: 'APP_AUTH', data: {} } }),
  );

  peer.script({ hang: true }, { hang: true }, { hang: true });
  const ids: string[] = [];
  for (let index = 0; index < 3; index += 1) {
    ids.push(
      dataOf(
        await request(PublishEventDocument, { input: { stackId, eventType: 'JOB_FAIL', data: { index } } }),
      ).publishEvent.id,
    );
  }
  while (ids.some((id) => peer.deliveriesOf(id) === 0))
    await new Promise((resolve) => setTimeout(resolve, 20));

  const started = Date.now();
  expect(await first.stop('SIGTERM')).toBe(0);
  expect(Date.now() - started).toBeLessThan(3000);
  expect(closeCode).toBe(1001);
  await subscriber.dispose();

  const second = await startServerProcess(env);
  processes.push(second);
  const deadline = Date.now() + 10_000;
  for (;;) {
    const { stack } = dataOf(
      await request(StackDeliveriesDocument, { id: stackId, first: 10, channel: 'WEBHOOK' }, second.url),
    );
    if (stack.deliveries.edges.every((edge) => edge.node.status === 'SUCCEEDED')) break;
    if (Date.now() > deadline) throw new Error('in-flight deliveries were not resent after the restart');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  for (const id of ids) expect(peer.deliveriesOf(id)).toBe(2);
});
