// kill -9 the server while deliveries are in flight and pending: after a restart every delivery completes.
import { randomBytes } from 'node:crypto';
import { PublishEventDocument, StackDeliveriesDocument } from './generated/graphql';
import { bootstrapAccount } from './helpers/cli';
import { webhookOnlyStack } from './helpers/webhook-stack';
import { createTestDatabase, type TestDatabase } from './helpers/database';
import { dataOf, graphqlRequest } from './helpers/graphql';
import { startServerProcess, type ServiceProcess } from './helpers/processes';
import { WebhookPeer } from './peers/webhook-peer';

const EVENTS = 20;
const CONCURRENCY = 5;

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

it('resends what a killed process had in flight and sends what it had pending, losing nothing', async () => {
  const env = {
    DATABASE_URL: database.url,
    DATA_DIR: database.dir,
    ALLOW_PRIVATE_NETWORK_TARGETS: 'true',
    DELIVERY_CONCURRENCY: String(CONCURRENCY),
    DELIVERY_LEASE_MS: '1500',
    DELIVERY_RETRY_SCHEDULE: '0,0.2,0.4,0.6,0.8',
    DELIVERY_POLL_INTERVAL_MS: '100',
    HTTP_TIMEOUT_MS: '30000',
  };
  const owner = await bootstrapAccount(env, `crash-${randomBytes(3).toString('hex')}`);
  const first = await startServerProcess(env);
  processes.push(first);
  const request = <R, V>(
    document: Parameters<typeof graphqlRequest<R, V>>[1],
    variables: V,
    url = first.url,
  ) => graphqlRequest(url, document, variables, owner.token);

  const stackId = await webhookOnlyStack(first.url, owner.token, peer);

  // The receiver holds the first requests open, so the process dies with deliveries in flight.
  peer.script(...Array.from({ length: CONCURRENCY }, () => ({ hang: true as const })));
  const ids: string[] = [];
  for (let index = 0; index < EVENTS; index += 1) {
    const { publishEvent } = dataOf(
      await request(PublishEventDocument, { input: { stackId, eventType: 'JOB_FAIL', data: { index } } }),
    );
    ids.push(publishEvent.id);
  }
  await peer.http.waitForRequests(CONCURRENCY, 10_000);
  expect(await first.stop('SIGKILL')).toBe('SIGKILL');

  const second = await startServerProcess(env);
  processes.push(second);
  const deadline = Date.now() + 20_000;
  for (;;) {
    const { stack } = dataOf(await request(StackDeliveriesDocument, { id: stackId, first: 100 }, second.url));
    const statuses = stack.deliveries.edges.map((edge) => edge.node.status);
    if (statuses.length === EVENTS && statuses.every((status) => status === 'SUCCEEDED')) break;
    if (Date.now() > deadline) throw new Error(`not all delivered: ${JSON.stringify(statuses)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  for (const id of ids) expect(peer.deliveriesOf(id)).toBeGreaterThanOrEqual(1);
  // Only what was in flight at the kill is sent twice, and it carries the same webhook-id.
  const duplicates = ids.reduce((sum, id) => sum + peer.deliveriesOf(id) - 1, 0);
  expect(duplicates).toBeLessThanOrEqual(CONCURRENCY);
});
