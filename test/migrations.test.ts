// The migrations on an empty database: they apply, create the tables, are recorded, undo, and apply again.
// Always on a SQLite file; also on a fresh PostgreSQL database when TEST_DATABASE_URL points at a server.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DataSource } from 'typeorm';
import { parseDatabaseUrl } from '../src/config';
import { createDataSource, openDatabase } from '../src/db/data-source';
import { utcText } from '../src/db/sql';
import { migrations } from '../src/db/migrations';
import { Account } from '../src/modules/accounts/account.entity';
import { Role, User } from '../src/modules/accounts/user.entity';
import { IosDevice } from '../src/modules/channels/ios-device.entity';
import { StackChannel } from '../src/modules/channels/stack-channel.entity';
import { WebPushSubscription } from '../src/modules/channels/web-push-subscription.entity';
import { Delivery } from '../src/modules/deliveries/delivery.entity';
import { insertAttempts, insertDeliveries } from '../src/modules/deliveries/outbox.repository';
import { insertNotifications } from '../src/modules/events/notifications.repository';
import { ChannelKind, EventType, Severity } from '../src/modules/events/event-types';
import { ChannelPreference, StackEventSeverity } from '../src/modules/preferences/preference.entities';
import { Notification } from '../src/modules/events/notification.entity';
import { Incident } from '../src/modules/incidents/incident.entity';
import { StackFlapping } from '../src/modules/noise/noise.entities';
import { Stack } from '../src/modules/stacks/stack.entity';
import { createTestDatabase, type TestDatabase } from './helpers/database';

/** The tables of the settings API; later migrations may add more. */
const settingsTables = [
  'accounts',
  'users',
  'api_tokens',
  'stacks',
  'stack_channels',
  'stack_preferences',
  'user_preferences',
  'ios_devices',
  'web_push_subscriptions',
];
const migrationNames = migrations.map((migration) => new migration().name ?? migration.name);

async function sqliteDatabase(): Promise<TestDatabase> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stack-notifications-migrations-'));
  return {
    url: `sqlite:${path.join(dir, 'empty.sqlite')}`,
    dir,
    kind: 'sqlite',
    drop: async () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

const databases: [string, () => Promise<TestDatabase>][] = [['a SQLite file', sqliteDatabase]];
if (process.env.TEST_DATABASE_URL) databases.push(['PostgreSQL', createTestDatabase]);

async function existingTables(dataSource: DataSource): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  try {
    const present: string[] = [];
    for (const table of settingsTables) if (await runner.hasTable(table)) present.push(table);
    return present;
  } finally {
    await runner.release();
  }
}

async function recordedMigrations(dataSource: DataSource): Promise<string[]> {
  const rows = (await dataSource.query('SELECT name FROM migrations ORDER BY timestamp')) as {
    name: string;
  }[];
  return rows.map((row) => row.name);
}

/** Undoes the applied migrations from the last one back to `name`, included. */
async function undoThrough(dataSource: DataSource, name: string): Promise<void> {
  expect(migrationNames).toContain(name);
  while ((await recordedMigrations(dataSource)).includes(name)) {
    await dataSource.undoLastMigration({ transaction: 'all' });
  }
}

describe.each(databases)('migrations on %s', (_name, makeDatabase) => {
  let database: TestDatabase;
  let dataSource: DataSource;

  beforeEach(async () => {
    database = await makeDatabase();
    dataSource = createDataSource(parseDatabaseUrl(database.url, database.dir));
    await dataSource.initialize();
  });
  afterEach(async () => {
    if (dataSource?.isInitialized) await dataSource.destroy();
    await database?.drop();
  });

  it('start from an empty database with every migration pending', async () => {
    expect(await existingTables(dataSource)).toEqual([]);
    expect(await dataSource.showMigrations()).toBe(true);
  });

  it('apply in one go, create every settings table and record each migration in order', async () => {
    const applied = await dataSource.runMigrations({ transaction: 'all' });
    expect(applied.map((migration) => migration.name)).toEqual(migrationNames);
    expect(await existingTables(dataSource)).toEqual(settingsTables);
    expect(await recordedMigrations(dataSource)).toEqual(migrationNames);
    expect(await dataSource.showMigrations()).toBe(false);
  });

  it('leave nothing to do when the server starts again on the migrated database', async () => {
    await dataSource.runMigrations({ transaction: 'all' });
    await dataSource.destroy();
    dataSource = await openDatabase(parseDatabaseUrl(database.url, database.dir), { migrate: true });
    expect(await dataSource.showMigrations()).toBe(false);
    expect(await recordedMigrations(dataSource)).toEqual(migrationNames);
  });

  it('undo the last migration, forget it, and apply it again', async () => {
    await dataSource.runMigrations({ transaction: 'all' });
    await dataSource.undoLastMigration({ transaction: 'all' });
    expect(await recordedMigrations(dataSource)).toEqual(migrationNames.slice(0, -1));
    expect(await dataSource.showMigrations()).toBe(true);
    const reapplied = await dataSource.runMigrations({ transaction: 'all' });
    expect(reapplied.map((migration) => migration.name)).toEqual(migrationNames.slice(-1));
    expect(await recordedMigrations(dataSource)).toEqual(migrationNames);
    expect(await existingTables(dataSource)).toEqual(settingsTables);
  });

  it('undo every migration back to an empty database, then apply them all again to a working schema', async () => {
    await dataSource.runMigrations({ transaction: 'all' });
    for (let i = 0; i < migrationNames.length; i += 1)
      await dataSource.undoLastMigration({ transaction: 'all' });
    expect(await existingTables(dataSource)).toEqual([]);
    expect(await recordedMigrations(dataSource)).toEqual([]);

    await dataSource.runMigrations({ transaction: 'all' });
    expect(await existingTables(dataSource)).toEqual(settingsTables);
    const accounts = dataSource.getRepository(Account);
    const account = accounts.create({ name: 'after-redo' });
    await accounts.insert(account);
    expect(await accounts.findOneByOrFail({ id: account.id })).toMatchObject({ name: 'after-redo' });
  });
});

