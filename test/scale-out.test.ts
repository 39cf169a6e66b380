// Several processes on one PostgreSQL and Redis: live fan-out across instances, and workers sharing the outbox.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import net from 'node:net';
import {
  NotificationReceivedDocument,
  PublishEventDocument,
  StackNotificationsDocument,
} from './generated/graphql';
import { bootstrapAccount } from './helpers/cli';
import { webhookOnlyStack } from './helpers/webhook-stack';
import { createTestDatabase, type TestDatabase } from './helpers/database';
import { dataOf, graphqlRequest } from './helpers/graphql';
import { startServerProcess, startWorkerProcess, type ServiceProcess } from './helpers/processes';
import { POSTGRES_URL, REDIS_URL, servicesAvailable } from './helpers/services';
import { subscribe } from './helpers/ws';
import { untilLive, untilReceived } from './helpers/ws-process';
import { WebhookPeer } from './peers/webhook-peer';

const describeWithServices = servicesAvailable({ postgres: true, redis: true }) ? describe : describe.skip;
let database: TestDatabase;
let peer: WebhookPeer;
const processes: ServiceProcess[] = [];
const env: Record<string, string> = {};
let token = '';

beforeAll(async () => {
  database = await createTestDatabase(POSTGRES_URL);
  peer = await WebhookPeer.start([]);
  Object.assign(env, {
    DATABASE_URL: database.url,
    DATA_DIR: database.dir,
    REDIS_URL,
    ALLOW_PRIVATE_NETWORK_TARGETS: 'true',
    DELIVERY_RETRY_SCHEDULE: '0,0.2,0.4,0.6,0.8,1',
    DELIVERY_POLL_INTERVAL_MS: '100',
    // Long enough that a live worker's lease never runs out on a busy machine: the duplicates counted below are then
    // only those of the killed worker. (A worker whose request outlives its lease is sent again by another.)
    DELIVERY_LEASE_MS: '15000',
    // The tests publish thousands of events as fast as the server takes them; the limiter has its own tests.
    RATE_LIMIT_PUBLISH_PER_SECOND: '100000',
    RATE_LIMIT_PUBLISH_BURST: '100000',
    LOG_LEVEL: 'warn',
  });
  token = (await bootstrapAccount(env, `scale-${randomBytes(3).toString('hex')}`)).token;
}, 60_000);

afterAll(async () => {
  await Promise.all(processes.map((process) => process.stop('SIGKILL')));
  await peer?.close();
  await database?.drop();
});

async function serverProcess(extra: Record<string, string> = {}) {
  const started = await startServerProcess({ ...env, ...extra });
  processes.push(started);
  return started;
}

async function workerProcess(extra: Record<string, string> = {}) {
  const started = await startWorkerProcess({ ...env, ...extra });
  processes.push(started);
  return started;
}

const webhookStack = (url: string) => webhookOnlyStack(url, token, peer);

async function publishMany(url: string, stackId: string, count: number, parallel = 16): Promise<string[]> {
  const ids: string[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < count) {
        const index = next++;
        const { publishEvent } = dataOf(
          await graphqlRequest(
            url,
            PublishEventDocument,
            { input: { stackId, eventType: 'JOB_FAIL', data: { index } } },
            token,
          ),
        );
        ids.push(publishEvent.id);
      }
    }),
  );
  return ids;
}

