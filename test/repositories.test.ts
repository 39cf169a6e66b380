// The modules' repositories (plain SQL per database): every column they write reads back through TypeORM as it
// was set, and is stored exactly as TypeORM stores it; the claim uses the due index; large batches are split under
// the databases' parameter limits; leases are not taken from their owners.
// On a SQLite file; also on a fresh PostgreSQL database when TEST_DATABASE_URL points at a server.
import { randomUUID } from 'node:crypto';
import { type DataSource, type EntityManager, QueryFailedError } from 'typeorm';
import { type DialectSql, query } from '../src/db/sql';
import { parseDatabaseUrl } from '../src/config';
import { openDatabase } from '../src/db/data-source';
import { Account } from '../src/modules/accounts/account.entity';
import { Role, User } from '../src/modules/accounts/user.entity';
import { channelViews, hasIosDevice } from '../src/modules/channels/channels.repository';
import { IosDevice } from '../src/modules/channels/ios-device.entity';
import { StackChannel } from '../src/modules/channels/stack-channel.entity';
import { Delivery, DeliveryAttempt, DeliveryStatus } from '../src/modules/deliveries/delivery.entity';
import {
  DUE_DELIVERIES,
  closeAttempt,
  closeSucceeded,
  dueDeliveries,
  dueParameters,
  insertAttempts,
  insertDeliveries,
  leaseDeliveries,
  leaseWithoutFlushWait,
  pendingStats,
} from '../src/modules/deliveries/outbox.repository';
import { ChannelKind, EventType, Severity } from '../src/modules/events/event-types';
import { Notification } from '../src/modules/events/notification.entity';
import { startOrContinueFlapping, subjectState } from '../src/modules/incidents/flapping.repository';
import { openOrJoinIncident } from '../src/modules/incidents/incidents.repository';
import {
  insertNotifications,
  notificationByIdempotencyKey,
  releaseIdempotencyKey,
} from '../src/modules/events/notifications.repository';
import { StackPreference, UserPreference } from '../src/modules/preferences/preference.entities';
import { storedCells } from '../src/modules/preferences/preferences.repository';
import { Stack } from '../src/modules/stacks/stack.entity';
import { stackOfAccount, stacksByIds } from '../src/modules/stacks/stacks.repository';
import { createTestDatabase, type TestDatabase } from './helpers/database';

const databases: [string, () => Promise<TestDatabase>][] = [
  ['a SQLite file', () => createTestDatabase(undefined)],
];
if (process.env.TEST_DATABASE_URL) databases.push(['PostgreSQL', () => createTestDatabase()]);

/** Text that SQL and JSON both have to get right. */
const AWKWARD = `it's "quoted" \\ back; ünïcödé 🚀 \u2028 -- ?$1 :name`;

const at = (second: number, ms = 0) => new Date(Date.UTC(2026, 2, 4, 5, 6, second, ms));