/** A notification as the migrations before EventSeverity1765010000000 left the table: without a severity. */
async function insertOldNotification(
  dataSource: DataSource,
  kind: TestDatabase['kind'],
  notification: Pick<Notification, 'id' | 'stackId' | 'accountId' | 'eventType' | 'occurredAt' | 'createdAt'>,
): Promise<void> {
  const postgres = kind === 'postgres';
  const date = (value: Date) => (postgres ? value : value.toISOString().replace('T', ' ').slice(0, 23));
  await dataSource.query(
    postgres
      ? 'INSERT INTO notifications (id, stack_id, account_id, event_type, data, occurred_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)'
      : 'INSERT INTO notifications (id, stack_id, account_id, event_type, data, occurred_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    [
      notification.id,
      notification.stackId,
      notification.accountId,
      notification.eventType,
      '{}',
      date(notification.occurredAt),
      date(notification.createdAt),
    ],
  );
}

describe.each(databases)('the attempt-id migration on %s', (_name, makeDatabase) => {
  let database: TestDatabase;
  let dataSource: DataSource;

  beforeEach(async () => {
    database = await makeDatabase();
    dataSource = await openDatabase(parseDatabaseUrl(database.url, database.dir), { migrate: true });
  });
  afterEach(async () => {
    if (dataSource?.isInitialized) await dataSource.destroy();
    await database?.drop();
  });

  const attempts = async () =>
    (await dataSource.query('SELECT id, status_code FROM delivery_attempts ORDER BY id')) as {
      id: number | string;
      status_code: number;
    }[];

  it('keeps every attempt, in the order made, going to integer ids and back', async () => {
    await undoThrough(dataSource, 'AttemptIds1764700000000');
    const account = dataSource.getRepository(Account).create({ name: 'attempts' });
    await dataSource.getRepository(Account).insert(account);
    const stack = dataSource.getRepository(Stack).create({
      accountId: account.id,
      name: 'web',
      environment: 'production',
    });
    await dataSource.getRepository(Stack).insert(stack);
    const notification = dataSource.getRepository(Notification).create({
      stackId: stack.id,
      accountId: account.id,
      eventType: EventType.JOB_FAIL,
      data: {},
      occurredAt: new Date(),
    });
    // The columns notifications had at this migration: the repository writes today's.
    await insertOldNotification(dataSource, database.kind, notification);
    const delivery = dataSource.getRepository(Delivery).create({
      notificationId: notification.id,
      stackId: stack.id,
      channel: ChannelKind.WEBHOOK,
      targetId: stack.id,
      targetLabel: 'example.com',
      nextAttemptAt: new Date(),
    });
    await insertDeliveries(dataSource.manager, [delivery]);
    const postgres = database.kind === 'postgres';
    // Made in the order of their status codes; the UUIDs are not in that order.
    for (const [id, second, statusCode] of [
      ['00000000-0000-7000-8000-00000000000c', 1, 500],
      ['00000000-0000-7000-8000-00000000000b', 2, 502],
      ['00000000-0000-7000-8000-00000000000a', 3, 200],
    ] as const) {
      const at = new Date(Date.UTC(2026, 0, 1, 0, 0, second));
      await dataSource.query(
        postgres
          ? 'INSERT INTO delivery_attempts (id, delivery_id, at, duration_ms, ok, status_code) VALUES ($1, $2, $3, 5, $4, $5)'
          : 'INSERT INTO delivery_attempts (id, delivery_id, at, duration_ms, ok, status_code) VALUES (?, ?, ?, 5, ?, ?)',
        [
          id,
          delivery.id,
          postgres ? at : at.toISOString().replace('T', ' ').slice(0, 23),
          postgres ? statusCode === 200 : Number(statusCode === 200),
          statusCode,
        ],
      );
    }

    await dataSource.runMigrations({ transaction: 'all' });
    expect((await attempts()).map((row) => [Number(row.id), row.status_code])).toEqual([
      [1, 500],
      [2, 502],
      [3, 200],
    ]);
    // New attempts are numbered by the database.
    await insertAttempts(dataSource.manager, [
      {
        deliveryId: delivery.id,
        at: new Date(),
        durationMs: 3,
        ok: true,
        statusCode: 204,
        responseExcerpt: null,
        error: null,
      },
    ]);
    expect((await attempts()).map((row) => [Number(row.id), row.status_code])).toEqual([
      [1, 500],
      [2, 502],
      [3, 200],
      [4, 204],
    ]);

    await undoThrough(dataSource, 'AttemptIds1764700000000');
    expect(await attempts()).toEqual([
      { id: '00000000-0000-7000-8000-000000000001', status_code: 500 },
      { id: '00000000-0000-7000-8000-000000000002', status_code: 502 },
      { id: '00000000-0000-7000-8000-000000000003', status_code: 200 },
      { id: '00000000-0000-7000-8000-000000000004', status_code: 204 },
    ]);
  });
});

