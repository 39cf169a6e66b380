// Compiled queries: the SQL a query builder makes is built once per data source and shape, and every run binds
// its own values (dates, strings, JSON lists) the way TypeORM binds them, inside the transaction it is given.
// On a SQLite file; also on a fresh PostgreSQL database when TEST_DATABASE_URL points at a server.
import type { DataSource } from 'typeorm';
import { parseDatabaseUrl } from '../src/config';
import { CompiledQuery, entitiesFromRaw, inJsonList, selectProperties } from '../src/db/compiled-query';
import { openDatabase } from '../src/db/data-source';
import { Account } from '../src/modules/accounts/account.entity';
import { dueDeliveries } from '../src/modules/deliveries/delivery-batch';
import { Stack } from '../src/modules/stacks/stack.entity';
import { createTestDatabase, type TestDatabase } from './helpers/database';

const databases: [string, () => Promise<TestDatabase>][] = [
  ['a SQLite file', () => createTestDatabase(undefined)],
];
if (process.env.TEST_DATABASE_URL) databases.push(['PostgreSQL', () => createTestDatabase()]);

describe.each(databases)('compiled queries on %s', (_name, create) => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let account: Account;
  const stacks: Stack[] = [];

  beforeAll(async () => {
    database = await create();
    dataSource = await openDatabase(parseDatabaseUrl(database.url, database.dir), { migrate: true });
    account = dataSource.getRepository(Account).create({ name: 'Compiled' });
    await dataSource.getRepository(Account).insert(account);
    for (const [index, environment] of ['production', 'staging', 'qa'].entries()) {
      const stack = dataSource.getRepository(Stack).create({
        accountId: account.id,
        name: `stack ${index}`,
        environment,
        createdAt: new Date(Date.UTC(2026, 0, 1 + index, 12, 30, 15, 250)),
      });
      await dataSource.getRepository(Stack).insert(stack);
      stacks.push(stack);
    }
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  it('builds the SQL once per shape and binds each run its own values', async () => {
    let builds = 0;
    const byIdsCreatedAfter = new CompiledQuery(['ids', 'after'], (manager, limit: number) => {
      builds++;
      return selectProperties(manager.createQueryBuilder(Stack, 's'), Stack, 's')
        .where(inJsonList(manager, 's.id', 'ids'))
        .andWhere('s.createdAt > :after')
        .andWhere('s.environment <> :excluded', { excluded: 'qa' })
        .orderBy('s.createdAt', 'ASC')
        .limit(limit);
    });
    const ids = JSON.stringify(stacks.map((stack) => stack.id));
    const manager = dataSource.manager;

    const all = await byIdsCreatedAfter.run(manager, { ids, after: new Date(0) }, 10);
    expect((all.records as { id: string }[]).map((row) => row.id)).toEqual([stacks[0].id, stacks[1].id]);
    // A date compares as the stored date does; a constant set by the builder stays part of the statement.
    const later = await byIdsCreatedAfter.run(manager, { ids, after: stacks[0].createdAt }, 10);
    expect((later.records as { id: string }[]).map((row) => row.id)).toEqual([stacks[1].id]);
    const none = await byIdsCreatedAfter.run(manager, { ids: '[]', after: new Date(0) }, 10);
    expect(none.records).toEqual([]);
    expect(builds).toBe(1);

    const first = await byIdsCreatedAfter.run(manager, { ids, after: new Date(0) }, 1);
    expect(first.records).toHaveLength(1);
    expect(builds).toBe(2);
  });

  it('reads entities with their values converted as TypeORM converts them', async () => {
    const query = new CompiledQuery(['ids'], (manager) =>
      selectProperties(manager.createQueryBuilder(Stack, 's'), Stack, 's').where(
        inJsonList(manager, 's.id', 'ids'),
      ),
    );
    const { records } = await query.run(dataSource.manager, { ids: JSON.stringify([stacks[2].id]) });
    const [read] = entitiesFromRaw(dataSource.manager, Stack, records as Record<string, unknown>[]);
    const found = await dataSource.getRepository(Stack).findOneByOrFail({ id: stacks[2].id });
    expect(read).toBeInstanceOf(Stack);
    expect(read).toEqual(found);
    expect(read.createdAt.toISOString()).toBe('2026-01-03T12:30:15.250Z');
  });

  it('runs on the transaction it is given and reports the rows an update changed', async () => {
    const rename = new CompiledQuery(['ids', 'name'], (manager) =>
      manager
        .createQueryBuilder()
        .update(Stack)
        .set({ name: () => ':name' })
        .where(inJsonList(manager, 'id', 'ids')),
    );
    const ids = JSON.stringify([stacks[0].id, stacks[1].id, 'no-such-stack']);
    await expect(
      dataSource.transaction(async (manager) => {
        const result = await rename.run(manager, { ids, name: 'renamed' });
        expect(result.affected).toBe(2);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    const names = (await dataSource.getRepository(Stack).find({ order: { createdAt: 'ASC' } })).map(
      (stack) => stack.name,
    );
    expect(names).toEqual(['stack 0', 'stack 1', 'stack 2']);

    const result = await rename.run(dataSource.manager, { ids, name: "it's renamed" });
    expect(result.affected).toBe(2);
    expect((await dataSource.getRepository(Stack).findOneByOrFail({ id: stacks[1].id })).name).toBe(
      "it's renamed",
    );
  });
});

describe.each(databases)("the delivery workers' claim on %s", (_name, create) => {
  let database: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await create();
    dataSource = await openDatabase(parseDatabaseUrl(database.url, database.dir), { migrate: true });
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  it('reads due rows through the index of pending deliveries', async () => {
    const { sql, parameters } = dueDeliveries.statement(dataSource.manager, { now: new Date() }, 16);
    let plan: string;
    if (database.kind === 'postgres') {
      // The table is empty, so a sequential scan would win on cost: forbid it to see whether the index can serve.
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
});
