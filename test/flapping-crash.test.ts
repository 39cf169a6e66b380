// kill -9 while a flapping job's transitions are held: after restarts its window's summary and its "settled" message
// each arrive exactly once, on SQLite with one process, and on PostgreSQL with three processes claiming at once. The
// processes run the build on a clock set to start inside or after the window (test/support/clocked-service.cjs).
import { randomBytes } from 'node:crypto';
import {
  PublishEventDocument,
  SetFlappingDocument,
  StackDeliveriesDocument,
  type EventType,
} from './generated/graphql';
import { bootstrapAccount } from './helpers/cli';
import { createTestDatabase, type TestDatabase } from './helpers/database';
import { dataOf, graphqlRequest } from './helpers/graphql';
import { startClockedProcess, type ServiceProcess } from './helpers/processes';
import { POSTGRES_URL, servicesAvailable } from './helpers/services';
import { webhookOnlyStack } from './helpers/webhook-stack';
import { eventually } from './helpers/ws';
import { WebhookPeer } from './peers/webhook-peer';

/** The job flaps from its second failure; each window is 10 minutes, and it settles 20 minutes after the last. */
const RULE = { threshold: 1, windowMinutes: 10, settleMinutes: 20 };
const START = '2026-06-01T10:00:00.000Z';
const IN_WINDOW = '2026-06-01T10:05:00.000Z';
/** After the window's end and after the job settled. */
const AFTER_SETTLING = '2026-06-01T10:21:00.000Z';
/** Sent as they came: the first failure and its recovery. Then held: three failures and two recoveries. */
const SENT: EventType[] = ['JOB_FAIL', 'JOB_BACKON'];
const HELD: EventType[] = ['JOB_FAIL', 'JOB_BACKON', 'JOB_FAIL', 'JOB_BACKON', 'JOB_FAIL'];

let peer: WebhookPeer;
const processes: ServiceProcess[] = [];

beforeAll(async () => {
  peer = await WebhookPeer.start([]);
});
afterAll(async () => {
  await Promise.all(processes.map((process) => process.stop('SIGKILL')));
  await peer?.close();
});

async function clocked(role: 'server' | 'worker', at: string, env: Record<string, string>) {
  const started = await startClockedProcess(role, at, env);
  processes.push(started);
  return started;
}

const webhooksOf = (stackId: string) =>
  peer.verified.filter((message) => (message.payload.stack as { id: string }).id === stackId);
const titled = (stackId: string, start: string) =>
  webhooksOf(stackId).filter((message) => String(message.payload.title).startsWith(start));

async function webhookStatuses(url: string, token: string, stackId: string): Promise<string[]> {
  const { stack } = dataOf(
    await graphqlRequest(
      url,
      StackDeliveriesDocument,
      { id: stackId, first: 100, channel: 'WEBHOOK' },
      token,
    ),
  );
  return stack.deliveries.edges.map((edge) => edge.node.status).sort();
}

/** Makes a job flap and holds its transitions, kills the process, kills a restart inside the window too. */
async function flappingThenKilled(database: TestDatabase) {
  const env = {
    DATABASE_URL: database.url,
    DATA_DIR: database.dir,
    ALLOW_PRIVATE_NETWORK_TARGETS: 'true',
    DELIVERY_POLL_INTERVAL_MS: '100',
    DELIVERY_LEASE_MS: '15000',
    LOG_LEVEL: 'warn',
  };
  const { token } = await bootstrapAccount(env, `flap-${randomBytes(3).toString('hex')}`);
  const first = await clocked('server', START, env);
  const stackId = await webhookOnlyStack(first.url, token, peer);
  dataOf(await graphqlRequest(first.url, SetFlappingDocument, { stackId, input: RULE }, token));
  for (const eventType of [...SENT, ...HELD]) {
    dataOf(
      await graphqlRequest(
        first.url,
        PublishEventDocument,
        { input: { stackId, eventType, data: { job: 'nightly' } } },
        token,
      ),
    );
  }
  await eventually(() => webhooksOf(stackId).length === SENT.length, 20_000);
  // The held deliveries, the window's summary and the "settled" message wait.
  const waiting = [
    ...Array<string>(SENT.length).fill('SUCCEEDED'),
    ...Array<string>(HELD.length).fill('HELD'),
    'PENDING',
    'PENDING',
  ].sort();
  expect(await webhookStatuses(first.url, token, stackId)).toEqual(waiting);
  expect(await first.stop('SIGKILL')).toBe('SIGKILL');

  // A restart still inside the window sends nothing, and is killed too.
  const second = await clocked('server', IN_WINDOW, env);
  expect(await webhookStatuses(second.url, token, stackId)).toEqual(waiting);
  expect(await second.stop('SIGKILL')).toBe('SIGKILL');
  expect(webhooksOf(stackId)).toHaveLength(SENT.length);
  return { env, token, stackId };
}

/** Waits for the summary and the "settled" message, then long enough for any second one to have been sent. */
async function expectEachOnce(url: string, token: string, stackId: string) {
  await eventually(
    () =>
      titled(stackId, 'job nightly flapped').length >= 1 &&
      titled(stackId, 'job nightly settled').length >= 1,
    30_000,
  );
  await new Promise((resolve) => setTimeout(resolve, 1500));
  expect(titled(stackId, 'job nightly flapped')).toHaveLength(1);
  expect(titled(stackId, 'job nightly flapped')[0].payload).toMatchObject({
    data: { flapping: 'job nightly', notifications: HELD.length, failed: 3, succeeded: 2, now: 'failed' },
  });
  expect(titled(stackId, 'job nightly settled')).toHaveLength(1);
  expect(titled(stackId, 'job nightly settled')[0].payload).toMatchObject({
    eventKey: 'job.fail',
    data: { settled: 'job nightly', now: 'failed' },
  });
  expect(webhooksOf(stackId)).toHaveLength(SENT.length + 2);
  expect(await webhookStatuses(url, token, stackId)).toEqual(
    [
      ...Array<string>(SENT.length + 2).fill('SUCCEEDED'),
      ...Array<string>(HELD.length).fill('SUMMARISED'),
    ].sort(),
  );
}

it('SQLite: a process killed while a flapping job is held loses nothing, and the restart sends each message once', async () => {
  // SQLite whatever TEST_DATABASE_URL says.
  const database = await createTestDatabase('');
  try {
    const { env, token, stackId } = await flappingThenKilled(database);
    const third = await clocked('server', AFTER_SETTLING, env);
    await expectEachOnce(third.url, token, stackId);
    await third.stop('SIGKILL');
  } finally {
    await database.drop();
  }
}, 120_000);

const itWithPostgres = servicesAvailable({ postgres: true }) ? it : it.skip;

itWithPostgres(
  'PostgreSQL: three processes starting after the window and the settling send each message once',
  async () => {
    const database = await createTestDatabase(POSTGRES_URL);
    try {
      const { env, token, stackId } = await flappingThenKilled(database);
      const [server] = await Promise.all([
        clocked('server', AFTER_SETTLING, env),
        clocked('worker', AFTER_SETTLING, env),
        clocked('worker', AFTER_SETTLING, env),
      ]);
      await expectEachOnce(server.url, token, stackId);
      await Promise.all(processes.map((process) => process.stop('SIGKILL')));
    } finally {
      await database.drop();
    }
  },
  120_000,
);