describe.each(databases)('the per-user devices migration on %s', (_name, makeDatabase) => {
  let database: TestDatabase;
  let dataSource: DataSource;

  beforeEach(async () => {
    database = await makeDatabase();
    dataSource = await openDatabase(parseDatabaseUrl(database.url, database.dir), { migrate: true });
  });
  afterEach(async () => {
    if (dataSource?.isInitialized) await dataSource.destroy();
    await database?.drop();
  });

  /** An account with a stack and two users, ada and bob. */
  async function twoUsers() {
    const account = dataSource.getRepository(Account).create({ name: 'devices' });
    await dataSource.getRepository(Account).insert(account);
    const stack = dataSource.getRepository(Stack).create({
      accountId: account.id,
      name: 'web',
      environment: 'production',
    });
    await dataSource.getRepository(Stack).insert(stack);
    const [ada, bob] = ['ada', 'bob'].map((name) =>
      dataSource
        .getRepository(User)
        .create({ accountId: account.id, email: `${name}@example.com`, name, role: Role.MEMBER }),
    );
    await dataSource.getRepository(User).insert([ada, bob]);
    return { stack, ada, bob };
  }

  const device = (userId: string, token: string, second: number) =>
    dataSource.getRepository(IosDevice).create({
      userId,
      token,
      deviceName: null,
      createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, second)),
    });
  const subscription = (userId: string, endpoint: string, second: number) =>
    dataSource.getRepository(WebPushSubscription).create({
      userId,
      endpoint,
      p256dh: 'p256dh',
      auth: 'auth',
      createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, second)),
    });
  const settingsVersion = async (stackId: string) =>
    (await dataSource.getRepository(Stack).findOneByOrFail({ id: stackId })).settingsVersion;
  const owners = async (entity: typeof IosDevice | typeof WebPushSubscription) =>
    (
      await dataSource
        .getRepository<IosDevice | WebPushSubscription>(entity)
        .find({ order: { createdAt: 'ASC' } })
    ).map((row) => row.userId);

  /** The settings_version triggers of both tables are in place: each insert bumps the stack's counter. */
  async function expectTriggers(stackId: string, userId: string): Promise<void> {
    const before = await settingsVersion(stackId);
    await dataSource.getRepository(IosDevice).insert(device(userId, 'c'.repeat(64), 50));
    await dataSource
      .getRepository(WebPushSubscription)
      .insert(subscription(userId, 'https://push.example.com/c', 50));
    expect(await settingsVersion(stackId)).toBe(before + 2);
  }

  it('lets two users hold the same token and endpoint, keeps one row each when undone, and keeps the triggers', async () => {
    const { stack, ada, bob } = await twoUsers();
    const devices = dataSource.getRepository(IosDevice);
    const subscriptions = dataSource.getRepository(WebPushSubscription);
    const token = 'a'.repeat(64);
    const endpoint = 'https://push.example.com/a';
    await devices.insert([
      device(ada.id, token, 1),
      device(bob.id, token, 2),
      device(ada.id, 'b'.repeat(64), 3),
    ]);
    await subscriptions.insert([subscription(bob.id, endpoint, 1), subscription(ada.id, endpoint, 2)]);
    // Still one row per user and token (endpoint).
    await expect(devices.insert(device(ada.id, token, 4))).rejects.toThrow();
    await expect(subscriptions.insert(subscription(ada.id, endpoint, 4))).rejects.toThrow();
    await expectTriggers(stack.id, ada.id);

    // Undone: the latest registration of each token (endpoint) keeps it, and it is unique overall again.
    await undoThrough(dataSource, 'PerUserDevices1764800000000');
    expect(await owners(IosDevice)).toEqual([bob.id, ada.id, ada.id]);
    expect((await devices.findBy({ token })).map((row) => row.userId)).toEqual([bob.id]);
    expect((await subscriptions.findBy({ endpoint })).map((row) => row.userId)).toEqual([ada.id]);
    await expect(devices.insert(device(ada.id, token, 5))).rejects.toThrow();
    await expect(subscriptions.insert(subscription(bob.id, endpoint, 5))).rejects.toThrow();
    await dataSource.query('DELETE FROM ios_devices');
    await dataSource.query('DELETE FROM web_push_subscriptions');
    await expectTriggers(stack.id, ada.id);

    await dataSource.runMigrations({ transaction: 'all' });
    await dataSource.query('DELETE FROM ios_devices');
    await dataSource.query('DELETE FROM web_push_subscriptions');
    await devices.insert([device(ada.id, token, 1), device(bob.id, token, 2)]);
    await subscriptions.insert([subscription(ada.id, endpoint, 1), subscription(bob.id, endpoint, 2)]);
    expect(await owners(IosDevice)).toEqual([ada.id, bob.id]);
    expect(await owners(WebPushSubscription)).toEqual([ada.id, bob.id]);
    await expectTriggers(stack.id, bob.id);
  });
});

