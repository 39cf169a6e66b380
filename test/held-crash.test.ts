// kill -9 during a held window: after restarts the window's one summary arrives exactly once, on SQLite with one
// process, and on PostgreSQL with three processes claiming at once. The processes run the build on a clock set to
// start inside or after the window (test/support/clocked-service.cjs).
import { randomBytes } from 'node:crypto';
import { PublishEventDocument, SetDigestDocument, StackDeliveriesDocument } from './generated/graphql';
import { bootstrapAccount } from './helpers/cli';
import { createTestDatabase, type TestDatabase } from './helpers/database';
import { dataOf, graphqlRequest } from './helpers/graphql';
import { startClockedProcess, type ServiceProcess } from './helpers/processes';
import { POSTGRES_URL, servicesAvailable } from './helpers/services';
import { webhookOnlyStack } from './helpers/webhook-stack';
import { eventually } from './helpers/ws';
import { WebhookPeer } from './peers/webhook-peer';

const EVENTS = 12;
/** A 10-minute digest window, 10:00 to 10:10 UTC, that lets nothing through at once. */
const IN_WINDOW = '2026-06-01T10:02:00.000Z';
const LATER_IN_WINDOW = '2026-06-01T10:05:00.000Z';
const AFTER_WINDOW = '2026-06-01T10:10:30.000Z';

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

const summariesOf = (stackId: string) =>
  peer.verified.filter(
    (message) =>
      (message.payload.stack as { id: string }).id === stackId &&
      String(message.payload.title).startsWith('Digest:'),
  );

async function webhookStatuses(url: string, token: string, stackId: string): Promise<string[]> {
  const { stack } = dataOf(
    await graphqlRequest(
      url,
      StackDeliveriesDocument,
      { id: stackId, first: 100, channel: 'WEBHOOK' },
      token,
    ),
  );
  return stack.deliveries.edges.map((edge) => edge.node.status);
}

/** Holds EVENTS job failures in a webhook digest window, kills the process, kills a restart inside the window too. */
async function heldThenKilled(database: TestDatabase) {
  const env = {
    DATABASE_URL: database.url,
    DATA_DIR: database.dir,
    ALLOW_PRIVATE_NETWORK_TARGETS: 'true',
    DELIVERY_POLL_INTERVAL_MS: '100',
    DELIVERY_LEASE_MS: '15000',
    LOG_LEVEL: 'warn',
  };
  const { token } = await bootstrapAccount(env, `held-${randomBytes(3).toString('hex')}`);
  const first = await clocked('server', IN_WINDOW, env);
  const stackId = await webhookOnlyStack(first.url, token, peer);
  dataOf(
    await graphqlRequest(
      first.url,
      SetDigestDocument,
      { stackId, channel: 'WEBHOOK', windowMinutes: 10, allowance: 0 },
      token,
    ),
  );
  for (let index = 0; index < EVENTS; index += 1) {
    dataOf(
      await graphqlRequest(
        first.url,
        PublishEventDocument,
        { input: { stackId, eventType: 'JOB_FAIL', data: { job: `import-${index}` } } },
        token,
      ),
    );
  }
  // The held deliveries, and the summary that waits for the window's end.
  const waiting = [...new Array<string>(EVENTS).fill('HELD'), 'PENDING'].sort();
  expect((await webhookStatuses(first.url, token, stackId)).sort()).toEqual(waiting);
  expect(await first.stop('SIGKILL')).toBe('SIGKILL');

  // A restart still inside the window sends nothing, and is killed too.
  const second = await clocked('server', LATER_IN_WINDOW, env);
  expect((await webhookStatuses(second.url, token, stackId)).sort()).toEqual(waiting);
  expect(await second.stop('SIGKILL')).toBe('SIGKILL');
  expect(summariesOf(stackId)).toHaveLength(0);
  return { env, token, stackId };
}

/** Waits for the summary, then long enough for any second one to have been sent by a process that claimed it too. */
async function expectOneSummary(url: string, token: string, stackId: string) {
  await eventually(() => summariesOf(stackId).length >= 1, 30_000);
  await new Promise((resolve) => setTimeout(resolve, 1500));
  expect(summariesOf(stackId)).toHaveLength(1);
  expect(summariesOf(stackId)[0].payload).toMatchObject({
    title: `Digest: ${EVENTS} more notifications`,
    data: { notifications: EVENTS },
  });
  const statuses = await webhookStatuses(url, token, stackId);
  expect(statuses.filter((status) => status === 'SUMMARISED')).toHaveLength(EVENTS);
  expect(statuses.filter((status) => status === 'SUCCEEDED')).toHaveLength(1);
}

it('SQLite: a process killed during a held window loses nothing, and the restart sends the summary once', async () => {
  // SQLite whatever TEST_DATABASE_URL says.
  const database = await createTestDatabase('');
  try {
    const { env, token, stackId } = await heldThenKilled(database);
    const third = await clocked('server', AFTER_WINDOW, env);
    await expectOneSummary(third.url, token, stackId);
    await third.stop('SIGKILL');
  } finally {
    await database.drop();
  }
}, 120_000);

const itWithPostgres = servicesAvailable({ postgres: true }) ? it : it.skip;

itWithPostgres(
  'PostgreSQL: three processes starting after the window send its summary once',
  async () => {
    const database = await createTestDatabase(POSTGRES_URL);
    try {
      const { env, token, stackId } = await heldThenKilled(database);
      const [server] = await Promise.all([
        clocked('server', AFTER_WINDOW, env),
        clocked('worker', AFTER_WINDOW, env),
        clocked('worker', AFTER_WINDOW, env),
      ]);
      await expectOneSummary(server.url, token, stackId);
      await Promise.all(processes.map((process) => process.stop('SIGKILL')));
    } finally {
      await database.drop();
    }
  },
  120_000,
);
