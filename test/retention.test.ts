// Retention against the real server and its worker: rows past their retention are deleted in small batches while
// publishing and delivery go on; what may still be sent, what is recent, and other stacks' recent rows stay.
// On a SQLite file; on PostgreSQL too when TEST_DATABASE_URL points at a server.
import { dateValue, type Dialect } from '../src/db/sql';
import { RetentionPurger } from '../src/modules/deliveries/retention';
import { createLogger } from '../src/lib/logger';
import { PublishEventDocument } from './generated/graphql';
import { dataOf } from './helpers/graphql';
import { startTestServer, type Session, type TestServer } from './helpers/server';
import { webhookOnlyStack } from './helpers/webhook-stack';
import { WebhookPeer } from './peers/webhook-peer';

const DAY_MS = 24 * 60 * 60 * 1000;

describe('retention', () => {
  let server: TestServer;
  let peer: WebhookPeer;
  let owner: Session;
  let dialect: Dialect;
  /** The peer, knowing the signing secret of every stack made for it (each stack has its own). */
  let receiver: WebhookPeer;

  beforeAll(async () => {
    peer = await WebhookPeer.start([]);
    server = await startTestServer({
      NOTIFICATION_RETENTION_DAYS: '90',
      DELIVERY_LOG_RETENTION_DAYS: '30',
      RETENTION_PURGE_INTERVAL_MS: '1000',
      DELIVERY_RETRY_SCHEDULE: '0,0.2',
    });
    owner = await server.createAccount('Retention');
    const secrets: string[] = [];
    receiver = {
      url: peer.url,
      useSecrets: (added: string[]) => {
        secrets.push(...added);
        peer.useSecrets(secrets);
      },
    } as unknown as WebhookPeer;
    dialect = server.database.kind === 'postgres' ? 'postgres' : 'sqlite';
  });
  afterAll(async () => {
    await server?.close();
    await peer?.close();
  });

  const sql = (text: string) => {
    if (dialect === 'sqlite') return text;
    let next = 0;
    return text.replace(/\?/g, () => `$${++next}`);
  };
  const run = (text: string, parameters: unknown[] = []) =>
    server.app.dataSource.query(sql(text), parameters) as Promise<Record<string, unknown>[]>;

  async function publish(stackId: string, count: number): Promise<string[]> {
    const ids: string[] = [];
    for (let index = 0; index < count; index++) {
      const { publishEvent } = dataOf(
        await server.request(
          PublishEventDocument,
          { input: { stackId, eventType: 'JOB_FAIL', data: { job: `job-${index}` } } },
          owner.token,
        ),
      );
      ids.push(publishEvent.id);
    }
    return ids;
  }

  async function settled(stackId: string, except = ''): Promise<void> {
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      const [row] = await run(
        "SELECT count(*) AS n FROM deliveries WHERE stack_id = ? AND status = 'PENDING' AND notification_id <> ?",
        [stackId, except],
      );
      if (Number(row.n) === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error('deliveries still pending');
  }

  /** Moves notifications and their deliveries (and attempts) `days` into the past. */
  async function age(notificationIds: string[], days: number, only: 'both' | 'deliveries' = 'both') {
    const at = dateValue(dialect, new Date(Date.now() - days * DAY_MS));
    for (const id of notificationIds) {
      if (only === 'both') await run('UPDATE notifications SET created_at = ? WHERE id = ?', [at, id]);
      await run('UPDATE deliveries SET created_at = ? WHERE notification_id = ?', [at, id]);
    }
  }

  const count = async (table: string, column: string, ids: string[]) => {
    const [row] = await run(
      `SELECT count(*) AS n FROM ${table} WHERE ${column} IN (${ids.map(() => '?').join(', ')})`,
      ids,
    );
    return Number(row.n);
  };

  async function until(check: () => Promise<boolean>): Promise<void> {
    const deadline = Date.now() + 20_000;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error('the purge did not happen in time');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  it('deletes old notifications and old finished deliveries with their attempts, and keeps the rest', async () => {
    const stackId = await webhookOnlyStack(server.url, owner.token, receiver);
    const otherStack = await webhookOnlyStack(server.url, owner.token, receiver);
    const ancient = await publish(stackId, 3);
    const oldLog = await publish(stackId, 2);
    const recent = await publish(stackId, 2);
    const otherRecent = await publish(otherStack, 2);
    await settled(stackId);
    await settled(otherStack);
    const statuses = await run('SELECT DISTINCT status FROM deliveries WHERE stack_id IN (?, ?)', [
      stackId,
      otherStack,
    ]);
    expect(statuses).toEqual([{ status: 'SUCCEEDED' }]);
    // One ancient notification still has a delivery to send: it stays, and so does that delivery.
    const [stillToSend, ...ancientDone] = ancient;
    // Before the rows age: a purge running in between would take this notification.
    await run("UPDATE deliveries SET status = 'PENDING', next_attempt_at = ? WHERE notification_id = ?", [
      dateValue(dialect, new Date(Date.now() + 365 * DAY_MS)),
      stillToSend,
    ]);
    await age(ancient, 100);
    await age(oldLog, 40, 'deliveries');
    const oldDeliveryIds = (
      await run(
        `SELECT id FROM deliveries WHERE notification_id IN (${[...ancientDone, ...oldLog].map(() => '?').join(', ')})`,
        [...ancientDone, ...oldLog],
      )
    ).map((row) => String(row.id));
    expect(await count('delivery_attempts', 'delivery_id', oldDeliveryIds)).toBeGreaterThan(0);
    // What each attempt sent and received is in its row, and goes with it.
    const withExchange = async () => {
      const [row] = await run(
        'SELECT count(*) AS n FROM delivery_attempts WHERE request_sent IS NOT NULL AND response_received IS NOT NULL ' +
          `AND delivery_id IN (${oldDeliveryIds.map(() => '?').join(', ')})`,
        oldDeliveryIds,
      );
      return Number(row.n);
    };
    expect(await withExchange()).toBe(await count('delivery_attempts', 'delivery_id', oldDeliveryIds));

    // Publishing and delivery go on while the worker purges.
    const during = publish(stackId, 10);
    await until(async () => (await count('notifications', 'id', ancientDone)) === 0);
    await until(async () => (await count('deliveries', 'notification_id', oldLog)) === 0);
    const published = await during;
    await settled(stackId, stillToSend);

    expect(await count('delivery_attempts', 'delivery_id', oldDeliveryIds)).toBe(0);
    expect(await withExchange()).toBe(0);
    expect(await count('notifications', 'id', oldLog)).toBe(oldLog.length);
    expect(await count('notifications', 'id', [stillToSend])).toBe(1);
    expect(await count('deliveries', 'notification_id', [stillToSend])).toBe(1);
    expect(await count('notifications', 'id', [...recent, ...otherRecent, ...published])).toBe(14);
    expect(await count('deliveries', 'notification_id', [...recent, ...otherRecent, ...published])).toBe(14);
    for (const id of published) expect(peer.deliveriesOf(id)).toBe(1);

    const metric = await server.app.metrics.registry.getSingleMetricAsString('retention_purged_rows_total');
    expect(metric).toMatch(/retention_purged_rows_total\{table="notifications"\} [1-9]/);
    expect(metric).toMatch(/retention_purged_rows_total\{table="deliveries"\} [1-9]/);
  });

  it('deletes in batches of the configured size, across every stack, and keeps everything when set to 0', async () => {
    // The server's own purger would race this one for the same rows.
    await server.app.purger!.stop();
    const stacks = [
      await webhookOnlyStack(server.url, owner.token, receiver),
      await webhookOnlyStack(server.url, owner.token, receiver),
    ];
    const old: string[] = [];
    for (const stackId of stacks) old.push(...(await publish(stackId, 12)));
    for (const stackId of stacks) await settled(stackId);
    await age(old, 100);
    const log = createLogger('silent');
    const keepAll = new RetentionPurger(
      server.app.dataSource,
      { notificationDays: 0, deliveryLogDays: 0, intervalMs: 1_000_000 },
      () => undefined,
      log,
    );
    expect(keepAll.enabled).toBe(false);
    const batches: number[] = [];
    const purger = new RetentionPurger(
      server.app.dataSource,
      { notificationDays: 90, deliveryLogDays: 30, intervalMs: 1_000_000, batchSize: 5, pauseMs: 0 },
      (table, rows) => {
        if (table === 'notifications') batches.push(rows);
      },
      log,
    );
    expect(await purger.purge()).toMatchObject({ notifications: 24 });
    expect(await count('notifications', 'id', old)).toBe(0);
    expect(batches).toEqual([5, 5, 2, 5, 5, 2]);
  });
});