describe.each(databases)('the recipients-only settings_version migration on %s', (_name, makeDatabase) => {
  let database: TestDatabase;
  let dataSource: DataSource;

  beforeEach(async () => {
    database = await makeDatabase();
    dataSource = await openDatabase(parseDatabaseUrl(database.url, database.dir), { migrate: true });
  });
  afterEach(async () => {
    if (dataSource?.isInitialized) await dataSource.destroy();
    await database?.drop();
  });

  it('bumps the counter for what decides recipients only, and for names and hints again when undone', async () => {
    const account = dataSource.getRepository(Account).create({ name: 'versions' });
    await dataSource.getRepository(Account).insert(account);
    const stacks = dataSource.getRepository(Stack);
    const stack = stacks.create({ accountId: account.id, name: 'web', environment: 'production' });
    await stacks.insert(stack);
    const channels = dataSource.getRepository(StackChannel);
    await channels.insert(
      channels.create({
        stackId: stack.id,
        kind: ChannelKind.WEBHOOK,
        settings: { url: 'https://hooks.example.com/a' },
        secret: 'sealed',
        secretHint: '…a',
      }),
    );
    const version = async () => (await stacks.findOneByOrFail({ id: stack.id })).settingsVersion;
    const webhook = { stackId: stack.id, kind: ChannelKind.WEBHOOK };
    /** How much each kind of write moves the counter. */
    async function bumps() {
      const moved: Record<string, number> = {};
      const measure = async (name: string, write: () => Promise<unknown>) => {
        const before = await version();
        await write();
        moved[name] = (await version()) - before;
      };
      await measure('stack name', () => stacks.update({ id: stack.id }, { name: `web-${Math.random()}` }));
      await measure('environment', () => stacks.update({ id: stack.id }, { environment: 'staging' }));
      await measure('secret hint', () => channels.update(webhook, { secretHint: `…${Math.random()}` }));
      await measure('disabled reason', () => channels.update(webhook, { disabledReason: 'failing' }));
      await measure('enabled', () => channels.update(webhook, { enabled: false }));
      await measure('channel settings', () =>
        channels.update(webhook, { settings: { url: `https://hooks.example.com/${Math.random()}` } }),
      );
      return moved;
    }
    const recipientsOnly = {
      'stack name': 0,
      environment: 0,
      'secret hint': 0,
      'disabled reason': 0,
      enabled: 1,
      'channel settings': 1,
    };

    expect(await bumps()).toEqual(recipientsOnly);
    await undoThrough(dataSource, 'SettingsVersionRecipientsOnly1764900000000');
    expect(await bumps()).toEqual({
      'stack name': 1,
      environment: 1,
      'secret hint': 1,
      'disabled reason': 1,
      enabled: 1,
      'channel settings': 1,
    });
    await dataSource.runMigrations({ transaction: 'all' });
    expect(await bumps()).toEqual(recipientsOnly);
  });
});