describe.each(databases)('repositories on %s', (_name, create) => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let account: Account;
  let stack: Stack;
  let channel: StackChannel;

  beforeAll(async () => {
    database = await create();
    dataSource = await openDatabase(parseDatabaseUrl(database.url, database.dir), { migrate: true });
    account = Object.assign(new Account(), { name: 'Repositories' });
    await dataSource.getRepository(Account).insert(account);
    stack = Object.assign(new Stack(), {
      accountId: account.id,
      name: AWKWARD.slice(0, 40),
      environment: 'production',
      createdAt: at(1, 250),
    });
    await dataSource.getRepository(Stack).insert(stack);
    channel = Object.assign(new StackChannel(), {
      stackId: stack.id,
      kind: ChannelKind.WEBHOOK,
      settings: { url: `https://example.com/hook?q=${encodeURIComponent(AWKWARD)}` },
      secret: AWKWARD,
      secretHint: 'it…s',
      enabled: false,
      previousSecret: 'old secret',
      previousSecretUntil: at(2, 999),
      createdAt: at(3),
      updatedAt: at(3),
    });
    await dataSource.getRepository(StackChannel).insert(channel);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  /** Every column of `table`'s row `id`, as the database stores it, without the id. */
  async function stored(
    table: string,
    idColumn: string,
    id: string | number,
  ): Promise<Record<string, unknown>> {
    const [row] = (await dataSource.query(
      `SELECT * FROM ${table} WHERE ${idColumn} = ${database.kind === 'postgres' ? '$1' : '?'}`,
      [id],
    )) as Record<string, unknown>[];
    expect(row).toBeDefined();
    const { id: _id, ...rest } = row;
    return rest;
  }

  function notification(overrides: Partial<Notification> = {}): Notification {
    return Object.assign(new Notification(), {
      stackId: stack.id,
      accountId: account.id,
      eventType: EventType.JOB_FAIL,
      data: { text: AWKWARD, nested: { list: [1, 2.5, null, true, 'x'], empty: {} } },
      severity: Severity.WARNING,
      occurredAt: at(4, 7),
      idempotencyKey: null,
      createdAt: at(5, 123),
      ...overrides,
    });
  }

  function delivery(notificationId: string, overrides: Partial<Delivery> = {}): Delivery {
    return Object.assign(new Delivery(), {
      notificationId,
      stackId: stack.id,
      channel: ChannelKind.WEBHOOK,
      targetId: channel.id,
      targetLabel: AWKWARD,
      nextAttemptAt: at(6, 1),
      requestId: `req '${AWKWARD.slice(0, 20)}'`,
      createdAt: at(7, 10),
      updatedAt: at(8, 100),
      ...overrides,
    });
  }

  it('reads stacks by id as TypeORM reads them', async () => {
    const other = Object.assign(new Stack(), { accountId: account.id, name: 'other', environment: 'qa' });
    await dataSource.getRepository(Stack).insert(other);
    const read = await stacksByIds(dataSource.manager, [stack.id, other.id, 'no-such-stack']);
    const byId = new Map(read.map((row) => [row.id, row]));
    expect(byId.size).toBe(2);
    for (const id of [stack.id, other.id]) {
      expect(byId.get(id)).toBeInstanceOf(Stack);
      expect(byId.get(id)).toEqual(await dataSource.getRepository(Stack).findOneByOrFail({ id }));
    }
    expect(byId.get(stack.id)!.createdAt.toISOString()).toBe('2026-03-04T05:06:01.250Z');
    expect(await stacksByIds(dataSource.manager, [])).toEqual([]);
  });

  it('reads a stack only for the account that owns it, as TypeORM reads it', async () => {
    const other = Object.assign(new Account(), { name: 'Other account' });
    await dataSource.getRepository(Account).insert(other);
    expect(await stackOfAccount(dataSource.manager, stack.id, account.id)).toEqual(
      await dataSource.getRepository(Stack).findOneByOrFail({ id: stack.id }),
    );
    expect(await stackOfAccount(dataSource.manager, stack.id, other.id)).toBeNull();
    expect(
      await stackOfAccount(dataSource.manager, '00000000-0000-4000-8000-000000000000', account.id),
    ).toBeNull();
  });

  it('reads the channel views and device presence the settings page shows', async () => {
    const [view] = await channelViews(dataSource.manager, stack.id);
    const viaTypeOrm = await dataSource.getRepository(StackChannel).findOneByOrFail({ id: channel.id });
    expect(view).toEqual({
      id: viaTypeOrm.id,
      stackId: viaTypeOrm.stackId,
      kind: viaTypeOrm.kind,
      name: viaTypeOrm.name,
      enabled: viaTypeOrm.enabled,
      disabledReason: viaTypeOrm.disabledReason,
      settings: viaTypeOrm.settings,
      secretHint: viaTypeOrm.secretHint,
    });
    expect(view.enabled).toBe(false);
    const user = Object.assign(new User(), {
      accountId: account.id,
      email: `devices-${database.kind}@example.com`,
      name: 'Devices',
      role: Role.MEMBER,
    });
    await dataSource.getRepository(User).insert(user);
    expect(await hasIosDevice(dataSource.manager, user.id)).toBe(false);
    await dataSource.getRepository(IosDevice).insert(
      Object.assign(new IosDevice(), {
        userId: user.id,
        token: 'a'.repeat(64),
        deviceName: AWKWARD.slice(0, 50),
      }),
    );
    expect(await hasIosDevice(dataSource.manager, user.id)).toBe(true);
  });

  it("reads a viewer's stored cells with the personal ones last, and nobody else's", async () => {
    const [me, someoneElse] = [
      `cells-a-${database.kind}@example.com`,
      `cells-b-${database.kind}@example.com`,
    ].map((email) =>
      Object.assign(new User(), { accountId: account.id, email, name: 'Cells', role: Role.MEMBER }),
    );
    await dataSource.getRepository(User).insert([me, someoneElse]);
    await dataSource.getRepository(StackPreference).insert([
      { stackId: stack.id, eventType: EventType.JOB_FAIL, channel: ChannelKind.SLACK, enabled: false },
      { stackId: stack.id, eventType: EventType.SERVER_STOPPED, channel: ChannelKind.WEBHOOK, enabled: true },
    ]);
    await dataSource.getRepository(UserPreference).insert([
      {
        userId: me.id,
        stackId: stack.id,
        eventType: EventType.JOB_FAIL,
        channel: ChannelKind.EMAIL,
        enabled: false,
      },
      {
        userId: someoneElse.id,
        stackId: stack.id,
        eventType: EventType.JOB_FAIL,
        channel: ChannelKind.IOS,
        enabled: false,
      },
    ]);
    const cells = await storedCells(dataSource.manager, stack.id, me.id, null);
    expect(cells.map((cell) => [cell.eventType, cell.channel, cell.enabled, cell.personal])).toEqual(
      expect.arrayContaining([
        [EventType.JOB_FAIL, ChannelKind.SLACK, false, false],
        [EventType.SERVER_STOPPED, ChannelKind.WEBHOOK, true, false],
        [EventType.JOB_FAIL, ChannelKind.EMAIL, false, true],
      ]),
    );
    expect(cells).toHaveLength(3);
    expect(cells[2].personal).toBe(true);
    const ofJobFail = await storedCells(dataSource.manager, stack.id, me.id, EventType.JOB_FAIL);
    expect(ofJobFail.map((cell) => cell.channel)).toEqual([ChannelKind.SLACK, ChannelKind.EMAIL]);
  });

  it('writes notifications as TypeORM writes them and reads them back', async () => {
    const ours = notification({ idempotencyKey: `key '${AWKWARD}'` });
    const theirs = notification();
    await insertNotifications(dataSource.manager, [ours]);
    await dataSource.getRepository(Notification).save(theirs);

    expect(await dataSource.getRepository(Notification).findOneByOrFail({ id: ours.id })).toEqual(ours);
    const byKey = await notificationByIdempotencyKey(dataSource.manager, stack.id, ours.idempotencyKey!);
    expect(byKey).toBeInstanceOf(Notification);
    expect(byKey).toEqual(ours);
    expect({ ...(await stored('notifications', 'id', ours.id)), idempotency_key: null }).toEqual(
      await stored('notifications', 'id', theirs.id),
    );
    if (database.kind === 'sqlite') {
      expect((await stored('notifications', 'id', ours.id)).created_at).toBe('2026-03-04 05:06:05.123');
    }

    await releaseIdempotencyKey(dataSource.manager, ours.id);
    expect(await notificationByIdempotencyKey(dataSource.manager, stack.id, ours.idempotencyKey!)).toBeNull();
    expect(
      (await dataSource.getRepository(Notification).findOneByOrFail({ id: ours.id })).idempotencyKey,
    ).toBeNull();
  });

  it('writes outbox rows as TypeORM writes them and claims them with their notification and channel', async () => {
    const parent = notification();
    await insertNotifications(dataSource.manager, [parent]);
    const full = {
      userId: '00000000-0000-4000-8000-000000000001',
      status: DeliveryStatus.DEAD,
      attemptCount: 7,
      nextAttemptAt: null,
      leaseUntil: at(9, 900),
      leaseOwner: `owner "${AWKWARD.slice(0, 20)}"`,
    };
    const ours = [delivery(parent.id), delivery(parent.id, { ...full, channel: ChannelKind.EMAIL })];
    const theirs = [delivery(parent.id), delivery(parent.id, { ...full, channel: ChannelKind.EMAIL })];
    await insertDeliveries(dataSource.manager, ours);
    await dataSource.getRepository(Delivery).insert(theirs);
    for (const [index, row] of ours.entries()) {
      expect(await dataSource.getRepository(Delivery).findOneByOrFail({ id: row.id })).toEqual(row);
      expect(await stored('deliveries', 'id', row.id)).toEqual(
        await stored('deliveries', 'id', theirs[index].id),
      );
    }

    expect(await pendingStats(dataSource.manager)).toEqual({ pending: 2, oldestCreatedAt: at(7, 10) });

    const due = await dueDeliveries(dataSource.manager, at(59), 10);
    expect(due.map((row) => row.id).sort()).toEqual([ours[0].id, theirs[0].id].sort());
    const claimed = due.find((row) => row.id === ours[0].id)!;
    expect(claimed).toMatchObject({
      notificationId: parent.id,
      stackId: stack.id,
      channel: ChannelKind.WEBHOOK,
      targetId: channel.id,
      attemptCount: 0,
      requestId: ours[0].requestId,
      notification: {
        id: parent.id,
        eventType: parent.eventType,
        occurredAt: parent.occurredAt,
        createdAt: parent.createdAt,
        stack: { id: stack.id, name: stack.name, environment: stack.environment },
      },
    });
    expect(JSON.parse(claimed.notification.data)).toEqual(parent.data);
    const { id, kind, settings, secret, enabled, previousSecret, previousSecretUntil } = await dataSource
      .getRepository(StackChannel)
      .findOneByOrFail({ id: channel.id });
    expect(claimed.sharedChannel).toEqual({
      id,
      kind,
      settings,
      secret,
      enabled,
      previousSecret,
      previousSecretUntil,
    });
    expect(claimed.sharedChannel!.enabled).toBe(false);
    // One object per notification and channel within a claim.
    const [first, second] = due;
    expect(first.notification).toBe(second.notification);
    expect(first.sharedChannel).toBe(second.sharedChannel);

    await dataSource.getRepository(Delivery).delete({ notificationId: parent.id });
  });

  it('logs attempts as TypeORM writes them', async () => {
    const parent = notification();
    await insertNotifications(dataSource.manager, [parent]);
    const target = delivery(parent.id);
    await insertDeliveries(dataSource.manager, [target]);
    const attempts = [
      {
        ok: true,
        statusCode: 204,
        responseExcerpt: null,
        error: null,
        requestSent: null,
        responseReceived: null,
      },
      {
        ok: false,
        statusCode: null,
        responseExcerpt: AWKWARD,
        error: `{"error": "${AWKWARD}"}`,
        requestSent: JSON.stringify({ method: 'POST', body: AWKWARD }),
        responseReceived: JSON.stringify({ status: 500, body: AWKWARD }),
      },
    ].map((fields, index) => ({
      deliveryId: target.id,
      at: at(10 + index, 5),
      durationMs: 12 + index,
      ...fields,
    }));
    await insertAttempts(dataSource.manager, attempts);
    await dataSource.getRepository(DeliveryAttempt).insert(attempts.map((attempt) => ({ ...attempt })));

    // What was sent and received is read only when asked for.
    const rows = await dataSource
      .getRepository(DeliveryAttempt)
      .createQueryBuilder('a')
      .addSelect(['a.requestSent', 'a.responseReceived'])
      .orderBy('a.id', 'ASC')
      .getMany();
    expect(rows.map(({ id: _id, ...rest }) => rest)).toEqual([...attempts, ...attempts]);
    expect(await stored('delivery_attempts', 'id', rows[0].id)).toEqual(
      await stored('delivery_attempts', 'id', rows[2].id),
    );
    expect(await stored('delivery_attempts', 'id', rows[1].id)).toEqual(
      await stored('delivery_attempts', 'id', rows[3].id),
    );
    await dataSource.getRepository(Delivery).delete({ id: target.id });
  });

  it('writes nothing of a transaction that rolls back', async () => {
    const parent = notification();
    await expect(
      dataSource.transaction(async (manager: EntityManager) => {
        await insertNotifications(manager, [parent]);
        await insertDeliveries(manager, [delivery(parent.id)]);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await dataSource.getRepository(Notification).countBy({ id: parent.id })).toBe(0);
    expect(await dataSource.getRepository(Delivery).countBy({ notificationId: parent.id })).toBe(0);
  });

  it('claims through the index of pending deliveries', async () => {
    const sql = DUE_DELIVERIES[database.kind];
    const parameters = dueParameters(database.kind, new Date(), 16);
    let plan: string;
    if (database.kind === 'postgres') {
      // The table is small, so a sequential scan would win on cost: forbid it to see whether the index can serve.
      plan = await dataSource.transaction(async (manager) => {
        await manager.query('SET LOCAL enable_seqscan = off');
        const rows = (await manager.query(`EXPLAIN ${sql}`, parameters)) as { 'QUERY PLAN': string }[];
        return rows.map((row) => row['QUERY PLAN']).join('\n');
      });
    } else {
      const rows = (await dataSource.query(`EXPLAIN QUERY PLAN ${sql}`, parameters)) as { detail: string }[];
      plan = rows.map((row) => row.detail).join('\n');
    }
    expect(plan).toContain('ix_deliveries_due');
  });

  it("reads a subject's open incident and flapping row in one statement, nulls when it has neither", async () => {
    const key = { stackId: stack.id, family: 'JOB', subject: 'nightly' };
    expect(await subjectState(dataSource.manager, key)).toEqual({ incident: null, flapping: null });
    const opened = await dataSource.transaction((manager) =>
      openOrJoinIncident(manager, key, { id: randomUUID(), accountId: account.id, openedAt: at(1) }),
    );
    expect(await subjectState(dataSource.manager, key)).toEqual({
      incident: opened.incident,
      flapping: null,
    });
    await startOrContinueFlapping(dataSource.manager, key, { at: at(2), settlesAt: at(50) });
    expect(await subjectState(dataSource.manager, key)).toEqual({
      incident: opened.incident,
      flapping: { since: at(2), settlesAt: at(50) },
    });
    // Another subject of the stack is not this one.
    expect(await subjectState(dataSource.manager, { ...key, subject: 'weekly' })).toEqual({
      incident: null,
      flapping: null,
    });
  });

  it('prepares the statements marked for it once per PostgreSQL connection, and reports their errors as TypeORM does', async () => {
    const SUM: DialectSql = {
      sqlite: 'SELECT ? + 1 AS n',
      postgres: 'SELECT $1::int + 1 AS n',
      prepareAs: 'test_sum',
    };
    const prepared = (manager: EntityManager) =>
      manager.query("SELECT name FROM pg_prepared_statements WHERE name = 'test_sum'") as Promise<unknown[]>;
    const answers = await dataSource.transaction(async (manager) => {
      const first = await query<{ n: number }>(manager, SUM, [1]);
      const second = await query<{ n: number }>(manager, SUM, [41]);
      return { first, second, named: database.kind === 'postgres' ? await prepared(manager) : [] };
    });
    expect(answers.first.map((row) => Number(row.n))).toEqual([2]);
    expect(answers.second.map((row) => Number(row.n))).toEqual([42]);
    expect(answers.named).toHaveLength(database.kind === 'postgres' ? 1 : 0);
    // Outside a transaction, on a connection from the pool, given back afterwards.
    expect((await query<{ n: number }>(dataSource.manager, SUM, [2])).map((row) => Number(row.n))).toEqual([
      3,
    ]);

    const FAILING: DialectSql = {
      sqlite: 'SELECT * FROM no_such_table WHERE id = ?',
      postgres: 'SELECT * FROM no_such_table WHERE id = $1',
      prepareAs: 'test_failing',
    };
    const error = await query(dataSource.manager, FAILING, ['x']).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(QueryFailedError);
    if (database.kind === 'postgres') {
      expect((error as QueryFailedError).driverError).toMatchObject({ code: '42P01' });
    }
    expect(await query(dataSource.manager, 'SELECT 1 AS one', [])).toHaveLength(1);
  });

  it('lets a claim-only transaction commit without waiting for the disk, and only that transaction', async () => {
    const setting = async (manager: EntityManager) =>
      ((await manager.query('SHOW synchronous_commit')) as { synchronous_commit: string }[])[0]
        .synchronous_commit;
    if (database.kind === 'postgres') {
      const inside = await dataSource.transaction(async (manager) => {
        await leaseWithoutFlushWait(manager);
        return setting(manager);
      });
      expect(inside).toBe('off');
      expect(await dataSource.transaction(setting)).toBe('on');
    } else {
      // One process, one file: nothing to set, and nothing fails.
      await dataSource.transaction((manager) => leaseWithoutFlushWait(manager));
    }
  });

  it('inserts, claims, leases and closes batches larger than one statement can bind', async () => {
    // 15 values per outbox row: 4,500 rows are more than 32,766 (SQLite) and 65,535 (PostgreSQL) parameters.
    const count = 4_500;
    const parent = notification();
    await insertNotifications(dataSource.manager, [parent]);
    const rows = Array.from({ length: count }, (_, index) =>
      delivery(parent.id, { nextAttemptAt: new Date(at(0).getTime() + index), targetLabel: `row ${index}` }),
    );
    await insertDeliveries(dataSource.manager, rows);
    expect(await dataSource.getRepository(Delivery).countBy({ notificationId: parent.id })).toBe(count);

    const owner = 'bulk-owner';
    const now = at(59);
    const ids = await dataSource.transaction(async (manager) => {
      const due = await dueDeliveries(manager, now, count + 10);
      await leaseDeliveries(
        manager,
        due.map((row) => row.id),
        { owner, until: new Date(now.getTime() + 60_000), now },
      );
      return due.map((row) => row.id);
    });
    // Oldest first.
    expect(ids).toEqual(rows.map((row) => row.id));
    expect(await dataSource.getRepository(Delivery).countBy({ leaseOwner: owner })).toBe(count);

    const attempts = ids.map((deliveryId) => ({
      deliveryId,
      at: now,
      durationMs: 1,
      ok: true,
      statusCode: 200,
      responseExcerpt: null,
      error: null,
    }));
    await dataSource.transaction(async (manager) => {
      expect(await closeSucceeded(manager, ids, owner, now)).toBe(count);
      await insertAttempts(manager, attempts);
    });
    expect(await dataSource.getRepository(Delivery).countBy({ status: DeliveryStatus.SUCCEEDED })).toBe(
      count,
    );
    expect(await dataSource.getRepository(DeliveryAttempt).count()).toBeGreaterThanOrEqual(count);
    const closed = await dataSource.getRepository(Delivery).findOneByOrFail({ id: ids[count - 1] });
    expect(closed).toMatchObject({
      attemptCount: 1,
      leaseOwner: null,
      leaseUntil: null,
      nextAttemptAt: null,
    });
    expect(closed.updatedAt).toEqual(now);
    await dataSource.getRepository(Notification).delete({ id: parent.id });
  });

  it("does not take or close another owner's leased rows", async () => {
    const parent = notification();
    await insertNotifications(dataSource.manager, [parent]);
    const rows = [0, 1, 2].map((index) => delivery(parent.id, { nextAttemptAt: at(index) }));
    await insertDeliveries(dataSource.manager, rows);
    const now = at(30);
    const until = at(40);

    const first = await dueDeliveries(dataSource.manager, now, 2);
    expect(first.map((row) => row.id)).toEqual([rows[0].id, rows[1].id]);
    await leaseDeliveries(
      dataSource.manager,
      first.map((row) => row.id),
      { owner: 'a', until, now },
    );
    // Leased rows are not due to anyone else until the lease ends.
    expect((await dueDeliveries(dataSource.manager, now, 10)).map((row) => row.id)).toEqual([rows[2].id]);
    expect((await dueDeliveries(dataSource.manager, at(41), 10)).map((row) => row.id)).toEqual(
      rows.map((row) => row.id),
    );

    // Another owner closes nothing of them, in a batch or one by one.
    expect(await closeSucceeded(dataSource.manager, [rows[0].id, rows[1].id], 'b', now)).toBe(0);
    const close = {
      owner: 'b',
      status: DeliveryStatus.FAILED,
      attemptCount: 1,
      nextAttemptAt: null,
      updatedAt: now,
    };
    expect(await closeAttempt(dataSource.manager, { id: rows[0].id, ...close })).toBe(false);
    expect(await dataSource.getRepository(Delivery).countBy({ leaseOwner: 'a' })).toBe(2);

    // The owner closes its own, and only those.
    expect(await closeSucceeded(dataSource.manager, [rows[0].id, rows[2].id], 'a', now)).toBe(1);
    expect(await closeAttempt(dataSource.manager, { id: rows[1].id, ...close, owner: 'a' })).toBe(true);
    const after = await Promise.all(
      rows.map((row) => dataSource.getRepository(Delivery).findOneByOrFail({ id: row.id })),
    );
    expect(after.map((row) => [row.status, row.attemptCount, row.leaseOwner])).toEqual([
      [DeliveryStatus.SUCCEEDED, 1, null],
      [DeliveryStatus.FAILED, 1, null],
      [DeliveryStatus.PENDING, 0, null],
    ]);
    await dataSource.getRepository(Notification).delete({ id: parent.id });
  });
});
