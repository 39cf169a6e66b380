// The delivery worker on a real database (a SQLite file, or PostgreSQL with TEST_DATABASE_URL) with a scripted
// transport: what it claims and leases, how many it has in flight, when it looks again, and how it stops.
import { randomBytes, randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { parseDatabaseUrl, type DeliveryConfig } from '../src/config';
import { systemClock } from '../src/lib/clock';
import { openDatabase, ServiceDataSource } from '../src/db/data-source';
import { createLogger } from '../src/lib/logger';
import { Metrics } from '../src/metrics';
import { SecretBox } from '../src/lib/secret-box';
import { Account } from '../src/modules/accounts/account.entity';
import { Role, User } from '../src/modules/accounts/user.entity';
import { ChannelsService } from '../src/modules/channels/channels.service';
import { Delivery, DeliveryAttempt, DeliveryStatus } from '../src/modules/deliveries/delivery.entity';
import { DeliveryWorker } from '../src/modules/deliveries/delivery-worker';
import type { DeliveryTransports } from '../src/modules/deliveries/targets';
import { ChannelKind, EventType, Severity } from '../src/modules/events/event-types';
import type { NotificationPayload } from '../src/modules/events/notification-payload';
import { Notification } from '../src/modules/events/notification.entity';
import { Stack } from '../src/modules/stacks/stack.entity';
import type { DeliveryOutcome, EmailTarget, Transport } from '../src/transports';
import { createTestDatabase, type TestDatabase } from './helpers/database';

const OK: DeliveryOutcome = {
  ok: true,
  retryable: false,
  statusCode: 250,
  responseExcerpt: null,
  error: null,
  durationMs: 1,
};
const UNAVAILABLE: DeliveryOutcome = {
  ...OK,
  ok: false,
  retryable: true,
  statusCode: 421,
  error: 'try later',
};

/** An email transport whose answers the test scripts; sends wait for `release` while `hold` is set. */
class ScriptedMail implements Transport<EmailTarget> {
  /** Notification ids, in the order their sends began. */
  readonly started: string[] = [];
  /** The addresses of each send, in the same order. */
  readonly addresses: string[][] = [];
  active = 0;
  maxActive = 0;
  hold = false;
  answer: (notificationId: string) => DeliveryOutcome = () => OK;
  private readonly held: (() => void)[] = [];

  async send(target: EmailTarget, notification: NotificationPayload): Promise<DeliveryOutcome> {
    this.started.push(notification.id);
    this.addresses.push(target.to);
    this.active += 1;
    this.maxActive = Math.max(this.maxActive, this.active);
    try {
      if (this.hold) await new Promise<void>((resolve) => this.held.push(resolve));
      else await new Promise((resolve) => setTimeout(resolve, 2));
      return this.answer(notification.id);
    } finally {
      this.active -= 1;
    }
  }

  get waiting(): number {
    return this.held.length;
  }

  /** Lets the oldest `count` held sends answer. */
  release(count = Infinity): void {
    for (const resolve of this.held.splice(0, count)) resolve();
  }
}

const notExpected: Transport<unknown> = {
  send: () => Promise.reject(new Error('only email deliveries are expected here')),
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms`);
    await sleep(10);
  }
}

let database: TestDatabase;
let dataSource: DataSource;
let metrics: Metrics;
let channels: ChannelsService;
let stack: Stack;
let user: User;
let mail: ScriptedMail;
let workers: DeliveryWorker[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  dataSource = await openDatabase(parseDatabaseUrl(database.url, database.dir), { migrate: true });
  metrics = new Metrics(async () => ({ pending: 0, oldestPendingAgeSeconds: 0 }));
  channels = new ChannelsService(dataSource, new SecretBox(randomBytes(32)));
  const save = <T extends object>(entity: new () => T, fields: Partial<T>) =>
    dataSource.getRepository(entity).save(dataSource.getRepository(entity).create(fields as T));
  const account = await save(Account, { name: `worker-${randomBytes(3).toString('hex')}` });
  stack = await save(Stack, { accountId: account.id, name: 'web', environment: 'production' });
  user = await save(User, { accountId: account.id, email: 'ada@example.com', name: 'Ada', role: Role.OWNER });
});

afterAll(async () => {
  await dataSource?.destroy();
  await database?.drop();
});

beforeEach(async () => {
  mail = new ScriptedMail();
  await dataSource.createQueryBuilder().delete().from(DeliveryAttempt).execute();
  await dataSource.createQueryBuilder().delete().from(Delivery).execute();
});

afterEach(async () => {
  mail.hold = false;
  mail.release();
  await Promise.all(workers.map((worker) => worker.stop(5000)));
  // Attempts that ended after a stop are still being recorded (or dropped) in the background.
  await until(() => workers.every((worker) => worker.inFlightCount === 0));
  workers = [];
});

type IsolationLevel = Parameters<DataSource['transaction']>[0];

/** The test's database, refusing the worker's transactions as an unreachable server would while `down` is set. */
class UnreachableAtTimes extends ServiceDataSource {
  down = false;
  transactionsRefused = 0;

  override transaction<T>(run: (manager: EntityManager) => Promise<T>): Promise<T>;
  override transaction<T>(isolation: IsolationLevel, run: (manager: EntityManager) => Promise<T>): Promise<T>;
  override transaction<T>(...args: unknown[]): Promise<T> {
    if (this.down) {
      this.transactionsRefused += 1;
      const error = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
      return Promise.reject(error);
    }
    return (super.transaction as (...a: unknown[]) => Promise<T>).apply(this, args);
  }
}

function startWorker(
  config: Partial<DeliveryConfig> = {},
  workerDataSource: DataSource = dataSource,
): DeliveryWorker {
  const transports = {
    [ChannelKind.EMAIL]: mail,
    [ChannelKind.WEBHOOK]: notExpected,
    [ChannelKind.SLACK]: notExpected,
    [ChannelKind.HIPCHAT]: notExpected,
    [ChannelKind.TEAMS]: notExpected,
    [ChannelKind.DISCORD]: notExpected,
    [ChannelKind.IOS]: notExpected,
    [ChannelKind.BROWSER]: notExpected,
  } as DeliveryTransports;
  const worker = new DeliveryWorker({
    dataSource: workerDataSource,
    metrics,
    transports,
    channels,
    config: {
      retrySchedule: [0, 60, 600],
      concurrency: 4,
      pollIntervalMs: 50,
      leaseMs: 60_000,
      httpTimeoutMs: 1000,
      channelDisableAfterHours: 72,
      ...config,
    },
    publicUrl: 'http://notifications.test',
    clock: systemClock,
    log: createLogger('silent'),
  });
  workers.push(worker);
  worker.start();
  return worker;
}

interface Seeded {
  /** The delivery's id. */
  id: string;
  /** Its notification's id: what the transport sees. */
  notificationId: string;
}

/** An email delivery of a notification of its own, due `dueInMs` from now (negative: overdue). */
async function seed(
  dueInMs = -1000,
  extra: Partial<Pick<Delivery, 'leaseOwner' | 'leaseUntil' | 'attemptCount' | 'targetId'>> = {},
): Promise<Seeded> {
  const now = Date.now();
  const notification = dataSource.getRepository(Notification).create({
    stackId: stack.id,
    accountId: stack.accountId,
    eventType: EventType.STACK_REDEPLOY_FAIL,
    severity: Severity.CRITICAL,
    data: {},
    occurredAt: new Date(now),
  });
  await dataSource.getRepository(Notification).save(notification);
  const delivery = dataSource.getRepository(Delivery).create({
    notificationId: notification.id,
    stackId: stack.id,
    channel: ChannelKind.EMAIL,
    targetId: user.id,
    userId: user.id,
    targetLabel: user.email,
    nextAttemptAt: new Date(now + dueInMs),
    ...extra,
  });
  await dataSource.getRepository(Delivery).insert(delivery);
  return { id: delivery.id, notificationId: notification.id };
}

const row = (delivery: Seeded) => dataSource.getRepository(Delivery).findOneByOrFail({ id: delivery.id });
const attemptsOf = (delivery: Seeded) =>
  dataSource
    .getRepository(DeliveryAttempt)
    .find({ where: { deliveryId: delivery.id }, order: { at: 'ASC' } });
const statusOf = async (delivery: Seeded) => (await row(delivery)).status;

describe('claiming', () => {
  it('leases the due deliveries to itself for DELIVERY_LEASE_MS, oldest first, leaving later and leased ones alone', async () => {
    const second = await seed(-2000);
    const first = await seed(-3000);
    const third = await seed(-1000);
    const later = await seed(60 * 60_000);
    const leasedElsewhere = await seed(-5000, {
      leaseOwner: 'other-worker',
      leaseUntil: new Date(Date.now() + 60_000),
    });
    const expired = await seed(-1500, { leaseOwner: 'dead-worker', leaseUntil: new Date(Date.now() - 1) });
    mail.hold = true;
    const before = Date.now();
    const worker = startWorker({ concurrency: 10, leaseMs: 30_000, pollIntervalMs: 20 });
    await until(() => mail.started.length === 4);
    const after = Date.now();
    // Several polls later, still only those.
    await sleep(200);
    expect(mail.started).toEqual([first, second, expired, third].map((seeded) => seeded.notificationId));

    for (const leased of [first, second, expired, third]) {
      const { leaseOwner, leaseUntil, status } = await row(leased);
      expect({ leaseOwner, status }).toEqual({ leaseOwner: worker.id, status: DeliveryStatus.PENDING });
      expect(leaseUntil!.getTime()).toBeGreaterThanOrEqual(before + 30_000);
      expect(leaseUntil!.getTime()).toBeLessThanOrEqual(after + 30_000);
    }
    expect((await row(later)).leaseOwner).toBeNull();
    expect((await row(leasedElsewhere)).leaseOwner).toBe('other-worker');

    mail.release();
    for (const sent of [first, second, expired, third]) {
      await until(async () => (await statusOf(sent)) === DeliveryStatus.SUCCEEDED);
      expect(await row(sent)).toMatchObject({
        attemptCount: 1,
        leaseOwner: null,
        leaseUntil: null,
        nextAttemptAt: null,
      });
      expect(await attemptsOf(sent)).toHaveLength(1);
    }
  });

  it('never has more than DELIVERY_CONCURRENCY deliveries in flight, and sends each one once', async () => {
    const seeded = await Promise.all(Array.from({ length: 14 }, (_, index) => seed(-1000 - index)));
    mail.hold = true;
    const worker = startWorker({ concurrency: 3 });
    await until(() => mail.started.length === 3);
    await sleep(200);
    expect(mail.started).toHaveLength(3);
    const leased = await dataSource.getRepository(Delivery).countBy({ leaseOwner: worker.id });
    expect(leased).toBe(3);

    // One answer at a time: each freed slot is taken again.
    while (mail.started.length < seeded.length) {
      await until(() => mail.waiting > 0);
      mail.release(1);
      await sleep(5);
      expect(mail.active).toBeLessThanOrEqual(3);
    }
    mail.hold = false;
    mail.release();
    await until(
      async () =>
        (await dataSource.getRepository(Delivery).countBy({ status: DeliveryStatus.SUCCEEDED })) === 14,
    );
    expect(mail.maxActive).toBe(3);
    expect(new Set(mail.started).size).toBe(14);
    expect(mail.started).toHaveLength(14);
  });

  it('sends to the address read with the claim, and fails a delivery whose user is gone without sending it', async () => {
    const present = await seed(-2000);
    const gone = await seed(-1000, { targetId: randomUUID() });
    startWorker();
    await until(async () => (await statusOf(gone)) === DeliveryStatus.FAILED);
    await until(async () => (await statusOf(present)) === DeliveryStatus.SUCCEEDED);
    expect(mail.started).toEqual([present.notificationId]);
    expect(mail.addresses).toEqual([[user.email]]);
    const [attempt, ...more] = await attemptsOf(gone);
    expect(more).toEqual([]);
    expect(attempt.error).toMatch(/removed or disabled before delivery/);
  });
});

describe('waking', () => {
  it('looks for due deliveries again every DELIVERY_POLL_INTERVAL_MS while idle', async () => {
    startWorker({ pollIntervalMs: 100 });
    await sleep(250);
    const due = await seed();
    await until(() => mail.started.includes(due.notificationId), 5000);
  });

  it('sleeps through a long poll interval while idle, and claims at once when woken', async () => {
    const first = await seed();
    const worker = startWorker({ pollIntervalMs: 60_000 });
    // That claim came back short of the free slots: the worker now waits for the poll interval.
    await until(async () => (await statusOf(first)) === DeliveryStatus.SUCCEEDED);
    const second = await seed();
    await sleep(300);
    expect(mail.started).not.toContain(second.notificationId);
    const woken = Date.now();
    worker.wake();
    await until(() => mail.started.includes(second.notificationId), 5000);
    expect(Date.now() - woken).toBeLessThan(5000);
  });
});

describe('recording attempts', () => {
  it('records a retryable failure as PENDING until the retry the schedule gives, with the lease freed', async () => {
    mail.answer = () => UNAVAILABLE;
    const delivery = await seed();
    const before = Date.now();
    // The step after the first attempt waits exactly an hour: the previous step is no shorter.
    startWorker({ retrySchedule: [3600, 3600, 3600] });
    await until(async () => (await row(delivery)).attemptCount === 1);
    const after = Date.now();
    const { status, nextAttemptAt, leaseOwner, leaseUntil } = await row(delivery);
    expect({ status, leaseOwner, leaseUntil }).toEqual({
      status: DeliveryStatus.PENDING,
      leaseOwner: null,
      leaseUntil: null,
    });
    expect(nextAttemptAt!.getTime()).toBeGreaterThanOrEqual(before + 3_600_000);
    expect(nextAttemptAt!.getTime()).toBeLessThanOrEqual(after + 3_600_000);
    const [attempt] = await attemptsOf(delivery);
    expect(attempt).toMatchObject({ ok: false, statusCode: 421, error: 'try later' });
  });

  it('tries again once the retry is due, and leaves the delivery DEAD after the last attempt of the schedule', async () => {
    mail.answer = () => UNAVAILABLE;
    const delivery = await seed();
    startWorker({ retrySchedule: [0, 0.1, 0.3], pollIntervalMs: 20 });
    await until(async () => (await statusOf(delivery)) === DeliveryStatus.DEAD);
    expect(mail.started).toEqual(Array(3).fill(delivery.notificationId));
    expect(await row(delivery)).toMatchObject({ attemptCount: 3, nextAttemptAt: null, leaseOwner: null });
    const attempts = await attemptsOf(delivery);
    expect(attempts).toHaveLength(3);
    // The third attempt waited at least the second step (100 ms) after the second one ended.
    expect(attempts[2].at.getTime() - attempts[1].at.getTime()).toBeGreaterThanOrEqual(100);
  });

  it('records a permanent failure as FAILED after one attempt', async () => {
    mail.answer = () => ({ ...UNAVAILABLE, retryable: false, statusCode: 550, error: 'no such mailbox' });
    const delivery = await seed();
    startWorker();
    await until(async () => (await statusOf(delivery)) === DeliveryStatus.FAILED);
    expect(await row(delivery)).toMatchObject({ attemptCount: 1, nextAttemptAt: null, leaseOwner: null });
    expect(mail.started).toHaveLength(1);
  });

  it('leaves a delivery whose transport threw to its lease, and sends it again once that expires', async () => {
    let calls = 0;
    mail.answer = () => {
      calls += 1;
      if (calls === 1) throw new Error('transport bug');
      return OK;
    };
    const delivery = await seed();
    const worker = startWorker({ leaseMs: 1500, pollIntervalMs: 20 });
    await until(() => calls === 1);
    await sleep(100);
    expect(await row(delivery)).toMatchObject({
      status: DeliveryStatus.PENDING,
      attemptCount: 0,
      leaseOwner: worker.id,
    });
    expect(await attemptsOf(delivery)).toHaveLength(0);
    await until(async () => (await statusOf(delivery)) === DeliveryStatus.SUCCEEDED);
    expect(mail.started).toEqual([delivery.notificationId, delivery.notificationId]);
    expect(await attemptsOf(delivery)).toHaveLength(1);
  });
});

describe('stopping', () => {
  it('returns at once when the worker never started', async () => {
    const worker = new DeliveryWorker({
      dataSource,
      metrics,
      transports: {} as DeliveryTransports,
      channels,
      config: {
        retrySchedule: [0],
        concurrency: 1,
        pollIntervalMs: 50,
        leaseMs: 1000,
        httpTimeoutMs: 1000,
        channelDisableAfterHours: 72,
      },
      publicUrl: 'http://notifications.test',
      clock: systemClock,
      log: createLogger('silent'),
    });
    await worker.stop(60_000);
  });

  it('claims nothing more, and waits for the deliveries in flight to finish and be recorded', async () => {
    const seeded = await Promise.all(Array.from({ length: 5 }, (_, index) => seed(-1000 - index)));
    mail.hold = true;
    const worker = startWorker({ concurrency: 2 });
    await until(() => mail.started.length === 2);
    let stopped = false;
    const stopping = worker.stop(10_000).then(() => (stopped = true));
    await sleep(200);
    expect(stopped).toBe(false);
    const begun = Date.now();
    mail.release();
    await stopping;
    expect(Date.now() - begun).toBeLessThan(5000);
    expect(worker.inFlightCount).toBe(0);

    const sent = seeded.filter((delivery) => mail.started.includes(delivery.notificationId));
    expect(sent).toHaveLength(2);
    for (const delivery of seeded) {
      const { status, attemptCount, leaseOwner } = await row(delivery);
      if (sent.includes(delivery)) {
        expect({ status, attemptCount, leaseOwner }).toEqual({
          status: DeliveryStatus.SUCCEEDED,
          attemptCount: 1,
          leaseOwner: null,
        });
        expect(await attemptsOf(delivery)).toHaveLength(1);
      } else {
        expect({ status, attemptCount, leaseOwner }).toEqual({
          status: DeliveryStatus.PENDING,
          attemptCount: 0,
          leaseOwner: null,
        });
      }
    }
    await sleep(200);
    expect(mail.started).toHaveLength(2);
  });

  it('hands back the leases of deliveries still in flight after the grace period, for another worker to take at once', async () => {
    const seeded = [await seed(), await seed()];
    mail.hold = true;
    const first = startWorker({ concurrency: 2, leaseMs: 60_000 });
    await until(() => mail.started.length === 2);
    const begun = Date.now();
    await first.stop(300);
    const took = Date.now() - begun;
    expect(took).toBeGreaterThanOrEqual(250);
    expect(took).toBeLessThan(3000);
    for (const delivery of seeded) {
      expect(await row(delivery)).toMatchObject({
        status: DeliveryStatus.PENDING,
        attemptCount: 0,
        leaseOwner: null,
        leaseUntil: null,
      });
    }

    // Long before the 60 s lease would have run out.
    mail.hold = false;
    const second = startWorker({ concurrency: 2 });
    for (const delivery of seeded) {
      await until(async () => (await statusOf(delivery)) === DeliveryStatus.SUCCEEDED, 5000);
    }
    // The first worker's sends answer late: theirs are not recorded, the row belongs to the second worker's attempt.
    mail.release();
    await until(() => first.inFlightCount === 0);
    await second.stop();
    for (const delivery of seeded) {
      expect(await row(delivery)).toMatchObject({ status: DeliveryStatus.SUCCEEDED, attemptCount: 1 });
      expect(await attemptsOf(delivery)).toHaveLength(1);
    }
    expect(mail.started).toHaveLength(4);
  });
});

describe('the database unreachable', () => {
  let flaky: UnreachableAtTimes;

  beforeEach(async () => {
    flaky = new UnreachableAtTimes(parseDatabaseUrl(database.url, database.dir));
    await flaky.initialize();
  });

  afterEach(async () => {
    flaky.down = false;
    await Promise.all(workers.map((worker) => worker.stop(5000)));
    await until(() => workers.every((worker) => worker.inFlightCount === 0));
    await flaky.destroy();
  });

  it('keeps the outcomes of attempts that end meanwhile and writes them once it answers, sending nothing twice', async () => {
    const seeded = [await seed(), await seed(), await seed()];
    mail.hold = true;
    // A lease shorter than the outage: the worker must not take its own rows again when it runs out.
    const worker = startWorker({ concurrency: 4, leaseMs: 300, pollIntervalMs: 20 }, flaky);
    await until(() => mail.waiting === 3);
    flaky.down = true;
    mail.release();
    await until(() => worker.unwrittenCount === 3);
    expect((await metrics.unwrittenOutcomes.get()).values[0]?.value).toBe(3);
    await until(() => flaky.transactionsRefused >= 3);
    await sleep(400);
    for (const delivery of seeded) {
      expect(await row(delivery)).toMatchObject({ status: DeliveryStatus.PENDING, leaseOwner: worker.id });
    }
    flaky.down = false;
    for (const delivery of seeded) {
      await until(async () => (await statusOf(delivery)) === DeliveryStatus.SUCCEEDED);
      expect(await attemptsOf(delivery)).toHaveLength(1);
    }
    expect(worker.unwrittenCount).toBe(0);
    await sleep(200);
    expect(mail.started).toHaveLength(3);
  });

  it('on stop, waits within the grace period for the database to take the outcomes', async () => {
    const delivery = await seed();
    mail.hold = true;
    const worker = startWorker({ concurrency: 2, pollIntervalMs: 20 }, flaky);
    await until(() => mail.waiting === 1);
    flaky.down = true;
    mail.release();
    await until(() => worker.unwrittenCount === 1);
    let stopped = false;
    const stopping = worker.stop(10_000).then(() => (stopped = true));
    await sleep(300);
    expect(stopped).toBe(false);
    flaky.down = false;
    await stopping;
    expect(await row(delivery)).toMatchObject({ status: DeliveryStatus.SUCCEEDED, leaseOwner: null });
    expect(await attemptsOf(delivery)).toHaveLength(1);
  });

  it('keeps the lease of an unwritten outcome when the grace period ends first', async () => {
    const delivery = await seed();
    mail.hold = true;
    const worker = startWorker({ concurrency: 2, pollIntervalMs: 20 }, flaky);
    await until(() => mail.waiting === 1);
    flaky.down = true;
    mail.release();
    await until(() => worker.unwrittenCount === 1);
    await worker.stop(200);
    expect(worker.inFlightCount).toBe(0);
    flaky.down = false;
    await sleep(300);
    expect(await row(delivery)).toMatchObject({ status: DeliveryStatus.PENDING, leaseOwner: worker.id });
  });
});