describe.each(databases)('the event severity migration on %s', (_name, makeDatabase) => {
  let database: TestDatabase;
  let dataSource: DataSource;

  beforeEach(async () => {
    database = await makeDatabase();
    dataSource = await openDatabase(parseDatabaseUrl(database.url, database.dir), { migrate: true });
  });
  afterEach(async () => {
    if (dataSource?.isInitialized) await dataSource.destroy();
    await database?.drop();
  });

  it("gives earlier notifications their event type's default severity, and counts overrides as settings", async () => {
    await undoThrough(dataSource, 'EventSeverity1765010000000');
    const account = dataSource.getRepository(Account).create({ name: 'severities' });
    await dataSource.getRepository(Account).insert(account);
    const stack = dataSource.getRepository(Stack).create({
      accountId: account.id,
      name: 'web',
      environment: 'production',
    });
    await dataSource.getRepository(Stack).insert(stack);
    const types = [EventType.SERVER_STOPPED, EventType.JOB_FAIL, EventType.SERVER_BACKON];
    const ids: string[] = [];
    for (const eventType of types) {
      const notification = dataSource.getRepository(Notification).create({
        stackId: stack.id,
        accountId: account.id,
        eventType,
        data: {},
        occurredAt: new Date(),
      });
      await insertOldNotification(dataSource, database.kind, notification);
      ids.push(notification.id);
    }

    await dataSource.runMigrations({ transaction: 'all' });
    const severities = async () =>
      (await dataSource.getRepository(Notification).findBy({ stackId: stack.id }))
        .sort((a, b) => ids.indexOf(a.id) - ids.indexOf(b.id))
        .map((row) => row.severity);
    expect(await severities()).toEqual(['CRITICAL', 'WARNING', 'INFO']);

    const version = async () =>
      Number((await dataSource.getRepository(Stack).findOneByOrFail({ id: stack.id })).settingsVersion);
    const before = await version();
    const overrides = dataSource.getRepository(StackEventSeverity);
    await overrides.insert({ stackId: stack.id, eventType: EventType.JOB_FAIL, severity: Severity.CRITICAL });
    expect(await version()).toBe(before + 1);
    await overrides.update({ stackId: stack.id, eventType: EventType.JOB_FAIL }, { severity: Severity.INFO });
    expect(await version()).toBe(before + 2);
    await overrides.delete({ stackId: stack.id, eventType: EventType.JOB_FAIL });
    expect(await version()).toBe(before + 3);

    await undoThrough(dataSource, 'EventSeverity1765010000000');
    const runner = dataSource.createQueryRunner();
    try {
      expect(await runner.hasTable('stack_event_severities')).toBe(false);
      expect(await runner.hasColumn('notifications', 'severity')).toBe(false);
    } finally {
      await runner.release();
    }
    await dataSource.runMigrations({ transaction: 'all' });
    expect(await severities()).toEqual(['CRITICAL', 'WARNING', 'INFO']);
  });
});

describe.each(databases)('the flapping migration on %s', (_name, makeDatabase) => {
  let database: TestDatabase;
  let dataSource: DataSource;

  beforeEach(async () => {
    database = await makeDatabase();
    dataSource = await openDatabase(parseDatabaseUrl(database.url, database.dir), { migrate: true });
  });
  afterEach(async () => {
    if (dataSource?.isInitialized) await dataSource.destroy();
    await database?.drop();
  });

  it('keeps incidents across it both ways, counts a stack’s flapping rule as a setting, and drops what it added', async () => {
    await undoThrough(dataSource, 'Flapping1765400000000');
    const account = dataSource.getRepository(Account).create({ name: 'flapping' });
    await dataSource.getRepository(Account).insert(account);
    const stack = dataSource.getRepository(Stack).create({
      accountId: account.id,
      name: 'web',
      environment: 'production',
    });
    await dataSource.getRepository(Stack).insert(stack);
    const postgres = database.kind === 'postgres';
    const openedAt = new Date('2026-07-01T02:10:00.000Z');
    const incidentId = '0b6a3f7e-4c1d-4e7a-9d2b-1f2e3d4c5b6a';
    await dataSource.query(
      postgres
        ? "INSERT INTO incidents (id, stack_id, account_id, family, subject, state, opened_at) VALUES ($1, $2, $3, 'server', 'web-1', 'OPEN', $4)"
        : "INSERT INTO incidents (id, stack_id, account_id, family, subject, state, opened_at) VALUES (?, ?, ?, 'server', 'web-1', 'OPEN', ?)",
      [incidentId, stack.id, account.id, postgres ? openedAt : utcText(openedAt)],
    );

    await dataSource.runMigrations({ transaction: 'all' });
    const incidents = dataSource.getRepository(Incident);
    expect(await incidents.findOneByOrFail({ id: incidentId })).toMatchObject({
      subject: 'web-1',
      state: 'OPEN',
      createdAt: openedAt,
      flappingSince: null,
    });
    const version = async () =>
      Number((await dataSource.getRepository(Stack).findOneByOrFail({ id: stack.id })).settingsVersion);
    const before = await version();
    const rules = dataSource.getRepository(StackFlapping);
    const rule = {
      stackId: stack.id,
      threshold: 3,
      windowMinutes: 10,
      settleMinutes: 15,
      updatedAt: openedAt,
    };
    await rules.insert(rule);
    expect(await version()).toBe(before + 1);
    await rules.update({ stackId: stack.id }, { threshold: 5 });
    expect(await version()).toBe(before + 2);
    await incidents.update({ id: incidentId }, { flappingSince: openedAt });
    await dataSource.query(
      postgres
        ? "INSERT INTO flapping_subjects (stack_id, family, subject, since, last_transition_at, settles_at) VALUES ($1, 'server', 'web-1', $2, $2, $2)"
        : "INSERT INTO flapping_subjects (stack_id, family, subject, since, last_transition_at, settles_at) VALUES (?, 'server', 'web-1', ?, ?, ?)",
      postgres ? [stack.id, openedAt] : [stack.id, ...Array(3).fill(utcText(openedAt))],
    );

    await undoThrough(dataSource, 'Flapping1765400000000');
    const runner = dataSource.createQueryRunner();
    try {
      expect(await runner.hasTable('stack_flapping')).toBe(false);
      expect(await runner.hasTable('flapping_subjects')).toBe(false);
      expect(await runner.hasColumn('incidents', 'flapping_since')).toBe(false);
    } finally {
      await runner.release();
    }
    const [kept] = (await dataSource.query(
      postgres
        ? 'SELECT subject, state FROM incidents WHERE id = $1'
        : 'SELECT subject, state FROM incidents WHERE id = ?',
      [incidentId],
    )) as { subject: string; state: string }[];
    expect(kept).toEqual({ subject: 'web-1', state: 'OPEN' });

    await dataSource.runMigrations({ transaction: 'all' });
    await rules.insert(rule);
    expect(await rules.findOneByOrFail({ stackId: stack.id })).toMatchObject({ threshold: 3 });
    expect(await incidents.findOneByOrFail({ id: incidentId })).toMatchObject({ flappingSince: null });
  });
});

