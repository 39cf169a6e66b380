// The message templates migration, both ways with data: one template per channel and event type (and per stack's
// email), templates going with their channel and stack, and undoing it leaves the rest as it was.
// Always on a SQLite file; also on a fresh PostgreSQL database when TEST_DATABASE_URL points at a server.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DataSource } from 'typeorm';
import { parseDatabaseUrl } from '../src/config';
import { openDatabase } from '../src/db/data-source';
import { Account } from '../src/modules/accounts/account.entity';
import { StackChannel } from '../src/modules/channels/stack-channel.entity';
import { ChannelKind } from '../src/modules/events/event-types';
import { Stack } from '../src/modules/stacks/stack.entity';
import { ALL_EVENT_TYPES, MessageTemplateRow } from '../src/modules/templates/message-template.entity';
import { createTestDatabase, type TestDatabase } from './helpers/database';

const MIGRATION = 'MessageTemplates1765200000000';

async function sqliteDatabase(): Promise<TestDatabase> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stack-notifications-templates-'));
  return {
    url: `sqlite:${path.join(dir, 'templates.sqlite')}`,
    dir,
    kind: 'sqlite',
    drop: async () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

const databases: [string, () => Promise<TestDatabase>][] = [['a SQLite file', sqliteDatabase]];
if (process.env.TEST_DATABASE_URL) databases.push(['PostgreSQL', createTestDatabase]);

async function hasTable(dataSource: DataSource, table: string): Promise<boolean> {
  const runner = dataSource.createQueryRunner();
  try {
    return await runner.hasTable(table);
  } finally {
    await runner.release();
  }
}

describe.each(databases)('the message templates migration on %s', (_name, makeDatabase) => {
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

  async function stackWithSlack() {
    const account = dataSource.getRepository(Account).create({ name: 'templates' });
    await dataSource.getRepository(Account).insert(account);
    const stack = dataSource
      .getRepository(Stack)
      .create({ accountId: account.id, name: 'web', environment: 'prod' });
    await dataSource.getRepository(Stack).insert(stack);
    const channel = dataSource.getRepository(StackChannel).create({
      stackId: stack.id,
      kind: ChannelKind.SLACK,
      settings: { channel: null, host: 'hooks.slack.com' },
      secret: 'sealed',
      secretHint: 'hint',
    });
    await dataSource.getRepository(StackChannel).insert(channel);
    return { stack, channel };
  }

  const template = (values: Partial<MessageTemplateRow>) =>
    dataSource.getRepository(MessageTemplateRow).create({ body: '{{ title }}', ...values });

  it('keeps one template per channel and event type, and per stack email, and drops them with their owners', async () => {
    const { stack, channel } = await stackWithSlack();
    const templates = dataSource.getRepository(MessageTemplateRow);
    const slack = { stackId: stack.id, channelId: channel.id, channel: 'SLACK' };
    const email = { stackId: stack.id, channelId: null, channel: 'EMAIL' };
    await templates.insert(template({ ...slack, eventType: 'job.fail' }));
    await templates.insert(template({ ...slack, eventType: ALL_EVENT_TYPES }));
    await templates.insert(template({ ...email, eventType: ALL_EVENT_TYPES, subject: '[{{ stack.name }}]' }));
    await templates.insert(template({ ...email, eventType: 'job.fail' }));
    await expect(templates.insert(template({ ...slack, eventType: 'job.fail' }))).rejects.toThrow();
    await expect(templates.insert(template({ ...email, eventType: ALL_EVENT_TYPES }))).rejects.toThrow();
    expect(await templates.countBy({ stackId: stack.id })).toBe(4);

    await dataSource.getRepository(StackChannel).delete({ id: channel.id });
    expect((await templates.findBy({ stackId: stack.id })).map((row) => row.channel)).toEqual([
      'EMAIL',
      'EMAIL',
    ]);
    await dataSource.getRepository(Stack).delete({ id: stack.id });
    expect(await templates.count()).toBe(0);
  });

  it('undoes to no table, with stacks and channels untouched, and applies again', async () => {
    const { stack, channel } = await stackWithSlack();
    await dataSource
      .getRepository(MessageTemplateRow)
      .insert(
        template({ stackId: stack.id, channelId: channel.id, channel: 'SLACK', eventType: 'job.fail' }),
      );
    // Back through this migration (and any later one), as `migration:revert` would.
    const recorded = async () =>
      ((await dataSource.query('SELECT name FROM migrations')) as { name: string }[]).map((row) => row.name);
    expect(await recorded()).toContain(MIGRATION);
    while ((await recorded()).includes(MIGRATION)) await dataSource.undoLastMigration({ transaction: 'all' });
    expect(await hasTable(dataSource, 'message_templates')).toBe(false);
    expect(await dataSource.getRepository(StackChannel).countBy({ id: channel.id })).toBe(1);
    expect(await dataSource.getRepository(Stack).countBy({ id: stack.id })).toBe(1);

    await dataSource.runMigrations({ transaction: 'all' });
    expect(await hasTable(dataSource, 'message_templates')).toBe(true);
    await dataSource
      .getRepository(MessageTemplateRow)
      .insert(
        template({ stackId: stack.id, channelId: channel.id, channel: 'SLACK', eventType: 'job.fail' }),
      );
    expect(await dataSource.getRepository(MessageTemplateRow).countBy({ channelId: channel.id })).toBe(1);
  });
});