async function untilDelivered(ids: string[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (ids.some((id) => peer.deliveriesOf(id) === 0)) {
    if (Date.now() > deadline) {
      throw new Error(
        `${ids.filter((id) => peer.deliveriesOf(id) === 0).length} of ${ids.length} never arrived`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function duplicatesOf(ids: string[]): number {
  return ids.reduce((sum, id) => sum + Math.max(0, peer.deliveriesOf(id) - 1), 0);
}

describeWithServices('several instances on PostgreSQL and Redis', () => {
  it('delivers a notification published through instance B to a subscriber of instance A, exactly once', async () => {
    const [a, b] = await Promise.all([serverProcess({ WORKERS: '0' }), serverProcess({ WORKERS: '0' })]);
    const stackId = await webhookStack(a.url);
    const subscriber = await subscribe(a.url.replace(/^http/, 'ws'), token, NotificationReceivedDocument, {
      stackId,
    });
    const probe = () =>
      graphqlRequest(
        b.url,
        PublishEventDocument,
        { input: { stackId, eventType: 'APP_AUTH', data: {} } },
        token,
      );
    await untilLive(subscriber, probe);
    const { publishEvent } = dataOf(
      await graphqlRequest(
        b.url,
        PublishEventDocument,
        { input: { stackId, eventType: 'CONTAINER_DOWN', data: {} } },
        token,
      ),
    );
    await untilReceived(subscriber, publishEvent.id);
    // A further probe is the marker: once it arrives, a second copy of the event would have too.
    const { publishEvent: marker } = dataOf(await probe());
    await untilReceived(subscriber, marker.id);
    const copies = subscriber.received.filter((r) => r.notificationReceived.id === publishEvent.id);
    expect(copies).toHaveLength(1);
    await subscriber.dispose();
    await Promise.all([a.stop(), b.stop()]);
  }, 60_000);

  it('shares 2,000 deliveries among workers in three processes without sending any twice', async () => {
    const api = await serverProcess({ WORKERS: '0' });
    const stackId = await webhookStack(api.url);
    const ids = await publishMany(api.url, stackId, 2000);
    const workers = await Promise.all([workerProcess(), workerProcess(), workerProcess()]);
    await untilDelivered(ids, 90_000);
    expect(duplicatesOf(ids)).toBe(0);
    await Promise.all([api.stop(), ...workers.map((worker) => worker.stop())]);
  }, 150_000);

  it('loses nothing when one of three workers is killed mid-run; duplicates stay within its in-flight count', async () => {
    const concurrency = 16;
    const api = await serverProcess({ WORKERS: '0' });
    const stackId = await webhookStack(api.url);
    const ids = await publishMany(api.url, stackId, 2000);
    const workers = await Promise.all(
      [0, 1, 2].map(() => workerProcess({ DELIVERY_CONCURRENCY: String(concurrency) })),
    );
    const arrived = () => ids.filter((id) => peer.deliveriesOf(id) > 0).length;
    while (arrived() < 600) await new Promise((resolve) => setTimeout(resolve, 20));
    await workers[0].stop('SIGKILL');
    await untilDelivered(ids, 90_000);
    const duplicates = duplicatesOf(ids);
    console.log(
      `kill -9 of one worker of three: ${duplicates} duplicate deliveries (in-flight limit ${concurrency})`,
    );
    expect(duplicates).toBeLessThanOrEqual(concurrency);
    await Promise.all([api.stop(), workers[1].stop(), workers[2].stop()]);
  }, 150_000);
});

describeWithServices('a Redis restart', () => {
  let redis: ChildProcess | null = null;
  let port = 0;

  async function startRedis(): Promise<void> {
    redis = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      {
        stdio: 'ignore',
      },
    );
    for (let tries = 0; tries < 50; tries += 1) {
      const ok = await new Promise<boolean>((resolve) => {
        const socket = net.connect({ host: '127.0.0.1', port }, () => {
          socket.destroy();
          resolve(true);
        });
        socket.once('error', () => resolve(false));
      });
      if (ok) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error('redis-server did not start');
  }

  afterAll(async () => {
    if (redis && redis.exitCode === null) {
      redis.kill('SIGKILL');
      await once(redis, 'exit');
    }
  });

  it('keeps the server up; subscribers are resubscribed and the history holds everything', async () => {
    const finder = net.createServer();
    finder.listen(0, '127.0.0.1');
    await once(finder, 'listening');
    port = (finder.address() as net.AddressInfo).port;
    finder.close();
    await startRedis();
    const server = await serverProcess({ WORKERS: '0', REDIS_URL: `redis://127.0.0.1:${port}` });
    const stackId = await webhookStack(server.url);
    const publish = async (eventType: 'JOB_FAIL' | 'APP_AUTH') =>
      dataOf(
        await graphqlRequest(
          server.url,
          PublishEventDocument,
          { input: { stackId, eventType, data: {} } },
          token,
        ),
      ).publishEvent.id;
    const subscriber = await subscribe(
      server.url.replace(/^http/, 'ws'),
      token,
      NotificationReceivedDocument,
      {
        stackId,
      },
    );
    await untilLive(subscriber, () => publish('APP_AUTH'));

    redis!.kill('SIGKILL');
    await once(redis!, 'exit');
    const duringOutage = await publish('JOB_FAIL');
    await startRedis();
    await untilLive(subscriber, () => publish('APP_AUTH'), 20_000);
    const after = await publish('JOB_FAIL');
    await untilReceived(subscriber, after);

    const { stack } = dataOf(
      await graphqlRequest(
        server.url,
        StackNotificationsDocument,
        { id: stackId, first: 100, eventTypes: ['JOB_FAIL'] },
        token,
      ),
    );
    expect(stack.notifications.edges.map((edge) => edge.node.id)).toEqual([after, duringOutage]);
    expect(server.child.exitCode).toBeNull();
    await subscriber.dispose();
    await server.stop();
  }, 60_000);
});