describe.each(databases)('the attempt exchanges migration on %s', (_name, makeDatabase) => {
  let database: TestDatabase;
  let dataSource: DataSource;

  beforeEach(async () => {
    database = await makeDatabase();
    dataSource = await openDatabase(parseDatabaseUrl(database.url, database.dir), { migrate: true });
  });
  afterEach(async () => {
    if (dataSource?.isInitialized) await dataSource.destroy();
    await database?.drop();
  });

  const attempts = async () =>
    (await dataSource.query('SELECT * FROM delivery_attempts ORDER BY id')) as Record<string, unknown>[];

  it('keeps earlier attempts (without request and response), and every attempt when undone', async () => {
    await undoThrough(dataSource, 'AttemptExchanges1765300000000');
    const account = dataSource.getRepository(Account).create({ name: 'exchanges' });
    await dataSource.getRepository(Account).insert(account);
    const stack = dataSource.getRepository(Stack).create({
      accountId: account.id,
      name: 'web',
      environment: 'production',
    });
    await dataSource.getRepository(Stack).insert(stack);
    const notification = dataSource.getRepository(Notification).create({
      stackId: stack.id,
      accountId: account.id,
      eventType: EventType.JOB_FAIL,
      severity: Severity.WARNING,
      data: {},
      occurredAt: new Date(),
    });
    await insertNotifications(dataSource.manager, [notification]);
    const delivery = dataSource.getRepository(Delivery).create({
      notificationId: notification.id,
      stackId: stack.id,
      channel: ChannelKind.WEBHOOK,
      targetId: stack.id,
      targetLabel: 'example.com',
      nextAttemptAt: new Date(),
    });
    await insertDeliveries(dataSource.manager, [delivery]);
    const postgres = database.kind === 'postgres';
    // An attempt as the log wrote them before this migration.
    await dataSource.query(
      postgres
        ? 'INSERT INTO delivery_attempts (delivery_id, at, duration_ms, ok, status_code, response_excerpt) VALUES ($1, $2, 5, false, 500, $3)'
        : 'INSERT INTO delivery_attempts (delivery_id, at, duration_ms, ok, status_code, response_excerpt) VALUES (?, ?, 5, 0, 500, ?)',
      [delivery.id, postgres ? new Date() : '2026-01-01 00:00:01.000', 'internal error'],
    );

    await dataSource.runMigrations({ transaction: 'all' });
    const [before] = await attempts();
    expect(before).toMatchObject({
      status_code: 500,
      response_excerpt: 'internal error',
      request_sent: null,
      response_received: null,
    });
    const request = JSON.stringify({ method: 'POST', url: 'https://example.com/…hook', body: '\u0000{}' });
    const response = JSON.stringify({ status: 200, headers: [['content-type', 'text/plain']], body: 'ok' });
    await insertAttempts(dataSource.manager, [
      {
        deliveryId: delivery.id,
        at: new Date(),
        durationMs: 3,
        ok: true,
        statusCode: 200,
        responseExcerpt: 'ok',
        error: null,
        requestSent: request,
        responseReceived: response,
      },
    ]);
    expect((await attempts())[1]).toMatchObject({
      status_code: 200,
      request_sent: request,
      response_received: response,
    });

    await undoThrough(dataSource, 'AttemptExchanges1765300000000');
    const undone = await attempts();
    expect(undone.map((row) => [row.status_code, row.response_excerpt])).toEqual([
      [500, 'internal error'],
      [200, 'ok'],
    ]);
    expect(undone.every((row) => !('request_sent' in row) && !('response_received' in row))).toBe(true);
    await dataSource.runMigrations({ transaction: 'all' });
    expect((await attempts()).map((row) => [row.status_code, row.request_sent])).toEqual([
      [500, null],
      [200, null],
    ]);
  });
});

describe.each(databases)('the channel instances migration on %s', (_name, makeDatabase) => {
  let database: TestDatabase;
  let dataSource: DataSource;

  beforeEach(async () => {
    database = await makeDatabase();
    dataSource = await openDatabase(parseDatabaseUrl(database.url, database.dir), { migrate: true });
  });
  afterEach(async () => {
    if (dataSource?.isInitialized) await dataSource.destroy();
    await database?.drop();
  });

  const postgres = () => database.kind === 'postgres';
  const placeholders = (count: number) =>
    Array.from({ length: count }, (_, index) => (postgres() ? `$${index + 1}` : '?')).join(', ');
  const at = (second: number) => {
    const date = new Date(Date.UTC(2026, 0, 1, 0, 0, second));
    return postgres() ? date : date.toISOString().replace('T', ' ').slice(0, 23);
  };
  const bool = (value: boolean) => (postgres() ? value : Number(value));

  /** A channel as the table was before the migration: no name. */
  async function insertOldChannel(id: string, stackId: string, kind: string, second: number): Promise<void> {
    await dataSource.query(
      'INSERT INTO stack_channels (id, stack_id, kind, settings, secret, secret_hint, enabled, created_at, updated_at) ' +
        `VALUES (${placeholders(9)})`,
      [
        id,
        stackId,
        kind,
        '{"url":"https://hooks.example.com/a"}',
        'sealed',
        '…a',
        bool(true),
        at(second),
        at(second),
      ],
    );
  }

  async function insertKindCell(stackId: string, eventType: string, channel: string, enabled: boolean) {
    await dataSource.query(
      `INSERT INTO stack_preferences (stack_id, event_type, channel, enabled) VALUES (${placeholders(4)})`,
      [stackId, eventType, channel, bool(enabled)],
    );
  }

  /** Sorted here, so both databases' collations give the same order. */
  const sorted = (rows: unknown[][]) => rows.map((row) => JSON.stringify(row)).sort();
  const kindCells = async () =>
    sorted(
      (
        (await dataSource.query('SELECT stack_id, event_type, channel, enabled FROM stack_preferences')) as {
          stack_id: string;
          event_type: string;
          channel: string;
          enabled: boolean | number;
        }[]
      ).map((row) => [row.stack_id, row.event_type, row.channel, Boolean(row.enabled)]),
    );
  const channelCells = async () =>
    (
      (await dataSource.query(
        'SELECT channel_id, event_type, stack_id, enabled FROM channel_preferences ORDER BY channel_id, event_type',
      )) as { channel_id: string; event_type: string; stack_id: string; enabled: boolean | number }[]
    ).map((row) => [row.channel_id, row.event_type, row.stack_id, Boolean(row.enabled)]);
  const channels = async () =>
    (
      (await dataSource.query('SELECT id, kind FROM stack_channels ORDER BY id')) as {
        id: string;
        kind: string;
      }[]
    ).map((row) => [row.id, row.kind]);

  it("moves each stack's cells of a kind to its channel of that kind, and back, keeping the oldest when undone", async () => {
    await undoThrough(dataSource, 'ChannelInstances1765100000000');
    const account = dataSource.getRepository(Account).create({ name: 'instances' });
    await dataSource.getRepository(Account).insert(account);
    const stacks = dataSource.getRepository(Stack);
    const [web, api] = ['web', 'api'].map((name) =>
      stacks.create({ accountId: account.id, name, environment: 'production' }),
    );
    await stacks.insert([web, api]);
    const slackOfWeb = '00000000-0000-4000-8000-000000000001';
    const hookOfWeb = '00000000-0000-4000-8000-000000000002';
    const slackOfApi = '00000000-0000-4000-8000-000000000003';
    await insertOldChannel(slackOfWeb, web.id, 'SLACK', 1);
    await insertOldChannel(hookOfWeb, web.id, 'WEBHOOK', 2);
    await insertOldChannel(slackOfApi, api.id, 'SLACK', 3);
    await insertKindCell(web.id, 'job.fail', 'SLACK', false);
    await insertKindCell(web.id, 'app.auth', 'WEBHOOK', false);
    await insertKindCell(web.id, 'stack.deploy.started', 'WEBHOOK', true);
    await insertKindCell(api.id, 'job.fail', 'SLACK', true);
    // A cell of a kind the stack has no channel of.
    await insertKindCell(api.id, 'app.auth', 'HIPCHAT', false);

    await dataSource.runMigrations({ transaction: 'all' });
    expect(await channelCells()).toEqual([
      [slackOfWeb, 'job.fail', web.id, false],
      [hookOfWeb, 'app.auth', web.id, false],
      [hookOfWeb, 'stack.deploy.started', web.id, true],
      [slackOfApi, 'job.fail', api.id, true],
    ]);
    expect(await kindCells()).toEqual(sorted([[api.id, 'app.auth', 'HIPCHAT', false]]));
    const named = await dataSource.getRepository(StackChannel).find({ order: { id: 'ASC' } });
    expect(named.map((row) => row.name)).toEqual(['Slack', 'Webhook', 'Slack']);

    // Now a stack may have several of a kind, with names unique in the stack, and new kinds.
    const version = async () => Number((await stacks.findOneByOrFail({ id: web.id })).settingsVersion);
    const channelRepository = dataSource.getRepository(StackChannel);
    const younger = channelRepository.create({
      id: '00000000-0000-4000-8000-000000000004',
      stackId: web.id,
      kind: ChannelKind.SLACK,
      name: 'Slack 2',
      settings: { channel: null, host: 'hooks.slack.com' },
      secret: 'sealed',
      secretHint: '…b',
      createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, 10)),
    });
    const discord = channelRepository.create({
      id: '00000000-0000-4000-8000-000000000005',
      stackId: web.id,
      kind: ChannelKind.DISCORD,
      name: 'Discord',
      settings: { host: 'discord.com' },
      secret: 'sealed',
      secretHint: '…c',
      createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, 11)),
    });
    await channelRepository.insert([younger, discord]);
    await expect(
      channelRepository.insert({ ...younger, id: '00000000-0000-4000-8000-000000000006' }),
    ).rejects.toThrow();
    const before = await version();
    const cells = dataSource.getRepository(ChannelPreference);
    await cells.insert([
      { channelId: younger.id, eventType: EventType.APP_AUTH, stackId: web.id, enabled: false },
      { channelId: discord.id, eventType: EventType.APP_AUTH, stackId: web.id, enabled: false },
    ]);
    await cells.update({ channelId: younger.id, eventType: EventType.APP_AUTH }, { enabled: true });
    await cells.delete({ channelId: discord.id, eventType: EventType.APP_AUTH });
    // Every write of a channel's cell counts as a settings change of its stack.
    expect(await version()).toBe(before + 4);
    await cells.insert({
      channelId: discord.id,
      eventType: EventType.JOB_FAIL,
      stackId: web.id,
      enabled: false,
    });

    // Undone: the oldest Slack of web stays with its cells; the younger one and Discord go with theirs.
    await undoThrough(dataSource, 'ChannelInstances1765100000000');
    expect(await channels()).toEqual([
      [slackOfWeb, 'SLACK'],
      [hookOfWeb, 'WEBHOOK'],
      [slackOfApi, 'SLACK'],
    ]);
    expect(await kindCells()).toEqual(
      sorted([
        [web.id, 'job.fail', 'SLACK', false],
        [web.id, 'app.auth', 'WEBHOOK', false],
        [web.id, 'stack.deploy.started', 'WEBHOOK', true],
        [api.id, 'job.fail', 'SLACK', true],
        [api.id, 'app.auth', 'HIPCHAT', false],
      ]),
    );
    const runner = dataSource.createQueryRunner();
    try {
      expect(await runner.hasTable('channel_preferences')).toBe(false);
      expect(await runner.hasColumn('stack_channels', 'name')).toBe(false);
    } finally {
      await runner.release();
    }
    // One channel per kind again.
    await expect(
      insertOldChannel('00000000-0000-4000-8000-000000000007', web.id, 'SLACK', 20),
    ).rejects.toThrow();

    await dataSource.runMigrations({ transaction: 'all' });
    expect(await channelCells()).toEqual([
      [slackOfWeb, 'job.fail', web.id, false],
      [hookOfWeb, 'app.auth', web.id, false],
      [hookOfWeb, 'stack.deploy.started', web.id, true],
      [slackOfApi, 'job.fail', api.id, true],
    ]);
  });
});
